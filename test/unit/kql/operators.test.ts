import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import { failure, miniLakeEngine, rows, run, scalar } from './helpers';

const T = 'datatable(k:string, v:long)["a",1,"b",2,"a",3]';
const R = 'datatable(k:string, w:long)["a",10,"a",11,"c",12]';

describe('engine: tabular operators', function () {
  this.timeout(60000);

  it('where filters, extend adds and replaces, project picks and renames', async () => {
    assert.deepEqual(await rows(`${T} | where v > 1 | extend d = v * 2, v = v + 100 | project k, d, v`), [
      ['b', 4, 102],
      ['a', 6, 103],
    ]);
    assert.deepEqual(await rows(`${T} | where k == "zzz"`), []);
  });

  it('project-away, project-rename, project-reorder, project-keep', async () => {
    const r = await run(`${T} | extend x = 1 | project-away v | project-rename key = k | project-reorder x`);
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['x', 'key'],
    );
    const k = await run(`${T} | extend x1 = 1, x2 = 2 | project-keep x*`);
    assert.deepEqual(
      k.columns.map((c) => c.name),
      ['x1', 'x2'],
    );
  });

  it('summarize with by and bin, aggregates over groups', async () => {
    const r = await run(
      `${T} | summarize n = count(), s = sum(v), mx = max(v), mn = min(v), a = avg(v), dc = dcount(v), l = make_list(v), st = make_set(k) by k | sort by k asc`,
    );
    assert.deepEqual(r.rows, [
      ['a', 2, 4, 3, 1, 2, 2, [1, 3], ['a']],
      ['b', 1, 2, 2, 2, 2, 1, [2], ['b']],
    ]);
    assert.deepEqual(
      r.columns.map((c) => c.type),
      ['string', 'long', 'long', 'long', 'long', 'real', 'long', 'dynamic', 'dynamic'],
    );
    const b = await rows(
      'datatable(t:datetime, v:long)[datetime(2026-01-01 10:10), 1, datetime(2026-01-01 10:50), 2, datetime(2026-01-01 11:30), 4] | summarize sum(v) by bin(t, 1h) | sort by t asc',
    );
    assert.deepEqual(b, [
      ['2026-01-01T10:00:00Z', 3],
      ['2026-01-01T11:00:00Z', 4],
    ]);
  });

  it('conditional aggregates and their null handling', async () => {
    const r = await rows(
      'datatable(v:long, f:bool)[1,true, 2,false, long(null),true, 4,bool(null)] | summarize countif(f), sumif(v, f), avgif(v, f), dcountif(v, f), make_set_if(v, f), make_list_if(v, f), count(), sum(v), avg(v)',
    );
    assert.deepEqual(r, [[2, 1, 1, 1, [1], [1], 4, 7, 7 / 3]]);
  });

  it('arg_max / arg_min with * and with named columns, take_any', async () => {
    assert.deepEqual(await rows(`${T} | extend z = strcat(k, v) | summarize arg_max(v, *) by k | sort by k asc`), [
      ['a', 3, 'a3'],
      ['b', 2, 'b2'],
    ]);
    assert.deepEqual(await rows(`${T} | summarize arg_min(v, k)`), [[1, 'a']]);
    assert.deepEqual(await rows(`${T} | where k == "b" | summarize take_any(v)`), [[2]]);
  });

  it('percentile(s), stdev and variance', async () => {
    const r = await rows(
      'range x from 1 to 10 step 1 | summarize percentile(x, 50), percentiles(x, 10, 90), stdev(x), variance(x)',
    );
    assert.deepEqual(r[0].slice(0, 3), [5, 1, 9]);
    assert.ok(Math.abs((r[0][3] as number) - 3.0276503540974917) < 1e-9);
    assert.ok(Math.abs((r[0][4] as number) - 9.166666666666666) < 1e-9);
  });

  it('summarize over an empty input without by returns one row; with by returns none', async () => {
    assert.deepEqual(await rows('datatable(x:long)[] | summarize count(), sum(x), make_set(x)'), [[0, 0, []]]);
    assert.deepEqual(await rows('datatable(x:long)[] | summarize count() by x'), []);
  });

  it('summarize evaluates expressions over aggregates per group', async () => {
    assert.deepEqual(
      await rows(
        `${T} | summarize Total = count(), Pct = round(100.0 * countif(v > 1) / count(), 1), Span = max(v) - min(v) by k | sort by k asc`,
      ),
      [
        ['a', 2, 50, 2],
        ['b', 1, 100, 0],
      ],
    );
    assert.deepEqual(await rows('datatable(v:long)[] | summarize c = count() * 2, m = max(v) + 1'), [[0, null]]);
    const r = await run(`${T} | summarize round(avg(v), 2)`);
    assert.deepEqual(r.rows, [[2]]);
    assert.match((await failure(`${T} | summarize tostring(arg_max(v, k))`)).message, /does not support|expects/);
  });

  it('sort defaults to descending with nulls last; asc puts nulls first', async () => {
    const D = 'datatable(s:string, n:long)["x",3,"y",long(null),"z",1]';
    assert.deepEqual(
      (await rows(`${D} | sort by n`)).map((r) => r[1]),
      [3, 1, null],
    );
    assert.deepEqual(
      (await rows(`${D} | order by n asc`)).map((r) => r[1]),
      [null, 1, 3],
    );
    assert.deepEqual(
      (await rows(`${D} | sort by n asc nulls last`)).map((r) => r[1]),
      [1, 3, null],
    );
    assert.deepEqual(
      (await rows(`${D} | sort by s asc, n desc`)).map((r) => r[0]),
      ['x', 'y', 'z'],
    );
  });

  it('top, take and limit', async () => {
    assert.deepEqual(await rows(`${T} | top 2 by v`), [
      ['a', 3],
      ['b', 2],
    ]);
    assert.equal((await rows(`${T} | take 2`)).length, 2);
    assert.equal((await rows(`${T} | limit 0`)).length, 0);
  });

  it('distinct and count', async () => {
    assert.deepEqual(await rows(`${T} | distinct k | sort by k asc`), [['a'], ['b']]);
    assert.equal(await scalar(`${T} | distinct * | count`), 3);
    assert.equal(await scalar(`${T} | count`), 3);
  });

  it('join kinds: innerunique (default), inner, outer, anti, semi', async () => {
    // innerunique keeps one left row per key: the first one, every run
    assert.deepEqual(await rows(`${T} | join ${'(' + R + ')'} on k`), [
      ['a', 1, 'a', 10],
      ['a', 1, 'a', 11],
    ]);
    assert.deepEqual(await rows(`${T} | join ${'(' + R + ')'} on k | where v == 3`), []);
    assert.equal((await rows(`${T} | join kind=inner (${R}) on k`)).length, 4);
    assert.deepEqual(await rows(`${T} | join kind=leftouter (${R}) on k | where k == "b"`), [['b', 2, '', null]]);
    assert.equal((await rows(`${T} | join kind=rightouter (${R}) on k`)).length, 5);
    assert.equal((await rows(`${T} | join kind=fullouter (${R}) on k`)).length, 6);
    assert.deepEqual(await rows(`${T} | join kind=leftanti (${R}) on k`), [['b', 2]]);
    assert.deepEqual(await rows(`${T} | join kind=leftsemi (${R}) on k`), [
      ['a', 1],
      ['a', 3],
    ]);
    assert.deepEqual(await rows(`${T} | join kind=rightanti (${R}) on k`), [['c', 12]]);
    assert.deepEqual(await rows(`${T} | join kind=rightsemi (${R}) on k`), [
      ['a', 10],
      ['a', 11],
    ]);
  });

  it('join on $left.A == $right.B and lookup', async () => {
    const r = await run(`${T} | join kind=inner (datatable(key:string, w:long)["b", 5]) on $left.k == $right.key`);
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['k', 'v', 'key', 'w'],
    );
    assert.deepEqual(r.rows, [['b', 2, 'b', 5]]);
    assert.deepEqual(await rows(`${T} | lookup (datatable(k:string, w:long)["a",10]) on k | sort by v asc`), [
      ['a', 1, 10],
      ['b', 2, null],
      ['a', 3, 10],
    ]);
  });

  it('union with different columns, withsource, and tables', async () => {
    const r = await run('union withsource=Src (datatable(a:long)[1]), (datatable(b:string)["x"])');
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['Src', 'a', 'b'],
    );
    assert.deepEqual(r.rows, [
      ['union_arg0', 1, ''],
      ['union_arg1', null, 'x'],
    ]);
    const t = await run(
      'union withsource=TableName SigninLogs, AlertEvidence | summarize count() by TableName | sort by TableName asc',
      {},
      miniLakeEngine(),
    );
    assert.deepEqual(t.rows, [
      ['AlertEvidence', 3],
      ['SigninLogs', 6],
    ]);
  });

  it('mv-expand arrays, bags, typed, with index and limit', async () => {
    assert.deepEqual(await rows('print a = dynamic([1,2,3]) | mv-expand a'), [[1], [2], [3]]);
    assert.deepEqual(await rows('print a = dynamic({"x":1,"y":2}) | mv-expand a'), [[{ x: 1 }], [{ y: 2 }]]);
    const t = await run('print k = "r", a = dynamic(["1","2"]) | mv-expand with_itemindex=i a to typeof(long) limit 1');
    assert.deepEqual(
      t.columns.map((c) => `${c.name}:${c.type}`),
      ['k:string', 'a:long', 'i:long'],
    );
    assert.deepEqual(t.rows, [['r', 1, 0]]);
    assert.deepEqual(await rows('print a = dynamic([1,2]), b = dynamic(["x"]) | mv-expand a, b'), [
      [1, 'x'],
      [2, null],
    ]);
  });

  it('parse: simple pattern with typed columns, regex kind, no match gives empty values', async () => {
    assert.deepEqual(
      await rows(
        'print s = "user=bob id=42 rest" | parse s with "user=" user " id=" id:long " " rest | project user, id, rest',
      ),
      [['bob', 42, 'rest']],
    );
    assert.deepEqual(
      await rows(
        'print s = "user=bob id=42" | parse kind=regex s with @"user=" u:string @" id=" i:long | project u, i',
      ),
      [['bob', 42]],
    );
    assert.deepEqual(await rows('print s = "nothing" | parse s with "user=" user " id=" id:long | project user, id'), [
      ['', null],
    ]);
  });

  it('datatable, print, range', async () => {
    assert.deepEqual(await rows('datatable(a:long, b:string, c:bool)[1, "x", true, 2, "y", false]'), [
      [1, 'x', true],
      [2, 'y', false],
    ]);
    assert.deepEqual(await rows('print x = 1, y = "a"'), [[1, 'a']]);
    assert.deepEqual(await rows('range i from 1 to 7 step 3'), [[1], [4], [7]]);
    assert.deepEqual(await rows('range t from datetime(2026-01-01) to datetime(2026-01-03) step 1d'), [
      ['2026-01-01T00:00:00Z'],
      ['2026-01-02T00:00:00Z'],
      ['2026-01-03T00:00:00Z'],
    ]);
  });

  it('let: scalars, tabular, materialize, user functions with scalar and tabular parameters, invoke', async () => {
    assert.equal(await scalar('let n = 2; let T = range x from 1 to 5 step 1; T | where x > n | count'), 3);
    assert.equal(
      await scalar('let T = materialize(range x from 1 to 3 step 1); T | join kind=inner (T) on x | count'),
      3,
    );
    assert.equal(await scalar('let f = (s:string, n:long = 2) { strcat(s, tostring(n)) }; print f("a")'), 'a2');
    assert.equal(
      await scalar(
        'let over = (T:(x:long), lim:long) { T | where x > lim }; over((range x from 1 to 10 step 1), 7) | count',
      ),
      3,
    );
    assert.equal(
      await scalar('let over = (T:(x:long)) { T | where x > 8 }; range x from 1 to 10 step 1 | invoke over() | count'),
      2,
    );
    assert.equal(await scalar('let m = toscalar(range x from 1 to 4 step 1 | summarize max(x)); print m * 2'), 8);
  });

  it('in with a subquery', async () => {
    assert.equal(await scalar(`${T} | where k in ((datatable(z:string)["b"])) | count`), 1);
  });

  it('serialize with row_number, prev and next', async () => {
    assert.deepEqual(
      await rows('range x from 1 to 3 step 1 | serialize rn = row_number(), p = prev(x), nx = next(x)'),
      [
        [1, 1, null, 2],
        [2, 2, 1, 3],
        [3, 3, 2, null],
      ],
    );
  });

  it('search for a term over a table', async () => {
    const r = await run('SigninLogs | search "Moscow" | count', {}, miniLakeEngine());
    assert.deepEqual(r.rows, [[2]]);
  });

  it('search over every table, search in (tables), and $table', async () => {
    assert.deepEqual((await run('search "Moscow" | summarize count() by $table', {}, miniLakeEngine())).rows, [
      ['SigninLogs', 2],
    ]);
    assert.deepEqual((await run('search in (AlertEvidence) "spray" | count', {}, miniLakeEngine())).rows, [[2]]);
    assert.match((await failure('search "Mos*"', miniLakeEngine())).message, /wildcards/);
  });

  it('evaluate bag_unpack turns bag keys into columns', async () => {
    const r = await run(
      'SigninLogs | evaluate bag_unpack(LocationDetails) | where city == "Moscow" | project UserPrincipalName, city, countryOrRegion',
      {},
      miniLakeEngine(),
    );
    assert.deepEqual(r.rows, [
      ['alice@contoso.com', 'Moscow', 'RU'],
      ['alice@contoso.com', 'Moscow', 'RU'],
    ]);
  });

  it('bag_unpack: columns in name order, prefix, conflicts', async () => {
    assert.deepEqual(await rows('datatable(d:dynamic)[dynamic({"Name": "John", "Age":20})] | evaluate bag_unpack(d)'), [
      [20, 'John'],
    ]);
    assert.deepEqual(
      await rows(
        'datatable(d:dynamic)[dynamic({"Name": "John", "Age":20})] | evaluate bag_unpack(d, "p_") | project p_Name',
      ),
      [['John']],
    );
    assert.deepEqual(
      await rows(
        'datatable(Name:string, d:dynamic)[\'James\', dynamic({"Name": "John", "Age":20})] | evaluate bag_unpack(d, columnsConflict=\'keep_source\')',
      ),
      [['James', 20]],
    );
    assert.deepEqual(
      await rows(
        'datatable(Name:string, d:dynamic)[\'James\', dynamic({"Name": "John", "Age":20})] | evaluate bag_unpack(d, columnsConflict=\'replace_source\')',
      ),
      [['John', 20]],
    );
    assert.match(
      (await failure('datatable(Name:string, d:dynamic)["J", dynamic({"Name": "x"})] | evaluate bag_unpack(d)'))
        .message,
      /already exists/,
    );
  });

  it('top-nested: top values per level within the level above', async () => {
    const r = await run(
      'datatable(s:string, k:string, v:long)["a","x",1,"a","y",2,"b","x",3,"a","x",4,"c","z",10] | top-nested 2 of s by sum(v), top-nested 1 of k by cnt = count()',
    );
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['s', 'aggregated_s', 'k', 'cnt'],
    );
    assert.deepEqual(r.rows, [
      ['c', 10, 'z', 1],
      ['a', 7, 'x', 2],
    ]);
    assert.deepEqual(await rows('datatable(s:string, v:long)["a",1,"b",2,"c",3] | top-nested 2 of s by max(v) asc'), [
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('parse-kv: explicit delimiters, greedy values, quotes, and any delimiters', async () => {
    const S =
      "print str='name=John Doe phone=555 5555 city=New York' | parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='='";
    assert.deepEqual(await rows(`${S}) | project-away str`), [['John', '555', 'New']]);
    assert.deepEqual(await rows(`${S}, greedy=true) | project-away str`), [['John Doe', '555 5555', 'New York']]);
    assert.deepEqual(
      await rows(
        "print str='src=10.1.1.123 bytes=125 failure=\"connection aborted\"' | parse-kv str as (src:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='\"') | project-away str",
      ),
      [['10.1.1.123', 125, 'connection aborted']],
    );
    assert.deepEqual(
      await rows(
        'print str="2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: Started" | parse-kv str as (Text: string, ThreadId:long, Machine: string) | project-away str',
      ),
      [['Started', 458745723, 'Node001']],
    );
  });

  it('evaluate pivot: one column per value, count by default', async () => {
    const r = await run(
      'datatable(s:string, k:string, v:long)["a","x",1,"a","y",2,"b","x",3,"a","x",4] | evaluate pivot(k, sum(v), s) | sort by s asc',
    );
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['s', 'x', 'y'],
    );
    assert.deepEqual(r.rows, [
      ['a', 5, 2],
      ['b', 3, 0],
    ]);
    assert.deepEqual(await rows('datatable(k:string)["x","y","x"] | evaluate pivot(k)'), [[2, 1]]);
  });

  it('parse flags: U swaps greediness, i ignores case', async () => {
    assert.deepEqual(
      await rows(
        'print s = "(resourceName=Pipe, total=27, x=1)" | parse kind=regex flags=Ui s with * "RESOURCENAME=" r "," * | project r',
      ),
      [['Pipe']],
    );
  });

  it('row_cumsum over serialized rows', async () => {
    assert.deepEqual(await rows('range x from 1 to 4 step 1 | serialize c = row_cumsum(x) | project c'), [
      [1],
      [3],
      [6],
      [10],
    ]);
  });

  it('mv-expand kind=array gives [key, value] pairs; as names union sources', async () => {
    assert.deepEqual(await rows('print a = dynamic({"x":1,"y":2}) | mv-expand kind=array a'), [[['x', 1]], [['y', 2]]]);
    assert.deepEqual(await rows('union withsource=S (print x = 1 | as First), (print x = 2 | as Second)'), [
      ['First', 1],
      ['Second', 2],
    ]);
  });

  it('make-series: fixed range with defaults, and the range of the data', async () => {
    const D =
      'datatable(t:datetime, u:string, v:long)[datetime(2026-01-01 01:00), "a", 1, datetime(2026-01-01 02:00), "a", 2, datetime(2026-01-03), "b", 5]';
    const r = await run(
      `${D} | make-series n=count(), s=sum(v) default=-1 on t from datetime(2026-01-01) to datetime(2026-01-04) step 1d by u | order by u asc`,
    );
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['u', 'n', 's', 't'],
    );
    const axis = ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'];
    assert.deepEqual(r.rows, [
      ['a', [2, 0, 0], [3, -1, -1], axis],
      ['b', [0, 0, 1], [-1, -1, 5], axis],
    ]);
    assert.deepEqual(await rows(`${D} | make-series avg(v) on t step 1d`), [[[1.5, 0, 5], axis]]);
  });

  it("mv-apply runs its subquery over each row's expanded values", async () => {
    assert.deepEqual(
      await rows(
        'print a = dynamic([1,2,3]), k = "r" | mv-apply x = a to typeof(long) on (where x > 1 | summarize s = sum(x))',
      ),
      [[[1, 2, 3], 'r', 5]],
    );
    assert.deepEqual(
      await rows(
        'datatable(k:string, a:dynamic)["r1", dynamic([3,1,2]), "r2", dynamic([])] | mv-apply x = a to typeof(long) on (top 2 by x) | project k, x',
      ),
      [
        ['r1', 3],
        ['r1', 2],
      ],
    );
  });

  it('union with table wildcards, and ingestion_time()', async () => {
    const m = miniLakeEngine();
    assert.deepEqual(
      (await run('union withsource=T Signin*, Alert* | summarize count() by T | order by T asc', {}, m)).rows,
      [
        ['AlertEvidence', 3],
        ['SigninLogs', 6],
      ],
    );
    assert.deepEqual((await run('union withsource=T * | summarize count() by T | order by T asc', {}, m)).rows, [
      ['AlertEvidence', 3],
      ['SigninLogs', 6],
    ]);
    assert.deepEqual((await run('SigninLogs | where ingestion_time() > ago(1d) | count', {}, m)).rows, [[3]]);
  });

  it('union isfuzzy skips missing tables; * has searches every text column; getschema; sample', async () => {
    const m = miniLakeEngine();
    assert.deepEqual((await run('union isfuzzy=true SigninLogs, NoSuchTable | count', {}, m)).rows, [[6]]);
    assert.deepEqual((await run('SigninLogs | where * has "Moscow" | count', {}, m)).rows, [[2]]);
    const g = await run('datatable(a:long, b:string)[1, "x"] | getschema');
    assert.deepEqual(g.rows, [
      ['a', 0, 'System.Int64', 'long'],
      ['b', 1, 'System.String', 'string'],
    ]);
    const s = await rows('range x from 1 to 100 step 1 | sample 5');
    assert.equal(s.length, 5);
    assert.equal(new Set(s.map((r) => r[0])).size, 5);
  });

  it('render is kept as a hint', async () => {
    const r = await run('range x from 1 to 2 step 1 | render timechart with (title="Sign-ins", xcolumn=x)');
    assert.deepEqual(r.render, { kind: 'timechart', title: 'Sign-ins', xcolumn: 'x' });
    assert.equal(r.rows.length, 2);
  });

  it('refuses unsupported constructs with their name and position', async () => {
    const e = await failure('range x from 1 to 2 step 1\n| where x > 0\n    | facet by x');
    assert.equal(e.message, 'local engine does not support `facet` (line 3, col 7)');
    assert.deepEqual({ line: e.position?.line, column: e.position?.column }, { line: 3, column: 7 });
    assert.match((await failure('print x = 1 | evaluate narrow()')).message, /does not support `evaluate narrow`/);
  });

  it('syntax and semantic errors carry the analyzer message and a 1-based position', async () => {
    const e = await failure('print x = 1\n| where y > 1');
    assert.equal(e.name, 'KqlError');
    assert.deepEqual({ line: e.position?.line, column: e.position?.column }, { line: 2, column: 9 });
    assert.match(e.message, /'y'/);
    const s = await failure('print x = 1 | where');
    assert.equal(s.position?.line, 1);
  });
});

describe('engine: limits, stats and the lake', function () {
  this.timeout(60000);

  it('maxRows truncates and says so; stats count rows scanned', async () => {
    const r = await run('SigninLogs', { maxRows: 2 }, miniLakeEngine());
    assert.equal(r.rows.length, 2);
    assert.equal(r.stats.truncated, true);
    assert.equal(r.stats.rowsScanned, 6);
    assert.equal(r.stats.rowsReturned, 2);
  });

  it('an aborted signal cancels', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(run('print 1', { signal: ac.signal }), (e: Error) => e.name === 'CancelledError');
  });

  it('aborting a running query stops it between operators', async () => {
    const ac = new AbortController();
    const q =
      'range x from 1 to 3000000 step 1 | extend y = x * 2 | where y > 0 | extend z = y % 7 | summarize count() by z | sort by z';
    const t = setTimeout(() => ac.abort(), 30);
    // Were the abort ignored, the query would finish and resolve with its rows.
    await assert.rejects(run(q, { signal: ac.signal }), (e: Error) => e.name === 'CancelledError');
    clearTimeout(t);
  });

  it('a time budget stops a runaway query', async () => {
    await assert.rejects(
      run('range x from 1 to 3000000 step 1 | extend y = strcat("a", x) | summarize dcount(y) by x', { timeoutMs: 1 }),
      (e: Error) => /time budget/.test(e.message),
    );
  });

  it('the clock comes from options, then lake.json', async () => {
    assert.equal((await run('print now()', {}, miniLakeEngine())).rows[0][0], '2026-11-20T12:00:00Z');
    const pinned = await miniLakeEngine().execute('print ago(1d)');
    assert.equal(pinned.rows[0][0], '2026-11-19T12:00:00Z');
  });

  it('timeRange restricts TimeGenerated of every table', async () => {
    const r = await run(
      'SigninLogs | count',
      { timeRange: { start: new Date('2026-11-19T00:00:00Z'), end: new Date('2026-11-21T00:00:00Z') } },
      miniLakeEngine(),
    );
    assert.deepEqual(r.rows, [[3]]);
  });

  it('a known Sentinel table missing from the lake is empty, an unknown one is an error', async () => {
    assert.deepEqual((await run('EmailEvents | count', {}, miniLakeEngine())).rows, [[0]]);
    const e = await failure('NoSuchTable | count', miniLakeEngine());
    assert.match(e.message, /NoSuchTable/);
  });

  it('wire form: datetimes ISO with fraction only when non-zero, timespans, dynamic as JSON values', async () => {
    const r = await run(
      'print a = datetime(2026-01-02 03:04:05), b = datetime(2026-01-02 03:04:05.1234567), c = 90m, d = -1d - 2s, e = dynamic({"x":[1]}), f = guid(74be27de-1e4e-49d9-b579-fe0b331d3642), g = 1.5, h = true',
    );
    assert.deepEqual(r.rows[0], [
      '2026-01-02T03:04:05Z',
      '2026-01-02T03:04:05.123456Z',
      '01:30:00',
      '-1.00:00:02',
      { x: [1] },
      '74be27de-1e4e-49d9-b579-fe0b331d3642',
      1.5,
      true,
    ]);
    assert.deepEqual(
      r.columns.map((c) => c.type),
      ['datetime', 'datetime', 'timespan', 'timespan', 'dynamic', 'guid', 'real', 'bool'],
    );
  });
});

describe('engine: high-cardinality string columns', function () {
  this.timeout(60000);

  it('group, count distinct, sort and join correctly when the dictionary stops de-duplicating', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-card-'));
    const lines: string[] = [];
    for (let i = 0; i < 70000; i++) lines.push(JSON.stringify({ Id: `id-${i % 69000}`, N: i }));
    fs.writeFileSync(path.join(dir, 'Big.jsonl'), lines.join('\n'));
    const lake = openLake(dir);
    const t = await lake.loadTable!('Big');
    assert.equal((t.fields[0].col as { repeats?: boolean }).repeats, true, 'the dictionary switched to repeating mode');
    const e = createEngine(lake);
    assert.deepEqual((await e.execute('Big | summarize c = count() by Id | where c > 1 | count')).rows, [[1000]]);
    assert.deepEqual((await e.execute('Big | summarize dcount(Id)')).rows, [[69000]]);
    assert.deepEqual((await e.execute('Big | distinct Id | count')).rows, [[69000]]);
    assert.deepEqual((await e.execute('Big | where Id == "id-5" | sort by Id asc, N desc | project N')).rows, [
      [69005],
      [5],
    ]);
    assert.deepEqual(
      (await e.execute('Big | where N < 3 | join kind=inner (Big | where N >= 69000) on Id | count')).rows,
      [[3]],
    );
  });
});

describe('engine: runaway joins', function () {
  this.timeout(60000);
  it('a join that would explode is refused with a clear error', async () => {
    const e = await failure(
      'range x from 1 to 8000 step 1 | extend k = 1 | join kind=inner (range y from 1 to 8000 step 1 | extend k = 1) on k',
    );
    assert.match(e.message, /join produces more than 50,000,000 rows/);
  });
});

describe('engine: Sentinel database functions', function () {
  this.timeout(60000);
  it('_GetWatchlist(alias) returns the watchlist rows with item fields as columns', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-wl-'));
    fs.writeFileSync(
      path.join(dir, 'Watchlist.jsonl'),
      [
        {
          TimeGenerated: '2026-11-18T12:00:00Z',
          WatchlistAlias: 'Approved',
          SearchKey: 'contoso.com',
          WatchlistItem: { Domain: 'contoso.com', Owner: 'IT' },
        },
        {
          TimeGenerated: '2026-11-18T12:00:00Z',
          WatchlistAlias: 'Other',
          SearchKey: 'x.com',
          WatchlistItem: { Domain: 'x.com', Owner: 'Sales' },
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const e = createEngine(openLake(dir));
    assert.deepEqual((await e.execute("_GetWatchlist('Approved') | project SearchKey, Owner")).rows, [
      ['contoso.com', 'IT'],
    ]);
    assert.deepEqual(
      (await e.execute("print d = 'x.com' | where d !in ((_GetWatchlist('Approved') | project SearchKey)) | count"))
        .rows,
      [[1]],
    );
  });
});
