// Cases where the engine once answered wrongly without saying so: each now gives Kusto's answer or a clear refusal.
import { strict as assert } from 'assert';
import { failure, rows, run } from './helpers';

describe('engine: no silent wrong answers', () => {
  it('keeps a real NaN apart from null through columns, arithmetic and functions', async () => {
    const r = await run(
      'print a=isnan(real(nan)), b=isinf(real(nan)), c=isfinite(real(nan)), d=isnull(real(nan)), e=real(nan) + 1, f=isnan(real(null)), g=real(null) + 1',
    );
    assert.deepEqual(r.rows, [[true, false, false, false, 'NaN', null, null]]);
    const t = await rows(
      'range x from 1 to 3 step 1 | extend y = iff(x == 2, real(nan), todouble(x)) | extend z = y * 2, nan = isnan(y), nul = isnull(y) | order by x asc',
    );
    assert.deepEqual(t, [
      [1, 1, 2, false, false],
      [2, 'NaN', 'NaN', true, false],
      [3, 3, 6, false, false],
    ]);
    // a NaN survives filtering (gathered columns keep the flag) and nulls stay null
    assert.deepEqual(
      await rows(
        'range x from 1 to 4 step 1 | extend y = case(x == 2, real(nan), x == 3, real(null), todouble(x)) | where x > 1 | project x, y, isnan(y), isnull(y)',
      ),
      [
        [2, 'NaN', true, false],
        [3, null, null, true],
        [4, 4, false, false],
      ],
    );
    assert.deepEqual(await rows('print beta_cdf(1.5, 10, 20), beta_pdf(1.5, 10, 20), beta_inv(0.1, -1, 20)'), [
      ['NaN', 'NaN', 'NaN'],
    ]);
  });

  it('array_sort_asc/desc over several arrays gives one column per array', async () => {
    const r = await run(
      'let a1 = dynamic([1,3,4,5,2]); let a2 = dynamic(["a","b","c","d","e"]); print array_sort_asc(a1, a2)',
    );
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['a1_sorted', 'a2_sorted'],
    );
    assert.deepEqual(r.rows, [
      [
        [1, 2, 3, 4, 5],
        ['a', 'e', 'b', 'c', 'd'],
      ],
    ]);
    const d = await run('print array_sort_desc(dynamic([1,3,2]), dynamic(["x","y","z"]), false)');
    assert.deepEqual(d.rows, [
      [
        [3, 2, 1],
        ['y', 'z', 'x'],
      ],
    ]);
    assert.deepEqual(await rows('print array_sort_asc(dynamic([3,1,2]))'), [[[1, 2, 3]]]);
    const e = await failure('print s = array_sort_asc(dynamic([1]), dynamic([2]))');
    assert.match(e.message, /local engine does not support naming the result of `array_sort_\*`.*\(line 1, col 7\)/);
  });

  it('pack_all(true) leaves out null and empty columns', async () => {
    assert.deepEqual(
      await rows(
        "datatable(S:string, T:string, C:long)['a', '', 42, '', 'b', long(null)] | project pack_all(), pack_all(true)",
      ),
      [
        [
          { S: 'a', T: '', C: 42 },
          { S: 'a', C: 42 },
        ],
        [{ S: '', T: 'b', C: null }, { T: 'b' }],
      ],
    );
  });

  it('parse kind=relaxed takes the number before a `*` and nulls what does not convert', async () => {
    assert.deepEqual(
      await rows(
        'print s="a=1, b=23, c=x" | parse kind=relaxed s with "a=" a:long ", b=" b:long * "c=" c | project a, b, c',
      ),
      [[1, 23, 'x']],
    );
    assert.deepEqual(
      await rows(
        'print s="a=q, b=7, c=x" | parse kind=relaxed s with "a=" a:long ", b=" b:long * "c=" c | project a, b, c',
      ),
      [[null, 7, 'x']],
    );
  });

  it('reads datetime literals with the same parser as todatetime(), fractions included', async () => {
    const r =
      await rows(`print datetime_diff('microsecond', datetime(2017-10-30 23:00:00.1009001), datetime(2017-10-30 23:00:00.1008009)),
      datetime(2017-10-30 23:00:00.1234567) == todatetime('2017-10-30 23:00:00.1234567'), datetime(2017-10-30 23:00:00.1234567)`);
    // a present-day datetime prints whole microseconds: a double cannot hold its 100 ns tick exactly
    assert.deepEqual(r, [[100, true, '2017-10-30T23:00:00.123456Z']]);
  });

  it("reads a datetime literal with a time of day alone as that time on the query's day", async () => {
    // the query's clock (NOW) is 2026-11-20 12:00 UTC
    const r = await rows(
      'print datetime("8:00:00 AM"), datetime("5:00:00 PM"), datetime(17:30), datetime("12:15 AM"), datetime("8:00:00 AM") < now()',
    );
    assert.deepEqual(r, [
      ['2026-11-20T08:00:00Z', '2026-11-20T17:00:00Z', '2026-11-20T17:30:00Z', '2026-11-20T00:15:00Z', true],
    ]);
    const e = await failure('print datetime("13:00 PM")');
    assert.match(e.message, /cannot read the datetime literal/);
  });

  it('refuses `search` over views instead of returning no rows', async () => {
    const e = await failure('let V = view () { range MyColumn from 1 to 10 step 1 };\nsearch MyColumn == 5');
    assert.match(e.message, /local engine does not support `search` over views .*\(line 2, col 1\)/);
  });
});

describe('engine: the string-key join index agrees with the general one', () => {
  const L = 'range i from 1 to 60 step 1 | extend k = strcat("u", i % 7), one = 1 | where i % 5 != 0';
  const R = 'range j from 1 to 90 step 1 | extend k = strcat("u", j % 11), one = 1 | where j % 3 != 0 and j % 11 != 3';
  for (const kind of [
    'innerunique',
    'inner',
    'leftouter',
    'rightouter',
    'fullouter',
    'leftanti',
    'rightanti',
    'leftsemi',
    'rightsemi',
  ]) {
    it(`kind=${kind} over filtered inputs`, async () => {
      // one string key takes the dictionary-code index; adding a constant second key takes the hashed path
      const fast = await rows(`(${L}) | join kind=${kind} (${R}) on k | project-away one*`);
      const general = await rows(`(${L}) | join kind=${kind} (${R}) on k, one | project-away one*`);
      assert.ok(fast.length > 0);
      assert.deepEqual(fast, general);
    });
  }
});
