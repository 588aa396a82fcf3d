// Query targets in the editor against the fake vscode and loopback services: a .kql file switched to
// "Run on Defender XDR (advanced hunting)" or an Azure Data Explorer database runs there into the results grid.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { ResultsPanels } from '../../src/extension/authoring/resultsPanel';
import { QueryRunner } from '../../src/extension/authoring/runner';
import { QueryBlockCodeLensProvider } from '../../src/extension/authoring/codeLens';
import { QueryTargets } from '../../src/extension/authoring/targets';
import type { FeatureContext } from '../../src/extension/features';
import { silentLogger } from '../../src/core/types';
import { startFakeGraph, type FakeGraph } from '../unit/backends/graphServer';
import { startFakeKusto, type FakeKusto } from '../unit/backends/kustoServer';
import { createExtensionContext, disposeContext, fake, fakeEditor } from './support/fakeVscode';

const TOKEN = 'adapter-token-not-a-secret';

describe('Query targets: Defender XDR advanced hunting and Azure Data Explorer (adapter)', function () {
  this.timeout(30_000);
  let context: ReturnType<typeof createExtensionContext>;
  let graph: FakeGraph;
  let kusto: FakeKusto;
  let saved: string | undefined;
  before(async () => {
    graph = await startFakeGraph(TOKEN);
    kusto = await startFakeKusto(TOKEN);
    saved = process.env.SWB_ACCESS_TOKEN;
    process.env.SWB_ACCESS_TOKEN = TOKEN;
  });
  after(async () => {
    if (saved === undefined) delete process.env.SWB_ACCESS_TOKEN;
    else process.env.SWB_ACCESS_TOKEN = saved;
    await graph.close();
    await kusto.close();
  });
  beforeEach(() => {
    fake.reset();
    context = createExtensionContext();
    fake.settings.set('sentinelWorkbench.development.useAccessTokenFromEnvironment', true);
    fake.settings.set('sentinelWorkbench.defender.graphEndpoint', graph.url);
  });
  afterEach(() => disposeContext(context));

  function setup() {
    const backends = {
      label: 'local demo lake',
      current: async () => {
        throw new Error('the workspace should not run this');
      },
      onDidChange: () => ({ dispose() {} }),
    };
    const ctx = { extension: context, logger: silentLogger, backends } as unknown as FeatureContext;
    const targets = new QueryTargets(ctx);
    const panels = new ResultsPanels(context as unknown as vscode.ExtensionContext);
    return { ctx, targets, panels, runner: new QueryRunner(ctx, panels, undefined, targets) };
  }

  const lastResult = () => {
    const panel = fake.webviewPanels[fake.webviewPanels.length - 1];
    panel.receive({ type: 'ready' });
    return panel.webview.posted as {
      type: string;
      message?: string;
      meta?: { backend?: string };
      columns?: { name: string }[];
    }[];
  };

  it('a file set to Defender XDR runs through Graph runHuntingQuery and its rows reach the grid', async () => {
    const { targets, panels, runner } = setup();
    const uri = vscode.Uri.file('/hunts/devices.kql');
    fake.answers.quickPick.push({ id: 'defender' });
    await targets.pick(uri);
    assert.strictEqual(targets.idFor(uri), 'defender');
    assert.strictEqual(targets.idFor(vscode.Uri.file('/hunts/other.kql')), 'workspace', 'per file');
    await runner.run({ query: 'DeviceProcessEvents | take 2', title: 'devices.kql:1', source: { uri, startLine: 0 } });
    assert.deepStrictEqual(graph.requests.at(-1)!.body, { Query: 'DeviceProcessEvents | take 2' });
    const posted = JSON.stringify(lastResult());
    assert.match(posted, /Defender XDR \(advanced hunting\)/);
    assert.match(posted, /wks-01/);
    panels.dispose();
    targets.dispose();
  });

  it('a quota answer from advanced hunting is shown in the panel as the service said it', async () => {
    const { ctx, targets, panels, runner } = setup();
    const uri = vscode.Uri.file('/hunts/heavy.kql');
    await targets.set(uri, 'defender');
    await runner.run({ query: 'DeviceEvents | cpu quota', title: 'heavy.kql:1', source: { uri, startLine: 0 } });
    const error = lastResult().find((m) => m.type === 'error');
    assert.match(error?.message ?? '', /Advanced hunting quota reached \(429\).*CPU quota exceeded/);
    const recorded: { backend: string; error?: string }[] = [];
    const withHistory = new QueryRunner(ctx, panels, { record: async (run) => void recorded.push(run) }, targets);
    await withHistory.run({ query: 'DeviceEvents | cpu quota', title: 'heavy.kql:1', source: { uri, startLine: 0 } });
    assert.strictEqual(
      recorded[0]?.backend,
      'Defender XDR (advanced hunting)',
      'the history names where the failed run went',
    );
    assert.match(recorded[0]?.error ?? '', /quota/);
    panels.dispose();
    targets.dispose();
  });

  it('an advanced-hunting limit that bites (30-day retention) is said above the rows, not only in the log', async () => {
    const { targets, panels, runner } = setup();
    const uri = vscode.Uri.file('/hunts/old.kql');
    await targets.set(uri, 'defender');
    await runner.run({
      query: 'DeviceProcessEvents | where Timestamp > ago(90d)',
      title: 'old.kql:1',
      source: { uri, startLine: 0 },
    });
    const result = lastResult().find((m) => m.type === 'results') as { meta?: { note?: string } } | undefined;
    assert.match(result?.meta?.note ?? '', /looks back 90 days; advanced hunting keeps 30 days of data/);
    panels.dispose();
    targets.dispose();
  });

  it('service errors through the editor: a 403 names the Graph permission, an ADX syntax error is at its position, an ADX partial failure keeps its rows and says so', async () => {
    const { targets, panels, runner } = setup();
    fake.settings.set('sentinelWorkbench.kusto.clusters', [`${kusto.url}/SecurityArchive`]);
    const hunt = vscode.Uri.file('/hunts/denied.kql');
    await targets.set(hunt, 'defender');
    await runner.run({ query: 'DeviceEvents | no rights', title: 'denied.kql:1', source: { uri: hunt, startLine: 0 } });
    assert.match(lastResult().find((m) => m.type === 'error')?.message ?? '', /ThreatHunting\.Read\.All.*\(403\)/);

    const archive = vscode.Uri.file('/hunts/archive-errors.kql');
    await targets.set(archive, `kusto:${kusto.url}/SecurityArchive`);
    await runner.run({
      query: 'SigninLogs | syntax error',
      title: 'archive-errors.kql:3',
      source: { uri: archive, startLine: 2 },
    });
    assert.match(
      lastResult().find((m) => m.type === 'error')?.message ?? '',
      /^Line 1, column 20: Azure Data Explorer rejected the query: .*Query could not be parsed/,
    );

    await runner.run({
      query: 'SigninLogs | partial',
      title: 'archive-errors.kql:3',
      source: { uri: archive, startLine: 2 },
    });
    const result = lastResult().find((m) => m.type === 'results') as
      { meta?: { note?: string }; result?: { rows: unknown[] } } | undefined;
    assert.strictEqual(result?.result?.rows.length, 2, 'the rows before the failure are kept');
    assert.match(result?.meta?.note ?? '', /internal record count limit 500000/);
    panels.dispose();
    targets.dispose();
  });

  it("a missing or declined sign-in names the target's own service (Graph scope, the cluster), not the Sentinel workspace", async () => {
    fake.settings.set('sentinelWorkbench.development.useAccessTokenFromEnvironment', false);
    delete process.env.SWB_ACCESS_TOKEN;
    const original = vscode.authentication.getSession;
    const asked: string[][] = [];
    (vscode.authentication as { getSession: unknown }).getSession = async (
      _p: string,
      scopes: string[],
      options: { createIfNone?: boolean },
    ) => {
      asked.push(scopes);
      if (options.createIfNone) throw new Error('User did not consent to login.');
      return undefined;
    };
    try {
      const { targets, panels, runner } = setup();
      const sentToGraph = graph.requests.length;
      const hunt = vscode.Uri.file('/hunts/unsigned.kql');
      await targets.set(hunt, 'defender');
      await runner.run({
        query: 'DeviceEvents | take 1',
        title: 'unsigned.kql:1',
        source: { uri: hunt, startLine: 0 },
      });
      const graphError = lastResult().find((m) => m.type === 'error')?.message ?? '';
      assert.match(
        graphError,
        /^Defender XDR advanced hunting needs a Microsoft sign-in to Microsoft Graph \(scope https:\/\/graph\.microsoft\.com\/\.default, permission ThreatHunting\.Read\.All\)\./,
      );
      assert.match(graphError, /Select Query Target…/);
      assert.match(graphError, /did not consent to login/, "VS Code's reason is kept");
      assert.doesNotMatch(graphError, /Connect to Azure Workspace|this workspace|Could not reach/);
      assert.strictEqual(graph.requests.length, sentToGraph, 'nothing was sent without a token');
      assert.ok(asked.some((s) => s[0] === 'https://graph.microsoft.com/.default'));

      const url = `${kusto.url}/SecurityArchive`;
      fake.settings.set('sentinelWorkbench.kusto.clusters', [url]);
      const archive = vscode.Uri.file('/hunts/unsigned-archive.kql');
      await targets.set(archive, `kusto:${url}`);
      await runner.run({
        query: 'SigninLogs | take 1',
        title: 'unsigned-archive.kql:1',
        source: { uri: archive, startLine: 0 },
      });
      const adxError = lastResult().find((m) => m.type === 'error')?.message ?? '';
      const expected = `Azure Data Explorer database SecurityArchive needs a Microsoft sign-in to the cluster ${new URL(kusto.url).host} (scope ${kusto.url}/.default`;
      assert.ok(adxError.startsWith(expected), adxError);
      assert.doesNotMatch(adxError, /Connect to Azure Workspace|this workspace/);
      panels.dispose();
      targets.dispose();
    } finally {
      (vscode.authentication as { getSession: unknown }).getSession = original;
      process.env.SWB_ACCESS_TOKEN = TOKEN;
    }
  });

  it('"Add Kusto cluster…" adds an ADX database as a target and the file runs there', async () => {
    const { targets, panels, runner } = setup();
    const uri = vscode.Uri.file('/hunts/archive.kql');
    fake.answers.inputBox.push(`${kusto.url}/SecurityArchive`);
    fake.answers.quickPick.push({ add: true });
    await targets.pick(uri);
    assert.deepStrictEqual(fake.settings.get('sentinelWorkbench.kusto.clusters'), [`${kusto.url}/SecurityArchive`]);
    assert.strictEqual(targets.idFor(uri), `kusto:${kusto.url}/SecurityArchive`);
    await runner.run({ query: 'SigninLogs | take 2', title: 'archive.kql:1', source: { uri, startLine: 0 } });
    assert.strictEqual(
      kusto.requests.filter((r) => r.path === '/v2/rest/query').at(-1)?.body.csl,
      'SigninLogs | take 2',
    );
    assert.match(JSON.stringify(lastResult()), /alice@contoso\.com/);
    panels.dispose();
    targets.dispose();
  });

  it('an ADX schema read that failed (not signed in yet) is tried again after a run on that target succeeds', async () => {
    const { targets, panels, runner } = setup();
    const url = `${kusto.url}/SecurityArchive`;
    fake.settings.set('sentinelWorkbench.kusto.clusters', [url]);
    const schemaReads = () => kusto.requests.filter((r) => r.path === '/v1/rest/mgmt').length;
    const before = schemaReads();
    kusto.schemaFailures = 1;
    const uri = vscode.Uri.file('/hunts/retry-schema.kql');
    await targets.set(uri, `kusto:${url}`);
    for (let i = 0; i < 100 && schemaReads() === before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.strictEqual(schemaReads(), before + 1, 'read once when the file got its target');
    await new Promise((r) => setTimeout(r, 50));
    await runner.run({ query: 'SigninLogs | take 2', title: 'retry-schema.kql:1', source: { uri, startLine: 0 } });
    for (let i = 0; i < 100 && schemaReads() === before + 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.strictEqual(schemaReads(), before + 2, 'read again after the run');
    await runner.run({ query: 'SigninLogs | take 2', title: 'retry-schema.kql:1', source: { uri, startLine: 0 } });
    await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(schemaReads(), before + 2, 'and not again once it was read');
    panels.dispose();
    targets.dispose();
  });

  it("the Run lens names the file's target when it is not the workspace, and the lenses refresh when it changes", async () => {
    const { targets, panels } = setup();
    const lenses = new QueryBlockCodeLensProvider(targets);
    let refreshed = 0;
    lenses.onDidChangeCodeLenses(() => refreshed++);
    const uri = vscode.Uri.file('/hunts/devices.kql');
    const doc = {
      uri,
      version: 1,
      languageId: 'kql',
      getText: () => 'DeviceProcessEvents\n| take 2\n',
    } as unknown as vscode.TextDocument;
    const titles = () =>
      lenses.provideCodeLenses(doc, new vscode.CancellationTokenSource().token).map((l) => l.command?.title);
    assert.deepStrictEqual(titles(), ['▶ Run', '▶ Baseline…']);
    await targets.set(uri, 'defender');
    assert.strictEqual(refreshed, 1);
    assert.deepStrictEqual(titles(), ['▶ Run on Defender XDR', '▶ Baseline…']);
    assert.match(
      lenses.provideCodeLenses(doc, new vscode.CancellationTokenSource().token)[0].command?.tooltip ?? '',
      /Defender XDR \(advanced hunting\)/,
    );
    fake.settings.set('sentinelWorkbench.kusto.clusters', [`${kusto.url}/SecurityArchive`]);
    await targets.set(uri, `kusto:${kusto.url}/SecurityArchive`);
    assert.deepStrictEqual(titles(), ['▶ Run on ADX SecurityArchive', '▶ Baseline…']);
    await targets.set(uri, 'workspace');
    assert.deepStrictEqual(titles(), ['▶ Run', '▶ Baseline…']);
    assert.strictEqual(refreshed, 3);
    lenses.dispose();
    panels.dispose();
    targets.dispose();
  });

  it('two clusters with a database of the same name: the lens and the status bar name the cluster host, so they differ', async () => {
    const { targets, panels } = setup();
    const lenses = new QueryBlockCodeLensProvider(targets);
    const west = 'https://west.kusto.windows.net/SecurityArchive';
    const north = 'https://north.kusto.windows.net/securityarchive';
    const other = 'https://west.kusto.windows.net/Firewall';
    fake.settings.set('sentinelWorkbench.kusto.clusters', [west, north, other]);
    const lensTitle = async (url: string, file: string) => {
      const uri = vscode.Uri.file(`/hunts/${file}.kql`);
      await targets.set(uri, `kusto:${url}`);
      const doc = {
        uri,
        version: 1,
        languageId: 'kql',
        getText: () => 'SigninLogs\n| take 2\n',
      } as unknown as vscode.TextDocument;
      return lenses.provideCodeLenses(doc, new vscode.CancellationTokenSource().token)[0].command?.title;
    };
    assert.strictEqual(await lensTitle(west, 'a'), '▶ Run on ADX west.kusto.windows.net/SecurityArchive');
    assert.strictEqual(
      await lensTitle(north, 'b'),
      '▶ Run on ADX north.kusto.windows.net/securityarchive',
      'database names match without regard to case',
    );
    assert.strictEqual(
      await lensTitle(other, 'c'),
      '▶ Run on ADX Firewall',
      'a database name no other cluster has stays short',
    );
    const statusTexts = new Set<string>();
    for (const [url, file] of [
      [west, 'a'],
      [north, 'b'],
    ]) {
      const editor = fakeEditor(`/hunts/${file}.kql`, 'SigninLogs');
      fake.activeTextEditor = editor;
      await targets.set(editor.document.uri, `kusto:${url}`);
      const item = fake.statusBarItems.find((i) => i.id === 'sentinelWorkbench.queryTarget' && i.visible);
      statusTexts.add(item?.text ?? '');
    }
    assert.deepStrictEqual(
      [...statusTexts],
      [
        '$(server) KQL: ADX west.kusto.windows.net/SecurityArchive',
        '$(server) KQL: ADX north.kusto.windows.net/securityarchive',
      ],
    );
    lenses.dispose();
    panels.dispose();
    targets.dispose();
  });
});
