import { strict as assert } from 'assert';
import { call, dt, ts } from './helpers';

describe('kql functions: conversions', () => {
  it('tostring prints each type and gives empty text for null', () => {
    assert.equal(call('tostring', [123], ['long'], 'string'), '123');
    assert.equal(call('tostring', [null], ['long'], 'string'), '');
    assert.equal(call('tostring', [{ a: 1 }], ['dynamic'], 'string'), '{"a":1}');
    assert.equal(call('tostring', ['x'], ['dynamic'], 'string'), 'x');
    assert.equal(call('tostring', [ts('1d')], ['timespan'], 'string'), '1.00:00:00');
  });

  it('toint/tolong truncate, read strings, and give null for garbage', () => {
    assert.equal(call('toint', [2.7], ['real'], 'int'), 2);
    assert.equal(call('toint', [-2.7], ['real'], 'int'), -2);
    assert.equal(call('toint', ['123'], ['string'], 'int'), 123);
    assert.equal(call('toint', ['abc'], ['string'], 'int'), null);
    assert.equal(call('toint', [''], ['string'], 'int'), null);
    assert.equal(call('toint', [null], ['string'], 'int'), null);
    assert.equal(
      call('toint', ['2147483648'], ['string'], 'int'),
      null,
      'out of the int range: no conversion, no wrap-around',
    );
    assert.equal(call('toint', [-2147483648], ['long'], 'int'), -2147483648);
    assert.equal(call('tolong', ['9007199254740'], ['string'], 'long'), 9007199254740);
    assert.equal(call('tolong', [true], ['bool'], 'long'), 1);
    assert.equal(call('tolong', [{ a: 1 }], ['dynamic'], 'long'), null);
  });

  it('toreal/todouble/todecimal read numbers and NaN', () => {
    assert.equal(call('toreal', ['1.5'], ['string'], 'real'), 1.5);
    assert.equal(call('todouble', ['1e3'], ['string'], 'real'), 1000);
    assert.ok(Number.isNaN(call('toreal', ['NaN'], ['string'], 'real') as number));
    assert.equal(call('todecimal', ['123.45678'], ['string'], 'decimal'), 123.45678);
    assert.equal(call('toreal', ['x'], ['string'], 'real'), null);
  });

  it('tobool accepts true/false in any case and 1/0', () => {
    assert.equal(call('tobool', ['TRUE'], ['string'], 'bool'), true);
    assert.equal(call('tobool', ['false'], ['string'], 'bool'), false);
    assert.equal(call('tobool', [0], ['long'], 'bool'), false);
    assert.equal(call('tobool', ['yes'], ['string'], 'bool'), null);
  });

  it('toguid normalises and refuses non-guids', () => {
    assert.equal(
      call('toguid', ['0123456789abcdef0123456789abcdef'], ['string'], 'guid'),
      '01234567-89ab-cdef-0123-456789abcdef',
    );
    assert.equal(call('toguid', ['a string that is not a guid'], ['string'], 'guid'), null);
  });

  it('todynamic/parse_json parse JSON text, keep other text as a string, pass dynamic through', () => {
    assert.deepEqual(call('parse_json', ['{"a":{"b":[1,2]}}'], ['string']), { a: { b: [1, 2] } });
    assert.equal(call('parse_json', ['not json'], ['string']), 'not json');
    assert.equal(call('parse_json', [''], ['string']), null);
    assert.deepEqual(call('todynamic', [[1, 2]], ['dynamic']), [1, 2]);
    assert.equal(call('todynamic', [dt('2020-01-01')], ['datetime']), '2020-01-01T00:00:00.0000000Z');
  });

  it('todatetime/totimespan parse text and keep values of their own type', () => {
    assert.equal(call('todatetime', ['2015-12-24'], ['string'], 'datetime'), dt('2015-12-24'));
    assert.equal(call('todatetime', ['garbage'], ['string'], 'datetime'), null);
    assert.equal(call('todatetime', [dt('2015-12-24')], ['datetime'], 'datetime'), dt('2015-12-24'));
    assert.equal(call('totimespan', ['0.00:03:00'], ['string'], 'timespan'), ts('3m'));
    assert.equal(call('totimespan', ['x'], ['string'], 'timespan'), null);
    assert.throws(() => call('totimespan', [100], ['long'], 'timespan'), /does not support totimespan\(\) of a number/);
    assert.throws(() => call('todatetime', [100], ['long'], 'datetime'), /does not support todatetime\(\) of a number/);
  });

  it("tohex uses two's complement of the argument width and pads to a minimum length", () => {
    assert.equal(call('tohex', [256], ['long'], 'string'), '100');
    assert.equal(call('tohex', [-256], ['long'], 'string'), 'ffffffffffffff00');
    assert.equal(call('tohex', [-256, 8], ['int', 'long'], 'string'), 'ffffff00');
    assert.equal(call('tohex', [256, 8], ['long', 'long'], 'string'), '00000100');
    assert.equal(call('tohex', [null], ['long'], 'string'), null);
  });

  it('gettype names static and dynamic types', () => {
    assert.equal(call('gettype', ['a'], ['string'], 'string'), 'string');
    assert.equal(call('gettype', [111], ['long'], 'string'), 'long');
    assert.equal(call('gettype', [1], ['dynamic'], 'string'), 'int');
    assert.equal(call('gettype', [{}], ['dynamic'], 'string'), 'dictionary');
    assert.equal(call('gettype', [[1]], ['dynamic'], 'string'), 'array');
    assert.equal(call('gettype', [null], ['dynamic'], 'string'), 'null');
  });
});

describe('kql functions: conditionals and nulls', () => {
  it('iff/iif treat a null condition as false', () => {
    assert.equal(call('iff', [true, 'a', 'b']), 'a');
    assert.equal(call('iif', [null, 'a', 'b']), 'b');
  });

  it('case picks the first true branch, else the last argument', () => {
    assert.equal(call('case', [false, 'x', true, 'y', 'z']), 'y');
    assert.equal(call('case', [false, 'x', null, 'y', 'z']), 'z');
  });

  it('coalesce skips nulls (and empty strings for strings)', () => {
    assert.equal(call('coalesce', [null, 42, 33], ['long', 'long', 'long'], 'long'), 42);
    assert.equal(call('coalesce', ['', 'b'], ['string', 'string'], 'string'), 'b');
    assert.equal(call('coalesce', [null, null], ['long', 'long'], 'long'), null);
  });

  it('isempty/isnotempty/isnull/isnotnull follow Kusto (strings are never null)', () => {
    assert.equal(call('isempty', ['']), true);
    assert.equal(call('isempty', [null]), true);
    assert.equal(call('isempty', [[]]), false);
    assert.equal(call('isnotempty', ['a']), true);
    assert.equal(call('isnull', [''], ['string']), false);
    assert.equal(call('isnull', [null], ['long']), true);
    assert.equal(call('isnotnull', [0], ['long']), true);
  });

  it('max_of/min_of ignore nulls; not() keeps null', () => {
    assert.equal(call('max_of', [10, 1, -3, 17]), 17);
    assert.equal(call('min_of', [null, 3]), 3);
    assert.equal(call('max_of', [null, null]), null);
    assert.equal(call('not', [true]), false);
    assert.equal(call('not', [null]), null);
  });

  it('isnan/isinf/isfinite', () => {
    assert.equal(call('isnan', [NaN]), true);
    assert.equal(call('isinf', [-Infinity]), true);
    assert.equal(call('isfinite', [1]), true);
    assert.equal(call('isfinite', [NaN]), false);
  });
});
