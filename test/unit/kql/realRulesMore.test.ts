// More constructs real Sentinel rules use: datetime(now), deprecated array_strcat, several arg_max(…, *) in one
// summarize, take_any(*), and arg_max(…, *) over a join whose columns are known only at run time.
import { strict as assert } from 'assert';
import { failure, NOW, rows, run } from './helpers';

describe('engine: more constructs of real rules', () => {
  it('datetime(now) and datetime() are the query time, as now()', async () => {
    const r = await rows(
      'print a = datetime(now), b = datetime(), c = datetime_diff("day", datetime(now), datetime(2026-11-01))',
    );
    assert.deepEqual(r, [[NOW.toISOString().replace('.000', ''), NOW.toISOString().replace('.000', ''), 19]]);
  });

  it('array_strcat is strcat_array', async () => {
    assert.deepEqual(await rows('print s = array_strcat(dynamic(["a", "b", 1]), "-")'), [['a-b-1']]);
  });

  it('several arg_max(…, *) in one summarize each bring the row of their own maximum', async () => {
    const r = await run(`datatable(T:datetime, U:string, IP:string, N:long)[
        datetime(2026-01-01 01:10), "a", "1.1.1.1", 1, datetime(2026-01-01 01:20), "a", "0.0.0.9", 2,
        datetime(2026-01-01 01:30), "b", "0.0.0.1", 3]
      | summarize C = count(), TMax = arg_max(T, *), IPMax = arg_max(IP, *) by U, T = bin(T, 1h) | order by U asc`);
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['U', 'T', 'C', 'TMax', 'IP', 'N', 'IPMax', 'T1', 'N1'],
    );
    // a: the latest row is N=2, the greatest IP (as a string) is the row N=1
    assert.deepEqual(r.rows[0], [
      'a',
      '2026-01-01T01:00:00Z',
      2,
      '2026-01-01T01:20:00Z',
      '0.0.0.9',
      2,
      '1.1.1.1',
      '2026-01-01T01:10:00Z',
      1,
    ]);
  });

  it('take_any(*) and take_any(a, b) take the values of one row', async () => {
    const r = await run(
      'datatable(A:string, B:long, C:string)["x", 1, "p", "y", 2, "q"] | summarize S = make_set(B), take_any(*) by A | order by A asc',
    );
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['A', 'S', 'B', 'C'],
    );
    assert.deepEqual(r.rows, [
      ['x', [1], 1, 'p'],
      ['y', [2], 2, 'q'],
    ]);
    assert.deepEqual(await rows('datatable(A:string, B:long, C:string)["x", 1, "p"] | summarize take_any(C, B) by A'), [
      ['x', 'p', 1],
    ]);
  });

  it('arg_max(…, *) over an input with columns known only at run time takes the columns the run has', async () => {
    const r =
      await run(`let L = datatable(K:string, Bag:dynamic)["k", dynamic({"X": 1, "Y": "a"}), "k", dynamic({"X": 5, "Y": "b"})];
      L | evaluate bag_unpack(Bag) | summarize arg_max(X, *) by K`);
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['K', 'X', 'Y'],
    );
    assert.deepEqual(r.rows, [['k', 5, 'b']]);
  });

  it('evaluate ipv4_lookup matches addresses to the ranges of a lookup table, unmatched rows on request', async () => {
    const q = (
      extra: string,
    ) => `let L = datatable(net:string, Region:string)["10.0.0.0/8", "inside", "192.168.1.7", "home", "10.1.0.0/16", "lab"];
      datatable(Ip:string, N:long)["10.1.2.3", 1, "192.168.1.7", 2, "8.8.8.8", 3, "bad", 4]
      | evaluate ipv4_lookup(L, Ip, net${extra}) | order by N asc, Region asc`;
    const r = await run(q(''));
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['Ip', 'N', 'net', 'Region'],
    );
    assert.deepEqual(r.rows, [
      ['10.1.2.3', 1, '10.0.0.0/8', 'inside'],
      ['10.1.2.3', 1, '10.1.0.0/16', 'lab'],
      ['192.168.1.7', 2, '192.168.1.7', 'home'],
    ]);
    const u = await rows(q(', return_unmatched = true'));
    assert.deepEqual(
      u.map((x) => [x[1], x[3]]),
      [
        [1, 'inside'],
        [1, 'lab'],
        [2, 'home'],
        [3, ''],
        [4, ''],
      ],
    );
  });

  it('evaluate basket finds the value combinations a share of the rows has', async () => {
    const r =
      await run(`datatable(U:string, App:string, Loc:string)["a", "x", "US", "a", "x", "US", "b", "x", "DE", "c", "y", "US"]
      | evaluate basket(0.3)`);
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['SegmentId', 'Count', 'Percent', 'U', 'App', 'Loc'],
    );
    // App=x and Loc=US are 3 of 4 rows each; a/x/US 2 of 4 (App=x with Loc=US has the same rows: left out)
    assert.deepEqual(r.rows, [
      [0, 3, 75, '', 'x', ''],
      [1, 3, 75, '', '', 'US'],
      [2, 2, 50, 'a', 'x', 'US'],
    ]);
    assert.deepEqual(await rows('datatable(U:string)["a", "b", "c", "d"] | evaluate basket(0.5) | count'), [[0]]);
  });

  it('evaluate sequence_detect finds steps in order within the step and span windows, per dimension', async () => {
    const r = await run(`datatable(T:datetime, Op:string, U:string)[
        datetime(2026-01-01 00:00), "invite", "a", datetime(2026-01-01 00:10), "redeem", "a",
        datetime(2026-01-01 00:00), "invite", "b", datetime(2026-01-01 02:00), "redeem", "b",
        datetime(2026-01-01 00:00), "redeem", "c", datetime(2026-01-01 00:05), "invite", "c"]
      | evaluate sequence_detect(T, 30m, 1h, inv = (Op == "invite"), red = (Op == "redeem"), U)`);
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['U', 'inv_T', 'red_T', 'Duration'],
    );
    // b redeems two hours later (over the window); c redeems before inviting
    assert.deepEqual(r.rows, [['a', '2026-01-01T00:00:00Z', '2026-01-01T00:10:00Z', '00:10:00']]);
  });

  it("partition by a column runs its subquery over each value's rows", async () => {
    assert.deepEqual(
      await rows(
        'datatable(A:string, B:long)["x", 1, "x", 5, "y", 2, "y", 9, "z", 0] | partition by A ( top 1 by B ) | order by A asc',
      ),
      [
        ['x', 5],
        ['y', 9],
        ['z', 0],
      ],
    );
    assert.deepEqual(
      await rows(
        'datatable(A:string, B:long)["x", 1, "x", 5, "y", 2] | partition by A ( summarize c = count(), s = sum(B) ) | order by s asc',
      ),
      [
        [1, 2],
        [2, 6],
      ],
    );
  });

  it('find in (tables) where … project … reads each table, null where a table lacks a column', async () => {
    const r =
      await run(`let T = datatable(A:string, B:long)["x", 1, "y", 2]; let U = datatable(A:string, C:datetime)["x", datetime(2026-01-01)];
      find in (T, U) where A == "x" project A, B, C | order by source_ asc`);
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['source_', 'A', 'B', 'C'],
    );
    assert.deepEqual(r.rows, [
      ['T', 'x', 1, null],
      ['U', 'x', null, '2026-01-01T00:00:00Z'],
    ]);
    const f = await failure('let T = datatable(A:string)["x"]; find in (T) where A == "x"');
    assert.equal(f.code, 'KqlUnsupported');
    assert.ok(f.position, 'the refusal has a position');
  });
});
