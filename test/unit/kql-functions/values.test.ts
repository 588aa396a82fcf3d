import { strict as assert } from 'assert';
import { plain } from '../plain';
import {
  compareDynamic,
  dynamicEquals,
  formatDatetime,
  formatReal,
  formatTimespan,
  fromExternal,
  parseDatetime,
  parseGuid,
  parseLong,
  parseReal,
  parseTimespan,
  toWire,
  valueToString,
} from '../../../src/core/columnar/values';

describe('kql values: datetimes', () => {
  it('parses the ISO forms Kusto accepts and prints ISO with a fraction only when non-zero', () => {
    assert.equal(formatDatetime(parseDatetime('2016-02-17 08:39:00.0000000')!), '2016-02-17T08:39:00Z');
    assert.equal(formatDatetime(parseDatetime('2016-02-17T08:39')!), '2016-02-17T08:39:00Z');
    assert.equal(formatDatetime(parseDatetime('2016-02-17')!), '2016-02-17T00:00:00Z');
    assert.equal(formatDatetime(parseDatetime('2015-12-31 23:59:59.9')!), '2015-12-31T23:59:59.9000000Z');
    assert.equal(formatDatetime(parseDatetime('2014-05-25T08:20:03.123456Z')!), '2014-05-25T08:20:03.1234560Z');
  });

  it('applies offsets and reads RFC 822/850, US dates and the comma literal form', () => {
    assert.equal(formatDatetime(parseDatetime('2015-12-31T23:59:59+01:00')!), '2015-12-31T22:59:59Z');
    assert.equal(formatDatetime(parseDatetime('Sat, 8 Nov 14 15:05:02 GMT')!), '2014-11-08T15:05:02Z');
    assert.equal(formatDatetime(parseDatetime('Saturday, 08-Nov-14 15:05:02 GMT')!), '2014-11-08T15:05:02Z');
    assert.equal(formatDatetime(parseDatetime('12-02-2022')!), '2022-12-02T00:00:00Z');
    assert.equal(formatDatetime(parseDatetime('2025, 6, 14')!), '2025-06-14T00:00:00Z');
  });

  it('refuses text that is not a datetime, and impossible dates', () => {
    for (const bad of ['', 'abc', '2015-02-30', '2015-13-01', '2015-01-01 25:00', '12345'])
      assert.equal(parseDatetime(bad), null, bad);
  });

  it('handles dates before 1970 and the earliest Kusto date', () => {
    assert.equal(formatDatetime(parseDatetime('1947-11-30 10:00:05')!), '1947-11-30T10:00:05Z');
    assert.equal(formatDatetime(parseDatetime('0001-01-01')!), '0001-01-01T00:00:00Z');
    assert.equal(formatDatetime(parseDatetime('2016-02-29')!, 'always'), '2016-02-29T00:00:00.0000000Z');
  });
});

describe('kql values: timespans', () => {
  it('reads literals with units and clock forms', () => {
    const cases: [string, string][] = [
      ['1d', '1.00:00:00'],
      ['2h', '02:00:00'],
      ['30m', '00:30:00'],
      ['10s', '00:00:10'],
      ['100ms', '00:00:00.1000000'],
      ['1tick', '00:00:00.0000001'],
      ['1.5h', '01:30:00'],
      ['time(1.02:03:04.5)', '1.02:03:04.5000000'],
      ['-01:00:00', '-01:00:00'],
      ['365.00:00:00', '365.00:00:00'],
      ['time(2)', '2.00:00:00'],
      ['10microseconds', '00:00:00.0000100'],
      ['0.00:03:00', '00:03:00'],
    ];
    for (const [text, printed] of cases) assert.equal(formatTimespan(parseTimespan(text)!), printed, text);
  });

  it('refuses text that is not a timespan', () => {
    for (const bad of ['', 'abc', '1x', '25:00:00', '00:61:00']) assert.equal(parseTimespan(bad), null, bad);
  });
});

describe('kql values: numbers, guids, text', () => {
  it('prints reals like Kusto', () => {
    assert.equal(formatReal(1.5), '1.5');
    assert.equal(formatReal(2.20904969985854e-5), '2.20904969985854E-05');
    assert.equal(formatReal(1e20), '1E+20');
    assert.equal(formatReal(NaN), 'NaN');
    assert.equal(formatReal(-Infinity), '-Infinity');
    assert.equal(formatReal(0.0001), '0.0001');
  });

  it('parses longs and reals, refusing garbage', () => {
    assert.equal(parseLong('123'), 123);
    assert.equal(parseLong(' -7 '), -7);
    assert.equal(parseLong('0x1F'), 31);
    assert.equal(parseLong('2.9'), 2);
    assert.equal(parseLong('abc'), null);
    assert.equal(parseReal('1e3'), 1000);
    assert.ok(Number.isNaN(parseReal('NaN')!));
    assert.equal(parseReal('1,5'), null);
  });

  it('normalises guids', () => {
    assert.equal(parseGuid('0123456789ABCDEF0123456789ABCDEF'), '01234567-89ab-cdef-0123-456789abcdef');
    assert.equal(parseGuid('{01234567-89ab-cdef-0123-456789abcdef}'), '01234567-89ab-cdef-0123-456789abcdef');
    assert.equal(parseGuid('not a guid'), null);
  });

  it('tostring of every type, null as empty', () => {
    assert.equal(valueToString(null, 'long'), '');
    assert.equal(valueToString(5, 'long'), '5');
    assert.equal(valueToString(2.5, 'real'), '2.5');
    assert.equal(valueToString(true, 'bool'), 'true');
    assert.equal(valueToString(parseDatetime('2017-10-15 12:00')!, 'datetime'), '2017-10-15T12:00:00.0000000Z');
    assert.equal(valueToString(parseTimespan('3h')!, 'timespan'), '03:00:00');
    assert.equal(valueToString({ a: [1, 'x'] }, 'dynamic'), '{"a":[1,"x"]}');
    assert.equal(valueToString('abc', 'dynamic'), 'abc');
  });
});

describe('kql values: wire form and external values', () => {
  it('converts engine values to the QueryResult wire form', () => {
    assert.equal(toWire(parseDatetime('2026-01-02 03:04:05')!, 'datetime'), '2026-01-02T03:04:05Z');
    assert.equal(toWire(parseTimespan('1d')!, 'timespan'), '1.00:00:00');
    assert.equal(toWire(NaN, 'real'), 'NaN');
    assert.equal(toWire(null, 'string'), '');
    assert.equal(toWire(null, 'long'), null);
    assert.equal(toWire(3.7, 'long'), 3);
    assert.deepEqual(toWire({ a: 1 }, 'dynamic'), { a: 1 });
  });

  it('reads external cells into each type, null when unreadable', () => {
    assert.equal(fromExternal('2024-01-01T00:00:00Z', 'datetime'), parseDatetime('2024-01-01'));
    assert.equal(fromExternal('not a date', 'datetime'), null);
    assert.equal(fromExternal('42', 'int'), 42);
    assert.equal(fromExternal('', 'long'), null);
    assert.equal(fromExternal('True', 'bool'), true);
    assert.deepEqual(plain(fromExternal('{"a":1}', 'dynamic')), { a: 1 });
    assert.equal(fromExternal('plain text', 'dynamic'), 'plain text');
    assert.equal(fromExternal({ a: 1 }, 'string'), '{"a":1}');
  });

  it('compares dynamic values deeply', () => {
    assert.ok(dynamicEquals({ a: [1, 2], b: 'x' }, { b: 'x', a: [1, 2] }));
    assert.ok(!dynamicEquals([1, 2], [2, 1]));
    assert.ok(!dynamicEquals(null, 0));
    assert.ok(compareDynamic(null, 1) < 0);
    assert.ok(compareDynamic(2, 10) < 0);
    assert.ok(compareDynamic('b', 'a') > 0);
  });
});
