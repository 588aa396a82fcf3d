// The results panel host against the fake vscode: a failed export reaches the user instead of vanishing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { ResultsPanels } from '../../src/extension/authoring/resultsPanel';
import { createExtensionContext, disposeContext, fake } from './support/fakeVscode';

describe('Results panel (adapter)', () => {
  let context: ReturnType<typeof createExtensionContext>;
  beforeEach(() => {
    fake.reset();
    context = createExtensionContext();
  });
  afterEach(() => disposeContext(context));

  it('reports an export that cannot be written', async () => {
    const panels = new ResultsPanels(context as unknown as vscode.ExtensionContext);
    const results = panels.show('file:///q.kql', 'q.kql');
    results.showResult(
      {
        columns: [{ name: 'N', type: 'long' }],
        rows: [[1]],
        stats: { rowsScanned: 1, rowsReturned: 1, elapsedMs: 0, truncated: false },
      },
      {
        title: 'q.kql',
        backend: 'local demo lake',
        timeRange: 'as written in the query',
        ranAt: '2026-01-15T12:00:00Z',
      },
    );
    const panel = fake.webviewPanels[fake.webviewPanels.length - 1];
    panel.receive({ type: 'ready' });
    // The chosen target is a folder, so writing fails (EISDIR), as a read-only or vanished target would.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-export-'));
    fake.answers.saveDialog.push(vscode.Uri.file(folder));
    panel.receive({ type: 'export', format: 'csv' });
    const deadline = Date.now() + 2000;
    while (!fake.messages.some((m) => m.level === 'error') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const error = fake.messages.find((m) => m.level === 'error');
    assert.ok(error, 'the failed export is shown');
    assert.match(error.message, /^Results: .*(EISDIR|directory)/i);
    panels.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('a panel unloaded behind another tab gets its rows again when shown', async () => {
    const panels = new ResultsPanels(context as unknown as vscode.ExtensionContext);
    const results = panels.show('file:///q.kql', 'q.kql');
    results.showResult(
      {
        columns: [{ name: 'N', type: 'long' }],
        rows: [[1], [2]],
        stats: { rowsScanned: 2, rowsReturned: 2, elapsedMs: 0, truncated: false },
      },
      {
        title: 'q.kql',
        backend: 'local demo lake',
        timeRange: 'as written in the query',
        ranAt: '2026-01-15T12:00:00Z',
      },
    );
    const panel = fake.webviewPanels[fake.webviewPanels.length - 1];
    panel.receive({ type: 'ready' });
    await new Promise((r) => setTimeout(r, 10));
    const count = () => panel.webview.posted.filter((m) => (m as { type: string }).type === 'results').length;
    assert.strictEqual(count(), 1);
    panel.receive({ type: 'ready' });
    await new Promise((r) => setTimeout(r, 10));
    assert.strictEqual(count(), 2, 'the rows are sent again');
    panels.dispose();
  });
});
