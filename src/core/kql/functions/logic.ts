// Conditional and null-handling functions: iff/iif, case, coalesce, isempty/isnotempty,
// isnull/isnotnull, not, max_of/min_of, isnan/isinf/isfinite.
import { compareDynamic, compareNumbers, compareStrings } from '../../columnar/values';
import { defineAlias, defineFunctions, type Value } from './define';
import { isNull } from './helpers';

/** Kusto treats a null condition as false. */
function truthy(v: Value): boolean {
  return v === true || (typeof v === 'number' && v !== 0 && !Number.isNaN(v));
}

function isEmpty(v: Value): boolean {
  return isNull(v) || v === '';
}

function compareAny(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  return compareDynamic(a, b);
}

function extreme(args: Value[], sign: 1 | -1): Value {
  let best: Value = null;
  for (const v of args) {
    if (isNull(v) || (typeof v === 'number' && Number.isNaN(v))) continue;
    if (best === null || sign * compareAny(v, best) > 0) best = v;
  }
  return best;
}

defineFunctions({
  iff: ([cond, then, otherwise]) => (truthy(cond) ? then : otherwise) ?? null,
  case: (args) => {
    for (let i = 0; i + 1 < args.length; i += 2) if (truthy(args[i])) return args[i + 1];
    return args.length % 2 === 1 ? args[args.length - 1] : null;
  },
  coalesce: (args, ctx) => {
    const skipEmpty = ctx.resultType === 'string';
    for (const v of args) {
      if (isNull(v) || (skipEmpty && v === '')) continue;
      if (typeof v === 'number' && Number.isNaN(v) && ctx.resultType !== 'dynamic') continue;
      return v;
    }
    return skipEmpty ? '' : null;
  },
  isempty: ([v]) => isEmpty(v),
  isnotempty: ([v]) => !isEmpty(v),
  isnull: ([v], ctx) => (ctx.argTypes[0] === 'string' ? false : isNull(v)),
  isnotnull: ([v], ctx) => (ctx.argTypes[0] === 'string' ? true : !isNull(v)),
  not: ([v]) => (isNull(v) ? null : !truthy(v)),
  max_of: (args) => extreme(args, 1),
  min_of: (args) => extreme(args, -1),
  isnan: ([v]) => (typeof v === 'number' ? Number.isNaN(v) : isNull(v) ? null : false),
  isinf: ([v]) => (typeof v === 'number' ? v === Infinity || v === -Infinity : isNull(v) ? null : false),
  isfinite: ([v]) => (typeof v === 'number' ? Number.isFinite(v) : isNull(v) ? null : false),
});

defineAlias('iff', 'iif');
