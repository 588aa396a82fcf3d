// Query targets in the real VS Code: a .kql file switched to "Run on Defender XDR (advanced hunting)" runs
// through a loopback Microsoft Graph (POST /security/runHuntingQuery, test/unit/backends/graphServer.ts), and
// one switched to an Azure Data Explorer database through a loopback cluster speaking the Kusto v2 REST
// protocol (test/unit/backends/kustoServer.ts); the rows land in the results grid. Each file keeps its own
// target, the status bar and the Run lens name it. Screenshots: test-results/targets-*.png.
import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { startFakeGraph, type FakeGraph } from '../unit/backends/graphServer';
import { startFakeKusto, type FakeKusto } from '../unit/backends/kustoServer';
import { useWorkbench } from './harness';

const TOKEN = 'e2e-token-not-a-secret';
const HUNT = 'DeviceProcessEvents\n| where Timestamp > ago(1d)\n| take 2\n';
const ARCHIVE = 'SigninLogs\n| where TimeGenerated > ago(90d)\n| take 2\n';
const LOOKUP = 'DeviceProcessEvents\n| take 1\n';

describe('query targets: Defender XDR and Azure Data Explorer', function () {
  this.timeout(180000);
  let graph: FakeGraph;
  let kusto: FakeKusto;
  const saved = process.env.SWB_ACCESS_TOKEN;
  // Filled in before the workbench starts (the servers' ports are known only then).
  const settings: Record<string, unknown> = { 'sentinelWorkbench.development.useAccessTokenFromEnvironment': true };
  before(async () => {
    graph = await startFakeGraph(TOKEN);
    kusto = await startFakeKusto(TOKEN);
    process.env.SWB_ACCESS_TOKEN = TOKEN;
    Object.assign(settings, {
      'sentinelWorkbench.defender.graphEndpoint': graph.url,
      'sentinelWorkbench.kusto.clusters': [`${kusto.url}/SecurityArchive`],
    });
  });
  after(async () => {
    if (saved === undefined) delete process.env.SWB_ACCESS_TOKEN;
    else process.env.SWB_ACCESS_TOKEN = saved;
    await graph?.close();
    await kusto?.close();
  });
  const wb = useWorkbench({
    settings,
    files: { 'hunts/devices.kql': HUNT, 'hunts/archive.kql': ARCHIVE, 'hunts/lookup.kql': LOOKUP },
  });

  const lens = (text: string | RegExp) =>
    wb.activeEditor.locator('.contentWidgets .codelens-decoration a', { hasText: text }).first();

  async function gridOf(
    title: string,
    rows: number,
  ): Promise<{ frame: Frame; headers: (string | null)[]; cells: string[][]; summary: string }> {
    const frame = await wb.webviewFrame(`Results: ${title}`, 60000);
    await frame.waitForSelector(`body[data-rows="${rows}"]`, { timeout: 60000 });
    const headers = await frame.$$eval('#grid-head .hname', (els) => els.map((e) => e.textContent));
    const cells = await frame.$$eval('#grid-body .row', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('.cell')].map((td) => td.textContent ?? '')),
    );
    return { frame, headers, cells, summary: (await frame.textContent('#summary')) ?? '' };
  }

  it('a file set to Defender XDR runs through Graph runHuntingQuery into the grid', async () => {
    await wb.openFile('hunts/devices.kql');
    await lens(/^▶ Run$/).waitFor();
    await wb.runCommand('Sentinel: Select Query Target…');
    await wb.quickPick(/Run on Defender XDR \(advanced hunting\)/);
    await wb.statusBarItem('KQL: Defender XDR (advanced hunting)').waitFor();
    await lens('▶ Run on Defender XDR').click();
    const { headers, cells, summary } = await gridOf('devices.kql', 2);
    assert.deepStrictEqual(headers, ['Timestamp', 'DeviceName', 'ProcessId', 'AdditionalFields', 'IsElevated']);
    assert.deepStrictEqual(
      cells.map((r) => r[1]),
      ['wks-01', 'wks-02'],
    );
    assert.strictEqual(cells[0][2], '4242');
    assert.match(cells[0][0], /2026-11-19/);
    assert.match(summary, /^2 rows · .* · Defender XDR \(advanced hunting\)/);
    assert.strictEqual(graph.requests.at(-1)?.body.Query, HUNT.trimEnd());
    assert.strictEqual(graph.requests.at(-1)?.auth, `Bearer ${TOKEN}`);
    await wb.screenshot('targets-defender-grid');
  });

  it('a file set to an ADX database runs through the Kusto v2 REST protocol into the grid; the other file keeps Defender XDR', async () => {
    await wb.openFile('hunts/archive.kql');
    // A new file starts on the workspace target: the status bar says so, not the other file's target.
    await wb.statusBarItem(/KQL: (?!Defender)/).waitFor();
    await wb.runCommand('Sentinel: Select Query Target…');
    await wb.quickPick(new RegExp(`${kusto.url.replace(/^http:\/\//, '').replace(/[.]/g, '\\.')}/SecurityArchive`));
    await wb.statusBarItem(/KQL: ADX 127\.0\.0\.1:\d+\/SecurityArchive/).waitFor();
    await lens(/^▶ Run on ADX SecurityArchive$/).click();
    const { headers, cells, summary } = await gridOf('archive.kql', 2);
    assert.deepStrictEqual(headers, ['Timestamp', 'Account', 'Count', 'Extra']);
    assert.deepStrictEqual(
      cells.map((r) => r[1]),
      ['alice@contoso.com', 'bob@contoso.com'],
    );
    assert.deepStrictEqual(
      cells.map((r) => r[2]),
      ['12', '3'],
    );
    assert.match(summary, /^2 rows · .*SecurityArchive/);
    const run = kusto.requests.filter((r) => r.path === '/v2/rest/query').at(-1);
    assert.strictEqual(run?.body.csl, ARCHIVE.trimEnd());
    assert.strictEqual(run?.body.db, 'SecurityArchive');
    await wb.screenshot('targets-adx-grid');
    await wb.openFile('hunts/devices.kql');
    await wb.statusBarItem('KQL: Defender XDR (advanced hunting)').waitFor();
    await lens('▶ Run on Defender XDR').waitFor();
  });

  it("the language server checks a file against its target's tables: a table the ADX database lacks is marked, and not once the file runs on the workspace", async () => {
    await wb.openFile('hunts/lookup.kql');
    const squiggle = wb.activeEditor.locator('.squiggly-error');
    await wb.activeEditor.locator('.view-line', { hasText: 'DeviceProcessEvents' }).waitFor();
    await wb.runCommand('Sentinel: Select Query Target…');
    await wb.quickPick(/SecurityArchive/);
    await squiggle.first().waitFor({ timeout: 60000 });
    await wb.hoverUntil(squiggle.first(), wb.page.locator('.monaco-hover', { hasText: /DeviceProcessEvents/ }).first());
    await wb.screenshot('targets-adx-schema-diagnostic');
    await wb.page.mouse.move(0, 0);
    await wb.runCommand('Sentinel: Select Query Target…');
    await wb.quickPick(/Sentinel workspace/);
    await wb.statusBarItem(/KQL: (?!ADX)/).waitFor();
    await squiggle.first().waitFor({ state: 'detached', timeout: 60000 });
  });
});
