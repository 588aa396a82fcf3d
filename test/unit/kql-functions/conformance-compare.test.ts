// The conformance runner's comparison: a docs cell (untyped text) against an engine wire value.
import { strict as assert } from 'assert';
import * as values from '../../../src/core/columnar/values';
const {
  cellMatches,
  compareResult,
  constructFamily,
  queryIsOrdered,
  unsupportedConstruct,
} = require('../../../scripts/lib/conformance-compare.js');

const example = (query: string, columns: string[], rows: string[][], nondeterministic = false) => ({
  id: 'x#1',
  page: 'x.md',
  query,
  nondeterministic,
  expected: { columns, rows },
});

describe('conformance comparison', () => {
  it('matches datetimes printed either way, within a microsecond', () => {
    assert.ok(cellMatches('2016-02-17 08:39:00.0000000', '2016-02-17T08:39:00Z', 'datetime', values));
    assert.ok(cellMatches('2023-06-19T08:22:54.6623324Z', '2023-06-19T08:22:54.6623320Z', 'datetime', values));
    assert.ok(!cellMatches('2016-02-17 08:39:01.0000000', '2016-02-17T08:39:00Z', 'datetime', values));
  });

  it('matches numbers loosely, by printed precision, and thousands separators', () => {
    assert.ok(cellMatches('7.389056', 7.38905609893065, 'real', values));
    assert.ok(cellMatches('32.667', 32 + 2 / 3, 'real', values));
    assert.ok(cellMatches('700,000,000', 700000000, 'decimal', values));
    assert.ok(!cellMatches('10', 11, 'long', values));
    assert.ok(!cellMatches('', 0, 'long', values), 'an empty cell is null, not zero');
    assert.ok(cellMatches('', null, 'long', values));
    assert.ok(cellMatches('NaN', 'NaN', 'real', values));
  });

  it('matches booleans, timespans, dynamic JSON (loose quoting) and strings', () => {
    assert.ok(cellMatches('True', true, 'bool', values));
    assert.ok(!cellMatches('false', true, 'bool', values));
    assert.ok(cellMatches('1.00:00:00', '1.00:00:00', 'timespan', values));
    assert.ok(cellMatches("{'a': 1,'b': '2'}", { a: 1, b: '2' }, 'dynamic', values));
    assert.ok(cellMatches('[<br>  "a",<br>  "c"<br>]', ['a', 'c'], 'dynamic', values));
    assert.ok(cellMatches('[1.0, 3.0]', [1, 3], 'dynamic', values));
    assert.ok(!cellMatches('[1, 2]', [2, 1], 'dynamic', values));
    assert.ok(cellMatches('`https://bing.com`', 'https://bing.com', 'string', values));
    assert.ok(!cellMatches('abc', 'abd', 'string', values));
  });

  it('compares rows as a multiset unless the query sorts', () => {
    const cols = [{ name: 'x', type: 'long' }];
    assert.ok(
      compareResult(
        example('range x from 1 to 2 step 1', ['x'], [['2'], ['1']]),
        { columns: cols, rows: [[1], [2]] },
        values,
      ).ok,
    );
    assert.ok(
      !compareResult(
        example('range x from 1 to 2 step 1 | sort by x asc', ['x'], [['2'], ['1']]),
        { columns: cols, rows: [[1], [2]] },
        values,
      ).ok,
    );
    assert.ok(
      !compareResult(example('print 1', ['x'], [['1'], ['1']]), { columns: cols, rows: [[1], [2]] }, values).ok,
      'multiset counts duplicates',
    );
    assert.ok(
      !compareResult(example('print 1', ['y'], [['1']]), { columns: cols, rows: [[1]] }, values).ok,
      'column names must agree',
    );
    assert.ok(
      compareResult(example('print now()', ['x'], [['5']], true), { columns: cols, rows: [[1]] }, values).loose,
    );
  });

  it('knows ordered queries and names unsupported constructs', () => {
    assert.ok(queryIsOrdered('T | order by x'));
    assert.ok(queryIsOrdered('T | top 3 by x'));
    assert.ok(!queryIsOrdered('T | where sorted == 1'));
    assert.equal(unsupportedConstruct('local engine does not support `make-series` (line 3, col 5)'), '`make-series`');
    assert.equal(
      unsupportedConstruct('local engine does not support the function `geo_angle()` (line 1, col 1)'),
      '`geo_angle()`',
    );
  });

  it('groups refused constructs into families for the ranking', () => {
    assert.equal(constructFamily('`geo_union_polygons_array()`'), 'geo_* functions');
    assert.equal(constructFamily('geo_polygon_area() of a MultiPolygon whose polygons overlap'), 'geo_* functions');
    assert.equal(constructFamily('`series_fit_poly()`'), 'series_* functions');
    assert.equal(constructFamily('`asin()`'), 'other functions');
    assert.equal(constructFamily('`evaluate ipv4_lookup`'), 'evaluate plugins');
    assert.equal(constructFamily('`make-graph`'), 'tabular operators');
    assert.equal(constructFamily('`project` mixing wildcards and expressions'), 'other shapes of supported constructs');
  });

  it('reads a Markdown link whose text is its address as the address', () => {
    assert.ok(
      cellMatches(
        '[https://example.com/a?b=1](https://example.com/a?b=1)',
        'https://example.com/a?b=1',
        'string',
        values,
      ),
    );
    assert.ok(!cellMatches('[text](https://example.com)', 'https://example.com', 'string', values));
  });
});
