// The CLI contract's Azure path end to end against loopback servers speaking Log Analytics, ARM and the Sentinel
// MCP server (Streamable HTTP): `swb query|analyze|incidents --azure RESOURCE_ID`, `--help` everywhere, exit codes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { FakeAzure, startFakeAzure, TOKEN, WS_ID, CUSTOMER_ID } from './azureServer';
import { ANSWERS, FakeSentinelMcp, startFakeSentinelMcp } from './sentinelMcpServer';

function cli(env: NodeJS.ProcessEnv, cwd = process.cwd()) {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env, cwd };
  return { io, out };
}

describe('swb --azure against loopback Log Analytics, ARM and Sentinel MCP servers', function () {
  this.timeout(60_000);
  let azure: FakeAzure;
  let mcp: FakeSentinelMcp;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    azure = await startFakeAzure();
    mcp = await startFakeSentinelMcp([TOKEN]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-cli-azure-'));
  });
  beforeEach(() => {
    // A fresh state folder per test: quotas and cached results must not leak between tests.
    const state = fs.mkdtempSync(path.join(dir, 'state-'));
    env = {
      SWB_ACCESS_TOKEN: TOKEN,
      SWB_ARM_ENDPOINT: azure.url,
      SWB_LOGS_ENDPOINT: `${azure.url}/v1`,
      SWB_SENTINEL_MCP_URL: mcp.url,
      SWB_STATE_DIR: state,
    };
    mcp.calls.length = 0;
    mcp.requireTenant = undefined;
    mcp.pollAnswers = [ANSWERS.stillRunningText, ANSWERS.userCompleted];
    mcp.resetPolls();
  });
  after(async () => {
    await mcp.close();
    await azure.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers --help on every subcommand with exit 0', async () => {
    for (const args of [
      ['query'],
      ['analyze'],
      ['incidents'],
      ['audit', 'rules'],
      ['lake', 'generate'],
      ['lake', 'info'],
      ['mcp'],
    ]) {
      const { io, out } = cli(env);
      assert.strictEqual(await main([...args, '--help'], io), 0, `${args.join(' ')}: ${out.stderr}`);
      assert.match(out.stdout, /usage: swb /, args.join(' '));
    }
  });

  describe('query --azure', () => {
    it('runs KQL on the workspace through Log Analytics and prints the wire JSON', async () => {
      const { io, out } = cli(env);
      assert.strictEqual(
        await main(['query', '--azure', WS_ID, '-e', 'SigninLogs | take 2', '--format', 'json'], io),
        0,
        out.stderr,
      );
      const r = JSON.parse(out.stdout);
      assert.deepStrictEqual(
        r.columns.map((c: { name: string }) => c.name),
        ['TimeGenerated', 'UserPrincipalName', 'Count', 'Details'],
      );
      assert.deepStrictEqual(r.rows[0], ['2026-01-01T01:02:03Z', 'alice@contoso.com', 7, { city: 'Oslo' }]);
      const q = azure.requests.filter((x) => x.path === `/v1/workspaces/${CUSTOMER_ID}/query`).at(-1)!;
      assert.strictEqual(q.auth, `Bearer ${TOKEN}`);
      assert.strictEqual((q.body as { query: string }).query, 'SigninLogs | take 2');
    });

    it("reports the server's KQL error at its position as FILE:LINE:COL with exit 2", async () => {
      const file = path.join(dir, 'bad.kql');
      fs.writeFileSync(file, 'SigninLogs\n| where syntax error\n');
      const { io, out } = cli(env, dir);
      assert.strictEqual(await main(['query', '--azure', WS_ID, 'bad.kql'], io), 2);
      assert.strictEqual(
        out.stderr,
        "bad.kql:2:8: error: Log Analytics rejected the query: Query could not be parsed at 'error' on line [2,7]\n",
      );
    });

    it('retries a 429 after Retry-After', async () => {
      azure.throttleQueries = 1;
      const { io, out } = cli(env);
      const started = Date.now();
      assert.strictEqual(
        await main(['query', '--azure', WS_ID, '-e', 'SigninLogs | throttle once'], io),
        0,
        out.stderr,
      );
      assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    });

    it('names the missing role on 403 and reads no invented rows from a malformed answer (exit 1)', async () => {
      const denied = cli(env);
      assert.strictEqual(await main(['query', '--azure', WS_ID, '-e', 'no rights'], denied.io), 1);
      assert.match(
        denied.out.stderr,
        /^error: You need the Log Analytics Reader \(or Microsoft Sentinel Reader\) role on workspace soc-ws to run queries \(403\)/,
      );
      const bad = cli(env);
      assert.strictEqual(await main(['query', '--azure', WS_ID, '-e', 'malformed answer'], bad.io), 1);
      assert.match(bad.out.stderr, /^error: Log Analytics on workspace soc-ws: the answer could not be read/);
      assert.strictEqual(bad.out.stdout, '');
    });

    it('rejects lake-only flags with --azure as bad input', async () => {
      const { io, out } = cli(env);
      assert.strictEqual(await main(['query', '--azure', WS_ID, '--now', '2026-01-01T00:00:00Z', '-e', 'x'], io), 2);
      assert.match(out.stderr, /--lake and --now apply to the local lake only/);
    });
  });

  describe('incidents --azure', () => {
    afterEach(() => {
      azure.pageCap = 1000;
      azure.malformedIncident = false;
    });

    it('--top N follows nextLink until N incidents are read', async () => {
      azure.pageCap = 2;
      const { io, out } = cli(env);
      assert.strictEqual(
        await main(['incidents', '--azure', WS_ID, '--top', '4', '--format', 'json'], io),
        0,
        out.stderr,
      );
      const page = JSON.parse(out.stdout);
      assert.deepStrictEqual(
        page.incidents.map((i: { number: number }) => i.number),
        [1, 2, 3, 4],
      );
      assert.ok(page.nextPageToken, 'more remain');
      const next = cli(env);
      assert.strictEqual(
        await main(
          ['incidents', '--azure', WS_ID, '--top', '4', '--page-token', page.nextPageToken, '--format', 'json'],
          next.io,
        ),
        0,
      );
      const rest = JSON.parse(next.out.stdout);
      assert.deepStrictEqual(
        rest.incidents.map((i: { number: number }) => i.number),
        [5],
      );
      assert.strictEqual(rest.nextPageToken, undefined);
    });

    it('pages until the owner filter (which ARM cannot apply) is filled', async () => {
      azure.pageCap = 2;
      const { io, out } = cli(env);
      assert.strictEqual(
        await main(['incidents', '--azure', WS_ID, '--owner', 'alice', '--top', '1', '--format', 'json'], io),
        0,
        out.stderr,
      );
      const page = JSON.parse(out.stdout);
      assert.deepStrictEqual(
        page.incidents.map((i: { number: number }) => i.number),
        [3],
        'found on the second ARM page',
      );
    });

    it('fails with exit 1 and the raw answer when ARM sends an incident without a required field', async () => {
      azure.malformedIncident = true;
      const { io, out } = cli(env);
      assert.strictEqual(await main(['incidents', '--azure', WS_ID], io), 1);
      assert.match(
        out.stderr,
        /^error: Azure \(an incident\): the answer could not be read \(properties\.severity: Required\)/,
      );
      assert.match(out.stderr, /Incident 2/);
    });
  });

  describe('analyze --azure', () => {
    it('starts the analysis on the workspace, polls past "still running" and prints the verdict', async () => {
      const { io, out } = cli(env);
      const code = await main(
        [
          'analyze',
          '--azure',
          WS_ID,
          '--now',
          '2026-11-20T12:00:00Z',
          '--days',
          '7',
          'user',
          'megan.bowen@contoso.com',
        ],
        io,
      );
      assert.strictEqual(code, 0, out.stderr);
      const r = JSON.parse(out.stdout);
      assert.strictEqual(r.verdict, 'Compromised');
      assert.strictEqual(r.source, 'sentinel');
      assert.deepStrictEqual(r.entity, { type: 'User', id: 'megan.bowen@contoso.com' });
      assert.strictEqual(r.confidence, undefined, 'the service stated no confidence');
      const start = mcp.calls.find((c) => c.tool === 'analyze_user_entity')!;
      assert.deepStrictEqual(start.args, {
        userId: 'megan.bowen@contoso.com',
        startTime: '2026-11-13T12:00:00.000Z',
        endTime: '2026-11-20T12:00:00.000Z',
        workspaceId: CUSTOMER_ID,
      });
      assert.strictEqual(start.auth, `Bearer ${TOKEN}`);
      assert.strictEqual(mcp.calls.filter((c) => c.tool === 'get_entity_analysis').length, 2);
    });

    it("a verdict outside the entity type's set is a failed analysis: exit 1 and the raw answer on stderr", async () => {
      mcp.pollAnswers = [ANSWERS.userWithUrlVerdict];
      const { io, out } = cli(env);
      assert.strictEqual(await main(['analyze', '--azure', WS_ID, 'user', 'megan.bowen@contoso.com'], io), 1);
      assert.strictEqual(out.stdout, '');
      assert.match(out.stderr, /'Malicious' is not a user verdict/);
      assert.ok(out.stderr.includes(ANSWERS.userWithUrlVerdict.text!), out.stderr);
    });

    it("shows the service's missing-tables error with exit 1", async () => {
      mcp.pollAnswers = [ANSWERS.missingTablesError];
      const { io, out } = cli(env);
      assert.strictEqual(await main(['analyze', '--azure', WS_ID, 'user', 'megan.bowen@contoso.com'], io), 1);
      assert.match(out.stderr, /^error: User analysis requires the following tables.*CloudAppEvents, IdentityInfo/);
    });

    it('retries an intermittent 404 with a fresh token (troubleshooting page) and succeeds', async () => {
      mcp.notFoundNext = 1;
      mcp.pollAnswers = [ANSWERS.urlCompletedNested];
      const { io, out } = cli(env);
      assert.strictEqual(
        await main(['analyze', '--azure', WS_ID, '--format', 'text', 'url', 'https://evil.example/login'], io),
        0,
        out.stderr,
      );
      assert.strictEqual(mcp.notFoundNext, 0, 'the 404 was answered');
      assert.match(out.stdout, /Verdict: {4}Malicious\nConfidence: High/);
      assert.match(out.stdout, /AI-generated by Microsoft Sentinel's Entity Analyzer; it can be wrong/);
    });

    it('guest tenants: --tenant sends x-mcp-client-tenant-id; without it the 401 says what to do', async () => {
      mcp.requireTenant = 'fabrikam.onmicrosoft.com';
      const without = cli(env);
      assert.strictEqual(await main(['analyze', '--azure', WS_ID, 'user', 'megan.bowen@contoso.com'], without.io), 1);
      assert.match(without.out.stderr, /rejected the sign-in \(401\).*guest.*x-mcp-client-tenant-id/);
      const withTenant = cli(env);
      assert.strictEqual(
        await main(
          ['analyze', '--azure', WS_ID, '--tenant', 'fabrikam.onmicrosoft.com', 'user', 'megan.bowen@contoso.com'],
          withTenant.io,
        ),
        0,
        withTenant.out.stderr,
      );
      assert.ok(mcp.calls.every((c) => c.tenant === 'fabrikam.onmicrosoft.com'));
    });

    it('counts runs against the quota across CLI runs and waits (Ctrl+C cancels) when it is used up', async () => {
      const limited = { ...env, SWB_ANALYZER_RUNS_PER_HOUR: '1' };
      const first = cli(limited);
      assert.strictEqual(
        await main(['analyze', '--azure', WS_ID, 'user', 'megan.bowen@contoso.com'], first.io),
        0,
        first.out.stderr,
      );
      const cached = cli(limited);
      assert.strictEqual(await main(['analyze', '--azure', WS_ID, 'user', 'megan.bowen@contoso.com'], cached.io), 0);
      assert.match(cached.out.stderr, /cached result/);
      const second = cli(limited);
      const run = main(['analyze', '--azure', WS_ID, '--force', 'user', 'megan.bowen@contoso.com'], second.io);
      for (let i = 0; i < 50 && !/waiting:/.test(second.out.stderr); i++) await new Promise((r) => setTimeout(r, 20));
      assert.match(second.out.stderr, /waiting: .*(hour|quota)/i);
      process.emit('SIGINT');
      assert.strictEqual(await run, 1);
      assert.match(second.out.stderr, /error: cancelled/);
      assert.strictEqual(
        mcp.calls.filter((c) => c.tool === 'analyze_user_entity').length,
        1,
        'the second run never started',
      );
    });

    it('refuses a user window over 7 days as bad input (exit 2)', async () => {
      const { io, out } = cli(env);
      assert.strictEqual(
        await main(['analyze', '--azure', WS_ID, '--days', '8', 'user', 'megan.bowen@contoso.com'], io),
        2,
      );
      assert.match(out.stderr, /at most 7 days/);
      assert.strictEqual(mcp.calls.length, 0);
    });
  });
});
