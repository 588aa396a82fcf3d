// hll() and tdigest() results and the functions that read them. Kusto's sketches are estimates; the local
// engine keeps the exact distinct values (hll) and the exact weighted values (tdigest) instead, so
// dcount_hll, percentile_tdigest and rank_tdigest give exact answers (as dcount and percentile do here).
// The dynamic values are the engine's own shape, not Kusto's binary sketch: only these functions read them.
import { KqlError } from '../../errors';
import { defineFunctions, type Value } from './define';
import { isNull, num, numericResult } from './helpers';

export interface HllSketch {
  sketch: 'hll';
  exact: true;
  keys: string[];
}

export interface TdigestSketch {
  sketch: 'tdigest';
  exact: true;
  /** [value, weight] pairs sorted by value, one per distinct value. */
  points: [number, number][];
}

/** The distinct-value key of a value of any type. */
export function distinctKey(v: unknown): string {
  return typeof v === 'object' && v !== null ? 'j' + JSON.stringify(v) : typeof v + ':' + String(v);
}

export function hllSketch(keys: Iterable<string>): HllSketch {
  return { sketch: 'hll', exact: true, keys: [...new Set(keys)] };
}

export function asHll(v: Value): HllSketch | null {
  return v !== null &&
    typeof v === 'object' &&
    (v as HllSketch).sketch === 'hll' &&
    Array.isArray((v as HllSketch).keys)
    ? (v as HllSketch)
    : null;
}

export function tdigestSketch(weights: Map<number, number>): TdigestSketch {
  return { sketch: 'tdigest', exact: true, points: [...weights.entries()].sort((a, b) => a[0] - b[0]) };
}

export function asTdigest(v: Value): TdigestSketch | null {
  return v !== null &&
    typeof v === 'object' &&
    (v as TdigestSketch).sketch === 'tdigest' &&
    Array.isArray((v as TdigestSketch).points)
    ? (v as TdigestSketch)
    : null;
}

/** Adds a sketch's points into a value → weight map. */
export function addTdigest(into: Map<number, number>, t: TdigestSketch): void {
  for (const [v, w] of t.points) into.set(v, (into.get(v) ?? 0) + w);
}

function notASketch(fn: string, what: string): never {
  throw new KqlError(`${fn}() expects the result of ${what}`, undefined, 'KqlRuntime');
}

/** The nearest-rank weighted percentile (the same rule as percentile() here). */
function percentileOf(t: TdigestSketch, p: number): number | null {
  const total = t.points.reduce((s, [, w]) => s + w, 0);
  if (total <= 0) return null;
  const rank = Math.max(Number.MIN_VALUE, (p / 100) * total);
  let cumulative = 0;
  for (const [v, w] of t.points) {
    cumulative += w;
    if (cumulative >= rank) return v;
  }
  return t.points[t.points.length - 1][0];
}

defineFunctions({
  dcount_hll: (args) => {
    if (isNull(args[0])) return null;
    return (asHll(args[0]) ?? notASketch('dcount_hll', 'hll() or hll_merge()')).keys.length;
  },
  hll_merge: (args) => {
    const keys: string[] = [];
    for (const a of args) {
      if (isNull(a)) continue;
      keys.push(...(asHll(a) ?? notASketch('hll_merge', 'hll()')).keys);
    }
    return hllSketch(keys);
  },
  merge_tdigest: (args) => {
    const weights = new Map<number, number>();
    for (const a of args) if (!isNull(a)) addTdigest(weights, asTdigest(a) ?? notASketch('merge_tdigest', 'tdigest()'));
    return tdigestSketch(weights);
  },
  percentile_tdigest: (args, ctx) => {
    const t = isNull(args[0])
      ? null
      : (asTdigest(args[0]) ?? notASketch('percentile_tdigest', 'tdigest() or tdigest_merge()'));
    const p = num(args[1]);
    if (!t || p === null) return null;
    return numericResult(percentileOf(t, p), ctx.resultType);
  },
  percentiles_array_tdigest: (args) => {
    const t = isNull(args[0])
      ? null
      : (asTdigest(args[0]) ?? notASketch('percentiles_array_tdigest', 'tdigest() or tdigest_merge()'));
    if (!t) return null;
    const ps = args.length === 2 && Array.isArray(args[1]) ? (args[1] as Value[]) : args.slice(1);
    return ps.map((p) => (num(p) === null ? null : percentileOf(t, num(p)!)));
  },
  rank_tdigest: (args) => {
    const t = isNull(args[0])
      ? null
      : (asTdigest(args[0]) ?? notASketch('rank_tdigest', 'tdigest() or tdigest_merge()'));
    const x = num(args[1]);
    if (!t || x === null) return null;
    return t.points.reduce((s, [v, w]) => (v <= x ? s + w : s), 0);
  },
});
