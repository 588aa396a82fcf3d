// Value conversions shared by the KQL engine, the scalar function library and the CLI.
//
// Engine values: null | string | number | boolean | dynamic (plain JSON-like JS values).
// - int/long/real/decimal are numbers; datetime is epoch microseconds; timespan is microseconds
//   (fractional for sub-microsecond ticks); guid is a lowercase string; bool is a boolean.
// - A datetime or timespan stored inside a dynamic value is kept as its Kusto string form
//   (`2017-01-01T00:00:00.0000000Z`, `01:00:00`), as Kusto prints it inside JSON.
import type { KqlType } from '../types';

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 60 * US_PER_MINUTE;
export const US_PER_DAY = 24 * US_PER_HOUR;
/** One tick (100 ns), the smallest unit Kusto's datetime and timespan have. */
export const US_PER_TICK = 0.1;

/**
 * The last representable instant before `us`, one tick earlier where doubles can hold ticks
 * (endofday() and friends). Beyond 2^53 / 10 a tick is below the double's resolution, so this
 * steps down to the next smaller double instead of returning `us` itself.
 */
export function tickBefore(us: number): number {
  const y = us - US_PER_TICK;
  if (y < us) return y;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, us);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, us > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

/** Earliest and latest datetimes Kusto allows (0001-01-01 .. 9999-12-31 23:59:59.9999999). */
export const MIN_DATETIME_US = -62135596800 * US_PER_SECOND;
export const MAX_DATETIME_US = 253402300800 * US_PER_SECOND - 1;

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, UTC), exact for every year 1..9999.

/** Days since 1970-01-01 of a civil date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day count since 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

export interface DatetimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Microseconds within the second (may carry a sub-microsecond fraction). */
  micros: number;
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  /** 1-based. */
  dayOfYear: number;
}

export function datetimeParts(us: number): DatetimeParts {
  const days = Math.floor(us / US_PER_DAY);
  const inDay = us - days * US_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor(inDay / US_PER_HOUR);
  const minute = Math.floor((inDay - hour * US_PER_HOUR) / US_PER_MINUTE);
  const second = Math.floor((inDay - hour * US_PER_HOUR - minute * US_PER_MINUTE) / US_PER_SECOND);
  const micros = inDay - hour * US_PER_HOUR - minute * US_PER_MINUTE - second * US_PER_SECOND;
  const dayOfWeek = (((days + 4) % 7) + 7) % 7;
  const dayOfYear = days - daysFromCivil(year, 1, 1) + 1;
  return { year, month, day, hour, minute, second, micros, dayOfWeek, dayOfYear };
}

/** Epoch microseconds of a civil date-time, or null when a part is out of range. */
export function makeDatetime(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number | null {
  if (![year, month, day, hour, minute, second].every(Number.isFinite)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second >= 60) return null;
  if (
    !Number.isInteger(year) ||
    !Number.isInteger(month) ||
    !Number.isInteger(day) ||
    !Number.isInteger(hour) ||
    !Number.isInteger(minute)
  )
    return null;
  const wholeSeconds = Math.floor(second);
  const fraction = Math.round((second - wholeSeconds) * 1e7) / 10;
  return (
    daysFromCivil(year, month, day) * US_PER_DAY +
    hour * US_PER_HOUR +
    minute * US_PER_MINUTE +
    wholeSeconds * US_PER_SECOND +
    fraction
  );
}

// ---------------------------------------------------------------------------------------------
// Datetime parsing and formatting.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ISO_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/;
const ISO_COMPACT_RE =
  /^(\d{4})(\d{2})(\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
/** `MM-dd-yyyy` and `MM/dd/yyyy` (invariant culture), optionally with a time. */
const US_DATE_RE =
  /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|GMT)?$/;
/** The `datetime(2025, 6, 14[, 10, 30[, 15]])` literal form. */
const PARTS_RE =
  /^(\d{4}),\s*(\d{1,2}),\s*(\d{1,2})(?:,\s*(\d{1,2}),\s*(\d{1,2})(?:,\s*(\d{1,2})(?:\.(\d{1,7}))?)?)?()$/;
const SLASH_RE =
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|GMT)?$/;
/** RFC 822 (`Sat, 8 Nov 14 15:05:02 GMT`) and RFC 850 (`Saturday, 08-Nov-14 15:05:02 GMT`). */
const RFC_RE =
  /^(?:[A-Za-z]+,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*[\s-]+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(GMT|UTC|UT|Z|[+-]\d{4}|[A-Z]{1,4})?$/;

const ZONES: Record<string, number> = {
  GMT: 0,
  UTC: 0,
  UT: 0,
  Z: 0,
  EST: -5 * 60,
  EDT: -4 * 60,
  CST: -6 * 60,
  CDT: -5 * 60,
  MST: -7 * 60,
  MDT: -6 * 60,
  PST: -8 * 60,
  PDT: -7 * 60,
};

function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (!zone) return 0;
  const upper = zone.toUpperCase();
  if (upper in ZONES) return ZONES[upper];
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function fractionToMicros(fraction: string | undefined): number {
  if (!fraction) return 0;
  // Kusto keeps 7 digits (100 ns ticks): a tenth of a microsecond.
  return Number((fraction + '0000000').slice(0, 7)) / 10;
}

function assemble(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  zone: string | undefined,
): number | null {
  const base = makeDatetime(year, month, day, hour, minute, second);
  if (base === null) return null;
  const offset = zoneOffsetMinutes(zone);
  if (offset === null) return null;
  return withFraction(base - offset * US_PER_MINUTE, fractionToMicros(fraction));
}

/**
 * Parses a datetime as Kusto's `todatetime()` and `datetime(...)` literals accept it: ISO 8601
 * (`2016-02-17 08:39:00.0000000`, `2016-02-17T08:39Z`, `2016-02-17`, with an optional offset),
 * `MM-dd-yyyy`, `2025, 6, 14`, RFC 822 and RFC 850. Returns epoch microseconds, or null when the text is not a datetime.
 */
export function parseDatetime(text: string): number | null {
  const fast = parseIsoFast(text);
  if (fast !== undefined) return fast;
  const s = text.trim();
  if (s === '' || s === 'null') return null;
  let m = ISO_RE.exec(s) ?? ISO_COMPACT_RE.exec(s) ?? SLASH_RE.exec(s) ?? PARTS_RE.exec(s);
  if (m) {
    return assemble(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      m[7],
      m[8],
    );
  }
  m = US_DATE_RE.exec(s);
  if (m) {
    return assemble(
      Number(m[3]),
      Number(m[1]),
      Number(m[2]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      m[7],
      m[8],
    );
  }
  m = RFC_RE.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
    if (month === 0) return null;
    let year = Number(m[3]);
    if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
    return assemble(year, month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7], m[8]);
  }
  return null;
}

const TIME_OF_DAY_RE = /^(\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*([AaPp][Mm])?$/;

/**
 * A time of day without a date (`8:00:00 AM`, `17:30`, `5 PM`), as .NET's date parser, which Kusto falls back
 * to, reads it: that time today. Returns microseconds since midnight, or null when the text is not one.
 */
export function parseTimeOfDay(text: string): number | null {
  const m = TIME_OF_DAY_RE.exec(text.trim());
  if (!m || (m[2] === undefined && m[5] === undefined)) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const second = Number(m[3] ?? 0);
  if (m[5]) {
    if (hour < 1 || hour > 12) return null;
    const pm = m[5].toLowerCase() === 'pm';
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  return hour * US_PER_HOUR + minute * US_PER_MINUTE + second * US_PER_SECOND + fractionToMicros(m[4]);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digitAt = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
};

/**
 * The common exported form `YYYY-MM-DD[(T| )hh:mm[:ss[.fffffff]]][Z]` without regular expressions (lakes hold
 * millions of them). Agrees with the general parser on every text it accepts; undefined = not this form.
 */
function parseIsoFast(s: string): number | null | undefined {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const y = digitAt(s, 0) * 1000 + digitAt(s, 1) * 100 + digitAt(s, 2) * 10 + digitAt(s, 3);
  const mo = digitAt(s, 5) * 10 + digitAt(s, 6);
  const da = digitAt(s, 8) * 10 + digitAt(s, 9);
  if (y < 0 || mo < 0 || da < 0) return undefined;
  let h = 0,
    mi = 0,
    se = 0,
    ticks = 0;
  let i = 10;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if ((sep !== 84 && sep !== 32) || n < 16 || s.charCodeAt(13) !== 58) return undefined;
    h = digitAt(s, 11) * 10 + digitAt(s, 12);
    mi = digitAt(s, 14) * 10 + digitAt(s, 15);
    if (h < 0 || mi < 0) return undefined;
    i = 16;
    if (i < n && s.charCodeAt(i) === 58) {
      se = digitAt(s, i + 1) * 10 + digitAt(s, i + 2);
      if (se < 0 || i + 3 > n) return undefined;
      i += 3;
      if (i < n && s.charCodeAt(i) === 46) {
        i++;
        const start = i;
        let scale = 1_000_000;
        while (i < n) {
          const dg = digitAt(s, i);
          if (dg < 0) break;
          ticks += dg * scale;
          scale /= 10;
          i++;
        }
        if (i === start || i - start > 9) return undefined;
        ticks = Math.floor(ticks);
      }
    }
    if (i < n) {
      const c = s.charCodeAt(i);
      if (!((c === 90 || c === 122) && i === n - 1)) return undefined;
    }
  }
  if (y < 1 || mo < 1 || mo > 12 || da < 1 || h > 23 || mi > 59 || se > 59) return null;
  if (da > (mo === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[mo - 1])) return null;
  return withFraction(
    daysFromCivil(y, mo, da) * US_PER_DAY + h * US_PER_HOUR + mi * US_PER_MINUTE + se * US_PER_SECOND,
    ticks / 10,
  );
}

const digitAtByte = (b: Uint8Array, i: number): number => {
  const c = b[i] - 48;
  return c >= 0 && c <= 9 ? c : -1000;
};

/**
 * {@link parseDatetime} of the ASCII bytes b[start, end) in the form parseIsoFast reads, straight from a file's
 * buffer (no string is made): the datetime, or undefined when the text is not a valid datetime of that form (the
 * caller then reads it as text).
 */
export function parseIsoAscii(b: Uint8Array, start: number, end: number): number | undefined {
  const n = end - start;
  if (n < 10 || b[start + 4] !== 45 || b[start + 7] !== 45) return undefined;
  const y =
    digitAtByte(b, start) * 1000 +
    digitAtByte(b, start + 1) * 100 +
    digitAtByte(b, start + 2) * 10 +
    digitAtByte(b, start + 3);
  const mo = digitAtByte(b, start + 5) * 10 + digitAtByte(b, start + 6);
  const da = digitAtByte(b, start + 8) * 10 + digitAtByte(b, start + 9);
  if (y < 0 || mo < 0 || da < 0) return undefined;
  let h = 0,
    mi = 0,
    se = 0,
    ticks = 0;
  let i = start + 10;
  if (i < end) {
    const sep = b[i];
    if ((sep !== 84 && sep !== 32) || n < 16 || b[start + 13] !== 58) return undefined;
    h = digitAtByte(b, start + 11) * 10 + digitAtByte(b, start + 12);
    mi = digitAtByte(b, start + 14) * 10 + digitAtByte(b, start + 15);
    if (h < 0 || mi < 0) return undefined;
    i = start + 16;
    if (i < end && b[i] === 58) {
      if (i + 3 > end) return undefined;
      se = digitAtByte(b, i + 1) * 10 + digitAtByte(b, i + 2);
      if (se < 0) return undefined;
      i += 3;
      if (i < end && b[i] === 46) {
        i++;
        const from = i;
        let scale = 1_000_000;
        while (i < end) {
          const dg = digitAtByte(b, i);
          if (dg < 0) break;
          ticks += dg * scale;
          scale /= 10;
          i++;
        }
        if (i === from || i - from > 9) return undefined;
        ticks = Math.floor(ticks);
      }
    }
    if (i < end) {
      const c = b[i];
      if (!((c === 90 || c === 122) && i === end - 1)) return undefined;
    }
  }
  if (y < 1 || mo < 1 || mo > 12 || da < 1 || h > 23 || mi > 59 || se > 59) return undefined;
  if (da > (mo === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[mo - 1])) return undefined;
  return withFraction(
    daysFromCivil(y, mo, da) * US_PER_DAY + h * US_PER_HOUR + mi * US_PER_MINUTE + se * US_PER_SECOND,
    ticks / 10,
  );
}

/**
 * Whole microseconds `us` plus a sub-second fraction. Beyond 2^49 µs (1987 on) a double's step is 0.125 µs or
 * more, so a 100 ns tick would round — sometimes into the next microsecond; there the fraction is cut to whole
 * microseconds instead, which keeps every printed digit true.
 */
export function withFraction(us: number, fractionUs: number): number {
  return Math.abs(us) >= 2 ** 49 ? us + Math.floor(fractionUs) : us + fractionUs;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Seven-digit tick fraction of a microsecond count within a second. */
function ticksOf(micros: number): number {
  return Math.min(9_999_999, Math.round(micros * 10));
}

/**
 * ISO 8601 UTC text of a datetime: `2016-02-17T08:39:00Z`, with a 7-digit fraction only when the
 * sub-second part is non-zero (`2016-02-17T08:39:00.1230000Z`), as Kusto prints datetimes.
 * `fraction: 'always'` always prints 7 digits (Kusto's form inside dynamic values).
 */
export function formatDatetime(us: number, fraction: 'auto' | 'always' | 'trim' = 'auto'): string {
  if (!Number.isFinite(us)) return '';
  const p = datetimeParts(us);
  const date = `${p.year < 0 ? '-' + pad(-p.year, 4) : pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  const time = `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  // From 2^49 µs (1987) on a double no longer holds every 100 ns tick (its step is 0.125 µs or more), so the
  // seventh digit would be a rounding artefact: print whole microseconds there.
  const ticks = Math.abs(us) >= 2 ** 49 ? Math.min(9_999_990, Math.floor(p.micros + 1e-6) * 10) : ticksOf(p.micros);
  let frac = '';
  if (ticks !== 0 || fraction === 'always') {
    frac = '.' + pad(ticks, 7);
    if (fraction === 'trim') frac = frac.replace(/0+$/, '');
  }
  return `${date}T${time}${frac}Z`;
}

// ---------------------------------------------------------------------------------------------
// Timespans.

const UNIT_MICROS: Record<string, number> = {
  d: US_PER_DAY,
  day: US_PER_DAY,
  days: US_PER_DAY,
  h: US_PER_HOUR,
  hr: US_PER_HOUR,
  hrs: US_PER_HOUR,
  hour: US_PER_HOUR,
  hours: US_PER_HOUR,
  m: US_PER_MINUTE,
  min: US_PER_MINUTE,
  minute: US_PER_MINUTE,
  minutes: US_PER_MINUTE,
  s: US_PER_SECOND,
  sec: US_PER_SECOND,
  second: US_PER_SECOND,
  seconds: US_PER_SECOND,
  ms: US_PER_MS,
  milli: US_PER_MS,
  millis: US_PER_MS,
  millisecond: US_PER_MS,
  milliseconds: US_PER_MS,
  microsecond: 1,
  microseconds: 1,
  tick: US_PER_TICK,
  ticks: US_PER_TICK,
};

/** Microseconds of a timespan literal unit (`d`, `h`, `m`, `s`, `ms`, `microsecond`, `tick`, long names), or undefined. */
export function timespanUnitMicros(unit: string): number | undefined {
  return UNIT_MICROS[unit.toLowerCase()];
}

const CLOCK_RE = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;
const UNIT_RE = /^(-)?(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]+)$/;

/**
 * Parses a timespan: `[-][d.]hh:mm[:ss[.fffffff]]`, a literal with a unit (`1d`, `2h`, `30m`,
 * `10s`, `100ms`, `1tick`, `1.5h`, `10microseconds`) or `time(...)` around either.
 * Returns microseconds, or null when the text is not a timespan.
 */
export function parseTimespan(text: string): number | null {
  let s = text.trim();
  const wrapped = /^time\s*\((.*)\)$/s.exec(s);
  if (wrapped) s = wrapped[1].trim();
  if (s === '' || s === 'null') return null;
  let m = CLOCK_RE.exec(s);
  if (m) {
    const hours = Number(m[3]);
    const minutes = Number(m[4]);
    const seconds = Number(m[5] ?? 0);
    if (hours > 23 || minutes > 59 || seconds > 59) return null;
    const ticks = m[6] ? Number((m[6] + '0000000').slice(0, 7)) : 0;
    const us =
      Number(m[2] ?? 0) * US_PER_DAY +
      hours * US_PER_HOUR +
      minutes * US_PER_MINUTE +
      seconds * US_PER_SECOND +
      ticks / 10;
    return m[1] ? -us : us;
  }
  m = UNIT_RE.exec(s);
  if (m) {
    const unit = UNIT_MICROS[m[3].toLowerCase()];
    if (unit === undefined) return null;
    const us = Number(m[2]) * unit;
    return m[1] ? -us : us;
  }
  // A bare number in `time(...)` means days.
  if (wrapped && /^-?\d+(\.\d+)?$/.test(s)) return Number(s) * US_PER_DAY;
  return null;
}

/** Kusto's text of a timespan: `[-][d.]hh:mm:ss[.fffffff]` (fraction only when non-zero). */
export function formatTimespan(us: number): string {
  if (!Number.isFinite(us)) return '';
  const negative = us < 0;
  let ticks = Math.round(Math.abs(us) * 10);
  const fracTicks = ticks % 10_000_000;
  ticks = (ticks - fracTicks) / 10_000_000;
  const seconds = ticks % 60;
  ticks = (ticks - seconds) / 60;
  const minutes = ticks % 60;
  ticks = (ticks - minutes) / 60;
  const hours = ticks % 24;
  const days = (ticks - hours) / 24;
  const dayPart = days > 0 ? `${days}.` : '';
  const frac = fracTicks > 0 ? '.' + pad(fracTicks, 7) : '';
  return `${negative ? '-' : ''}${dayPart}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${frac}`;
}

// ---------------------------------------------------------------------------------------------
// Numbers, booleans, guids.

/**
 * A real as Kusto prints it: shortest round-trip digits, `NaN`, `Infinity`, `-Infinity`, and
 * exponent notation (`1E+15`, `2.5E-05`) outside 1e-4 .. 1e15 like .NET.
 */
export function formatReal(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-4) {
    const [mantissa, exp] = n.toExponential().split('e');
    const e = Number(exp);
    return `${mantissa}E${e < 0 ? '-' : '+'}${pad(Math.abs(e))}`;
  }
  return String(n);
}

/** Text of an integer value (`int`/`long`). */
export function formatLong(n: number): string {
  if (!Number.isFinite(n)) return formatReal(n);
  return Number.isInteger(n) ? (Object.is(n, -0) ? '0' : String(n)) : String(Math.trunc(n));
}

const INT_RE = /^[+-]?\d+$/;
const HEX_RE = /^(-)?0[xX]([0-9a-fA-F]+)$/;
const REAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a long as `tolong()` does (decimal, hex `0x..`); null when not a number. Reals are truncated. */
export function parseLong(text: string): number | null {
  const s = text.trim();
  if (INT_RE.test(s)) return Number(s);
  const hex = HEX_RE.exec(s);
  if (hex) return (hex[1] ? -1 : 1) * parseInt(hex[2], 16);
  if (REAL_RE.test(s)) return Math.trunc(Number(s));
  return null;
}

/** Parses a real as `toreal()` does (also `NaN`, `Infinity`, `-Infinity`); null when not a number. */
export function parseReal(text: string): number | null {
  const s = text.trim();
  if (REAL_RE.test(s)) return Number(s);
  if (s === 'NaN' || s === 'nan') return NaN;
  if (/^\+?(inf|infinity)$/i.test(s)) return Infinity;
  if (/^-(inf|infinity)$/i.test(s)) return -Infinity;
  const hex = HEX_RE.exec(s);
  if (hex) return (hex[1] ? -1 : 1) * parseInt(hex[2], 16);
  return null;
}

/** Parses a bool as `tobool()` does: `true`/`false` in any case, `1`/`0`; null otherwise. */
export function parseBool(text: string): boolean | null {
  const s = text.trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return null;
}

const GUID_RE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Normalised (lowercase, dashed) guid text, or null when `text` is not a guid. Braces and parentheses are accepted. */
export function parseGuid(text: string): string | null {
  let s = text.trim();
  if ((s.startsWith('{') && s.endsWith('}')) || (s.startsWith('(') && s.endsWith(')'))) s = s.slice(1, -1);
  if (!GUID_RE.test(s)) return null;
  const h = s.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// Dynamic values.

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Property bags are null-prototype objects: every key — `__proto__`, `constructor`, `hasOwnProperty` —
// is data, a write can never reach Object.prototype and a read never finds an inherited member.

/** An empty property bag. */
export function newBag(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** The bag's own value for key, or undefined (never an inherited member). */
export function bagGet(bag: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(bag, key) ? bag[key] : undefined;
}

export function bagHas(bag: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(bag, key);
}

/**
 * Makes every object inside a value (a JSON.parse result, a value from outside) a null-prototype bag,
 * in place, and returns it. Iterative, so deeply nested JSON cannot overflow the stack.
 */
export function toBags<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  const stack: object[] = [v as object];
  while (stack.length) {
    const o = stack.pop()!;
    if (Array.isArray(o)) {
      for (const x of o) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    if (Object.getPrototypeOf(o) === null) continue;
    Object.setPrototypeOf(o, null);
    for (const k of Object.keys(o)) {
      const x = (o as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return v;
}

/** A deep copy of a dynamic value whose objects are bags. */
export function cloneDynamic<T>(v: T): T {
  return v === null || typeof v !== 'object' ? v : toBags(JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Parses JSON text into a dynamic value as `parse_json()` does: valid JSON gives its value;
 * text that is not JSON gives the text itself as a dynamic string.
 */
export function parseDynamic(text: string): unknown {
  const s = text.trim();
  if (s === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    return text;
  }
  return toBags(v);
}

/** Compact JSON text of a dynamic value, as `tostring(dynamic)` prints it. */
export function formatDynamic(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? formatReal(x) : x));
}

/** Deep equality of two dynamic values (numbers compare by value, key order ignored). */
export function dynamicEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!dynamicEquals(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !dynamicEquals(a[k], b[k])) return false;
    return true;
  }
  return false;
}

function dynamicRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** A total order over dynamic values (null first; then bools, numbers, strings, arrays, objects). */
export function compareDynamic(a: unknown, b: unknown): number {
  const ra = dynamicRank(a);
  const rb = dynamicRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return Number(a) - Number(b);
    case 2:
      return compareNumbers(a as number, b as number);
    case 3:
      return compareStrings(a as string, b as string);
    default:
      return compareStrings(formatDynamic(a), formatDynamic(b));
  }
}

export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  // NaN sorts before every number.
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : 1;
}

/** Ordinal string comparison (UTF-16 code units), as Kusto sorts strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kusto's `gettype()` name of a dynamic value. */
export function dynamicTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? 'int' : 'long') : 'real';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'dictionary';
}

// ---------------------------------------------------------------------------------------------
// Conversions between types.

/** The value as Kusto stores it inside a dynamic (datetime/timespan as their strings). */
export function toDynamicValue(v: unknown, type: KqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'datetime':
      return typeof v === 'number' ? formatDatetime(v, 'always') : v;
    case 'timespan':
      return typeof v === 'number' ? formatTimespan(v) : v;
    case 'bool':
      return typeof v === 'number' ? v !== 0 : v;
    default:
      return v;
  }
}

/** `tostring()` of a value of the given static type (null → empty string, as Kusto). */
export function valueToString(v: unknown, type: KqlType): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return formatDynamic(v);
  switch (type) {
    case 'string':
    case 'guid':
      return typeof v === 'string' ? v : formatDynamic(v);
    case 'datetime':
      // tostring() of a datetime always carries 7 fractional digits (`2017-10-15T12:00:00.0000000Z`).
      return typeof v === 'number' ? formatDatetime(v, 'always') : String(v);
    case 'timespan':
      return typeof v === 'number' ? formatTimespan(v) : String(v);
    case 'bool':
      return v === true || v === 1 ? 'true' : v === false || v === 0 ? 'false' : String(v);
    case 'int':
    case 'long':
      return typeof v === 'number' ? formatLong(v) : String(v);
    case 'real':
    case 'decimal':
      return typeof v === 'number' ? formatReal(v) : String(v);
    case 'dynamic':
      return formatDynamic(v);
  }
}

/**
 * The wire form (QueryResult rows) of an engine value: datetimes as ISO text (`2026-01-02T03:04:05Z`),
 * timespans as `[d.]hh:mm:ss[.fffffff]`, dynamic as a JSON value, numbers, booleans, null.
 * Non-finite reals become the strings `NaN`, `Infinity`, `-Infinity` (JSON has no such numbers).
 */
export function toWire(v: unknown, type: KqlType): unknown {
  if (v === undefined) return null;
  switch (type) {
    case 'string':
      return v === null ? '' : typeof v === 'string' ? v : formatDynamic(v);
    case 'guid':
      return v;
    case 'datetime':
      return typeof v === 'number' ? (Number.isFinite(v) ? formatDatetime(v) : null) : v;
    case 'timespan':
      return typeof v === 'number' ? (Number.isFinite(v) ? formatTimespan(v) : null) : v;
    case 'bool':
      return typeof v === 'number' ? v !== 0 : v;
    case 'int':
    case 'long':
      return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : v;
    case 'real':
    case 'decimal':
      return typeof v === 'number' && !Number.isFinite(v) ? formatReal(v) : v;
    case 'dynamic':
      return v === undefined ? null : v;
  }
}

/**
 * Converts a raw value from outside the engine (a JSON/JSONL/CSV cell, a datatable literal, a
 * Log Analytics response) into the engine's representation of `type`. Returns null when the value
 * cannot be read as that type (callers count such cells as malformed when `raw` was not null/empty).
 */
export function fromExternal(raw: unknown, type: KqlType): unknown {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'string':
      return typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    case 'dynamic':
      return typeof raw === 'string' ? parseDynamic(raw) : raw;
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'number') return raw !== 0;
      return typeof raw === 'string' ? parseBool(raw) : null;
    case 'int':
    case 'long': {
      if (typeof raw === 'number') return Number.isFinite(raw) ? Math.trunc(raw) : null;
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      if (typeof raw !== 'string' || raw.trim() === '') return null;
      const n = parseLong(raw);
      if (n === null) return null;
      return type === 'int' && (n > 2147483647 || n < -2147483648) ? null : n;
    }
    case 'real':
    case 'decimal':
      if (typeof raw === 'number') return raw;
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      return typeof raw === 'string' && raw.trim() !== '' ? parseReal(raw) : null;
    case 'datetime':
      if (typeof raw === 'number') return raw;
      if (raw instanceof Date) return raw.getTime() * US_PER_MS;
      return typeof raw === 'string' ? parseDatetime(raw) : null;
    case 'timespan':
      if (typeof raw === 'number') return raw;
      return typeof raw === 'string' ? parseTimespan(raw) : null;
    case 'guid':
      return typeof raw === 'string' ? parseGuid(raw) : null;
  }
}

/** Wraps a number to a 32-bit signed integer as Kusto's int does (truncating reals). */
export function toInt32(n: number): number {
  if (!Number.isFinite(n)) return n;
  return Math.trunc(n) | 0;
}
