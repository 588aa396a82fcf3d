// KQL authoring in the real VS Code on the demo lake: CodeLens, the seed baseline in the results grid
// with its chart, CSV export, a parameter set through the lens, a diagnostic, and completion.
// Screenshots: test-results/authoring-*.png.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, useWorkbench } from './harness';

const BROKEN = 'SigninLogs\n| where NoSuchColumn == "x"\n| take 10\n';

/** What the CLI answers for the same query on the same lake: the grid must show exactly this many rows. */
function cliRowCount(lakeDir: string, file: string): number {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli.js'), 'query', '--lake', lakeDir, '--format', 'json', file],
    { encoding: 'utf8' },
  );
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).rows.length;
}

describe('KQL authoring', function () {
  const wb = useWorkbench({ files: { 'e2e/broken.kql': BROKEN, 'e2e/scratch.kql': '' } });

  const lens = (text: string | RegExp) =>
    wb.activeEditor.locator('.contentWidgets .codelens-decoration a', { hasText: text }).first();

  it('shows Run, Baseline and Parameters lenses above the seed baseline', async () => {
    await wb.openFile('baselines/signin-baseline.kql');
    await lens('▶ Run').waitFor();
    await lens('▶ Baseline…').waitFor();
    await lens(/Parameters: TargetUpn=megan\.bowen@/).waitFor();
    await lens(/Analyze megan\.bowen@/).waitFor();
    await wb.screenshot('authoring-codelens');
  });

  it('runs the seed baseline over the last 7 days into a grid with a timechart', async () => {
    const expected = cliRowCount(
      path.join(wb.workspaceDir, 'lake'),
      path.join(wb.workspaceDir, 'baselines', 'signin-baseline.kql'),
    );
    assert.ok(expected > 0, 'the demo lake should have sign-ins for the seed user');
    await lens('▶ Baseline…').click();
    await wb.quickPick('Last 7 days');
    const frame = await wb.webviewFrame('Results: signin-baseline.kql');
    await frame.waitForSelector(`body[data-rows="${expected}"]`, { timeout: 60000 });
    const summary = await frame.textContent('#summary');
    assert.match(summary ?? '', new RegExp(`^${expected} rows`));
    assert.match(summary ?? '', /local lake/);
    const headers = await frame.$$eval('#grid-head .hname', (els) => els.map((e) => e.textContent));
    assert.deepStrictEqual(headers, ['TimeGenerated', 'Total', 'Failures', 'Successes', 'DistinctIPs', 'Apps']);
    await frame.waitForSelector('#chart canvas');
    await wb.screenshot('authoring-results-grid-chart');
  });

  it('exports the results to a CSV file through the save dialog', async () => {
    const frame = await wb.webviewFrame('Results: signin-baseline.kql');
    const rows = Number(await frame.getAttribute('body', 'data-rows'));
    await frame.click('#export-csv');
    // Accept the file name the save dialog proposes (in the workspace folder) and read where it went.
    await wb.quickInput.locator('input.input').waitFor();
    await wb.page.keyboard.press('Enter');
    const note = await wb.waitForNotification(/Exported \d+ rows to /);
    const target =
      /Exported \d+ rows to (.+\.csv)/.exec((await note.textContent()) ?? '')?.[1] ?? assert.fail('no export path');
    assert.ok(target.startsWith(wb.workspaceDir), target);
    const lines = fs.readFileSync(target, 'utf8').trimEnd().split(/\r\n/);
    assert.strictEqual(lines[0], 'TimeGenerated,Total,Failures,Successes,DistinctIPs,Apps');
    assert.strictEqual(lines.length, rows + 1);
    await wb.screenshot('authoring-exported');
  });

  it('changes a parameter through its lens as a safe string literal', async () => {
    await wb.openFile('baselines/signin-baseline.kql');
    await lens(/Parameters: TargetUpn=/).click();
    await wb.quickInputSubmit('alex.wilber@contoso.com');
    await lens(/Parameters: TargetUpn=alex\.wilber@contoso\.com/).waitFor();
    assert.match(await wb.editorText(), /let TargetUpn = "alex\.wilber@contoso\.com";/);
    await wb.screenshot('authoring-parameter-set');
  });

  it('marks an unknown column in a broken query with a positioned diagnostic', async () => {
    await wb.openFile('e2e/broken.kql');
    const squiggle = wb.activeEditor.locator('.squiggly-error').first();
    await squiggle.waitFor({ timeout: 60000 });
    // The squiggle sits under the text layer; move the mouse onto it rather than "hovering" the element.
    const box = (await squiggle.boundingBox())!;
    await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await wb.page
      .locator('.monaco-hover', { hasText: /NoSuchColumn/ })
      .first()
      .waitFor();
    await wb.screenshot('authoring-diagnostic');
  });

  it('offers column names in completion', async () => {
    await wb.openFile('e2e/scratch.kql');
    await wb.setEditorText('SigninLogs\n| where UserP');
    await wb.page.keyboard.press('Control+Space');
    await wb.page
      .locator('.suggest-widget .monaco-list-row', { hasText: 'UserPrincipalName' })
      .first()
      .waitFor({ timeout: 30000 });
    await wb.screenshot('authoring-completion');
    await wb.page.keyboard.press('Escape');
  });
});
