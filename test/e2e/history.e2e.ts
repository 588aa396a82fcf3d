// Query history and the rough edges of running queries, in the real VS Code on the demo lake, with the mouse:
// a run lands in the History view and a click there reopens its saved rows without running again; "Run
// again" runs the block's current text and says it changed; a baseline range reaches the query's own
// `TimeGenerated > ago(…)` filter and the header says so; one row per IP gets a "Chart" button, not a chart.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { useWorkbench } from './harness';

const FILES = {
  'e2e/history.kql':
    'SigninLogs\n| summarize SignIns = count() by UserPrincipalName\n| order by SignIns desc\n| take 5\n',
  'e2e/range.kql':
    'SigninLogs\n| where TimeGenerated > ago(1d)\n| summarize SignIns = count() by bin(TimeGenerated, 1d)\n',
  'e2e/ips.kql':
    'SigninLogs\n| summarize FirstSeen = min(TimeGenerated), SignIns = count() by IPAddress\n| order by SignIns desc\n| take 4\n',
};

describe('query history and running queries', function () {
  this.timeout(180000);
  const wb = useWorkbench({ files: FILES, settings: { 'sentinelWorkbench.incidents.groupBy': 'none' } });

  const lens = (text: string | RegExp) =>
    wb.activeEditor.locator('.contentWidgets .codelens-decoration a', { hasText: text }).first();

  function runsLogged(title: string): number {
    let count = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'Sentinel Workbench.log')
          count += fs
            .readFileSync(p, 'utf8')
            .split('\n')
            .filter((l) => l.includes(`Ran ${title}:`)).length;
      }
    };
    try {
      walk(path.join(wb.userDataDir, 'logs'));
    } catch {
      // no logs yet
    }
    return count;
  }

  async function results(title: string, rows?: number): Promise<Frame> {
    const frame = await wb.webviewFrame(`Results: ${title}`, 60000);
    await frame.waitForSelector(rows === undefined ? 'body[data-rows]' : `body[data-rows="${rows}"]`, {
      timeout: 60000,
    });
    return frame;
  }

  it('a run lands in History; a click there reopens the saved rows without running the query again', async () => {
    await wb.openFile('e2e/history.kql');
    await lens('▶ Run').click();
    const first = await results('history.kql', 5);
    const cells = await first.$$eval('#grid-body .cell', (els) => els.slice(0, 4).map((e) => e.textContent));
    await wb.openView('Sentinel Workbench');
    await wb.expandView('History');
    const history = wb.view('History');
    const row = wb.treeItem('history.kql:1', history);
    await row.locator('.label-description', { hasText: /^5 rows · / }).waitFor({ timeout: 30000 });
    const before = runsLogged('history.kql:1');
    assert.strictEqual(before, 1);
    await wb.clickTreeItem('history.kql:1', { within: history });
    const reopened = await results('history.kql:1', 5);
    assert.match(
      (await reopened.textContent('#note')) ?? '',
      /^Saved result from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: not run again\.$/,
    );
    assert.deepStrictEqual(
      await reopened.$$eval('#grid-body .cell', (els) => els.slice(0, 4).map((e) => e.textContent)),
      cells,
    );
    await wb.page.waitForTimeout(500);
    assert.strictEqual(runsLogged('history.kql:1'), before, 'reopening ran nothing');
    await wb.screenshot('history-reopened');
  });

  it('"Run again" runs the block as it reads now, and says it changed', async () => {
    await wb.openFile('e2e/history.kql');
    await wb.setEditorText(
      'SigninLogs\n| summarize SignIns = count() by UserPrincipalName\n| order by SignIns desc\n| take 2\n',
    );
    // The file's results panel is a background tab behind the reopened one: bring it to the front.
    await wb.page
      .locator('.tabs-container .tab')
      .filter({ has: wb.page.locator('.label-name', { hasText: /^Results: history\.kql$/ }) })
      .first()
      .click();
    const frame = await wb.webviewFrame('Results: history.kql');
    await frame.click('#rerun');
    await frame.waitForSelector('body[data-rows="2"]', { timeout: 60000 });
    assert.match((await frame.textContent('#note')) ?? '', /block changed since the last run/);
  });

  it("a baseline range replaces the query's own ago() filter and the header says so", async () => {
    await wb.openFile('e2e/range.kql');
    await lens('▶ Baseline…').click();
    await wb.quickPick('Last 30 days');
    const frame = await results('range.kql');
    assert.match(
      (await frame.textContent('#note')) ?? '',
      /TimeGenerated > ago\(1d\) was set to the chosen range's start/,
    );
    // A bin per day of the lake's two weeks of sign-ins instead of the one or two the query's own filter allowed.
    const rows = Number(await frame.getAttribute('body', 'data-rows'));
    assert.ok(rows >= 10, `${rows} daily rows`);
  });

  it('one row per IP gets a "Chart" button instead of a chart; the button draws it', async () => {
    await wb.openFile('e2e/ips.kql');
    await lens('▶ Run').click();
    const frame = await results('ips.kql', 4);
    assert.strictEqual(await frame.isHidden('#chart'), true);
    assert.strictEqual((await frame.textContent('#chart-toggle'))?.trim(), 'Chart');
    await frame.click('#chart-toggle');
    await frame.waitForSelector('#chart canvas');
    assert.strictEqual((await frame.textContent('#chart-toggle'))?.trim(), 'Hide chart');
  });
});
