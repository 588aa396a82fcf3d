// Defender XDR advanced hunting through a loopback Graph runHuntingQuery: the core client and `swb query --defender`.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { TransientError } from '../../../src/core/analyzer/errors';
import { staticTokenCredential } from '../../../src/core/backends/azure/jwt';
import { DefenderHunting, isoDuration } from '../../../src/core/backends/defender/hunting';
import { advancedHuntingTables } from '../../../src/core/backends/defender/schema';
import { FakeGraph, startFakeGraph } from './graphServer';

const TOKEN = 'graph-token-not-a-secret';

function cli(env: NodeJS.ProcessEnv, cwd = process.cwd()) {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env, cwd };
  return { io, out };
}

describe('Defender XDR advanced hunting (Graph runHuntingQuery)', function () {
  this.timeout(30_000);
  let graph: FakeGraph;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    graph = await startFakeGraph(TOKEN);
    env = { SWB_ACCESS_TOKEN: TOKEN, SWB_GRAPH_ENDPOINT: graph.url };
  });
  after(() => graph.close());

  it('swb query --defender prints the wire JSON from the schema and results, types mapped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-defender-'));
    fs.writeFileSync(path.join(dir, 'hunt.kql'), 'DeviceProcessEvents | take 2\n');
    const { io, out } = cli(env, dir);
    assert.strictEqual(await main(['query', '--defender', '--timespan', 'P7D', 'hunt.kql'], io), 0, out.stderr);
    const r = JSON.parse(out.stdout);
    assert.deepStrictEqual(r.columns, [
      { name: 'Timestamp', type: 'datetime' },
      { name: 'DeviceName', type: 'string' },
      { name: 'ProcessId', type: 'long' },
      { name: 'AdditionalFields', type: 'dynamic' },
      { name: 'IsElevated', type: 'bool' },
    ]);
    assert.deepStrictEqual(
      r.rows[1],
      ['2026-11-19T09:00:00Z', 'wks-02', 7, null, null],
      'absent values are null, nothing made up',
    );
    assert.deepStrictEqual(graph.requests.at(-1)!.body, { Query: 'DeviceProcessEvents | take 2\n', Timespan: 'P7D' });
    assert.strictEqual(graph.requests.at(-1)!.auth, `Bearer ${TOKEN}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a bad query is exit 2 at the position the service names', async () => {
    const { io, out } = cli(env);
    assert.strictEqual(await main(['query', '--defender', '-e', 'DeviceEvents | where syntax error'], io), 2);
    assert.strictEqual(
      out.stderr,
      "<query>:1:27: error: Advanced hunting rejected the query: Query could not be parsed at 'error' on line [1,26]\n",
    );
  });

  it('names the missing permission on 403, the CPU quota on 429 and refuses a malformed answer (exit 1)', async () => {
    const denied = cli(env);
    assert.strictEqual(await main(['query', '--defender', '-e', 'no rights'], denied.io), 1);
    assert.match(denied.out.stderr, /ThreatHunting\.Read\.All.*\(403\)/);
    const quota = cli(env);
    assert.strictEqual(await main(['query', '--defender', '-e', 'cpu quota'], quota.io), 1);
    assert.match(
      quota.out.stderr,
      /^error: Advanced hunting quota reached \(429\): Try again in 1800 s\. \(CPU quota exceeded: 10 minutes of query time per hour\) The tenant may run 45 queries a minute/,
    );
    const bad = cli(env);
    assert.strictEqual(await main(['query', '--defender', '-e', 'malformed'], bad.io), 1);
    assert.match(
      bad.out.stderr,
      /^error: Defender XDR advanced hunting: the answer could not be read \(schema: Required/,
    );
    assert.match(bad.out.stderr, /"Results"/, 'the raw answer is shown');
  });

  it('retries a 429 after Retry-After, then succeeds', async () => {
    graph.throttleOnce = 1;
    const hunting = new DefenderHunting({ credential: staticTokenCredential(TOKEN), endpoint: graph.url });
    const started = Date.now();
    const r = await hunting.runQuery('DeviceEvents | throttle once');
    assert.strictEqual(r.rows.length, 2);
    assert.ok(Date.now() - started >= 900);
  });

  it('says when the row cap or the 30-day retention bites', async () => {
    const hunting = new DefenderHunting({ credential: staticTokenCredential(TOKEN), endpoint: graph.url });
    const capped = await hunting.runQuery('DeviceEvents | row cap', { maxRows: 10 });
    assert.strictEqual(capped.rows.length, 10);
    assert.strictEqual(capped.stats.truncated, true);
    assert.match(capped.warnings?.[0] ?? '', /at most 100,000 rows/);
    const end = new Date();
    const old = await hunting.runQuery('DeviceEvents | take 2', {
      timeRange: { start: new Date(end.getTime() - 45 * 86_400_000), end },
    });
    assert.match(old.warnings?.[0] ?? '', /keeps 30 days of data/);
    assert.strictEqual(graph.requests.at(-1)!.body.Timespan, 'P45D');
    const asked = await hunting.runQuery('DeviceEvents | where Timestamp > ago(90d) | take 2');
    assert.deepStrictEqual(asked.warnings, [
      'The query looks back 90 days; advanced hunting keeps 30 days of data, so it returns at most the last 30.',
    ]);
    assert.strictEqual(
      (await hunting.runQuery('DeviceEvents | where Timestamp > ago(7d) | take 2')).warnings,
      undefined,
    );
  });

  it("the retention warning reads the query's code: an ago(45d) in a comment or a string literal does not count", async () => {
    const hunting = new DefenderHunting({ credential: staticTokenCredential(TOKEN), endpoint: graph.url });
    const warn = async (query: string) => (await hunting.runQuery(query)).warnings;
    assert.strictEqual(await warn('DeviceEvents // was: where Timestamp > ago(45d)\n| take 2'), undefined, 'comment');
    assert.strictEqual(
      await warn('DeviceEvents | where ProcessCommandLine has "ago(45d)" | take 2'),
      undefined,
      'string',
    );
    assert.strictEqual(
      await warn('DeviceEvents | extend n = ```\nago(45d)\n``` | take 2'),
      undefined,
      'multi-line string',
    );
    assert.strictEqual(await warn('DeviceEvents | where Timestamp > ago(7d) | take 2'), undefined, 'within retention');
    assert.match(
      (
        await warn(
          'DeviceEvents // last month and a half\n| where Timestamp > ago(45d) and FileName != "x // y" | take 2',
        )
      )?.[0] ?? '',
      /looks back 45 days/,
    );
    assert.match(
      (
        await warn('DeviceEvents | where Timestamp > ago(7d) or Note == "\\"" and Timestamp > ago(45d) | take 2')
      )?.[0] ?? '',
      /looks back 45 days/,
      'an escaped quote ends no literal',
    );
    assert.match(
      (await warn('DeviceFileEvents | where FolderPath startswith @"C:\\" and Timestamp > ago(45d)'))?.[0] ?? '',
      /looks back 45 days/,
      'a verbatim string ends at its quote',
    );
  });

  it('times out and cancels', async () => {
    const hunting = new DefenderHunting({
      credential: staticTokenCredential(TOKEN),
      endpoint: graph.url,
      timeoutMs: 300,
    });
    await assert.rejects(
      hunting.runQuery('never answers'),
      (e: unknown) => e instanceof TransientError && /did not answer within/.test((e as Error).message),
    );
    const ac = new AbortController();
    const run = hunting.runQuery('never answers', { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(run, (e: unknown) => (e as Error).name === 'CancelledError');
  });

  it('refuses plain http to a non-loopback Graph endpoint and formats Timespan as ISO-8601', async () => {
    const { io, out } = cli({ ...env, SWB_GRAPH_ENDPOINT: 'http://graph.example.com/v1.0' });
    assert.strictEqual(await main(['query', '--defender', '-e', 'DeviceEvents'], io), 2);
    assert.match(out.stderr, /only allowed for loopback hosts/);
    const end = new Date('2026-11-20T00:00:00Z');
    assert.strictEqual(isoDuration({ start: new Date(end.getTime() - 36 * 3_600_000), end }), 'PT36H');
  });
});

describe('advanced-hunting schema for the language server', () => {
  it('lists the Defender XDR tables with Timestamp instead of TimeGenerated', () => {
    const tables = advancedHuntingTables();
    for (const t of [
      'DeviceNetworkEvents',
      'DeviceProcessEvents',
      'DeviceLogonEvents',
      'EmailEvents',
      'IdentityInfo',
      'IdentityLogonEvents',
      'AlertInfo',
      'AlertEvidence',
      'CloudAppEvents',
      'UrlClickEvents',
    ]) {
      assert.ok(tables[t], `${t} is known`);
      assert.deepStrictEqual(
        tables[t].find((c) => c.name === 'Timestamp'),
        { name: 'Timestamp', type: 'datetime' },
        t,
      );
      assert.ok(!tables[t].some((c) => c.name === 'TimeGenerated' || c.name === '_ResourceId'), t);
    }
    assert.ok(tables.DeviceProcessEvents.some((c) => c.name === 'InitiatingProcessCommandLine'));
    assert.strictEqual(tables.SigninLogs, undefined, 'Sentinel-only tables are not advanced hunting tables');
  });
});
