// Date and time functions. Datetimes are epoch microseconds, timespans microseconds.
import { KqlError } from '../../errors';
import {
  MIN_DATETIME_US,
  US_PER_DAY,
  US_PER_HOUR,
  US_PER_MINUTE,
  US_PER_MS,
  US_PER_SECOND,
  civilFromDays,
  datetimeParts,
  daysFromCivil,
  daysInMonth,
  makeDatetime,
  tickBefore,
} from '../../columnar/values';
import { defineAlias, defineFunctions, type CallContext, type Value } from './define';
import { argType, datetimeArg, int, isNull, num, numericResult, str, timespanArg } from './helpers';

const WEEK = 7 * US_PER_DAY;

function startOfDay(us: number): number {
  return Math.floor(us / US_PER_DAY) * US_PER_DAY;
}

/** Weeks start on Sunday. */
function startOfWeek(us: number): number {
  const days = Math.floor(us / US_PER_DAY);
  const dow = (((days + 4) % 7) + 7) % 7;
  return (days - dow) * US_PER_DAY;
}

function addMonths(us: number, months: number): number | null {
  const p = datetimeParts(us);
  const total = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  if (year < 1 || year > 9999) return null;
  const day = Math.min(p.day, daysInMonth(year, month));
  return daysFromCivil(year, month, day) * US_PER_DAY + (us - startOfDay(us));
}

function startOfMonth(us: number): number {
  const p = datetimeParts(us);
  return daysFromCivil(p.year, p.month, 1) * US_PER_DAY;
}

function startOfYear(us: number): number {
  const p = datetimeParts(us);
  return daysFromCivil(p.year, 1, 1) * US_PER_DAY;
}

/** ISO 8601 week number (weeks start Monday; week 1 holds the year's first Thursday). */
export function isoWeekOfYear(us: number): number {
  const days = Math.floor(us / US_PER_DAY);
  const isoDow = (((days + 4) % 7) + 7) % 7 || 7; // 1 = Monday … 7 = Sunday
  const thursday = days - isoDow + 4;
  const { year } = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1;
}

const PART_ALIASES: Record<string, string> = {
  year: 'year',
  quarter: 'quarter',
  month: 'month',
  week: 'week',
  week_of_year: 'week',
  weekofyear: 'week',
  day: 'day',
  dayofyear: 'dayofyear',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
  millisecond: 'millisecond',
  microsecond: 'microsecond',
  nanosecond: 'nanosecond',
};

function partName(v: Value): string {
  const key = str(v).trim().toLowerCase().replace(/s$/, '');
  const part = PART_ALIASES[key] ?? PART_ALIASES[key.replace(/_/g, '')];
  if (!part) throw new KqlError(`unknown datetime part '${str(v)}'`, undefined, 'KqlRuntime');
  return part;
}

const FIXED_PART_US: Record<string, number> = {
  week: WEEK,
  day: US_PER_DAY,
  hour: US_PER_HOUR,
  minute: US_PER_MINUTE,
  second: US_PER_SECOND,
  millisecond: US_PER_MS,
  microsecond: 1,
  nanosecond: 0.001,
};

function datetimeAdd(part: string, amount: number, us: number): number | null {
  switch (part) {
    case 'year':
      return addMonths(us, amount * 12);
    case 'quarter':
      return addMonths(us, amount * 3);
    case 'month':
      return addMonths(us, amount);
    default:
      return us + amount * FIXED_PART_US[part];
  }
}

function truncateTo(part: string, us: number): number {
  switch (part) {
    case 'week':
      return startOfWeek(us);
    case 'day':
      return startOfDay(us);
    default: {
      const unit = FIXED_PART_US[part];
      return Math.floor(us / unit) * unit;
    }
  }
}

function datetimeDiff(part: string, a: number, b: number): number {
  const pa = datetimeParts(a);
  const pb = datetimeParts(b);
  switch (part) {
    case 'year':
      return pa.year - pb.year;
    case 'quarter':
      return pa.year * 4 + Math.floor((pa.month - 1) / 3) - (pb.year * 4 + Math.floor((pb.month - 1) / 3));
    case 'month':
      return pa.year * 12 + pa.month - (pb.year * 12 + pb.month);
    case 'nanosecond':
      return Math.round((a - b) * 1000);
    default:
      return Math.round((truncateTo(part, a) - truncateTo(part, b)) / FIXED_PART_US[part]);
  }
}

function datetimePart(part: string, us: number): number {
  const p = datetimeParts(us);
  switch (part) {
    case 'year':
      return p.year;
    case 'quarter':
      return Math.floor((p.month - 1) / 3) + 1;
    case 'month':
      return p.month;
    case 'week':
      return isoWeekOfYear(us);
    case 'day':
      return p.day;
    case 'dayofyear':
      return p.dayOfYear;
    case 'hour':
      return p.hour;
    case 'minute':
      return p.minute;
    case 'second':
      return p.second;
    case 'millisecond':
      return Math.floor(p.micros / 1000);
    case 'microsecond':
      return Math.floor(p.micros);
    default:
      return Math.round(p.micros * 10) * 100;
  }
}

/** bin() over datetimes aligns to 0001-01-01 as Kusto's tick arithmetic does (so 7d bins start on Mondays). */
function binValue(v: number, size: number, type: string): number | null {
  if (!(size > 0)) return null;
  if (type === 'datetime') {
    const origin = ((MIN_DATETIME_US % size) + size) % size;
    return Math.floor((v - origin) / size) * size + origin;
  }
  return Math.floor(v / size) * size;
}

// ---------------------------------------------------------------------------------------------
// format_datetime / format_timespan (the .NET-style specifiers Kusto documents).

const FORMAT_TOKEN = /(d+|f+|F+|h+|H+|m+|M+|s+|t+|y+|\\.|'[^']*'|"[^"]*"|.)/gs;

function fractionDigits(micros: number, n: number, trimZeros: boolean): string {
  const ticks = String(Math.min(9_999_999, Math.round(micros * 10))).padStart(7, '0');
  let digits = (ticks + '00').slice(0, n);
  if (trimZeros) digits = digits.replace(/0+$/, '');
  return digits;
}

export function formatDatetimeWith(us: number, format: string): string {
  const p = datetimeParts(us);
  return format.replace(FORMAT_TOKEN, (tok) => {
    const n = tok.length;
    switch (tok[0]) {
      case 'd':
        return n === 1
          ? String(p.day)
          : n === 2
            ? String(p.day).padStart(2, '0')
            : n === 3
              ? DAY_NAMES[p.dayOfWeek].slice(0, 3)
              : DAY_NAMES[p.dayOfWeek];
      case 'f':
        return fractionDigits(p.micros, n, false);
      case 'F':
        return fractionDigits(p.micros, n, true);
      case 'h': {
        const h12 = p.hour % 12 || 12;
        return n === 1 ? String(h12) : String(h12).padStart(2, '0');
      }
      case 'H':
        return n === 1 ? String(p.hour) : String(p.hour).padStart(2, '0');
      case 'm':
        return n === 1 ? String(p.minute) : String(p.minute).padStart(2, '0');
      case 'M':
        return n === 1
          ? String(p.month)
          : n === 2
            ? String(p.month).padStart(2, '0')
            : n === 3
              ? MONTH_NAMES[p.month - 1].slice(0, 3)
              : MONTH_NAMES[p.month - 1];
      case 's':
        return n === 1 ? String(p.second) : String(p.second).padStart(2, '0');
      case 't':
        return n === 1 ? (p.hour < 12 ? 'A' : 'P') : p.hour < 12 ? 'AM' : 'PM';
      case 'y':
        return n === 1
          ? String(p.year % 100)
          : n === 2
            ? String(p.year % 100).padStart(2, '0')
            : String(p.year).padStart(n, '0');
      case '\\':
        return tok.slice(1);
      case "'":
      case '"':
        return tok.slice(1, -1);
      default:
        return tok;
    }
  });
}

export function formatTimespanWith(us: number, format: string): string {
  const negative = us < 0;
  const abs = Math.abs(us);
  const days = Math.floor(abs / US_PER_DAY);
  const inDay = abs - days * US_PER_DAY;
  const hours = Math.floor(inDay / US_PER_HOUR);
  const minutes = Math.floor((inDay - hours * US_PER_HOUR) / US_PER_MINUTE);
  const seconds = Math.floor((inDay - hours * US_PER_HOUR - minutes * US_PER_MINUTE) / US_PER_SECOND);
  const micros = inDay - hours * US_PER_HOUR - minutes * US_PER_MINUTE - seconds * US_PER_SECOND;
  const text = format.replace(FORMAT_TOKEN, (tok) => {
    const n = tok.length;
    switch (tok[0]) {
      case 'd':
        return String(days).padStart(n, '0');
      case 'f':
        return fractionDigits(micros, n, false);
      case 'F':
        return fractionDigits(micros, n, true);
      case 'h':
      case 'H':
        return String(hours).padStart(Math.min(n, 2), '0');
      case 'm':
        return String(minutes).padStart(Math.min(n, 2), '0');
      case 's':
        return String(seconds).padStart(Math.min(n, 2), '0');
      case '\\':
        return tok.slice(1);
      case "'":
      case '"':
        return tok.slice(1, -1);
      default:
        return tok;
    }
  });
  return negative ? '-' + text : text;
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

// ---------------------------------------------------------------------------------------------
// Time zones (IANA names through the runtime's Intl data).

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new KqlError(`unknown time zone '${zone}'`, undefined, 'KqlRuntime');
    }
    zoneFormatters.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset in microseconds at a UTC instant. */
function zoneOffset(zone: string, utcUs: number): number {
  const wholeSecondsMs = Math.floor(utcUs / US_PER_SECOND) * 1000;
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter(zone).formatToParts(new Date(wholeSecondsMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const local = makeDatetime(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second);
  return local === null ? 0 : local - wholeSecondsMs * US_PER_MS;
}

function utcToLocal(us: number, zone: string): number {
  return us + zoneOffset(zone, us);
}

function localToUtc(local: number, zone: string): number {
  const offsets = [...new Set([zoneOffset(zone, local - US_PER_DAY), zoneOffset(zone, local + US_PER_DAY)])];
  const valid = offsets.filter((off) => zoneOffset(zone, local - off) === off);
  // In a spring-forward gap no offset fits: use the later (daylight) offset. When clocks are set
  // back two fit: use standard time, the smaller offset.
  if (valid.length === 0) return local - Math.max(...offsets);
  return local - Math.min(...valid);
}

// ---------------------------------------------------------------------------------------------

function dt(args: Value[], i: number): number | null {
  return datetimeArg(args[i]);
}

function offsetArg(args: Value[], i: number): number | null {
  return args.length > i ? int(args[i]) : 0;
}

function withDt(fn: (us: number) => number | null) {
  return (args: Value[]) => {
    const v = dt(args, 0);
    return v === null ? null : fn(v);
  };
}

function unixTime(scale: number) {
  return ([v]: Value[]) => {
    const n = num(v);
    if (n === null || !Number.isFinite(n)) return null;
    return Math.round(n * scale * 10) / 10;
  };
}

function binArgs(args: Value[], ctx: CallContext): Value {
  const type = argType(ctx, 0);
  const v = type === 'datetime' ? dt(args, 0) : type === 'timespan' ? timespanArg(args[0]) : num(args[0]);
  const size = argType(ctx, 1) === 'timespan' ? timespanArg(args[1]) : num(args[1]);
  if (v === null || size === null) return null;
  return numericResult(binValue(v, size, type), ctx.resultType);
}

defineFunctions({
  now: ([offset], ctx) => ctx.nowMicros + (timespanArg(offset ?? 0) ?? 0),
  ago: ([span], ctx) => {
    const t = timespanArg(span);
    return t === null ? null : ctx.nowMicros - t;
  },
  bin: binArgs,
  bin_at: (args, ctx) => {
    const type = argType(ctx, 0);
    const read = (v: Value, t: string) =>
      t === 'datetime' ? datetimeArg(v) : t === 'timespan' ? timespanArg(v) : num(v);
    const v = read(args[0], type);
    const size = read(args[1], argType(ctx, 1));
    const fixed = read(args[2], argType(ctx, 2));
    if (v === null || size === null || fixed === null || !(size > 0)) return null;
    return numericResult(Math.floor((v - fixed) / size) * size + fixed, ctx.resultType);
  },
  startofday: (a) => {
    const v = dt(a, 0);
    const o = offsetArg(a, 1);
    return v === null || o === null ? null : startOfDay(v) + o * US_PER_DAY;
  },
  startofweek: (a) => {
    const v = dt(a, 0);
    const o = offsetArg(a, 1);
    return v === null || o === null ? null : startOfWeek(v) + o * WEEK;
  },
  startofmonth: (a) => {
    const v = dt(a, 0);
    const o = offsetArg(a, 1);
    return v === null || o === null ? null : addMonths(startOfMonth(v), o);
  },
  startofyear: (a) => {
    const v = dt(a, 0);
    const o = offsetArg(a, 1);
    return v === null || o === null ? null : addMonths(startOfYear(v), o * 12);
  },
  endofday: (a) => {
    const v = dt(a, 0);
    const o = offsetArg(a, 1);
    return v === null || o === null ? null : tickBefore(startOfDay(v) + (o + 1) * US_PER_DAY);
  },
  endofweek: (a) => {
    const v = dt(a, 0);
    const o = offsetArg(a, 1);
    return v === null || o === null ? null : tickBefore(startOfWeek(v) + (o + 1) * WEEK);
  },
  endofmonth: (a) => {
    const v = dt(a, 0);
    const o = offsetArg(a, 1);
    if (v === null || o === null) return null;
    const next = addMonths(startOfMonth(v), o + 1);
    return next === null ? null : tickBefore(next);
  },
  endofyear: (a) => {
    const v = dt(a, 0);
    const o = offsetArg(a, 1);
    if (v === null || o === null) return null;
    const next = addMonths(startOfYear(v), (o + 1) * 12);
    return next === null ? null : tickBefore(next);
  },
  around: ([value, center, delta], ctx) => {
    const read = (v: Value, i: number) =>
      argType(ctx, i) === 'datetime' ? datetimeArg(v) : argType(ctx, i) === 'timespan' ? timespanArg(v) : num(v);
    const v = read(value, 0);
    const c = read(center, 1);
    const d = read(delta, 2);
    if (v === null || c === null || d === null) return null;
    return v >= c - d && v <= c + d;
  },
  datetime_add: ([part, amount, value]) => {
    const v = datetimeArg(value);
    const n = int(amount);
    if (v === null || n === null) return null;
    return datetimeAdd(partName(part), n, v);
  },
  datetime_diff: ([part, a, b]) => {
    const x = datetimeArg(a);
    const y = datetimeArg(b);
    if (x === null || y === null) return null;
    return datetimeDiff(partName(part), x, y);
  },
  datetime_part: ([part, value]) => {
    const v = datetimeArg(value);
    return v === null ? null : datetimePart(partName(part), v);
  },
  dayofweek: withDt((v) => ((((Math.floor(v / US_PER_DAY) + 4) % 7) + 7) % 7) * US_PER_DAY),
  dayofmonth: withDt((v) => datetimeParts(v).day),
  dayofyear: withDt((v) => datetimeParts(v).dayOfYear),
  hourofday: withDt((v) => Math.floor((((v % US_PER_DAY) + US_PER_DAY) % US_PER_DAY) / US_PER_HOUR)),
  getmonth: withDt((v) => datetimeParts(v).month),
  getyear: withDt((v) => datetimeParts(v).year),
  week_of_year: withDt(isoWeekOfYear),
  format_datetime: ([value, format], ctx) => {
    const v = datetimeArg(value);
    return v === null ? '' : formatDatetimeWith(v, str(format, argType(ctx, 1)));
  },
  format_timespan: ([value, format], ctx) => {
    const v = timespanArg(value);
    return v === null ? '' : formatTimespanWith(v, str(format, argType(ctx, 1)));
  },
  make_datetime: (a) => {
    const parts = a.map(num);
    if (parts.some((p) => p === null)) return null;
    const [y, mo, d, h = 0, mi = 0, s = 0] = parts as number[];
    return makeDatetime(y, mo, d, h, mi, s);
  },
  make_timespan: (a) => {
    const parts = a.map(num);
    if (parts.some((p) => p === null)) return null;
    const p = parts as number[];
    if (p.length === 2) return p[0] * US_PER_HOUR + p[1] * US_PER_MINUTE;
    if (p.length === 3) return p[0] * US_PER_HOUR + p[1] * US_PER_MINUTE + p[2] * US_PER_SECOND;
    return p[0] * US_PER_DAY + p[1] * US_PER_HOUR + p[2] * US_PER_MINUTE + p[3] * US_PER_SECOND;
  },
  unixtime_seconds_todatetime: unixTime(US_PER_SECOND),
  unixtime_milliseconds_todatetime: unixTime(US_PER_MS),
  unixtime_microseconds_todatetime: unixTime(1),
  unixtime_nanoseconds_todatetime: unixTime(0.001),
  datetime_utc_to_local: ([value, zone], ctx) => {
    const v = datetimeArg(value);
    return v === null || isNull(zone) ? null : utcToLocal(v, str(zone, argType(ctx, 1)));
  },
  datetime_local_to_utc: ([value, zone], ctx) => {
    const v = datetimeArg(value);
    return v === null || isNull(zone) ? null : localToUtc(v, str(zone, argType(ctx, 1)));
  },
});

defineAlias('bin', 'floor');
defineAlias('getmonth', 'monthofyear');
