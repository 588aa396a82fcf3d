// Azure Data Explorer through azure-kusto-data against a loopback cluster speaking the Kusto REST protocol (v2 frames).
import * as assert from 'assert';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { ThrottledError } from '../../../src/core/analyzer/errors';
import { staticTokenCredential } from '../../../src/core/backends/azure/jwt';
import { AdxDatabase, parseKustoTarget } from '../../../src/core/backends/kusto/adx';
import { UserError } from '../../../src/core/errors';
import { FakeKusto, startFakeKusto } from './kustoServer';

const TOKEN = 'kusto-token-not-a-secret';

function cli(env: NodeJS.ProcessEnv) {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env,
    cwd: process.cwd(),
  };
  return { io, out };
}

describe('Azure Data Explorer (azure-kusto-data, Kusto v2 REST)', function () {
  this.timeout(30_000);
  let kusto: FakeKusto;
  let db: AdxDatabase;
  before(async () => {
    kusto = await startFakeKusto(TOKEN);
    db = new AdxDatabase({
      target: parseKustoTarget(`${kusto.url}/SecurityArchive`),
      credential: staticTokenCredential(TOKEN),
    });
  });
  after(() => kusto.close());

  it('swb query --kusto https://CLUSTER/DATABASE prints the PrimaryResult as wire JSON', async () => {
    const { io, out } = cli({ SWB_ACCESS_TOKEN: TOKEN });
    assert.strictEqual(
      await main(['query', '--kusto', `${kusto.url}/SecurityArchive`, '-e', 'SigninLogs | take 2'], io),
      0,
      out.stderr,
    );
    const r = JSON.parse(out.stdout);
    assert.deepStrictEqual(
      r.columns.map((c: { type: string }) => c.type),
      ['datetime', 'string', 'long', 'dynamic'],
    );
    assert.deepStrictEqual(r.rows[0], ['2026-11-19T08:00:00Z', 'alice@contoso.com', 12, { app: 'Outlook' }]);
    const q = kusto.requests.find((x) => x.path === '/v2/rest/query')!;
    assert.strictEqual(q.auth, `Bearer ${TOKEN}`);
    assert.strictEqual(q.body.db, 'SecurityArchive');
    assert.deepStrictEqual(
      q.body.properties,
      { Options: { servertimeout: '00:04:00.000' } },
      'a server timeout is sent',
    );
  });

  it('keeps the rows of a partial failure and says what failed', async () => {
    const r = await db.runQuery('SigninLogs | partial');
    assert.strictEqual(r.rows.length, 2);
    assert.deepStrictEqual(r.warnings, [
      'Partial result: Query result set has exceeded the internal record count limit 500000',
    ]);
  });

  it('reports a syntax error at its position (exit 2), 403 with the role and 429 as throttling', async () => {
    const bad = cli({ SWB_ACCESS_TOKEN: TOKEN });
    assert.strictEqual(
      await main(['query', '--kusto', `${kusto.url}/SecurityArchive`, '-e', 'SigninLogs | where syntax error'], bad.io),
      2,
    );
    assert.strictEqual(
      bad.out.stderr,
      "<query>:1:20: error: Azure Data Explorer rejected the query: Syntax error: SYN0002: Query could not be parsed at 'error' on line [1,19]\n",
    );
    const denied = cli({ SWB_ACCESS_TOKEN: TOKEN });
    assert.strictEqual(
      await main(['query', '--kusto', `${kusto.url}/SecurityArchive`, '-e', 'forbidden'], denied.io),
      1,
    );
    assert.match(
      denied.out.stderr,
      /^error: You need the Viewer role \(or higher\) on database SecurityArchive .*\(403\)/,
    );
    await assert.rejects(db.runQuery('too many'), ThrottledError);
  });

  it('refuses a malformed answer with the raw frames', async () => {
    await assert.rejects(
      db.runQuery('malformed'),
      (e: unknown) => (e as Error).name === 'InvalidAnswerError' && /Columns/.test((e as Error).message),
    );
  });

  it('cancels a running query', async () => {
    const ac = new AbortController();
    const run = db.runQuery('never answers', { signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(run, (e: unknown) => (e as Error).name === 'CancelledError');
  });

  it('reads the schema for the language server from .show database schema as json', async () => {
    assert.deepStrictEqual(await db.schema(), {
      SigninLogs: { TimeGenerated: 'datetime', UserPrincipalName: 'string' },
    });
  });

  it('takes https://CLUSTER/DATABASE only, plain http only on loopback', () => {
    assert.deepStrictEqual(parseKustoTarget('https://help.kusto.windows.net/Samples'), {
      clusterUrl: 'https://help.kusto.windows.net',
      database: 'Samples',
    });
    assert.throws(() => parseKustoTarget('https://help.kusto.windows.net'), UserError);
    assert.throws(() => parseKustoTarget('http://help.kusto.windows.net/Samples'), /only allowed for loopback/);
  });
});
