// The walking skeleton in a real VS Code: the Sentinel container and its views, KQL language mode and
// highlighting, every palette command, the backend in the status bar. Screenshots: test-results/skeleton-*.png.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { prepareOnce, ROOT, useWorkbench } from './harness';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const HIGHLIGHT = fs.readFileSync(path.join(__dirname, 'support', 'fixtures', 'highlight.kql'), 'utf8');

function sampleKqlFiles(dir = path.join(ROOT, 'sample'), rel = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'lake') return [];
    const r = path.posix.join(rel, e.name);
    return e.isDirectory() ? sampleKqlFiles(path.join(dir, e.name), r) : /\.(kql|csl|kusto)$/.test(e.name) ? [r] : [];
  });
}

describe('skeleton', function () {
  const wb = useWorkbench({ files: { 'e2e/highlight.kql': HIGHLIGHT } });

  it('shows the Sentinel Workbench container with the Incidents, Entities and Analyses views', async () => {
    await wb.openView('Sentinel Workbench');
    for (const name of ['Incidents', 'Entities', 'Analyses']) {
      await wb.view(name).locator('.pane-header').waitFor();
    }
    await wb.screenshot('skeleton-container');
  });

  it('opens a .kql file in language mode "KQL" with highlighted keywords, strings and comments', async () => {
    await wb.openFile('e2e/highlight.kql');
    assert.strictEqual(await wb.languageMode(), 'KQL');
    const text = await wb.editorText();
    assert.match(text, /summarize Failures = count\(\) by UserPrincipalName/);

    // Monaco renders each token as a span with a theme class; compare the colors the theme gives them.
    const plain = await wb.token('UserPrincipalName');
    const keyword = await wb.token('summarize');
    const string = await wb.token('"0"');
    const comment = await wb.token('// Failed sign-ins per user in the last day');
    assert.notStrictEqual(keyword.color, plain.color, 'the tabular operator is not highlighted');
    assert.notStrictEqual(string.color, plain.color, 'the string literal is not highlighted');
    assert.notStrictEqual(comment.color, plain.color, 'the comment is not highlighted');
    assert.notStrictEqual(keyword.color, string.color, 'keywords and strings look the same');
    await wb.screenshot('skeleton-kql-editor');

    for (const rel of sampleKqlFiles()) {
      await wb.openFile(rel);
      assert.strictEqual(await wb.languageMode(), 'KQL', `${rel} does not open as KQL`);
    }
  });

  it('lists every contributed command in the palette under "Sentinel:"', async () => {
    // Commands hidden from the palette or shown only in a context (other than a KQL editor, which is
    // active here) are skipped; everything else must be listed.
    const when = new Map<string, string>(
      (manifest.contributes.menus?.commandPalette ?? []).map((m: { command: string; when?: string }) => [
        m.command,
        m.when ?? '',
      ]),
    );
    await wb.openFile('e2e/highlight.kql');
    const labels: string[] = manifest.contributes.commands
      .filter((c: { command: string }) => !when.get(c.command) || when.get(c.command) === 'editorLangId == kql')
      .map((c: { category?: string; title: string }) => (c.category ? `${c.category}: ${c.title}` : c.title));
    assert.ok(labels.length > 0);
    const missing: string[] = [];
    for (const label of labels) if (!(await wb.paletteHas(label))) missing.push(label);
    await wb.showPalette('Sentinel: ');
    await wb.screenshot('skeleton-palette');
    await wb.closeQuickInput();
    assert.deepStrictEqual(missing, [], 'commands missing from the palette');
  });

  it('ships a minified extension entry point under 1 MiB', () => {
    const { extensionsDir } = prepareOnce();
    const installed = fs.readdirSync(extensionsDir).find((d) => d.startsWith('sentinel-workbench.sentinel-workbench-'));
    assert.ok(installed, 'the extension is not installed');
    const size = fs.statSync(path.join(extensionsDir, installed, 'dist', 'extension.js')).size;
    console.log(`      dist/extension.js in the .vsix: ${(size / 1024).toFixed(1)} KiB`);
    assert.ok(size < 1024 * 1024, `dist/extension.js is ${(size / 1024).toFixed(1)} KiB`);
  });

  it('shows the active backend in the status bar: "Sentinel: local demo lake"', async () => {
    await wb.statusBarItem('Sentinel: local demo lake').waitFor();
    await wb.screenshot('skeleton-status-bar');
  });

  it('opens its log from the palette, with the activation time', async () => {
    await wb.runCommand('Sentinel: Show Log');
    const line = wb.page
      .locator('.part.panel .monaco-editor .view-line', { hasText: /Sentinel\sWorkbench\sactivated\sin\s[\d.]+\sms/ })
      .first();
    await line.waitFor();
    const ms = /activated\sin\s([\d.]+)\sms/.exec((await line.textContent()) ?? '')?.[1];
    console.log(`      activate() in code-server: ${ms} ms (from the extension's log)`);
    await wb.screenshot('skeleton-log');
  });

  it('opens the demo workspace README in a preview from the palette', async () => {
    const heading = /^#\s+(.+)$/m.exec(fs.readFileSync(path.join(ROOT, 'sample', 'README.md'), 'utf8'))?.[1].trim();
    assert.ok(heading, 'sample/README.md has no # heading');
    await wb.runCommand('Sentinel: Open Demo Workspace README');
    const frame = await wb.webviewFrame('Preview README.md');
    await frame.waitForSelector(`h1:has-text("${heading.replace(/"/g, '\\"')}")`);
    await wb.screenshot('skeleton-demo-readme');
  });
});
