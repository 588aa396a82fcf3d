import { strict as assert } from 'assert';
import { rows } from './helpers';

describe('engine: population statistics, covariance, bitwise and null-keeping aggregates', () => {
  const data =
    'datatable(g:string, x:real, y:real)["a",1.0,14.0, "a",2.0,10.0, "a",3.0,17.0, "a",4.0,20.0, "a",5.0,50.0, "b",7.0,1.0]';

  it('stdevp and variancep divide by n, stdev and variance by n - 1; variancepif filters rows', async () => {
    const [[sp, vp, s, v, vpif]] = await rows(
      `${data} | where g == "a" | summarize stdevp(x), variancep(x), stdev(x), variance(x), variancepif(x, x > 1)`,
    );
    assert.equal(vp, 2);
    assert.ok(Math.abs((sp as number) - Math.sqrt(2)) < 1e-12);
    assert.equal(v, 2.5);
    assert.ok(Math.abs((s as number) - Math.sqrt(2.5)) < 1e-12);
    assert.equal(vpif, 1.25);
  });

  it('covariance (sample) and covariancep (population), with and without a predicate, per group', async () => {
    const got = await rows(
      `${data} | summarize c = covariance(x, y), cp = covariancep(x, y), cif = covarianceif(x, y, x < 5), cpif = covariancepif(x, y, x < 5) by g | sort by g asc`,
    );
    assert.deepEqual(got[0].slice(0, 3), ['a', 20.5, 16.4]);
    // x = 1..4, y = 14, 10, 17, 20: sum of products of deviations is 12.5
    assert.ok(Math.abs((got[0][3] as number) - 12.5 / 3) < 1e-12);
    assert.ok(Math.abs((got[0][4] as number) - 12.5 / 4) < 1e-12);
    assert.equal(got[1][1], 0, 'one row has no spread');
  });

  it('binary_all_and / or / xor fold 64-bit integers bit by bit', async () => {
    const [[and, or, xor]] = await rows(
      'datatable(n:long)[12, 10, 14] | summarize binary_all_and(n), binary_all_or(n), binary_all_xor(n)',
    );
    assert.deepEqual([and, or, xor], [8, 14, 12 ^ 10 ^ 14]);
    const [[big]] = await rows('datatable(n:long)[0x7FFFFFFFFFFF, 0x100000000F] | summarize binary_all_and(n)');
    assert.equal(big, 0x100000000f);
  });

  it('make_list_with_nulls keeps the nulls that make_list drops', async () => {
    const [[withNulls, plain]] = await rows(
      'datatable(v:int)[1, int(null), 3] | summarize make_list_with_nulls(v), make_list(v)',
    );
    assert.deepEqual(withNulls, [1, null, 3]);
    assert.deepEqual(plain, [1, 3]);
  });
});

describe('engine: hll and tdigest results (kept exact by the local engine)', () => {
  it('dcount_hll counts the distinct values of hll(), also after merging per group and across columns', async () => {
    const [[each, merged]] = await rows(`range x from 1 to 10 step 1 | extend y = x + 5
      | summarize hx = hll(x), hy = hll(y) | project each = dcount_hll(hx), merged = dcount_hll(hll_merge(hx, hy))`);
    assert.deepEqual([each, merged], [10, 15]);
    const [[overGroups]] = await rows(`range x from 1 to 10 step 1 | summarize h = hll(x % 4) by g = x % 2
      | summarize m = hll_merge(h) | project dcount_hll(m)`);
    assert.equal(overGroups, 4);
  });

  it('percentile_tdigest and rank_tdigest read weighted values; merge_tdigest combines them', async () => {
    const [[p50, p100, rank]] = await rows(`datatable(v:real, w:long)[1.0, 1, 2.0, 2]
      | summarize t = tdigest(v, w) | project percentile_tdigest(t, 50), percentile_tdigest(t, 100), rank_tdigest(t, 1.5)`);
    assert.deepEqual([p50, p100, rank], [2, 2, 1]);
    const [[top]] = await rows(`range x from 1 to 10 step 1 | extend y = x + 10
      | summarize tx = tdigest(x), ty = tdigest(y) | project percentile_tdigest(merge_tdigest(tx, ty), 100, typeof(long))`);
    assert.equal(top, 20);
  });

  it('a value that is not a sketch is an error, not a number', async () => {
    await assert.rejects(rows('print dcount_hll(dynamic([1, 2, 3]))'), /dcount_hll\(\) expects the result of hll/);
  });
});

describe('engine: row ranks and bag_pack_columns', () => {
  it('row_rank_min gives ties the first row number of their run, row_rank_dense counts distinct values; both restart', async () => {
    const got = await rows(`datatable(g:string, v:int)["a", 5, "a", 10, "a", 10, "a", 20, "b", 1, "b", 1]
      | sort by g asc, v asc
      | extend rmin = row_rank_min(v, g != prev(g)), rdense = row_rank_dense(v, g != prev(g)), all = row_rank_min(v)`);
    assert.deepEqual(
      got.map((r) => r.slice(2)),
      [
        [1, 1, 1],
        [2, 2, 2],
        [2, 2, 2],
        [4, 3, 4],
        [1, 1, 5],
        [1, 1, 5],
      ],
    );
  });

  it('row_rank, the obsolete name of row_rank_dense, counts distinct values so far', async () => {
    const got = await rows(`datatable(v:real)[0.9, 0.5, 0.5, 0.2] | sort by v desc | extend r = row_rank(v)`);
    assert.deepEqual(
      got.map((r) => r[1]),
      [1, 2, 2, 3],
    );
  });

  it('bag_pack_columns packs the named columns under their names', async () => {
    const got = await rows(
      'datatable(Id:string, Value:long, Other:long)["A", 1, 9] | extend Packed = bag_pack_columns(Id, Value)',
    );
    assert.deepEqual(got[0][3], { Id: 'A', Value: 1 });
  });
});
