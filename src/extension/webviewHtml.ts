// The one way webview pages are built: CSP `default-src 'none'`, a random nonce per load,
// scripts and styles only from dist/webview and media through asWebviewUri.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** File under dist/webview/. */
  script: string;
  /** Files under media/. */
  styles: string[];
  /** Static markup of the page (no data: data arrives by message and is set as text). */
  body: string;
  /** Initial state for the page's getState() (restored by a serializer after reload). */
  state?: unknown;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', page.script));
  const styles = page.styles
    .map((s) => `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', s))}">`)
    .join('\n');
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const state =
    page.state === undefined
      ? ''
      : `<script nonce="${nonce}">window.__initialState = ${JSON.stringify(page.state).replace(/</g, '\\u003c')};</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
</head>
<body data-nonce="${nonce}">
${page.body}
${state}
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
