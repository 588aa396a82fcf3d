// Row-level semantics of KQL operators (the vectorised paths in eval.ts agree with these).
import type { KqlType } from '../types';
import { kqlRegex } from './functions/regex';

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;

/** `has`: the needle occurs as whole term(s) (terms are runs of alphanumeric characters). */
export function hasTerm(hay: string, needle: string, cs: boolean): boolean {
  if (needle.length === 0) return true;
  const h = cs ? hay : hay.toLowerCase();
  const nd = cs ? needle : needle.toLowerCase();
  const sA = isAlnum(nd.charCodeAt(0));
  const eA = isAlnum(nd.charCodeAt(nd.length - 1));
  let i = h.indexOf(nd);
  while (i >= 0) {
    const okL = !sA || i === 0 || !isAlnum(h.charCodeAt(i - 1));
    const j = i + nd.length;
    const okR = !eA || j === h.length || !isAlnum(h.charCodeAt(j));
    if (okL && okR) return true;
    i = h.indexOf(nd, i + 1);
  }
  return false;
}

/** `hasprefix` / `hassuffix`: a term starts / ends with the needle. */
function hasAffix(hay: string, needle: string, cs: boolean, prefix: boolean): boolean {
  if (needle.length === 0) return true;
  const h = cs ? hay : hay.toLowerCase();
  const nd = cs ? needle : needle.toLowerCase();
  let i = h.indexOf(nd);
  while (i >= 0) {
    if (
      prefix
        ? i === 0 || !isAlnum(h.charCodeAt(i - 1))
        : i + nd.length === h.length || !isAlnum(h.charCodeAt(i + nd.length))
    )
      return true;
    i = h.indexOf(nd, i + 1);
  }
  return false;
}

/** RE2 patterns compile through the function library's translator (functions/regex.ts), so `matches regex`,
 *  `parse kind=regex`, extract() and friends read every pattern the same way. */
export { kqlRegex };

/** String predicate operators; a is the haystack. */
export function stringPredicate(op: string): ((a: string, b: string) => boolean) | undefined {
  switch (op) {
    case 'has':
      return (a, b) => hasTerm(a, b, false);
    case '!has':
      return (a, b) => !hasTerm(a, b, false);
    case 'has_cs':
      return (a, b) => hasTerm(a, b, true);
    case '!has_cs':
      return (a, b) => !hasTerm(a, b, true);
    case 'hasprefix':
      return (a, b) => hasAffix(a, b, false, true);
    case '!hasprefix':
      return (a, b) => !hasAffix(a, b, false, true);
    case 'hasprefix_cs':
      return (a, b) => hasAffix(a, b, true, true);
    case '!hasprefix_cs':
      return (a, b) => !hasAffix(a, b, true, true);
    case 'hassuffix':
      return (a, b) => hasAffix(a, b, false, false);
    case '!hassuffix':
      return (a, b) => !hasAffix(a, b, false, false);
    case 'hassuffix_cs':
      return (a, b) => hasAffix(a, b, true, false);
    case '!hassuffix_cs':
      return (a, b) => !hasAffix(a, b, true, false);
    case 'contains':
      return (a, b) => a.toLowerCase().includes(b.toLowerCase());
    case '!contains':
      return (a, b) => !a.toLowerCase().includes(b.toLowerCase());
    case 'contains_cs':
      return (a, b) => a.includes(b);
    case '!contains_cs':
      return (a, b) => !a.includes(b);
    case 'startswith':
      return (a, b) => a.toLowerCase().startsWith(b.toLowerCase());
    case '!startswith':
      return (a, b) => !a.toLowerCase().startsWith(b.toLowerCase());
    case 'startswith_cs':
      return (a, b) => a.startsWith(b);
    case '!startswith_cs':
      return (a, b) => !a.startsWith(b);
    case 'endswith':
      return (a, b) => a.toLowerCase().endsWith(b.toLowerCase());
    case '!endswith':
      return (a, b) => !a.toLowerCase().endsWith(b.toLowerCase());
    case 'endswith_cs':
      return (a, b) => a.endsWith(b);
    case '!endswith_cs':
      return (a, b) => !a.endsWith(b);
    case '=~':
      return (a, b) => a.toLowerCase() === b.toLowerCase();
    case '!~':
      return (a, b) => a.toLowerCase() !== b.toLowerCase();
    case 'matches regex':
      return (a, b) => kqlRegex(b).test(a);
    case 'like':
      return undefined;
    default:
      return undefined;
  }
}

export const STRING_OPS = new Set([
  'has',
  '!has',
  'has_cs',
  '!has_cs',
  'hasprefix',
  '!hasprefix',
  'hasprefix_cs',
  '!hasprefix_cs',
  'hassuffix',
  '!hassuffix',
  'hassuffix_cs',
  '!hassuffix_cs',
  'contains',
  '!contains',
  'contains_cs',
  '!contains_cs',
  'startswith',
  '!startswith',
  'startswith_cs',
  '!startswith_cs',
  'endswith',
  '!endswith',
  'endswith_cs',
  '!endswith_cs',
  '=~',
  '!~',
  'matches regex',
]);

/** Text of a value for string operators (dynamic values: their JSON / string form). */
export function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Equality as KQL compares values (null → null). */
export function eq(a: unknown, b: unknown): boolean | null {
  const na = a === null || a === undefined,
    nb = b === null || b === undefined;
  // null == null → null; null == value → false (and != gives true)
  if (na || nb) return na && nb ? null : false;
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  if (typeof a === 'number' && typeof b === 'boolean') return a === (b ? 1 : 0);
  if (typeof b === 'number' && typeof a === 'boolean') return b === (a ? 1 : 0);
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof b === 'number' && typeof a === 'string') return String(b) === a;
  return a === b;
}

export function cmp(a: unknown, b: unknown): number | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : null;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  const na = typeof a === 'number' ? a : Number(a);
  const nb = typeof b === 'number' ? b : Number(b);
  if (Number.isNaN(na) || Number.isNaN(nb)) return null;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

const isIntType = (t: KqlType) => t === 'int' || t === 'long';

/** Arithmetic on engine values (datetimes and timespans are microseconds, so they add and subtract as numbers). */
export function arith(op: string, a: unknown, b: unknown, resultType: KqlType): unknown {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  const x = typeof a === 'number' ? a : typeof a === 'boolean' ? (a ? 1 : 0) : Number(a);
  const y = typeof b === 'number' ? b : typeof b === 'boolean' ? (b ? 1 : 0) : Number(b);
  // text that is not a number is null; a real NaN operand gives NaN (null for integer results)
  if ((x !== x && typeof a !== 'number') || (y !== y && typeof b !== 'number')) return null;
  if ((x !== x || y !== y) && isIntType(resultType)) return null;
  let r: number;
  switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
      if (isIntType(resultType)) {
        if (y === 0) return null;
        r = Math.trunc(x / y);
      } else r = x / y;
      break;
    case '%':
      if (y === 0) return null;
      r = x % y;
      if (r < 0) r += Math.abs(y); // KQL's modulo is never negative
      break;
    default:
      return null;
  }
  if (isIntType(resultType)) r = Math.trunc(r);
  return isIntType(resultType) && !Number.isFinite(r) ? null : r;
}
