// Conversions between file/wire text and the engine's value representation
// (datetime = epoch microseconds, timespan = microseconds).
import type { KqlType } from '../types';

const d = (s: string, i: number) => s.charCodeAt(i) - 48;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Parses a datetime: ISO-8601 (`2026-01-02T03:04:05.1234567Z`, `2026-01-02 03:04:05`, offsets) or the
 * Log Analytics portal's CSV export form (`11/20/2026, 9:15:02.123 AM`). Returns epoch microseconds or null.
 */
export function parseDatetime(s: string): number | null {
  const n = s.length;
  if (n >= 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    // Fast path: YYYY-MM-DD[(T| )hh:mm[:ss[.f+]]][Z]
    const y = d(s, 0) * 1000 + d(s, 1) * 100 + d(s, 2) * 10 + d(s, 3);
    const mo = d(s, 5) * 10 + d(s, 6);
    const da = d(s, 8) * 10 + d(s, 9);
    if (!(y >= 0 && mo >= 1 && mo <= 12 && da >= 1 && da <= 31)) return null;
    let h = 0, mi = 0, se = 0, frac = 0;
    let i = 10;
    if (i < n) {
      const sep = s.charCodeAt(i);
      if (sep !== 84 && sep !== 32 && sep !== 116) return slowDate(s);
      if (n < i + 6 || s.charCodeAt(i + 3) !== 58) return slowDate(s);
      h = d(s, i + 1) * 10 + d(s, i + 2);
      mi = d(s, i + 4) * 10 + d(s, i + 5);
      i += 6;
      if (i < n && s.charCodeAt(i) === 58) {
        se = d(s, i + 1) * 10 + d(s, i + 2);
        i += 3;
        if (i < n && s.charCodeAt(i) === 46) {
          i++;
          let scale = 100000;
          while (i < n && isDigit(s.charCodeAt(i))) {
            if (scale >= 1) frac += d(s, i) * scale;
            scale /= 10;
            i++;
          }
          frac = Math.round(frac);
        }
      }
      if (!(h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && se >= 0 && se <= 60)) return null;
      if (i < n) {
        const c = s.charCodeAt(i);
        if ((c === 90 || c === 122) && i === n - 1) { /* Z */ }
        else return slowDate(s);
      }
    }
    const ms = Date.UTC(y, mo - 1, da, h, mi, se);
    if (y < 100) return slowDate(s);
    return ms * 1000 + frac;
  }
  // Portal export: M/D/YYYY, h:mm:ss[.fff] AM|PM
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AaPp][Mm])?$/.exec(s);
  if (m) {
    let h = +m[4];
    const ampm = m[8]?.toUpperCase();
    if (ampm === 'PM' && h < 12) h += 12;
    if (ampm === 'AM' && h === 12) h = 0;
    const ms = Date.UTC(+m[3], +m[1] - 1, +m[2], h, +m[5], m[6] ? +m[6] : 0);
    const frac = m[7] ? Math.round(+(m[7] + '0000000').slice(0, 7) / 10) : 0;
    return Number.isFinite(ms) ? ms * 1000 + frac : null;
  }
  return slowDate(s);
}

function slowDate(s: string): number | null {
  const t = s.trim();
  if (!t || !/\d{4}/.test(t)) return null;
  // Date.parse treats offset-less date-times as local time; force UTC.
  const hasZone = /(Z|[+-]\d{2}:?\d{2}|GMT|UTC)$/i.test(t);
  let ms = Date.parse(hasZone || !/\d:\d/.test(t) ? t : t + 'Z');
  if (Number.isNaN(ms)) ms = Date.parse(t);
  if (Number.isNaN(ms)) return null;
  const frac = /\.(\d{4,7})/.exec(t);
  let micros = ms * 1000;
  if (frac) micros = Math.floor(ms / 1000) * 1e6 + Math.round(+(frac[1] + '0000000').slice(0, 7) / 10);
  return micros;
}

/** `[-][d.]hh:mm:ss[.fffffff]` or KQL literal forms like `1d`, `2h`, `30m`, `10s`, `100ms` → microseconds. */
export function parseTimespan(s: string): number | null {
  const t = s.trim();
  let m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (m) {
    const sign = m[1] ? -1 : 1;
    const frac = m[6] ? Math.round(+(m[6] + '0000000').slice(0, 7) / 10) : 0;
    return sign * ((((+(m[2] ?? 0) * 24 + +m[3]) * 60 + +m[4]) * 60 + +(m[5] ?? 0)) * 1e6 + frac);
  }
  m = /^(-)?(\d+(?:\.\d+)?|\.\d+)\s*(d|h|hr|hrs|m|min|mins|s|sec|secs|ms|milli|millis|microsecond|microseconds|micros|tick|ticks|days?|hours?|minutes?|seconds?|milliseconds?)$/i.exec(t);
  if (m) {
    const unit = m[3].toLowerCase();
    const mult = unit.startsWith('d') ? 86400e6 : unit.startsWith('h') ? 3600e6 : unit === 'm' || unit.startsWith('min') ? 60e6
      : unit === 's' || unit.startsWith('sec') ? 1e6 : unit === 'ms' || unit.startsWith('milli') ? 1e3 : unit.startsWith('micro') ? 1 : 0.1;
    return (m[1] ? -1 : 1) * +m[2] * mult;
  }
  return null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Epoch microseconds → `2026-01-02T03:04:05Z` (fraction only when non-zero). */
export function formatDatetime(us: number): string {
  const ms = Math.floor(us / 1000);
  const dt = new Date(ms);
  if (Number.isNaN(dt.getTime())) return '';
  const y = dt.getUTCFullYear();
  let s = `${y < 0 ? '-' + pad(-y, 6) : pad(y, 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}T${pad(dt.getUTCHours())}:${pad(dt.getUTCMinutes())}:${pad(dt.getUTCSeconds())}`;
  const fracUs = Math.floor(us - Math.floor(ms / 1000) * 1e6);
  if (fracUs > 0) s += '.' + pad(fracUs, 6).replace(/0+$/, '');
  return s + 'Z';
}

/** Microseconds → `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(us: number): string {
  const neg = us < 0;
  let a = Math.abs(us);
  const ticks = Math.round((a % 1e6) * 10);
  a = Math.floor(a / 1e6);
  const days = Math.floor(a / 86400);
  const h = Math.floor((a % 86400) / 3600);
  const m = Math.floor((a % 3600) / 60);
  const sec = a % 60;
  let s = `${neg ? '-' : ''}${days ? days + '.' : ''}${pad(h)}:${pad(m)}:${pad(sec)}`;
  if (ticks) s += '.' + pad(ticks, 7);
  return s;
}

/** Converts a raw value read from a file (JSON value or CSV text) to the engine value of `type`; undefined = malformed. */
export function coerceRaw(v: unknown, type: KqlType): unknown {
  if (v === null || v === undefined) return type === 'string' || type === 'guid' ? '' : null;
  switch (type) {
    case 'string': case 'guid':
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'datetime':
      if (typeof v === 'string') return v === '' ? null : parseDatetime(v) ?? undefined;
      if (typeof v === 'number') return v * 1000; // epoch milliseconds
      return undefined;
    case 'timespan':
      if (typeof v === 'string') return v === '' ? null : parseTimespan(v) ?? undefined;
      return undefined;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      if (typeof v === 'string') {
        if (v === '') return null;
        const l = v.toLowerCase();
        if (l === 'true' || l === '1') return true;
        if (l === 'false' || l === '0') return false;
      }
      return undefined;
    case 'int': case 'long': case 'real': case 'decimal': {
      let num: number;
      if (typeof v === 'number') num = v;
      else if (typeof v === 'boolean') num = v ? 1 : 0;
      else if (typeof v === 'string') {
        if (v === '') return null;
        const l = v.trim().toLowerCase();
        if (type === 'real' && (l === 'nan' || l === 'inf' || l === '+inf' || l === '-inf' || l === 'infinity' || l === '-infinity')) {
          return l === 'nan' ? NaN : l.startsWith('-') ? -Infinity : Infinity;
        }
        num = Number(v.replace(/,/g, ''));
        if (l === '' ) return null;
      } else return undefined;
      if (Number.isNaN(num)) return undefined;
      return type === 'int' || type === 'long' ? Math.trunc(num) : num;
    }
    default: // dynamic
      if (typeof v === 'string') {
        const t = v.trim();
        if (t === '') return null;
        if (t[0] === '{' || t[0] === '[') {
          try { return JSON.parse(t); } catch { return v; }
        }
        return v;
      }
      return v;
  }
}

/** Infers a column type from raw values (CSV text or JSON values). */
export function inferType(values: unknown[]): KqlType {
  let sawString = false, allBool = true, allInt = true, allNum = true, allDate = true, allTs = true, any = false, sawObject = false;
  const limit = Math.min(values.length, 2000);
  const step = values.length > limit ? values.length / limit : 1;
  for (let k = 0; k < limit; k++) {
    const v = values[Math.floor(k * step)];
    if (v === null || v === undefined || v === '') continue;
    any = true;
    if (typeof v === 'object') { sawObject = true; allBool = allInt = allNum = allDate = allTs = false; continue; }
    if (typeof v === 'boolean') { allInt = allNum = allDate = allTs = false; continue; }
    if (typeof v === 'number') { allBool = allDate = allTs = false; if (!Number.isInteger(v)) allInt = false; continue; }
    const s = String(v);
    sawString = true;
    if (!/^(true|false)$/i.test(s)) allBool = false;
    if (!/^-?\d{1,15}$/.test(s)) allInt = false;
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) allNum = false;
    if (allDate && !(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s) || /^\d{1,2}\/\d{1,2}\/\d{4},? \d{1,2}:\d{2}/.test(s)) ) allDate = false;
    if (!/^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s)) allTs = false;
    if ((s[0] === '{' || s[0] === '[') && /[}\]]$/.test(s)) { try { JSON.parse(s); sawObject = true; } catch { /* text */ } }
  }
  if (!any) return 'string';
  if (sawObject) return 'dynamic';
  if (allBool) return 'bool';
  if (allInt && !sawString) return 'long';
  if (allInt) return 'long';
  if (allNum) return 'real';
  if (allDate) return 'datetime';
  if (allTs) return 'timespan';
  return 'string';
}
