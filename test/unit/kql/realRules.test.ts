// Constructs real Sentinel rules use: table() of a parameter, functions and views used as tables, unnamed
// mv-expand expressions, multi-value functions, multi-condition joins, query parameters, deprecated names,
// and externaldata read from a mapped local file (never from the network).
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import { failure, rows, run } from './helpers';

describe('engine: constructs of real rules', () => {
  it('table() of a function parameter bound to a literal reads that table', async () => {
    const q = `let T1 = datatable(u:string)["a","b"]; let T2 = datatable(u:string)["c"];
      let f = (name:string) { table(name) | count }; union (f("T1") | extend t = "T1"), (f("T2") | extend t = "T2") | sort by t asc`;
    assert.deepEqual(await rows(q), [
      [2, 'T1'],
      [1, 'T2'],
    ]);
  });

  it('a parameterless function or view named without parentheses is a table', async () => {
    assert.deepEqual(await rows('let F = () { range x from 1 to 3 step 1 }; F | count'), [[3]]);
    assert.deepEqual(await rows('let V = view () { range x from 1 to 4 step 1 }; V | where x > 1 | count'), [[3]]);
  });

  it('mv-expand of an unnamed expression expands in place under the column name', async () => {
    const r = await run(
      `print Entities = '[{"T":"ip"},{"T":"host"}]' | mv-expand todynamic(Entities) | project t = tostring(Entities.T)`,
    );
    assert.deepEqual(r.rows, [['ip'], ['host']]);
    assert.deepEqual((await run('print a = "x,y" | mv-expand split(a, ",")')).rows, [['x'], ['y']]);
  });

  it('multi-value functions spread into named or generated columns', async () => {
    const r = await run(
      'print y = dynamic([1, 3, 5, 7]) | extend (rsq, slope, v, rv, icpt, fit) = series_fit_line(y) | project slope, icpt, rsq',
    );
    assert.deepEqual(r.rows, [[2, 1, 1]]);
    const s = await run(
      'print y = dynamic([4, 1, 7]) | extend series_stats(y) | project series_stats_y_min, series_stats_y_max_idx, series_stats_y_avg',
    );
    assert.deepEqual(s.rows, [[1, 2, 4]]);
    const a = await run(
      'print y = dynamic([5, 5, 6, 5, 4, 5, 5, 60, 5, 6, 5, 5]) | extend (anomalies, score, base) = series_decompose_anomalies(y) | project anomalies',
    );
    assert.deepEqual(a.rows[0][0], [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('(a, b) = arg_max(…) and the deprecated argmax name in summarize', async () => {
    const q =
      'datatable(u:string, t:long, ip:string)["a",1,"x","a",5,"y","b",2,"z"] | summarize (latest, latestIp) = argmax(t, ip) by u | sort by u asc';
    assert.deepEqual(await rows(q), [
      ['a', 5, 'y'],
      ['b', 2, 'z'],
    ]);
  });

  it('join on several $left/$right equalities joined by and', async () => {
    const q = `let a = datatable(x:string, y:long)["a",1,"b",2]; let b = datatable(x2:string, y2:long, z:string)["a",1,"hit","b",3,"miss"];
      a | join kind=inner b on $left.x == $right.x2 and $left.y == $right.y2 | project x, z`;
    assert.deepEqual(await rows(q), [['a', 'hit']]);
  });

  it('declare query_parameters binds the defaults, and refuses a parameter without one', async () => {
    assert.deepEqual(await rows('declare query_parameters(lb:timespan = 14d, who:string = "x"); print lb / 1d, who'), [
      [14, 'x'],
    ]);
    assert.match(
      (await failure('declare query_parameters(who:string); print who')).message,
      /'who' has no default value/,
    );
  });

  it('deprecated names real rules still use', async () => {
    const r = await rows(
      'print a = arraylength(dynamic([1,2])), b = tostring(parsejson(\'{"k":1}\').k), c = base64_decodestring("aGk="), d = notempty("x")',
    );
    assert.deepEqual(r, [[2, '1', 'hi', true]]);
    assert.deepEqual(await rows('datatable(s:string)["AbC","abc"] | where s containscs "bC"'), [['AbC']]);
  });

  it('externaldata reads the local file its URL is mapped to, and names an unmapped URL with how to map it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-extdata-'));
    fs.writeFileSync(path.join(dir, 'iocs.csv'), 'domain,score\n"evil, inc.example",90\nfine.example,1\n');
    fs.writeFileSync(
      path.join(dir, 'externaldata.json'),
      JSON.stringify({ 'https://example.com/iocs.csv': 'iocs.csv' }),
    );
    const e = createEngine(openLake(dir));
    const r = await e.execute(
      'externaldata(domain:string, score:long) [@"https://example.com/iocs.csv"] with (format="csv", ignoreFirstRecord=true) | where score > 50',
    );
    assert.deepEqual(r.rows, [['evil, inc.example', 90]]);
    const byOption = await e.execute(
      'externaldata(line:string) [@"https://example.com/other.txt"] with (format="txt")',
      { externalData: { 'https://example.com/other.txt': path.join(dir, 'iocs.csv') } },
    );
    assert.equal(byOption.rows.length, 3);
    const err = await e
      .execute('externaldata(x:string) [@"https://example.com/missing.csv"]')
      .catch((x: Error & { code?: string }) => x);
    assert.ok(err instanceof Error);
    assert.equal((err as { code?: string }).code, 'ExternalDataUnmapped');
    assert.match(err.message, /https:\/\/example\.com\/missing\.csv.*never fetches.*externaldata\.json/);
  });

  it('parse into a name the input has adds the column numbered, as the analyzer does', async () => {
    const r = await run('print a = "x", Status = "code=7" | where a == "x" | parse Status with "code=" Status');
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['a', 'Status', 'Status1'],
    );
    assert.deepEqual(r.rows, [['x', 'code=7', '7']]);
    const n = await run('print Status = "code=7" | parse Status with "code=" Status:long | extend was = Status');
    assert.deepEqual(
      n.columns.map((c) => c.name),
      ['Status', 'Status1', 'was'],
    );
    assert.deepEqual(n.rows, [['code=7', 7, 'code=7']]);
  });

  it('an unnamed conversion of a column in extend replaces the column; mv-expand after bag_unpack names the column it reads', async () => {
    const r = await run('print L = dynamic(["a", "b"]), n = 1 | extend tostring(L) | extend t = strlen(L)');
    assert.deepEqual(
      r.columns.map((c) => `${c.name}:${c.type}`),
      ['L:string', 'n:long', 't:long'],
    );
    assert.deepEqual(r.rows, [['["a","b"]', 1, 9]]);
    const m = await run(
      'print d = dynamic({"dest": "x;y"}) | evaluate bag_unpack(d) | mv-expand split(dest, ";") | summarize count() by tostring(dest) | sort by dest asc',
    );
    assert.deepEqual(m.rows, [
      ['x', 1],
      ['y', 1],
    ]);
  });

  it('dynamic literals spread over lines read // comments, and adjacent strings are one string', async () => {
    const r = await rows('print d = dynamic ([\n"a.x", // first\n"b" "c"\n// last\n])');
    assert.deepEqual(r, [[['a.x', 'bc']]]);
  });

  it('a fuzzy union none of whose tables exists is an error naming them, as in Kusto; one existing leg is enough', async () => {
    const err = await failure('union isfuzzy=true Missing1_CL, Missing2_CL | count');
    assert.equal(err.code, 'KqlSemantic');
    assert.match(err.message, /none of its sources exists here \(Missing1_CL, Missing2_CL\)/);
    assert.deepEqual(await rows('let T = datatable(x:long)[1, 2]; union isfuzzy=true Missing1_CL, T | count'), [[2]]);
  });

  it('a fuzzy union of workspace functions named without parentheses reads each function, as an ASIM parser does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-kql-fuzzyfn-'));
    const fn = (name: string, body: string) => ({ name, params: '()', body, file: `${name}.yaml` });
    const e = createEngine(openLake(dir), {
      functions: [
        fn('vEmpty', 'datatable(EventType:string)[]'),
        fn('vSource', 'datatable(EventType:string, AccountName:string)["Logon", "alice"]'),
        fn('vBroken', 'NoSuchTable_CL | extend EventType = "x"'),
        fn('imAll', 'union isfuzzy=true vEmpty, vSource, vBroken'),
      ],
    });
    assert.deepEqual(await rows('imAll | project EventType, AccountName', e), [['Logon', 'alice']]);
    assert.deepEqual(await rows('union isfuzzy=true vEmpty, vSource, Missing_CL | count', e), [[1]]);
  });

  it('a wildcard union reads the tables schema.json declares as well as those with a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-kql-wildcard-'));
    fs.writeFileSync(
      path.join(dir, 'DeviceNetworkEvents.jsonl'),
      JSON.stringify({ TimeGenerated: '2026-11-20T10:00:00Z', RemoteIP: '10.0.0.1' }) + '\n',
    );
    fs.writeFileSync(
      path.join(dir, 'schema.json'),
      JSON.stringify({ DeviceFileEvents: { TimeGenerated: 'datetime', SHA256: 'string' }, Other_CL: { x: 'string' } }),
    );
    const e = createEngine(openLake(dir));
    const r = await e.execute(
      'union withsource=T Device* | where isempty(SHA256) or SHA256 in ("abc") | summarize n = count() by T',
    );
    assert.deepEqual(r.rows, [['DeviceNetworkEvents', 1]]);
  });

  it('arg_min(x, *) keeps the columns a by expression reads, and leaves out those grouped by as they are', async () => {
    const r = await run(
      'datatable(T:datetime, a:string, b:dynamic)[datetime(2020-01-02), "k", dynamic([1]), datetime(2020-01-01), "k", dynamic([1])] | summarize arg_min(T, *) by a, tostring(b)',
    );
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['a', 'b', 'T', 'b1'],
    );
    assert.deepEqual(r.rows, [['k', '[1]', '2020-01-01T00:00:00Z', [1]]]);
    const x = await run(
      'datatable(T:datetime, a:string, c:long)[datetime(2020-01-01), "k", 3] | summarize arg_max(T, *) by x = a',
    );
    assert.deepEqual(
      x.columns.map((c) => c.name),
      ['x', 'T', 'c'],
    );
  });

  it('parse-where keeps only the rows whose text matches the pattern', async () => {
    const r = await rows(
      'datatable(s:string)["id=5 ok", "bad", "id=x ok", "id=7 ok"] | parse-where s with "id=" id:long " " rest | project id, rest',
    );
    assert.deepEqual(r, [
      [5, 'ok'],
      [7, 'ok'],
    ]);
    assert.deepEqual(
      await rows('datatable(s:string)["a1", "b"] | parse-where kind=regex s with "a" n:long | project n'),
      [[1]],
    );
  });
});
