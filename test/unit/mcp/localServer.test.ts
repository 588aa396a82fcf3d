// The MCP client and the local MCP server over real stdio: the server runs as a child process (TypeScript
// source through tsx), exactly as the extension runs dist/mcp-server.js.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { McpToolError, SentinelMcpClient } from '../../../src/core/backends/mcpClient';
import { createMcpLocalBackend } from '../../../src/core/backends/mcpLocal';
import { DEMO_DEFAULT_NOW, DEMO_URLS, DEMO_USERS, DEMO_WORKSPACE_ID } from '../../../src/core/lake/demoFacts';
import { silentLogger } from '../../../src/core/types';
import { CancelledError, UserError } from '../../../src/core/errors';
import { IncidentConflictError } from '../../../src/core/backends/incidentUpdate';
import type { AnalysisPoll } from '../../../src/core/analyzer/types';
import { demoLakeDir } from '../analyzer-server/demoLake';

const ROOT = path.resolve(__dirname, '../../..');
const SERVER = path.join(ROOT, 'src/server/mcp-server.ts');
const TSX = require.resolve('tsx/cjs');
const END = DEMO_DEFAULT_NOW;
const START = new Date(new Date(END).getTime() - 7 * 86_400_000).toISOString();
const LIFETIME_MS = 6000;

const STORE = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-mcp-store-'));
after(() => fs.rmSync(STORE, { recursive: true, force: true }));

function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_OPTIONS: `--require ${TSX}`,
    SWB_ANALYSIS_STORE: STORE,
    SWB_POLL_WAIT_MS: '50',
    SWB_ANALYSIS_MIN_RUN_MS: '1500',
    SWB_RESULT_LIFETIME_MS: String(LIFETIME_MS),
    ...extra,
  };
}

async function pollUntilDone(
  poll: () => Promise<AnalysisPoll>,
  maxMs = 90_000,
): Promise<{ final: AnalysisPoll; runningPolls: number }> {
  const t0 = Date.now();
  let runningPolls = 0;
  for (;;) {
    const p = await poll();
    if (p.status !== 'running') return { final: p, runningPolls };
    runningPolls++;
    if (Date.now() - t0 > maxMs) throw new Error('analysis did not finish');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('MCP client ⇄ local MCP server over stdio', function () {
  this.timeout(180_000);
  let lake: string;
  let client: SentinelMcpClient;

  before(async () => {
    lake = await demoLakeDir();
    client = new SentinelMcpClient(
      { kind: 'stdio', command: process.execPath, args: [SERVER, '--lake', lake], env: serverEnv(), cwd: ROOT },
      { logger: silentLogger },
    );
  });
  after(() => client?.close());

  it('lists the Sentinel tool surface and the workbench extensions', async () => {
    const tools = await client.listTools();
    for (const t of [
      'list_sentinel_workspaces',
      'search_tables',
      'query_lake',
      'analyze_user_entity',
      'analyze_url_entity',
      'get_entity_analysis',
      'ListIncidents',
      'GetIncidentById',
      'swb_add_incident_comment',
      'swb_list_analytics_rules',
      'swb_list_automation_rules',
      'swb_list_data_connectors',
    ])
      assert.ok(tools.includes(t), `missing tool ${t}`);
  });

  it('answers list_sentinel_workspaces, search_tables and query_lake with text and structuredContent', async () => {
    assert.deepStrictEqual(await client.listWorkspaces(), [
      { id: DEMO_WORKSPACE_ID, name: 'Contoso demo lake', resourceId: undefined, location: undefined },
    ]);
    const tables = await client.searchTables('sign-in failures by IP address');
    assert.strictEqual(tables[0].name, 'SigninLogs');
    assert.ok(tables[0].columns.some((c) => c.name === 'IPAddress'));
    const raw = await client.callTool('query_lake', {
      query: 'SigninLogs | where UserPrincipalName =~ "megan.bowen@contoso.com" | summarize n = count()',
    });
    assert.strictEqual(raw.isError, false);
    assert.match(raw.text, /\| n \|/);
    const r = await client.queryLake('SigninLogs | summarize n = count() by ResultType | sort by n desc', {
      maxRows: 2,
    });
    assert.deepStrictEqual(
      r.columns.map((c) => c.name),
      ['ResultType', 'n'],
    );
    assert.strictEqual(r.rows.length, 2);
  });

  it('bad arguments come back as isError results and the server keeps serving', async () => {
    const badKql = await client.callTool('query_lake', { query: 'SigninLogs | whre x' });
    assert.strictEqual(badKql.isError, true);
    assert.match(badKql.text, /error/i);
    const missing = await client.callTool('analyze_user_entity', { startTime: START, endTime: END });
    assert.strictEqual(missing.isError, true);
    assert.match(missing.text, /userId/);
    const tooLong = await client.callTool('analyze_user_entity', {
      userId: DEMO_USERS.clean,
      startTime: '2026-11-01T00:00:00Z',
      endTime: END,
    });
    assert.strictEqual(tooLong.isError, true);
    assert.match(tooLong.text, /at most 7 days/);
    const badUrl = await client.callTool('analyze_url_entity', {
      url: 'javascript:alert(1)',
      startTime: START,
      endTime: END,
    });
    assert.strictEqual(badUrl.isError, true);
    assert.match(badUrl.text, /not an http or https URL/);
    const unknown = await client.callTool('get_entity_analysis', { analysisId: 'no-such-id' });
    assert.strictEqual(unknown.isError, true);
    assert.match(unknown.text, /Unknown analysis id/);
    await assert.rejects(client.analyzeUser('not a user', START, END), McpToolError);
    assert.strictEqual((await client.listWorkspaces()).length, 1, 'still alive');
  });

  it('start returns an id at once; polls report in progress, then the verdict', async () => {
    const t0 = Date.now();
    const { analysisId } = await client.analyzeUser(DEMO_USERS.compromised, START, END);
    assert.ok(Date.now() - t0 < 1500, 'start does not wait for the analysis');
    const first = await client.callTool('get_entity_analysis', { analysisId });
    assert.strictEqual(first.isError, false);
    assert.match(first.text, /in progress/);
    const { final, runningPolls } = await pollUntilDone(() => client.getEntityAnalysis(analysisId));
    assert.ok(runningPolls >= 1, 'saw "in progress" at least once');
    assert.strictEqual(final.status, 'completed');
    if (final.status !== 'completed') return;
    assert.strictEqual(final.result.verdict, 'Compromised');
    assert.strictEqual(final.result.analysisId, analysisId);
    assert.ok(final.result.evidence.length >= 5);
    // The evidence KQL runs through query_lake on the same server and returns the cited rows.
    const e = final.result.evidence.find((x) => /Password-spray/.test(x.title))!;
    const again = await client.queryLake(e.query);
    assert.strictEqual(again.rows.length, e.rows.length);
  });

  it('analyses URLs the same way, accepting defanged input', async () => {
    const { analysisId } = await client.analyzeUrl('hxxps://c0ntoso[.]com/payroll/update', START, END);
    const { final } = await pollUntilDone(() => client.getEntityAnalysis(analysisId));
    assert.strictEqual(final.status, 'completed');
    if (final.status === 'completed') {
      assert.strictEqual(final.result.verdict, 'Suspicious');
      assert.strictEqual(final.result.entity.id, DEMO_URLS.lookalike);
    }
  });

  it('a failed analysis (on-premises-only user) is reported as failed, not a dead server', async () => {
    const { analysisId } = await client.analyzeUser(DEMO_USERS.onPremOnly, START, END);
    const { final } = await pollUntilDone(() => client.getEntityAnalysis(analysisId));
    assert.strictEqual(final.status, 'failed');
    if (final.status === 'failed') assert.match(final.error, /cloud users only/);
  });

  it('results expire after their lifetime with a clear "expired" error', async () => {
    const { analysisId } = await client.analyzeUser(DEMO_USERS.clean, START, END);
    const { final } = await pollUntilDone(() => client.getEntityAnalysis(analysisId));
    assert.strictEqual(final.status, 'completed');
    await new Promise((r) => setTimeout(r, LIFETIME_MS + 300));
    const raw = await client.callTool('get_entity_analysis', { analysisId });
    assert.strictEqual(raw.isError, true);
    assert.match(raw.text, /expired/);
    assert.deepStrictEqual(await client.getEntityAnalysis(analysisId), { status: 'expired', analysisId });
  });

  it('a poll can be cancelled through its AbortSignal; the server keeps serving', async () => {
    const { analysisId } = await client.analyzeUser(DEMO_USERS.compromised, START, END);
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(client.getEntityAnalysis(analysisId, { waitSeconds: 30, signal: ac.signal }), CancelledError);
    assert.ok(Date.now() - t0 < 5000, 'cancelled promptly');
    const { final } = await pollUntilDone(() => client.getEntityAnalysis(analysisId));
    assert.strictEqual(final.status, 'completed');
  });

  it('restarts the server on the next call after it crashed', async () => {
    const pid = await client.serverPid();
    assert.ok(pid, 'server is running');
    process.kill(pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const ws = await client.listWorkspaces();
    assert.strictEqual(ws[0].id, DEMO_WORKSPACE_ID);
    const pid2 = await client.serverPid();
    assert.ok(pid2 && pid2 !== pid, 'a new server process');
  });

  it('an analysis survives a server restart: the new server resumes it and answers the poll', async () => {
    const { analysisId } = await client.analyzeUser(DEMO_USERS.compromised, START, END);
    process.kill((await client.serverPid())!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const { final } = await pollUntilDone(() => client.getEntityAnalysis(analysisId));
    assert.strictEqual(final.status, 'completed');
    if (final.status === 'completed') assert.strictEqual(final.result.verdict, 'Compromised');
  });

  it('restarts even when the crash is noticed only by the call itself', async () => {
    const pid = await client.serverPid();
    process.kill(pid!, 'SIGKILL');
    const r = await client.queryLake('IdentityInfo | summarize n = count()');
    assert.ok(Number(r.rows[0][0]) > 0);
  });
});

describe('swb mcp', function () {
  this.timeout(60_000);
  it('runs the same server on stdio', async () => {
    const lake = await demoLakeDir();
    const c = new SentinelMcpClient(
      {
        kind: 'stdio',
        command: process.execPath,
        args: [path.join(ROOT, 'src/cli/main.ts'), 'mcp', '--lake', lake],
        env: serverEnv(),
        cwd: ROOT,
      },
      { logger: silentLogger },
    );
    try {
      assert.strictEqual((await c.listWorkspaces())[0].id, DEMO_WORKSPACE_ID);
      const r = await c.queryLake('SecurityIncident | summarize n = dcount(IncidentName)');
      assert.ok(Number(r.rows[0][0]) > 0);
    } finally {
      await c.close();
    }
  });
});

describe('local MCP server start failures', function () {
  this.timeout(60_000);
  it('a wrong lake folder comes back as a clear UserError, not "connection closed"', async () => {
    const c = new SentinelMcpClient(
      {
        kind: 'stdio',
        command: process.execPath,
        args: [SERVER, '--lake', path.join(ROOT, 'no-such-lake-folder')],
        env: serverEnv(),
        cwd: ROOT,
      },
      { logger: silentLogger },
    );
    await assert.rejects(
      c.listWorkspaces(),
      (e: unknown) => e instanceof UserError && /did not start: .*no such lake folder/.test(e.message),
    );
    await c.close();
  });
});

describe('local backend (createMcpLocalBackend) over the MCP child process', function () {
  this.timeout(180_000);

  it('serves workspaces, queries, incidents and analyses through the server', async () => {
    const lake = await demoLakeDir();
    const backend = createMcpLocalBackend({
      nodePath: process.execPath,
      serverPath: SERVER,
      lakeDir: lake,
      logger: silentLogger,
      env: serverEnv({ SWB_ANALYSIS_MIN_RUN_MS: '0' }),
    });
    try {
      assert.strictEqual(backend.kind, 'local');
      assert.strictEqual((await backend.listWorkspaces())[0].id, DEMO_WORKSPACE_ID);
      const q = await backend.runQuery('SigninLogs | summarize n = count()', {
        timeRange: { start: new Date(START), end: new Date(END) },
      });
      const all = await backend.runQuery('SigninLogs | summarize n = count()');
      assert.ok(
        Number(q.rows[0][0]) > 0 && Number(q.rows[0][0]) < Number(all.rows[0][0]),
        'the time range restricts the query',
      );
      await assert.rejects(backend.runQuery('SigninLogs | whre'), UserError);
      const pinned = JSON.parse(fs.readFileSync(path.join(lake, 'lake.json'), 'utf8')).now as string;
      assert.strictEqual(
        (await backend.now()).getTime(),
        Date.parse(pinned),
        "the backend's clock is the lake's pinned now",
      );

      const page = await backend.listIncidents({}, { top: 5 });
      assert.ok(page.incidents.length > 0);
      const details = await backend.getIncident(page.incidents[0].id);
      assert.strictEqual(details.incident.id, page.incidents[0].id);

      const note = `Verdict from the analyzer ${Date.now()}`;
      await backend.addIncidentComment(details.incident.id, note);
      const saved = await backend.runQuery(`IncidentComments | where Message == "${note}" | summarize n = count()`);
      assert.strictEqual(Number(saved.rows[0][0]), 1, 'the comment persisted in the lake');
      await assert.rejects(backend.addIncidentComment('no-such-incident', 'x'), UserError);
      assert.ok((await backend.listDataConnectors()).length > 0);
      assert.ok(Array.isArray(await backend.listAnalyticsRules()));
      assert.ok(Array.isArray(await backend.listAutomationRules()));

      const { analysisId } = await backend.startEntityAnalysis({
        entity: { type: 'Url', id: DEMO_URLS.phishing },
        startTime: START,
        endTime: END,
      });
      const { final } = await pollUntilDone(() => backend.getEntityAnalysis(analysisId));
      assert.strictEqual(final.status, 'completed');
      if (final.status === 'completed') assert.strictEqual(final.result.verdict, 'Malicious');
      await assert.rejects(
        backend.startEntityAnalysis({
          entity: { type: 'User', id: DEMO_USERS.clean },
          startTime: '2026-10-01T00:00:00Z',
          endTime: END,
        }),
        (e: unknown) => e instanceof UserError && /at most 7 days/.test(e.message),
      );
    } finally {
      await backend.dispose();
    }
  });

  it('changes an incident through swb_update_incident; a stale version comes back as a conflict with the current one', async function () {
    this.timeout(60000);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-update-lake-'));
    fs.cpSync(await demoLakeDir(), copy, { recursive: true });
    const backend = createMcpLocalBackend({
      nodePath: process.execPath,
      serverPath: SERVER,
      lakeDir: copy,
      logger: silentLogger,
      env: serverEnv({}),
    });
    try {
      const target = (await backend.listIncidents({ status: ['New'] }, { top: 1 })).incidents[0];
      const updated = await backend.updateIncident(
        target.id,
        { owner: { userPrincipalName: 'analyst@contoso.com' }, status: 'Active' },
        { etag: target.etag },
      );
      assert.deepStrictEqual([updated.status, updated.owner], ['Active', 'analyst@contoso.com']);
      const stale = await backend.updateIncident(target.id, { severity: 'Low' }, { etag: target.etag }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(stale instanceof IncidentConflictError, String(stale));
      assert.strictEqual(stale.theirs.owner, 'analyst@contoso.com');
      await assert.rejects(
        backend.updateIncident(target.id, { close: { classification: 'FalsePositive' } }),
        (e: unknown) => e instanceof UserError && /IncorrectAlertLogic or InaccurateData/.test(e.message),
      );
      const versions = await backend.runQuery(
        `SecurityIncident | where IncidentName == '${target.id}' | summarize n = count()`,
      );
      assert.strictEqual(Number(versions.rows[0][0]), 2, 'one new row version, nothing for the refused changes');
    } finally {
      await backend.dispose();
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
