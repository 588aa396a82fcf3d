// Grouping (integer group keys) and aggregate functions for summarize / distinct.
import type { KqlType } from '../types';
import { Col, ColBuilder, colGet, dedupStr, storageOf } from '../columnar/columns';
import type { Vec } from './vec';
import { vget } from './vec';
import { cmp } from './scalarops';
import { NumIds } from './hash';
import { newBag } from '../columnar/values';
import { KqlError } from '../errors';
import { addTdigest, asHll, asTdigest, distinctKey, hllSketch, tdigestSketch } from './functions/sketches';

/** Assigns dense group ids (first-occurrence order) to rows by the given key columns. */
export function groupIds(keys: Col[], n: number): { ids: Int32Array; groups: number; firstRow: Int32Array } {
  let ids: Int32Array = new Int32Array(n);
  let card = 1;
  for (const k of keys) {
    const { codes, card: kc } = keyCodes(k, n);
    // combine ids * kc + code, then densify
    const combined = new Float64Array(n);
    for (let i = 0; i < n; i++) combined[i] = ids[i] * kc + codes[i];
    const r = densify(combined, card * kc, n);
    ids = r.ids;
    card = r.card;
  }
  if (keys.length === 0) {
    card = n > 0 ? 1 : 0;
  }
  const firstRow = new Int32Array(card).fill(-1);
  for (let i = 0; i < n; i++) if (firstRow[ids[i]] < 0) firstRow[ids[i]] = i;
  return { ids, groups: card, firstRow };
}

function keyCodes(c: Col, n: number): { codes: Int32Array | Float64Array; card: number } {
  if (c.k === 's') {
    const d = dedupStr(c);
    return { codes: d.codes, card: Math.max(1, d.dict.length) };
  }
  if (c.k === 'b') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = c.data[i];
    return { codes: out, card: 3 };
  }
  const out = new Int32Array(n);
  if (c.k === 'n') {
    const d = c.data;
    const h = new NumIds(1024);
    for (let i = 0; i < n; i++) out[i] = h.idOf(d[i]);
    return { codes: out, card: Math.max(1, h.size) };
  }
  const m = new Map<unknown, number>();
  {
    for (let i = 0; i < n; i++) {
      const v = c.data[i];
      const key =
        v === null || v === undefined
          ? 'null'
          : typeof v === 'object'
            ? 'j' + JSON.stringify(v)
            : typeof v + ':' + String(v);
      let x = m.get(key);
      if (x === undefined) {
        x = m.size;
        m.set(key, x);
      }
      out[i] = x;
    }
  }
  return { codes: out, card: Math.max(1, m.size) };
}

function densify(v: Float64Array, space: number, n: number): { ids: Int32Array; card: number } {
  const ids = new Int32Array(n);
  let card = 0;
  if (space <= 1 << 22) {
    const lut = new Int32Array(space).fill(-1);
    for (let i = 0; i < n; i++) {
      const k = v[i];
      let x = lut[k];
      if (x < 0) {
        x = card++;
        lut[k] = x;
      }
      ids[i] = x;
    }
  } else {
    const h = new NumIds(4096);
    for (let i = 0; i < n; i++) ids[i] = h.idOf(v[i]);
    card = h.size;
  }
  return { ids, card };
}

export interface AggInput {
  fn: string;
  args: Vec[];
  argTypes: KqlType[];
  outTypes: KqlType[];
  /** arg_max/arg_min/take_any: extra columns to carry from the chosen row. */
  extra: Vec[];
}

const MAX_SET = 1048576;

/** Computes one aggregate per group; returns its output columns. */
export function aggregate(a: AggInput, ids: Int32Array, G: number, n: number): Col[] {
  const fn = normalise(a.fn);
  const out = (type: KqlType, vals: unknown[]) => {
    const b = new ColBuilder(storageOf(type), G);
    for (const v of vals) b.push(v);
    return b.finish();
  };
  const cond = (idx: number): Uint8Array | null => {
    const c = a.args[idx];
    if (!c) return null;
    const m = new Uint8Array(n);
    if (c.k === 'b') {
      const d = c.data;
      for (let i = 0; i < n; i++) m[i] = d[i] === 1 ? 1 : 0;
      return m;
    }
    if (c.k === 'c') {
      if (c.v === true) m.fill(1);
      return m;
    }
    for (let i = 0; i < n; i++) m[i] = vget(c, i) === true ? 1 : 0;
    return m;
  };
  const t0 = a.outTypes[0] ?? 'dynamic';
  switch (fn) {
    case 'count':
    case 'countif': {
      const counts = new Float64Array(G);
      const m = fn === 'countif' ? cond(0) : null;
      for (let i = 0; i < n; i++) if (!m || m[i]) counts[ids[i]]++;
      return [{ k: 'n', data: counts }];
    }
    case 'sum':
    case 'sumif':
    case 'avg':
    case 'avgif': {
      const m = fn.endsWith('if') ? cond(1) : null;
      const sums = new Float64Array(G);
      const cnt = new Float64Array(G);
      const x = a.args[0];
      if (x.k === 'n') {
        const d = x.data;
        for (let i = 0; i < n; i++) {
          const v = d[i];
          if (v === v && (!m || m[i])) {
            sums[ids[i]] += v;
            cnt[ids[i]]++;
          }
        }
      } else {
        for (let i = 0; i < n; i++) {
          if (m && !m[i]) continue;
          const v = num(vget(x, i));
          if (v !== null) {
            sums[ids[i]] += v;
            cnt[ids[i]]++;
          }
        }
      }
      if (fn.startsWith('avg')) {
        for (let g = 0; g < G; g++) sums[g] = cnt[g] ? sums[g] / cnt[g] : NaN;
      } else if (t0 === 'int' || t0 === 'long') for (let g = 0; g < G; g++) sums[g] = Math.trunc(sums[g]);
      return [{ k: 'n', data: sums }];
    }
    case 'min':
    case 'max':
    case 'minif':
    case 'maxif': {
      const m = fn.endsWith('if') ? cond(1) : null;
      const isMax = fn.startsWith('max');
      const x = a.args[0];
      if (x.k === 'n') {
        const best = new Float64Array(G).fill(NaN);
        const d = x.data;
        for (let i = 0; i < n; i++) {
          const v = d[i];
          if (v !== v || (m && !m[i])) continue;
          const g = ids[i];
          const b = best[g];
          if (b !== b || (isMax ? v > b : v < b)) best[g] = v;
        }
        return [{ k: 'n', data: best }];
      }
      const best: unknown[] = new Array(G).fill(null);
      for (let i = 0; i < n; i++) {
        if (m && !m[i]) continue;
        const v = vget(x, i);
        if (v === null || (x.k === 's' && v === '')) continue;
        const g = ids[i];
        const r = best[g] === null ? null : cmp(v, best[g]);
        if (best[g] === null || (r !== null && (isMax ? r > 0 : r < 0))) best[g] = v;
      }
      return [out(t0, best)];
    }
    case 'dcount':
    case 'dcountif': {
      const m = fn === 'dcountif' ? cond(1) : null;
      const x = a.args[0];
      const counts = new Float64Array(G);
      if (x.k === 's') {
        const xs = dedupStr(x);
        countDistinctPairs(ids, xs.codes, xs.dict.length, m, n, counts);
      } else if (x.k === 'n') {
        const vid = new NumIds(1 << 12);
        const d = x.data;
        const codes = new Int32Array(n);
        for (let i = 0; i < n; i++) codes[i] = d[i] !== d[i] ? -1 : vid.idOf(d[i]);
        countDistinctPairs(ids, codes, vid.size, m, n, counts);
      } else {
        const seen: Set<unknown>[] = [];
        for (let i = 0; i < n; i++) {
          if (m && !m[i]) continue;
          const v = vget(x, i);
          if (v === null) continue;
          const g = ids[i];
          const s = seen[g] ?? (seen[g] = new Set());
          const key = typeof v === 'object' ? JSON.stringify(v) : v;
          if (!s.has(key)) {
            s.add(key);
            counts[g]++;
          }
        }
      }
      return [{ k: 'n', data: counts }];
    }
    case 'make_set':
    case 'make_set_if':
    case 'make_list':
    case 'make_list_if': {
      const isIf = fn.endsWith('_if');
      const m = isIf ? cond(1) : null;
      const maxArg = a.args[isIf ? 2 : 1];
      const max = maxArg ? Number(vget(maxArg, 0) ?? MAX_SET) : MAX_SET;
      const isSet = fn.startsWith('make_set');
      const lists: unknown[][] = Array.from({ length: G }, () => []);
      const seen: Set<unknown>[] | null = isSet ? Array.from({ length: G }, () => new Set()) : null;
      const x = a.args[0];
      const dyn = a.argTypes[0] === 'dynamic';
      const add = (g: number, v: unknown) => {
        const l = lists[g];
        if (l.length >= max) return;
        if (seen) {
          const key = typeof v === 'object' && v !== null ? 'j' + JSON.stringify(v) : typeof v + ':' + String(v);
          if (seen[g].has(key)) return;
          seen[g].add(key);
        }
        l.push(v);
      };
      if (x.k === 's') {
        // strings: walk rows group by group (in row order), stamping dictionary codes already taken
        const xs = dedupStr(x);
        const { off, rows } = rowsByGroup(ids, G, n);
        const stamp = new Int32Array(xs.dict.length);
        for (let g = 0; g < G; g++) {
          const mark = g + 1;
          const l = lists[g];
          for (let p = off[g]; p < off[g + 1] && l.length < max; p++) {
            const i = rows[p];
            if (m && !m[i]) continue;
            const code = xs.codes[i];
            if (isSet) {
              if (stamp[code] === mark) continue;
              stamp[code] = mark;
            }
            l.push(xs.dict[code]);
          }
        }
        return [out('dynamic', lists)];
      }
      for (let i = 0; i < n; i++) {
        if (m && !m[i]) continue;
        const v = vget(x, i);
        if (v === null) continue;
        const wire = wireOf(v, a.argTypes[0]);
        if (dyn && Array.isArray(v)) for (const e of v) add(ids[i], e);
        else add(ids[i], wire);
      }
      return [out('dynamic', lists)];
    }
    case 'make_bag':
    case 'make_bag_if': {
      const m = fn === 'make_bag_if' ? cond(1) : null;
      const bags: Record<string, unknown>[] = Array.from({ length: G }, () => newBag());
      for (let i = 0; i < n; i++) {
        if (m && !m[i]) continue;
        const v = vget(a.args[0], i);
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          // keys are data: copied as own properties (Object.assign would run the `__proto__` setter)
          const bag = bags[ids[i]];
          for (const k of Object.keys(v)) bag[k] = (v as Record<string, unknown>)[k];
        }
      }
      return [out('dynamic', bags)];
    }
    case 'arg_max':
    case 'arg_min':
    case 'take_any':
    case 'take_anyif': {
      const best = new Int32Array(G).fill(-1);
      const x = a.args[0];
      if (fn === 'take_any' || fn === 'take_anyif') {
        const m = fn === 'take_anyif' ? cond(1) : null;
        for (let i = 0; i < n; i++) if (best[ids[i]] < 0 && (!m || m[i])) best[ids[i]] = i;
        const cols = [x, ...a.extra].slice(0, fn === 'take_anyif' ? 1 : undefined);
        return cols.map((c, j) => pick(c, best, a.outTypes[j] ?? 'dynamic'));
      }
      const isMax = fn === 'arg_max';
      if (x.k === 'n') {
        const bv = new Float64Array(G).fill(NaN);
        const d = x.data;
        for (let i = 0; i < n; i++) {
          const v = d[i];
          if (v !== v) continue;
          const g = ids[i];
          const b = bv[g];
          if (b !== b || (isMax ? v > b : v < b)) {
            bv[g] = v;
            best[g] = i;
          }
        }
      } else {
        const bv: unknown[] = new Array(G).fill(null);
        for (let i = 0; i < n; i++) {
          const v = vget(x, i);
          if (v === null) continue;
          const g = ids[i];
          const r = bv[g] === null ? null : cmp(v, bv[g]);
          if (bv[g] === null || (r !== null && (isMax ? r > 0 : r < 0))) {
            bv[g] = v;
            best[g] = i;
          }
        }
      }
      // a group whose values are all null still returns a row (values from its first row)
      const first = new Int32Array(G).fill(-1);
      for (let i = 0; i < n; i++) if (first[ids[i]] < 0) first[ids[i]] = i;
      for (let g = 0; g < G; g++) if (best[g] < 0) best[g] = first[g];
      return [x, ...a.extra].map((c, j) => pick(c, best, a.outTypes[j] ?? 'dynamic'));
    }
    case 'percentile':
    case 'percentiles': {
      const ps = a.args.slice(1).map((p) => Number(vget(p, 0)));
      const vals: number[][] = Array.from({ length: G }, () => []);
      for (let i = 0; i < n; i++) {
        const v = num(vget(a.args[0], i));
        if (v !== null) vals[ids[i]].push(v);
      }
      for (const v of vals) v.sort((p, q) => p - q);
      return ps.map((p, j) => {
        const r = vals.map((v) => {
          if (!v.length) return null;
          const rank = Math.max(1, Math.ceil((p / 100) * v.length));
          return v[Math.min(v.length, rank) - 1];
        });
        return out(a.outTypes[j] ?? 'real', r);
      });
    }
    case 'stdev':
    case 'variance':
    case 'stdevif':
    case 'varianceif':
    case 'stdevp':
    case 'variancep':
    case 'variancepif': {
      const m = fn.endsWith('if') ? cond(1) : null;
      const s = new Float64Array(G),
        s2 = new Float64Array(G),
        c = new Float64Array(G);
      for (let i = 0; i < n; i++) {
        if (m && !m[i]) continue;
        const v = num(vget(a.args[0], i));
        if (v === null) continue;
        const g = ids[i];
        s[g] += v;
        s2[g] += v * v;
        c[g]++;
      }
      const pop = /p(if)?$/.test(fn) && fn !== 'stdevif';
      const res = new Float64Array(G);
      for (let g = 0; g < G; g++) {
        const d = pop ? c[g] : c[g] - 1;
        if (d <= 0) {
          res[g] = c[g] >= 1 ? 0 : NaN;
          continue;
        }
        const mean = s[g] / c[g];
        const varr = Math.max(0, (s2[g] - c[g] * mean * mean) / d);
        res[g] = fn.startsWith('stdev') ? Math.sqrt(varr) : varr;
      }
      return [{ k: 'n', data: res }];
    }
    case 'covariance':
    case 'covariancep':
    case 'covarianceif':
    case 'covariancepif':
      return [
        { k: 'n', data: covariances(a, ids, G, n, fn.endsWith('if') ? cond(2) : null, fn.startsWith('covariancep')) },
      ];
    case 'binary_all_and':
    case 'binary_all_or':
    case 'binary_all_xor':
      return [out(t0, binaryAll(fn, a.args[0], ids, G, n))];
    case 'hll':
    case 'hll_if':
    case 'hll_merge': {
      const m = fn === 'hll_if' ? cond(1) : null;
      const keys: Set<string>[] = Array.from({ length: G }, () => new Set());
      for (let i = 0; i < n; i++) {
        if (m && !m[i]) continue;
        const v = vget(a.args[0], i);
        if (v === null || v === undefined) continue;
        if (fn !== 'hll_merge') {
          keys[ids[i]].add(distinctKey(v));
          continue;
        }
        const h = asHll(v);
        if (!h) throw new KqlError('hll_merge() expects the results of hll()', undefined, 'KqlRuntime');
        for (const k of h.keys) keys[ids[i]].add(k);
      }
      return [
        out(
          'dynamic',
          keys.map((k) => hllSketch(k)),
        ),
      ];
    }
    case 'tdigest':
    case 'tdigest_merge': {
      const weights: Map<number, number>[] = Array.from({ length: G }, () => new Map());
      for (let i = 0; i < n; i++) {
        const v = vget(a.args[0], i);
        if (fn === 'tdigest_merge') {
          if (v === null || v === undefined) continue;
          const t = asTdigest(v);
          if (!t) throw new KqlError('tdigest_merge() expects the results of tdigest()', undefined, 'KqlRuntime');
          addTdigest(weights[ids[i]], t);
          continue;
        }
        const x = num(v);
        const w = a.args[1] ? num(vget(a.args[1], i)) : 1;
        if (x === null || w === null || !(w > 0)) continue;
        const map = weights[ids[i]];
        map.set(x, (map.get(x) ?? 0) + w);
      }
      return [
        out(
          'dynamic',
          weights.map((w) => tdigestSketch(w)),
        ),
      ];
    }
    case 'make_list_with_nulls': {
      const lists: unknown[][] = Array.from({ length: G }, () => []);
      for (let i = 0; i < n; i++) lists[ids[i]].push(wireOf(vget(a.args[0], i) ?? null, a.argTypes[0]));
      return [out('dynamic', lists)];
    }
    default:
      throw new Error(`aggregate ${a.fn} is not implemented`);
  }
}

/** Sample (n - 1) or population (n) covariance of two numeric columns per group, over rows where both are set. */
function covariances(
  a: AggInput,
  ids: Int32Array,
  G: number,
  n: number,
  m: Uint8Array | null,
  population: boolean,
): Float64Array {
  const sx = new Float64Array(G),
    sy = new Float64Array(G),
    sxy = new Float64Array(G),
    c = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    if (m && !m[i]) continue;
    const x = num(vget(a.args[0], i));
    const y = num(vget(a.args[1], i));
    if (x === null || y === null) continue;
    const g = ids[i];
    sx[g] += x;
    sy[g] += y;
    sxy[g] += x * y;
    c[g]++;
  }
  const res = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const d = population ? c[g] : c[g] - 1;
    res[g] = d <= 0 ? (c[g] >= 1 ? 0 : NaN) : (sxy[g] - (sx[g] * sy[g]) / c[g]) / d;
  }
  return res;
}

/** Bitwise AND / OR / XOR of 64-bit integers per group (null when a group has no value). */
function binaryAll(fn: string, x: Vec, ids: Int32Array, G: number, n: number): (number | null)[] {
  const acc: (bigint | null)[] = new Array(G).fill(null);
  for (let i = 0; i < n; i++) {
    const v = num(vget(x, i));
    if (v === null || !Number.isFinite(v)) continue;
    const b = BigInt.asIntN(64, BigInt(Math.trunc(v)));
    const g = ids[i];
    const prev = acc[g];
    acc[g] = prev === null ? b : fn === 'binary_all_and' ? prev & b : fn === 'binary_all_or' ? prev | b : prev ^ b;
  }
  return acc.map((v) => (v === null ? null : Number(BigInt.asIntN(64, v))));
}

/** Rows ordered by group (stable counting sort), cached per group-id vector. */
const byGroupCache = new WeakMap<Int32Array, { off: Int32Array; rows: Int32Array }>();
function rowsByGroup(ids: Int32Array, G: number, n: number): { off: Int32Array; rows: Int32Array } {
  let r = byGroupCache.get(ids);
  if (!r) {
    const off = new Int32Array(G + 1);
    for (let i = 0; i < n; i++) off[ids[i] + 1]++;
    for (let g = 0; g < G; g++) off[g + 1] += off[g];
    const fill = off.slice(0, G);
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[fill[ids[i]]++] = i;
    r = { off, rows };
    byGroupCache.set(ids, r);
  }
  return r;
}

/** counts[g] = number of distinct codes per group: walk the rows group by group, stamping codes seen. */
// Groups × distinct values up to this many cells are counted in one pass over the rows with a seen-table
// (small enough to stay in cache); larger ones visit the rows group by group.
const DENSE_DISTINCT_CELLS = 1 << 22;

function countDistinctPairs(
  ids: Int32Array,
  codes: Int32Array,
  D: number,
  m: Uint8Array | null,
  n: number,
  counts: Float64Array,
): void {
  const G = counts.length;
  if (G * D <= DENSE_DISTINCT_CELLS) {
    const seen = new Uint8Array(G * D);
    for (let i = 0; i < n; i++) {
      const code = codes[i];
      if (code < 0 || (m && !m[i])) continue;
      const g = ids[i];
      const cell = g * D + code;
      if (seen[cell] === 0) {
        seen[cell] = 1;
        counts[g]++;
      }
    }
    return;
  }
  const { off, rows } = rowsByGroup(ids, G, n);
  const stamp = new Int32Array(D);
  for (let g = 0; g < G; g++) {
    const mark = g + 1;
    let c = 0;
    for (let x = off[g]; x < off[g + 1]; x++) {
      const i = rows[x];
      const code = codes[i];
      if (code < 0 || (m && !m[i])) continue;
      if (stamp[code] !== mark) {
        stamp[code] = mark;
        c++;
      }
    }
    counts[g] = c;
  }
}

function normalise(fn: string): string {
  switch (fn) {
    case 'makeset':
      return 'make_set';
    case 'makelist':
      return 'make_list';
    case 'any':
      return 'take_any';
    case 'anyif':
      return 'take_anyif';
    default:
      return fn;
  }
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const x = Number(v);
    return Number.isNaN(x) ? null : x;
  }
  return null;
}

function pick(c: Vec, rows: Int32Array, type: KqlType): Col {
  const b = new ColBuilder(storageOf(type), rows.length);
  for (let g = 0; g < rows.length; g++) b.push(rows[g] < 0 ? null : vget(c, rows[g]));
  return b.finish();
}

import { formatDatetime, formatTimespan } from '../columnar/convert';
/** Values placed into dynamic arrays take their wire form (datetimes as ISO strings). */
function wireOf(v: unknown, t: KqlType): unknown {
  if (typeof v === 'number' && t === 'datetime') return formatDatetime(v);
  if (typeof v === 'number' && t === 'timespan') return formatTimespan(v);
  return v;
}

export { colGet };
