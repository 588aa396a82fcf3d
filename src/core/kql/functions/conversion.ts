// Conversion functions: tostring, toint, tolong, toreal, todecimal, tobool, toguid, todynamic,
// todatetime, totimespan, tohex, gettype.
import {
  dynamicTypeName,
  parseBool,
  parseDatetime,
  parseDynamic,
  parseGuid,
  parseLong,
  parseReal,
  parseTimespan,
  toDynamicValue,
  valueToString,
} from '../../columnar/values';
import { KqlError } from '../../errors';
import { defineAlias, defineFunctions, type CallContext, type Value } from './define';
import { argType, int, isNull } from './helpers';

function toLongValue(v: Value): number | null {
  if (isNull(v)) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseLong(v);
  return null;
}

function toRealValue(v: Value): number | null {
  if (isNull(v)) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseReal(v);
  return null;
}

export function toBoolValue(v: Value): boolean | null {
  if (isNull(v)) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v !== 0;
  if (typeof v === 'string') return parseBool(v);
  return null;
}

/** Numbers as datetimes/timespans (tick counts) are not interpreted locally: refuse rather than guess. */
function refuseNumber(fn: string): never {
  throw new KqlError(
    `local engine does not support ${fn}() of a number (use unixtime_*_todatetime() or a timespan literal)`,
    undefined,
    'KqlUnsupported',
  );
}

export function toDynamic(v: Value, ctx: CallContext, i = 0): Value {
  if (isNull(v)) return null;
  const t = argType(ctx, i);
  if (t === 'string' && typeof v === 'string') return parseDynamic(v);
  if (t === 'dynamic') return v;
  return toDynamicValue(v, t);
}

defineFunctions({
  tostring: ([v], ctx) => valueToString(v, argType(ctx, 0)),
  // A value outside the 32-bit range does not convert (null), rather than wrapping around.
  toint: ([v]) => {
    const n = toLongValue(v);
    return n === null || n > 2147483647 || n < -2147483648 ? null : n;
  },
  tolong: ([v]) => toLongValue(v),
  toreal: ([v]) => toRealValue(v),
  todecimal: ([v]) => toRealValue(v),
  tobool: ([v]) => toBoolValue(v),
  toguid: ([v]) => (typeof v === 'string' ? parseGuid(v) : null),
  todynamic: ([v], ctx) => toDynamic(v, ctx),
  todatetime: ([v], ctx) => {
    if (isNull(v)) return null;
    if (typeof v === 'number') return argType(ctx, 0) === 'datetime' ? v : refuseNumber('todatetime');
    return typeof v === 'string' ? parseDatetime(v) : null;
  },
  totimespan: ([v], ctx) => {
    if (isNull(v)) return null;
    if (typeof v === 'number') return argType(ctx, 0) === 'timespan' ? v : refuseNumber('totimespan');
    return typeof v === 'string' ? parseTimespan(v) : null;
  },
  tohex: ([v, minLength], ctx) => {
    const n = int(v);
    if (n === null) return null;
    let big = BigInt(n);
    if (big < 0n) big += argType(ctx, 0) === 'int' ? 1n << 32n : 1n << 64n;
    const text = big.toString(16);
    const width = int(minLength ?? null) ?? 0;
    if (width > 1024) return null;
    return text.length < width ? text.padStart(width, '0') : text;
  },
  gettype: ([v], ctx) => {
    const t = argType(ctx, 0);
    if (t !== 'dynamic') return t === 'decimal' ? 'decimal' : t;
    return dynamicTypeName(v);
  },
});

defineAlias('toreal', 'todouble');
defineAlias('tobool', 'toboolean');
defineAlias('todynamic', 'parse_json', 'toobject');
