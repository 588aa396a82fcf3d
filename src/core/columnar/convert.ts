// Conversions between file/wire text and the engine's value representation
// (datetime = epoch microseconds, timespan = microseconds).
import type { KqlType } from '../types';
import {
  formatDatetime as formatKqlDatetime,
  formatTimespan as formatKqlTimespan,
  makeDatetime,
  parseDatetime as parseKqlDatetime,
  parseTimespan as parseKqlTimespan,
  withFraction,
} from './values';

/**
 * Parses a datetime from a lake file: everything `todatetime()` accepts (one implementation, in
 * columnar/values.ts) plus the Log Analytics portal's CSV export form (`11/20/2026, 9:15:02.123 AM`).
 * Returns epoch microseconds or null.
 */
export function parseDatetime(s: string): number | null {
  const v = parseKqlDatetime(s);
  if (v !== null) return v;
  const m = PORTAL_RE.exec(s.trim());
  if (!m) return null;
  let h = +m[4];
  const ampm = m[8]?.toUpperCase();
  if (ampm === 'PM' && h < 12) h += 12;
  if (ampm === 'AM' && h === 12) h = 0;
  const base = makeDatetime(+m[3], +m[1], +m[2], h, +m[5], m[6] ? +m[6] : 0);
  return base === null ? null : withFraction(base, m[7] ? Number((m[7] + '0000000').slice(0, 7)) / 10 : 0);
}

// Portal export: M/D/YYYY, h:mm[:ss[.fffffff]] [AM|PM]
const PORTAL_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AaPp][Mm])?$/;

/** `[-][d.]hh:mm:ss[.fffffff]` or literal forms like `1d`, `2h`, `30m` → microseconds (columnar/values.ts). */
export const parseTimespan = parseKqlTimespan;

/** Epoch microseconds → `2026-01-02T03:04:05Z` (fraction only when non-zero, trailing zeros trimmed). */
export function formatDatetime(us: number): string {
  return formatKqlDatetime(us, 'trim');
}

/** Microseconds → `[-][d.]hh:mm:ss[.fffffff]`. */
export const formatTimespan = formatKqlTimespan;

/** Converts a raw value read from a file (JSON value or CSV text) to the engine value of `type`; undefined = malformed. */
export function coerceRaw(v: unknown, type: KqlType): unknown {
  if (v === null || v === undefined) return type === 'string' || type === 'guid' ? '' : null;
  switch (type) {
    case 'string':
    case 'guid':
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'datetime':
      if (typeof v === 'string') return v === '' ? null : (parseDatetime(v) ?? undefined);
      if (typeof v === 'number') return v * 1000; // epoch milliseconds
      return undefined;
    case 'timespan':
      if (typeof v === 'string') return v === '' ? null : (parseTimespan(v) ?? undefined);
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
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      let num: number;
      if (typeof v === 'number') num = v;
      else if (typeof v === 'boolean') num = v ? 1 : 0;
      else if (typeof v === 'string') {
        if (v === '') return null;
        const l = v.trim().toLowerCase();
        if (
          type === 'real' &&
          (l === 'nan' || l === 'inf' || l === '+inf' || l === '-inf' || l === 'infinity' || l === '-infinity')
        ) {
          return l === 'nan' ? NaN : l.startsWith('-') ? -Infinity : Infinity;
        }
        num = Number(v.replace(/,/g, ''));
        if (l === '') return null;
      } else return undefined;
      if (Number.isNaN(num)) return undefined;
      return type === 'int' || type === 'long' ? Math.trunc(num) : num;
    }
    default: // dynamic
      if (typeof v === 'string') {
        const t = v.trim();
        if (t === '') return null;
        if (t[0] === '{' || t[0] === '[') {
          try {
            return JSON.parse(t);
          } catch {
            return v;
          }
        }
        return v;
      }
      return v;
  }
}

/** Infers a column type from raw values (CSV text or JSON values). */
export function inferType(values: unknown[]): KqlType {
  let sawString = false,
    allBool = true,
    allInt = true,
    allNum = true,
    allDate = true,
    allTs = true,
    any = false,
    sawObject = false;
  const limit = Math.min(values.length, 2000);
  const step = values.length > limit ? values.length / limit : 1;
  for (let k = 0; k < limit; k++) {
    const v = values[Math.floor(k * step)];
    if (v === null || v === undefined || v === '') continue;
    any = true;
    if (typeof v === 'object') {
      sawObject = true;
      allBool = allInt = allNum = allDate = allTs = false;
      continue;
    }
    if (typeof v === 'boolean') {
      allInt = allNum = allDate = allTs = false;
      continue;
    }
    if (typeof v === 'number') {
      allBool = allDate = allTs = false;
      if (!Number.isInteger(v)) allInt = false;
      continue;
    }
    const s = String(v);
    sawString = true;
    if (!/^(true|false)$/i.test(s)) allBool = false;
    if (!/^-?\d{1,15}$/.test(s)) allInt = false;
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) allNum = false;
    if (allDate && !(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s) || /^\d{1,2}\/\d{1,2}\/\d{4},? \d{1,2}:\d{2}/.test(s)))
      allDate = false;
    if (!/^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s)) allTs = false;
    if ((s[0] === '{' || s[0] === '[') && /[}\]]$/.test(s)) {
      try {
        JSON.parse(s);
        sawObject = true;
      } catch {
        /* text */
      }
    }
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
