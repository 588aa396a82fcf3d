// The walking skeleton in a real VS Code: the Sentinel container and its views, KQL language mode and
// highlighting, every palette command, the backend in the status bar. Screenshots: test-results/skeleton-*.png.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, useWorkbench } from './harness';

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
    const hidden = new Set(
      (manifest.contributes.menus?.commandPalette ?? []).filter((m: { when?: string }) => m.when === 'false').map((m: { command: string }) => m.command),
    );
    const labels: string[] = manifest.contributes.commands
      .filter((c: { command: string }) => !hidden.has(c.command))
      .map((c: { category?: string; title: string }) => (c.category ? `${c.category}: ${c.title}` : c.title));
    assert.ok(labels.length > 0);
    const missing: string[] = [];
    for (const label of labels) if (!(await wb.paletteHas(label))) missing.push(label);
    await wb.showPalette('Sentinel: ');
    await wb.screenshot('skeleton-palette');
    await wb.closeQuickInput();
    assert.deepStrictEqual(missing, [], 'commands missing from the palette');
  });

  it('shows the active backend in the status bar: "Sentinel: local demo lake"', async () => {
    await wb.statusBarItem('Sentinel: local demo lake').waitFor();
    await wb.screenshot('skeleton-status-bar');
  });
});
