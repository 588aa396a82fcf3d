// esbuild loads .css imports in webview bundles as text (see esbuild.js).
declare module '*.css' {
  const text: string;
  export default text;
}
