// Array, set and property-bag functions over dynamic values (plain JSON-like JS values).
import {
  bagGet,
  bagHas,
  cloneDynamic,
  compareDynamic,
  dynamicEquals,
  isPlainObject,
  newBag,
  toDynamicValue,
} from '../../columnar/values';
import { defineAlias, defineFunctions, type CallContext, type Value } from './define';
import { checkArray, LIMITS } from '../limits';
import { argType, int, isNull, num, str } from './helpers';

/** A dynamic argument; a string-typed argument holding JSON is not parsed (Kusto requires todynamic). */
function dyn(v: Value, ctx: CallContext, i: number): Value {
  return toDynamicValue(v, argType(ctx, i));
}

function arr(v: Value): unknown[] | null {
  return Array.isArray(v) ? v : null;
}

/** Kusto's array_slice/array_index_of index normalisation: negative counts from the end. */
function normIndex(i: number, length: number): number {
  return i < 0 ? Math.max(0, length + i) : i;
}

/** Key for set semantics (distinct by value, numbers by value). */
function setKey(v: unknown): string {
  return v !== null && typeof v === 'object' ? 'o' + JSON.stringify(sortedKeys(v)) : `${typeof v}:${v as string}`;
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (isPlainObject(v)) {
    const out = newBag();
    for (const k of Object.keys(v).sort()) out[k] = sortedKeys(v[k]);
    return out;
  }
  return v;
}

function distinct(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = setKey(v);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

/** Sort rank within an array: numbers, then strings, then other values (by JSON text). */
function sortCompare(a: unknown, b: unknown): number {
  const ra = typeof a === 'number' || typeof a === 'boolean' ? 0 : typeof a === 'string' ? 1 : 2;
  const rb = typeof b === 'number' || typeof b === 'boolean' ? 0 : typeof b === 'string' ? 1 : 2;
  if (ra !== rb) return ra - rb;
  return compareDynamic(a, b);
}

function arraySort(args: Value[], ctx: CallContext, desc: boolean): Value {
  let nullsLast = true;
  let arrays = args;
  const last = args[args.length - 1];
  if (args.length > 1 && argType(ctx, args.length - 1) === 'bool') {
    nullsLast = last !== false;
    arrays = args.slice(0, -1);
  }
  const first = arr(arrays[0]);
  if (!first) return null;
  const order = first.map((_, i) => i);
  order.sort((i, j) => {
    const a = first[i];
    const b = first[j];
    const an = isNull(a);
    const bn = isNull(b);
    if (an || bn) {
      if (an && bn) return i - j;
      return (an ? 1 : -1) * (nullsLast ? 1 : -1);
    }
    const c = sortCompare(a, b);
    return (desc ? -c : c) || i - j;
  });
  const results = arrays.map((a) => {
    const items = arr(a);
    return items && items.length === first.length ? order.map((i) => items[i]) : null;
  });
  return results.length === 1 ? results[0] : results;
}

/** Resolves `$.a.b` / `a` key paths used by bag_has_key, bag_set_key and bag_remove_keys. */
function keyPath(key: string): string[] {
  if (key.startsWith('$.')) return key.slice(2).split('.');
  if (key.startsWith("$['") && key.endsWith("']")) return [key.slice(3, -2)];
  return [key];
}

function rotate(items: unknown[], n: number): unknown[] {
  if (items.length === 0) return [];
  const k = ((n % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function shift(items: unknown[], n: number, fill: unknown): unknown[] {
  const len = items.length;
  return items.map((_, i) => {
    const j = i + n;
    return j >= 0 && j < len ? items[j] : fill;
  });
}

defineFunctions({
  array_length: ([v]) => (Array.isArray(v) ? v.length : null),
  array_concat: (args) => {
    if (!args.every(Array.isArray)) return null;
    checkArray(
      'array_concat',
      (args as unknown[][]).reduce((n, a) => n + a.length, 0),
    );
    return (args as unknown[][]).flat(1);
  },
  array_slice: ([v, start, end]) => {
    const items = arr(v);
    const s = int(start);
    const e = int(end);
    if (!items || s === null || e === null) return null;
    const from = normIndex(s, items.length);
    const to = e < 0 ? items.length + e : e;
    return from > to ? [] : items.slice(from, to + 1);
  },
  array_reverse: ([v]) => (Array.isArray(v) ? [...v].reverse() : null),
  array_rotate_left: ([v, n]) => {
    const k = int(n);
    return Array.isArray(v) && k !== null ? rotate(v, k) : null;
  },
  array_rotate_right: ([v, n]) => {
    const k = int(n);
    return Array.isArray(v) && k !== null ? rotate(v, -k) : null;
  },
  array_shift_left: ([v, n, fill], ctx) => {
    const k = int(n);
    return Array.isArray(v) && k !== null ? shift(v, k, fill === undefined ? null : dyn(fill, ctx, 2)) : null;
  },
  array_shift_right: ([v, n, fill], ctx) => {
    const k = int(n);
    return Array.isArray(v) && k !== null ? shift(v, -k, fill === undefined ? null : dyn(fill, ctx, 2)) : null;
  },
  array_split: ([v, indices]) => {
    if (!Array.isArray(v)) return null;
    const raw = Array.isArray(indices) ? indices : [indices];
    const cuts = raw
      .map((i) => int(i))
      .filter((i): i is number => i !== null)
      .map((i) => Math.min(normIndex(i, v.length), v.length));
    const out: unknown[][] = [];
    let from = 0;
    for (const c of cuts) {
      out.push(v.slice(from, Math.max(from, c)));
      from = Math.max(from, c);
    }
    out.push(v.slice(from));
    return out;
  },
  array_sum: ([v]) => {
    if (!Array.isArray(v)) return null;
    let sum = 0;
    for (const x of v) {
      const n = num(x);
      if (n === null || typeof x === 'string') return null;
      sum += n;
    }
    return sum;
  },
  array_index_of: ([v, lookup, start, length, occurrence], ctx) => {
    const items = arr(v);
    if (!items) return null;
    const target = dyn(lookup, ctx, 1);
    const s = start === undefined ? 0 : int(start);
    const len = length === undefined ? -1 : int(length);
    const occ = occurrence === undefined ? 1 : int(occurrence);
    if (s === null || len === null || occ === null || occ <= 0) return null;
    const from = normIndex(s, items.length);
    const end = len < 0 ? items.length : Math.min(items.length, from + len);
    let seen = 0;
    for (let i = from; i < end; i++) {
      if (dynamicEquals(items[i], target) && ++seen === occ) return i;
    }
    return -1;
  },
  array_iff: ([cond, a, b]) => {
    const conds = arr(cond);
    if (!conds) return null;
    return conds.map((c, i) => {
      const pick = typeof c === 'boolean' ? c : typeof c === 'number' ? c !== 0 : null;
      if (pick === null) return null;
      const src = pick ? a : b;
      return Array.isArray(src) ? (i < src.length ? src[i] : null) : src;
    });
  },
  array_sort_asc: (args, ctx) => arraySort(args, ctx, false),
  array_sort_desc: (args, ctx) => arraySort(args, ctx, true),
  set_has_element: ([v, value], ctx) => {
    const items = arr(v);
    if (!items) return null;
    const target = dyn(value, ctx, 1);
    return items.some((x) => dynamicEquals(x, target));
  },
  set_union: (args) => (args.every(Array.isArray) ? distinct((args as unknown[][]).flat(1)) : null),
  set_intersect: (args) => {
    if (args.length === 0 || !args.every(Array.isArray)) return null;
    const [first, ...rest] = args as unknown[][];
    const restKeys = rest.map((r) => new Set(r.map(setKey)));
    return distinct(first).filter((x) => restKeys.every((k) => k.has(setKey(x))));
  },
  set_difference: (args) => {
    if (args.length === 0 || !args.every(Array.isArray)) return null;
    const [first, ...rest] = args as unknown[][];
    const remove = new Set(rest.flat(1).map(setKey));
    return distinct(first).filter((x) => !remove.has(setKey(x)));
  },
  jaccard_index: ([a, b]) => {
    if (!Array.isArray(a) || !Array.isArray(b)) return null;
    const sa = new Set(a.map(setKey));
    const sb = new Set(b.map(setKey));
    const union = new Set([...sa, ...sb]);
    if (union.size === 0) return NaN;
    let inter = 0;
    for (const k of sa) if (sb.has(k)) inter++;
    return inter / union.size;
  },
  pack_array: (args, ctx) => args.map((v, i) => dyn(v, ctx, i)),
  bag_pack: (args, ctx) => {
    const out = newBag();
    for (let i = 0; i + 1 < args.length; i += 2) out[str(args[i], argType(ctx, i))] = dyn(args[i + 1], ctx, i + 1);
    return out;
  },
  bag_keys: ([v]) => (isPlainObject(v) ? Object.keys(v) : null),
  bag_merge: (args) => {
    const out = newBag();
    for (const bag of args) {
      if (!isPlainObject(bag)) continue;
      for (const [k, v] of Object.entries(bag)) if (!bagHas(out, k)) out[k] = v;
    }
    return out;
  },
  bag_has_key: ([bag, key], ctx) => {
    if (!isPlainObject(bag)) return null;
    let cur: unknown = bag;
    for (const k of keyPath(str(key, argType(ctx, 1)))) {
      if (!isPlainObject(cur) || !bagHas(cur, k)) return false;
      cur = cur[k];
    }
    return true;
  },
  bag_remove_keys: ([bag, keys]) => {
    if (!isPlainObject(bag) || !Array.isArray(keys)) return null;
    const out = cloneDynamic(bag);
    for (const key of keys) {
      if (typeof key !== 'string') continue;
      const path = keyPath(key);
      let cur: unknown = out;
      for (const k of path.slice(0, -1)) cur = isPlainObject(cur) ? bagGet(cur, k) : undefined;
      if (isPlainObject(cur) && bagHas(cur, path[path.length - 1])) delete cur[path[path.length - 1]];
    }
    return out;
  },
  bag_set_key: ([bag, key, value], ctx) => {
    if (!isPlainObject(bag)) return null;
    const out = cloneDynamic(bag);
    const path = keyPath(str(key, argType(ctx, 1)));
    let cur: Record<string, unknown> = out;
    for (const k of path.slice(0, -1)) {
      if (!isPlainObject(bagGet(cur, k))) cur[k] = newBag();
      cur = cur[k] as Record<string, unknown>;
    }
    cur[path[path.length - 1]] = dyn(value, ctx, 2);
    return out;
  },
  bag_zip: ([keys, values]) => {
    if (!Array.isArray(keys)) return null;
    const out = newBag();
    keys.forEach((k, i) => {
      if (typeof k !== 'string') return;
      out[k] = Array.isArray(values) && i < values.length ? values[i] : null;
    });
    return out;
  },
  zip: (args) => {
    if (!args.every(Array.isArray)) return null;
    const arrays = args as unknown[][];
    const n = Math.max(0, ...arrays.map((a) => a.length));
    checkArray('zip', n * arrays.length);
    return Array.from({ length: n }, (_, i) => arrays.map((a) => (i < a.length ? a[i] : null)));
  },
  range: ([start, stop, step], ctx) => {
    const a = num(start);
    const b = num(stop);
    // Default step: 1, or one hour for datetimes and timespans.
    const timeLike = argType(ctx, 0) === 'datetime' || argType(ctx, 0) === 'timespan';
    const s = step === undefined ? (timeLike ? 3_600_000_000 : 1) : num(step);
    if (a === null || b === null || s === null || s === 0) return null;
    const t = argType(ctx, 0);
    const out: unknown[] = [];
    // Kusto stops at 1,048,576 elements (documented: range(1, 1000000000) has 1,048,576); a step too small
    // to change the value ends the range too
    for (let v = a; s > 0 ? v <= b : v >= b; v += s) {
      out.push(toDynamicValue(v, t === 'int' ? 'long' : t));
      if (out.length >= LIMITS.arrayElements || v + s === v) break;
    }
    return out;
  },
  treepath: ([v]) => {
    if (!isPlainObject(v) && !Array.isArray(v)) return [];
    const paths: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) {
        paths.push(`${path}[0]`);
        for (const child of node) if (child !== null && typeof child === 'object') walk(child, `${path}[0]`);
      } else if (isPlainObject(node)) {
        for (const [k, child] of Object.entries(node)) {
          const p = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path}.${k}` : `${path}['${k}']`;
          paths.push(p);
          if (child !== null && typeof child === 'object') walk(child, p);
        }
      }
    };
    walk(v, '$');
    return [...new Set(paths)];
  },
});

defineAlias('bag_pack', 'pack', 'pack_dictionary');
defineAlias('array_iff', 'array_iif');
