// Lake folders an attacker or an unlucky copy could produce: links out of the folder, folders and devices named
// like tables, a line of 70 MB, a cell nested 10,000 levels deep, a comments file that is a link. Each is
// skipped and reported, or refused with one line; the rest of the lake stays usable and nothing outside it is
// read or written.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LakeBackend } from '../../src/core/backends/lake';
import { UserError } from '../../src/core/errors';
import { openLake } from '../../src/core/lake/lake';
import { assertOneLineError, startServer, swb, tempDir, text } from './support';

const ROW = (i: number) => JSON.stringify({ TimeGenerated: '2026-11-01T00:00:00Z', Name: `row${i}`, N: i });

function hostileLake(): { dir: string; outside: string } {
  const root = tempDir('hostile');
  const dir = path.join(root, 'lake');
  fs.mkdirSync(dir);
  const outside = path.join(root, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.csv'), 'user,password\nroot,hunter2\n');
  fs.writeFileSync(path.join(dir, 'Good.jsonl'), [1, 2, 3].map(ROW).join('\n') + '\n');
  fs.mkdirSync(path.join(dir, 'Folder.jsonl')); // a folder named like a table
  fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(dir, 'Passwd.csv')); // a link out of the lake
  fs.symlinkSync('/etc/passwd', path.join(dir, 'Etc.csv'));
  fs.symlinkSync(path.join(dir, 'Good.jsonl'), path.join(dir, 'Alias.jsonl')); // a link inside the lake: fine
  fs.symlinkSync(path.join(dir, 'nowhere.jsonl'), path.join(dir, 'Broken.jsonl'));
  // one line of 70 MB between two good rows, and a row nested 10,000 levels deep
  const huge = JSON.stringify({ TimeGenerated: '2026-11-01T00:00:00Z', Name: 'x'.repeat(70 * 1024 * 1024), N: 0 });
  fs.writeFileSync(path.join(dir, 'Huge.jsonl'), `${ROW(1)}\n${huge}\n${ROW(2)}\n`);
  const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  fs.writeFileSync(path.join(dir, 'Deep.jsonl'), `{"Id":1,"D":${deep}}\n{"Id":2,"D":{"a":1}}\n`);
  fs.writeFileSync(path.join(dir, 'schema.json'), JSON.stringify({ Deep: { Id: 'long', D: 'dynamic' } }));
  if (spawnSync('mkfifo', [path.join(dir, 'Pipe.jsonl')]).status !== 0) throw new Error('mkfifo failed');
  return { dir, outside };
}

describe('hostile lake folders', function () {
  this.timeout(120_000);
  let lake: { dir: string; outside: string };
  before(() => {
    lake = hostileLake();
  });

  it('swb lake info skips folders, links out of the lake, broken links and devices, and names each', async () => {
    const r = await swb(['lake', 'info', '--lake', lake.dir, '--format', 'json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout) as {
      tables: { name: string; rows: number; skippedRows: number }[];
      skipped: { file: string; reason: string }[];
    };
    const tables = Object.fromEntries(info.tables.map((t) => [t.name, t]));
    assert.deepStrictEqual(Object.keys(tables).sort(), ['Alias', 'Deep', 'Good', 'Huge']);
    assert.strictEqual(tables.Good.rows, 3);
    assert.strictEqual(tables.Alias.rows, 3);
    assert.deepStrictEqual(
      [tables.Huge.rows, tables.Huge.skippedRows],
      [2, 1],
      'the 70 MB line is skipped and counted, its neighbours kept',
    );
    assert.strictEqual(tables.Deep.rows, 2);
    assert.deepStrictEqual(Object.fromEntries(info.skipped.map((e) => [e.file, e.reason])), {
      'Broken.jsonl': 'a broken link',
      'Etc.csv': 'a link pointing outside the lake folder',
      'Folder.jsonl': 'a folder',
      'Passwd.csv': 'a link pointing outside the lake folder',
      'Pipe.jsonl': 'not a regular file',
    });
    const textOut = await swb(['lake', 'info', '--lake', lake.dir]);
    assert.strictEqual(textOut.code, 0, textOut.stderr);
    assert.match(textOut.stdout, /skipped 5 entries \(not read\):\n {2}Broken\.jsonl: a broken link\n/);
    assert.match(textOut.stdout, / {2}Passwd\.csv: a link pointing outside the lake folder/);
  });

  it('a query cannot read through a skipped link, and the rest of the lake answers', async () => {
    const r = await swb(['query', '--lake', lake.dir, '-e', 'Passwd | take 1']);
    assert.strictEqual(r.code, 2);
    assertOneLineError(r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2|root:/);
    const good = await swb(['query', '--lake', lake.dir, '-e', 'Good | summarize sum(N)']);
    assert.strictEqual(good.code, 0, good.stderr);
    assert.deepStrictEqual(JSON.parse(good.stdout).rows, [[6]]);
  });

  it('prints a cell nested 10,000 levels deep in every --format, exactly', async () => {
    const json = await swb(['query', '--lake', lake.dir, '--format', 'json', '-e', 'Deep | order by Id asc']);
    assert.strictEqual(json.code, 0, json.stderr);
    const printed = json.stdout;
    assert.ok(
      printed.startsWith(
        '{"columns":[{"name":"Id","type":"long"},{"name":"D","type":"dynamic"}],"rows":[[1,' +
          '{"a":'.repeat(10_000) +
          '1',
      ),
    );
    assert.ok(printed.includes('}'.repeat(10_000) + '],[2,{"a":1}]],"stats":{'));
    for (const format of ['table', 'csv']) {
      const r = await swb(['query', '--lake', lake.dir, '--format', format, '-e', 'Deep | order by Id asc']);
      assert.strictEqual(r.code, 0, `${format}: ${r.stderr}`);
      assert.ok(r.stdout.includes(format === 'csv' ? '2,"{""a"":1}"' : '{"a":1}'), format);
    }
  });

  it('comments are never appended through a link, to a folder or outside the lake', async () => {
    const root = tempDir('comments');
    const dir = path.join(root, 'lake');
    fs.mkdirSync(dir);
    const target = path.join(root, 'elsewhere.jsonl');
    fs.writeFileSync(target, '');
    fs.writeFileSync(
      path.join(dir, 'SecurityIncident.jsonl'),
      JSON.stringify({
        TimeGenerated: '2026-11-01T00:00:00Z',
        IncidentNumber: 1,
        IncidentName: '11111111-1111-4111-8111-111111111111',
        Title: 't',
        Severity: 'High',
        Status: 'New',
        CreatedTime: '2026-11-01T00:00:00Z',
      }) + '\n',
    );
    const links: [string, () => void][] = [
      ['a link out of the lake', () => fs.symlinkSync(target, path.join(dir, 'IncidentComments.jsonl'))],
      [
        'a link inside the lake',
        () => {
          fs.writeFileSync(path.join(dir, 'Other.jsonl'), '');
          fs.symlinkSync(path.join(dir, 'Other.jsonl'), path.join(dir, 'IncidentComments.jsonl'));
        },
      ],
      ['a folder', () => fs.mkdirSync(path.join(dir, 'IncidentComments.jsonl'))],
    ];
    for (const [what, make] of links) {
      fs.rmSync(path.join(dir, 'IncidentComments.jsonl'), { recursive: true, force: true });
      make();
      const backend = new LakeBackend(openLake(dir));
      await assert.rejects(
        backend.addIncidentComment('1', 'note'),
        (e: unknown) => e instanceof UserError && /cannot append to IncidentComments\.jsonl/.test(e.message),
        what,
      );
      // the lake was opened before the link appeared: refused at the moment of writing too
      fs.rmSync(path.join(dir, 'IncidentComments.jsonl'), { recursive: true, force: true });
      const opened = new LakeBackend(openLake(dir));
      make();
      await assert.rejects(
        opened.addIncidentComment('1', 'note'),
        UserError,
        `${what}, made after the lake was opened`,
      );
    }
    assert.strictEqual(fs.readFileSync(target, 'utf8'), '', 'nothing was written outside the lake');
    assert.strictEqual(
      fs.readFileSync(path.join(dir, 'Other.jsonl'), 'utf8'),
      '',
      'nothing was written through the inner link',
    );
  });

  it('the MCP server on this lake: tables listed without the skipped ones, a too-deep result refused, the server stays up', async () => {
    const server = await startServer(lake.dir, []);
    try {
      const tables = await server.call('search_tables', { query: 'name' });
      const names = (tables.result.structuredContent as { tables: { name: string }[] }).tables.map((t) => t.name);
      assert.ok(names.includes('Good') && !names.includes('Passwd') && !names.includes('Etc'), names.join(','));
      const deep = await server.call('query_lake', { query: 'Deep' });
      assert.ok(deep.result.isError);
      assert.match(
        text(deep.result),
        /^the result cannot be returned: row 1, column D is nested more than 1,000 levels deep/,
      );
      const ok = await server.call('query_lake', { query: 'Deep | where Id == 2 | project D' });
      assert.deepStrictEqual((ok.result.structuredContent as { rows: unknown[][] }).rows, [[{ a: 1 }]]);
      const health = await server.call('list_sentinel_workspaces');
      assert.ok(!health.result.isError && health.ms < 1000);
    } finally {
      await server.close();
    }
  });
});
