import { strict as assert } from 'assert';
import { rows, scalar } from './helpers';

describe('engine: scalar operators', function () {
  this.timeout(60000);

  it('has is term matching, case-insensitive; has_cs is case-sensitive', async () => {
    const r = await rows(
      'datatable(s:string)["Login failed for Bob", "bobcat", "x.bob.y", ""] | extend a = s has "bob", b = s has_cs "bob", c = s !has "bob", d = s has "ob"',
    );
    assert.deepEqual(
      r.map((x) => x.slice(1)),
      [
        [true, false, false, false],
        [false, false, true, false],
        [true, true, false, false],
        [false, false, true, false],
      ],
    );
  });

  it('contains, startswith, endswith and their case-sensitive and negated forms', async () => {
    const r = await rows(
      'print s = "Hello World" | project s contains "o w", s contains_cs "o w", s !contains "xyz", s startswith "hello", s startswith_cs "hello", s endswith "WORLD", s !endswith "d", s hasprefix "wor", s hassuffix "ello"',
    );
    assert.deepEqual(r[0], [true, false, true, true, false, true, false, true, true]);
  });

  it('==, !=, =~, !~ on strings', async () => {
    assert.deepEqual((await rows('print s = "Abc" | project s == "abc", s != "abc", s =~ "abc", s !~ "ABC"'))[0], [
      false,
      true,
      true,
      false,
    ]);
  });

  it('in, !in, in~, !in~ with lists and dynamic arrays', async () => {
    const r = await rows(
      'datatable(s:string)["A","b","c"] | extend i = s in ("A","b"), n = s !in ("A"), ci = s in~ ("a"), nci = s !in~ ("a","B"), d = s in (dynamic(["c"]))',
    );
    assert.deepEqual(
      r.map((x) => x.slice(1)),
      [
        [true, false, true, false, false],
        [true, true, false, false, false],
        [false, true, false, true, true],
      ],
    );
    assert.deepEqual(await rows('datatable(n:long)[1,2,long(null)] | where n in (1, 3) | count'), [[1]]);
  });

  it('has_any and has_all', async () => {
    const r = await rows(
      'datatable(s:string)["failed login for bob", "ok"] | extend a = s has_any ("bob", "zed"), b = s has_all ("failed", "bob"), c = s has_any (dynamic(["ok"]))',
    );
    assert.deepEqual(
      r.map((x) => x.slice(1)),
      [
        [true, true, false],
        [false, false, true],
      ],
    );
  });

  it('between and !between on numbers and datetimes (incl. datetime .. timespan)', async () => {
    assert.deepEqual(
      (await rows('print x = 5 | project x between (1 .. 5), x between (6 .. 9), x !between (1 .. 4)'))[0],
      [true, false, true],
    );
    assert.equal(await scalar('print datetime(2026-01-01 10:00) between (datetime(2026-01-01) .. 12h)'), true);
    assert.equal(await scalar('print datetime(2026-01-01 10:00) between (ago(1d) .. now())'), false);
  });

  it('matches regex', async () => {
    assert.deepEqual((await rows('print s = "a.b.c" | project s matches regex @"^a\\.b", s matches regex "x+"'))[0], [
      true,
      false,
    ]);
  });

  it('and / or / not with null (three-valued logic)', async () => {
    const r = await rows('print n = bool(null) | project n and false, n and true, n or true, n or false, not(true)');
    assert.deepEqual(r[0], [false, null, true, null, false]);
  });

  it('null comparisons: == with null is false (two nulls: null), != with null is true', async () => {
    const r = await rows('print a = long(null), b = 1 | project a == b, a != b, a == a, a > b, isnull(a == a)');
    assert.deepEqual(r[0], [false, true, null, null, true]);
    assert.deepEqual(await rows('datatable(n:long)[1, long(null)] | where n != 1 | count'), [[1]]);
  });

  it('arithmetic: integer division, reals, datetimes and timespans', async () => {
    const r = await rows(
      'print 7 / 2, 7.0 / 2, 7 % 3, -(4), datetime(2026-01-02) - datetime(2026-01-01), datetime(2026-01-01) + 1h, 1d / 1h, 2 * 3h, long(null) + 1',
    );
    assert.deepEqual(r[0], [3, 3.5, 1, -4, '1.00:00:00', '2026-01-01T01:00:00Z', 24, '06:00:00', null]);
  });

  it('ago, now, bin and startofday use the injected clock', async () => {
    const r = await rows(
      'print now(), ago(1h), bin(datetime(2026-01-01 10:17), 15m), startofday(datetime(2026-01-01 10:17)), bin(17, 5)',
    );
    assert.deepEqual(r[0], [
      '2026-11-20T12:00:00Z',
      '2026-11-20T11:00:00Z',
      '2026-01-01T10:15:00Z',
      '2026-01-01T00:00:00Z',
      15,
    ]);
  });

  it('datetime bins align to 0001-01-01 like Kusto ticks (weekly bins start on Monday), on columns and constants', async () => {
    const r = await rows(
      'datatable(t:datetime)[datetime(2026-11-20 10:00)] | project bin(t, 7d), bin(datetime(2026-11-20 10:00), 7d), bin(t, 1h)',
    );
    assert.deepEqual(r[0], ['2026-11-16T00:00:00Z', '2026-11-16T00:00:00Z', '2026-11-20T10:00:00Z']);
  });

  it('in on a string column compares the text of numeric list items', async () => {
    assert.deepEqual(await rows('datatable(s:string)["50126", "0"] | where s in (50126, 50074) | count'), [[1]]);
  });

  it('iff / iif / case, isempty / isnotempty / isnull / isnotnull', async () => {
    const r = await rows(
      'datatable(s:string, n:long)["", long(null), "x", 1] | project iff(n > 0, "pos", "other"), iif(isempty(s), 1, 2), isnotempty(s), isnull(n), isnotnull(n), case(n == 1, "one", s == "", "empty", "else")',
    );
    assert.deepEqual(r, [
      ['other', 1, false, true, false, 'empty'],
      ['pos', 2, true, false, true, 'one'],
    ]);
  });

  it('dynamic access: a.b, a["b"], a[0], a[-1], missing paths are null', async () => {
    const r = await rows(
      'print d = dynamic({"a": {"b": [10, 20]}, "c": "x"}) | project d.a.b[0], d["a"]["b"][-1], d.c, d.nope, d.a.b[5], tostring(d.a)',
    );
    assert.deepEqual(r[0], [10, 20, 'x', null, null, '{"b":[10,20]}']);
  });

  it('dynamic values compare with strings and numbers', async () => {
    const r = await rows(
      'datatable(d:dynamic)[dynamic({"city":"Oslo","n":3}), dynamic({"n":4})] | where d.city == "Oslo" or d.n > 3 | count',
    );
    assert.deepEqual(r, [[2]]);
  });

  it('functions from the library are called with analyzer types (tostring, strcat, split, extract, toint)', async () => {
    const r = await rows(
      'print tostring(5), strcat("a", 1, "b"), split("a;b", ";"), extract("id=(\\\\d+)", 1, "x id=42"), toint("12")',
    );
    assert.deepEqual(r[0], ['5', 'a1b', ['a', 'b'], '42', 12]);
  });

  it('column_ifexists picks the column or the default', async () => {
    const r = await rows('print a = 1 | project x = column_ifexists("a", 0), y = column_ifexists("nope", 7)');
    assert.deepEqual(r[0], [1, 7]);
  });

  it('string predicates evaluate once per distinct value yet answer per row', async () => {
    const r = await rows(
      'range i from 1 to 1000 step 1 | extend s = iff(i % 2 == 0, "even row", "odd row") | summarize countif(s has "even"), countif(s startswith "odd")',
    );
    assert.deepEqual(r, [[500, 500]]);
  });
});
