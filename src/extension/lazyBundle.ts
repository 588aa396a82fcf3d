// Heavy parts of the extension ship as their own bundles (dist/NAME.js) and are required on first use,
// so that what VS Code loads at activation (dist/extension.js) stays small. Running from the sources
// (tests), the module itself is required instead.
import * as fs from 'fs';
import * as path from 'path';

/** The lazily loaded bundles: name → source module, relative to src/extension. */
export const LAZY_BUNDLES = {
  azure: '../core/backends/azure/index',
  'mcp-local': '../core/backends/mcpLocal',
  'migration-panel': './migration/checklistPanel',
  'language-client': './authoring/languageClientLib',
  'detection-files': './detections/detectionFiles',
} as const;

export type LazyBundle = keyof typeof LAZY_BUNDLES;

const loaded = new Map<LazyBundle, unknown>();

/** Requires dist/NAME.js of the installed extension (or the source module when there is no bundle). */
export function requireBundle<T>(extensionPath: string, name: LazyBundle): T {
  const cached = loaded.get(name);
  if (cached) return cached as T;
  const bundled = path.join(extensionPath, 'dist', `${name}.js`);
  // A computed path keeps esbuild from inlining the module into dist/extension.js.
  const file = fs.existsSync(bundled) ? bundled : path.join(__dirname, LAZY_BUNDLES[name]);
  const mod = require(file) as T;
  loaded.set(name, mod);
  return mod;
}
