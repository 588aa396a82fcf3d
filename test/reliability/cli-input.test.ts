// The CLI on input that used to crash it or lose data: large results in every format, impossible flags,
// `lake generate` over a file or an existing lake, 10 MB arguments. Exit 2 with one line, or the right output.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { demoLakeDir } from '../unit/analyzer-server/demoLake';
import { assertOneLineError, ROOT, startServer, swb, tempDir, text } from './support';

const TEN_MB = 10 * 1024 * 1024;

describe('swb on large results and hostile input', function () {
  this.timeout(120_000);
  let lake: string;
  before(async () => {
    lake = await demoLakeDir();
  });

  it('--format table, csv and json print 150,000 rows', async () => {
    const q = 'range x from 1 to 150000 step 1 | extend s = strcat("row-", x)';
    const table = await swb(['query', '--lake', lake, '--format', 'table', '-e', q]);
    assert.strictEqual(table.code, 0, table.stderr.slice(0, 500));
    const lines = table.stdout.trimEnd().split('\n');
    assert.strictEqual(lines.length, 150_000 + 3);
    assert.match(lines[0], /^\s*x {2}s$/);
    assert.match(lines[150_001], /^150000 {2}row-150000$/);
    assert.match(lines[150_002], /^\(150000 rows, \d+ ms\)$/);
    const csv = await swb(['query', '--lake', lake, '--format', 'csv', '-e', q]);
    assert.strictEqual(csv.code, 0);
    assert.strictEqual(csv.stdout.split('\r\n').length, 150_000 + 2);
    const json = await swb(['query', '--lake', lake, '--format', 'json', '-e', q]);
    assert.strictEqual(json.code, 0);
    const doc = JSON.parse(json.stdout);
    assert.strictEqual(doc.rows.length, 150_000);
    assert.deepStrictEqual(doc.rows[149_999], [150000, 'row-150000']);
    assert.deepStrictEqual(Object.keys(doc), ['columns', 'rows', 'stats']);
  });

  it('analyze refuses impossible windows and dates as query --now does', async () => {
    for (const args of [
      ['--days', '1e300'],
      ['--days', '0'],
      ['--days', 'week'],
      ['--days', 'Infinity'],
      ['--now', '2026-02-30'],
      ['--now', '2026-13-01T00:00:00Z'],
      ['--now', 'soon'],
    ]) {
      const r = await swb(['analyze', '--lake', lake, ...args, 'user', 'megan.bowen@contoso.com']);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stdout.slice(0, 200)}`);
      assertOneLineError(r.stderr);
      assert.match(
        r.stderr,
        args[0] === '--days'
          ? /^error: --days must be a number of days above 0 and at most 3650/
          : /^error: --now is not an ISO-8601 date-time/,
      );
    }
    const q = await swb(['query', '--lake', lake, '--now', '2026-02-30', '-e', 'print 1']);
    assert.strictEqual(q.code, 2);
    const ok = await swb([
      'analyze',
      '--lake',
      lake,
      '--now',
      '2026-11-20T12:00:00Z',
      '--days',
      '7',
      '--format',
      'json',
      'user',
      'megan.bowen@contoso.com',
    ]);
    assert.strictEqual(ok.code, 0, ok.stderr);
    assert.strictEqual(JSON.parse(ok.stdout).verdict, 'Compromised');
  });

  it('lake generate refuses a file, and a folder holding a lake unless --force; --force keeps the comments', async () => {
    const dir = tempDir('generate');
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'my notes\n');
    const onFile = await swb(['lake', 'generate', '--out', file]);
    assert.strictEqual(onFile.code, 2);
    assertOneLineError(onFile.stderr);
    assert.match(onFile.stderr, /is a file, not a folder/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), 'my notes\n');

    const out = path.join(dir, 'lake');
    assert.strictEqual((await swb(['lake', 'generate', '--out', out])).code, 0);
    const comments = path.join(out, 'IncidentComments.jsonl');
    const mine = JSON.stringify({
      TimeGenerated: '2026-11-20T12:00:00Z',
      IncidentName: 'x',
      Message: 'analyst note',
      Author: 'me',
    });
    fs.appendFileSync(comments, mine + '\n');
    fs.writeFileSync(path.join(out, 'MyTable.jsonl'), '{"a":1}\n');
    const again = await swb(['lake', 'generate', '--out', out]);
    assert.strictEqual(again.code, 2);
    assertOneLineError(again.stderr);
    assert.match(again.stderr, /already holds a lake; pass --force/);
    assert.ok(fs.readFileSync(comments, 'utf8').includes('analyst note'), 'refused: nothing touched');

    const forced = await swb(['lake', 'generate', '--out', out, '--force', '--seed', '7']);
    assert.strictEqual(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /kept 1 analyst comment from the previous IncidentComments\.jsonl/);
    assert.deepStrictEqual(
      fs
        .readFileSync(comments, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l.includes('analyst note')),
      [mine],
    );
    assert.strictEqual(
      fs.readFileSync(path.join(out, 'MyTable.jsonl'), 'utf8'),
      '{"a":1}\n',
      'other tables are left alone',
    );
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(out, 'lake.json'), 'utf8')).generator.seed, 7);
    assert.deepStrictEqual(
      fs.readdirSync(out).filter((n) => n.startsWith('.')),
      [],
      'no temporary folder left',
    );

    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.match(
      pkg.scripts['demo:lake'],
      /lake generate --force --out sample\/lake/,
      'npm run demo:lake regenerates with the comments kept',
    );
  });

  it('a 10 MB argument is not echoed back in full', async () => {
    const big = 'a'.repeat(TEN_MB);
    for (const args of [
      ['analyze', '--lake', lake, 'url', `https://${big}.example/`],
      ['analyze', '--lake', lake, 'user', big],
      ['lake', 'generate', '--out', big],
      ['analyze', '--lake', lake, '--days', big, 'user', 'x@contoso.com'],
    ]) {
      const r = await swb(args);
      assert.strictEqual(r.code, 2, `${args[0]} ${args[2]}`);
      assertOneLineError(r.stderr);
      assert.ok(r.stderr.length < 2000, `${args.slice(0, 3).join(' ')}: ${r.stderr.length} characters echoed`);
    }
  });

  it('the MCP server neither echoes nor logs a 10 MB analysis id or URL in full', async () => {
    const server = await startServer(lake, []);
    try {
      const big = 'x'.repeat(TEN_MB);
      const calls: [string, Record<string, unknown>][] = [
        ['get_entity_analysis', { analysisId: big }],
        [
          'analyze_url_entity',
          { url: `https://${big}.example/`, startTime: '2026-11-13T00:00:00Z', endTime: '2026-11-20T00:00:00Z' },
        ],
        ['GetIncidentById', { incidentId: big }],
        ['query_lake', { query: 'print 1', workspaceId: big }],
      ];
      for (const [name, args] of calls) {
        const { result } = await server.call(name, args);
        assert.ok(result.isError, name);
        assert.ok(
          JSON.stringify(result).length < 5000,
          `${name}: answer of ${JSON.stringify(result).length} characters`,
        );
      }
      const { result } = await server.call('get_entity_analysis', { analysisId: 'y'.repeat(200) });
      assert.match(text(result), /^Unknown analysis id 'y{80}… \(200 characters\)'/);
      const health = await server.call('list_sentinel_workspaces');
      assert.ok(!health.result.isError);
      assert.ok(server.stderr.join('').length < 100_000, 'the log stays small');
      // an answer larger than a stdio client reads at once (the SDK's default is 10 MB) is cut and says so
      const wide = await server.call('query_lake', {
        query: 'range x from 1 to 100000 step 1 | extend s = strrep("abcdefghij", 20)',
        maxRows: 100_000,
      });
      assert.ok(!wide.result.isError, text(wide.result));
      const answer = wide.result.structuredContent as {
        rows: unknown[][];
        stats: { truncated: boolean; rowsReturned: number };
        warnings: string[];
      };
      assert.ok(answer.rows.length > 10_000 && answer.rows.length < 100_000, `${answer.rows.length} rows`);
      assert.deepStrictEqual(answer.rows[answer.rows.length - 1], [answer.rows.length, 'abcdefghij'.repeat(20)]);
      assert.strictEqual(answer.stats.truncated, true);
      assert.strictEqual(answer.stats.rowsReturned, answer.rows.length);
      assert.match(
        answer.warnings[0],
        /^Result cut at [\d,]+ of 100,000 rows: one answer of the local server holds at most 8 MB/,
      );
      assert.ok(JSON.stringify(wide.result).length < 10 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });
});
