// Argument coercions shared by the function modules. The analyzer has already checked types, so
// these only bridge representation differences (dynamic values, nulls, numbers held as bools).
import type { KqlType } from '../../types';
import { formatDynamic, parseDatetime, parseReal, parseTimespan, toInt32, valueToString } from '../../columnar/values';
import type { CallContext, Value } from './define';

export function isNull(v: Value): v is null | undefined {
  return v === null || v === undefined;
}

export function argType(ctx: CallContext, i: number): KqlType {
  return ctx.argTypes[i] ?? 'dynamic';
}

/** A string argument: null → '' (Kusto strings are never null); other types as tostring() prints them. */
export function str(v: Value, type: KqlType = 'string'): string {
  if (typeof v === 'string') return v;
  if (isNull(v)) return '';
  if (type === 'string' || type === 'guid') return typeof v === 'object' ? formatDynamic(v) : String(v);
  return valueToString(v, type);
}

/** A numeric argument, or null. Strings and bools inside dynamic values are read as numbers where Kusto would. */
export function num(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseReal(v);
  return null;
}

/** An integer argument (truncated), or null. */
export function int(v: Value): number | null {
  const n = num(v);
  return n === null || !Number.isFinite(n) ? null : Math.trunc(n);
}

/** A datetime argument as epoch microseconds (a dynamic/string value is parsed), or null. */
export function datetimeArg(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return parseDatetime(v);
  return null;
}

/** A timespan argument as microseconds, or null. */
export function timespanArg(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return parseTimespan(v);
  return null;
}

/** Coerces a numeric result to the analyzer's result type (int/long truncate; int wraps to 32 bits). */
export function numericResult(n: number | null, resultType: KqlType): number | null {
  if (n === null) return null;
  switch (resultType) {
    case 'int':
      return Number.isFinite(n) ? toInt32(n) : null;
    case 'long':
      return Number.isFinite(n) ? Math.trunc(n) : null;
    default:
      return n;
  }
}
