import { strict as assert } from 'assert';
import { formatDatetime } from '../../../src/core/columnar/values';
import { call, dt, NOW, ts } from './helpers';

const D = 'datetime' as const;
const iso = (v: unknown) => formatDatetime(v as number);

describe('kql functions: date and time', () => {
  it('now/ago use the injected clock', () => {
    assert.equal(call('now', [], [], D), NOW);
    assert.equal(call('now', [ts('-1h')], ['timespan'], D), NOW - ts('1h'));
    assert.equal(call('ago', [ts('1d')], ['timespan'], D), NOW - ts('1d'));
    assert.equal(call('ago', [null], ['timespan'], D), null);
  });

  it('bin floors numbers, timespans and datetimes; 7d bins start on Mondays', () => {
    assert.equal(call('bin', [4.5, 1], ['real', 'long'], 'real'), 4);
    assert.equal(call('bin', [-4.5, 1], ['real', 'long'], 'real'), -5);
    assert.equal(call('bin', [17, 5], ['long', 'long'], 'long'), 15);
    assert.equal(call('bin', [ts('1.12:00:00'), ts('1d')], ['timespan', 'timespan'], 'timespan'), ts('1d'));
    assert.equal(iso(call('bin', [dt('1970-05-11 13:45:07'), ts('1d')], [D, 'timespan'], D)), '1970-05-11T00:00:00Z');
    assert.equal(iso(call('bin', [dt('2017-05-17 10:20'), ts('7d')], [D, 'timespan'], D)), '2017-05-15T00:00:00Z');
    assert.equal(call('bin', [5, 0], ['long', 'long'], 'long'), null);
    assert.equal(call('bin', [null, 1], ['long', 'long'], 'long'), null);
  });

  it('bin_at aligns bins to a fixed point', () => {
    assert.equal(call('bin_at', [6.5, 2.5, 7], ['real', 'real', 'long'], 'real'), 4.5);
    assert.equal(
      call('bin_at', [ts('1h'), ts('1d'), ts('12h')], ['timespan', 'timespan', 'timespan'], 'timespan'),
      -ts('12h'),
    );
    assert.equal(
      iso(call('bin_at', [dt('2017-05-15 10:20'), ts('1d'), dt('1970-01-01 12:00')], [D, 'timespan', D], D)),
      '2017-05-14T12:00:00Z',
    );
  });

  it('startof*/endof* with offsets', () => {
    const t = dt('2017-01-01 10:10:17');
    assert.equal(iso(call('startofday', [t], [D], D)), '2017-01-01T00:00:00Z');
    assert.equal(iso(call('startofweek', [t, -1], [D, 'long'], D)), '2016-12-25T00:00:00Z');
    assert.equal(iso(call('startofmonth', [dt('2017-03-31'), -1], [D, 'long'], D)), '2017-02-01T00:00:00Z');
    assert.equal(iso(call('startofyear', [t, 1], [D, 'long'], D)), '2018-01-01T00:00:00Z');
    const end = call('endofweek', [t, -1], [D, 'long'], D) as number;
    assert.ok(
      end < dt('2017-01-01') && end > dt('2016-12-31 23:59:59.9999'),
      'end of week is just before the next week',
    );
    assert.equal(iso(end).slice(0, 26), '2016-12-31T23:59:59.999999');
    assert.equal(iso(call('endofmonth', [dt('2016-02-10')], [D], D)).slice(0, 26), '2016-02-29T23:59:59.999999');
    assert.ok((call('endofyear', [t], [D], D) as number) < dt('2018-01-01'));
    assert.equal(call('startofday', [null], [D], D), null);
  });

  it('datetime_add clamps month ends; datetime_diff counts boundaries crossed', () => {
    const base = dt('2017-01-01');
    assert.equal(iso(call('datetime_add', ['month', -15, base], ['string', 'long', D], D)), '2015-10-01T00:00:00Z');
    assert.equal(iso(call('datetime_add', ['week', 100, base], ['string', 'long', D], D)), '2018-12-02T00:00:00Z');
    assert.equal(
      iso(call('datetime_add', ['month', 1, dt('2017-01-31')], ['string', 'long', D], D)),
      '2017-02-28T00:00:00Z',
    );
    const diff = (part: string, a: string, b: string) =>
      call('datetime_diff', [part, dt(a), dt(b)], ['string', D, D], 'long');
    assert.equal(diff('year', '2017-01-01', '2000-12-31'), 17);
    assert.equal(diff('quarter', '2017-07-01', '2017-03-30'), 2);
    assert.equal(diff('month', '2017-01-01', '2015-12-30'), 13);
    assert.equal(diff('week', '2017-10-29 00:00', '2017-09-30 23:59'), 5);
    assert.equal(diff('day', '2017-10-29 00:00', '2017-09-30 23:59'), 29);
    assert.equal(diff('hour', '2017-10-31 01:00', '2017-10-30 23:59'), 2);
    assert.equal(diff('second', '2017-10-30 23:00:10.100', '2017-10-30 23:00:00.900'), 10);
    assert.throws(() => diff('fortnight', '2017-01-01', '2017-01-01'));
  });

  it('datetime_part and the part shortcuts', () => {
    const t = dt('2017-10-30 01:02:03.7654321');
    const part = (p: string) => call('datetime_part', [p, t], ['string', D], 'int');
    assert.deepEqual(
      ['year', 'quarter', 'month', 'week_of_year', 'day', 'dayOfYear', 'hour', 'minute', 'second', 'millisecond'].map(
        part,
      ),
      [2017, 4, 10, 44, 30, 303, 1, 2, 3, 765],
    );
    assert.equal(call('dayofweek', [dt('1947-11-30 10:00:05')], [D], 'timespan'), 0);
    assert.equal(call('dayofweek', [dt('1970-05-12')], [D], 'timespan'), ts('2d'));
    assert.equal(call('dayofmonth', [dt('2015-12-14')], [D], 'int'), 14);
    assert.equal(call('dayofyear', [dt('2015-12-14')], [D], 'int'), 348);
    assert.equal(call('getmonth', [dt('2015-10-12')], [D], 'int'), 10);
    assert.equal(call('monthofyear', [dt('2015-10-12')], [D], 'int'), 10);
    assert.equal(call('getyear', [dt('2015-10-12')], [D], 'int'), 2015);
    assert.equal(call('hourofday', [dt('2015-12-14 18:54')], [D], 'int'), 18);
    assert.equal(call('week_of_year', [dt('2021-01-03')], [D], 'int'), 53);
  });

  it('format_datetime and format_timespan', () => {
    const t = dt('2017-01-29 09:00:05');
    assert.equal(call('format_datetime', [t, 'yy-MM-dd [HH:mm:ss]'], [D, 'string'], 'string'), '17-01-29 [09:00:05]');
    assert.equal(call('format_datetime', [t, 'yyyy-M-dd [H:mm:ss]'], [D, 'string'], 'string'), '2017-1-29 [9:00:05]');
    assert.equal(
      call('format_datetime', [t, 'yy-MM-dd [hh:mm:ss tt]'], [D, 'string'], 'string'),
      '17-01-29 [09:00:05 AM]',
    );
    assert.equal(
      call('format_datetime', [dt('2017-01-29 13:00:05.123'), 'HH:mm:ss.fff'], [D, 'string'], 'string'),
      '13:00:05.123',
    );
    assert.equal(call('format_datetime', [null, 'yyyy'], [D, 'string'], 'string'), '');
    const span = ts('29.09:00:05.12345');
    assert.equal(call('format_timespan', [span, 'dd.hh:mm:ss:FF'], ['timespan', 'string'], 'string'), '29.09:00:05:12');
    assert.equal(
      call('format_timespan', [span, 'ddd.h:mm:ss [fffffff]'], ['timespan', 'string'], 'string'),
      '029.9:00:05 [1234500]',
    );
  });

  it('make_datetime, make_timespan and unixtime conversions', () => {
    assert.equal(
      iso(call('make_datetime', [2017, 10, 1, 12, 10], ['long', 'long', 'long', 'long', 'long'], D)),
      '2017-10-01T12:10:00Z',
    );
    assert.equal(call('make_datetime', [2017, 2, 30], ['long', 'long', 'long'], D), null);
    assert.equal(
      call('make_timespan', [1, 12, 30, 55.2], ['long', 'long', 'long', 'real'], 'timespan'),
      ts('1.12:30:55.2'),
    );
    assert.equal(call('make_timespan', [12, 30], ['long', 'long'], 'timespan'), ts('12:30:00'));
    assert.equal(iso(call('unixtime_seconds_todatetime', [1546300800], ['long'], D)), '2019-01-01T00:00:00Z');
    assert.equal(
      iso(call('unixtime_milliseconds_todatetime', [1546300800123], ['long'], D)),
      '2019-01-01T00:00:00.1230000Z',
    );
    assert.equal(call('unixtime_seconds_todatetime', [null], ['long'], D), null);
  });

  it('converts between UTC and IANA time zones, including the spring-forward gap', () => {
    assert.equal(
      iso(call('datetime_local_to_utc', [dt('2020-02-02 20:02:20'), 'US/Pacific'], [D, 'string'], D)),
      '2020-02-03T04:02:20Z',
    );
    assert.equal(
      iso(call('datetime_local_to_utc', [dt('2020-02-02 20:02:20'), 'Europe/Paris'], [D, 'string'], D)),
      '2020-02-02T19:02:20Z',
    );
    assert.equal(
      iso(call('datetime_local_to_utc', [dt('2022-03-27 02:00'), 'Europe/Brussels'], [D, 'string'], D)),
      '2022-03-27T00:00:00Z',
    );
    assert.equal(
      iso(call('datetime_local_to_utc', [dt('2022-03-27 03:00'), 'Europe/Brussels'], [D, 'string'], D)),
      '2022-03-27T01:00:00Z',
    );
    assert.equal(
      iso(call('datetime_utc_to_local', [dt('2022-07-11 22:18:48'), 'US/Pacific'], [D, 'string'], D)),
      '2022-07-11T15:18:48Z',
    );
    assert.throws(() => call('datetime_utc_to_local', [dt('2022-07-11'), 'Mars/Olympus'], [D, 'string'], D));
  });
});
