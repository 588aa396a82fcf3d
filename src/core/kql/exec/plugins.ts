// Plugins of `evaluate` that real rules use: basket (frequent patterns), sequence_detect (ordered events per
// group) and ipv4_lookup (rows matched to the IPv4 ranges of a lookup table). Each works on whole relations.
import type { KqlType } from '../../types';
import { colFromValues, colGet, gather, gatherNullable, storageOf } from '../../columnar/columns';
import { Field, fieldCol, Rel } from '../eval';
import { parseIpv4 } from '../functions/ip';

const key = (v: unknown): string => (typeof v === 'string' ? 's' + v : 'j' + JSON.stringify(v));

/** A value basket treats as no value: null, and the empty string. */
const isEmpty = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (typeof v === 'number' && v !== v);

/**
 * basket: the combinations of column values (up to maxDims columns) that at least `threshold` of the rows (by
 * weight) share, found level by level (Apriori). A pattern whose rows are exactly those of a more specific one is
 * left out. Rows: SegmentId, Count, Percent, then each input column's value, or null (the empty string for
 * strings) where the pattern does not restrict it.
 */
export function basket(rel: Rel, threshold: number, maxDims: number, weightColumn?: string): Rel {
  const dims = rel.fields.filter((f) => f.name !== weightColumn);
  const weightField = weightColumn ? rel.fields.find((f) => f.name === weightColumn) : undefined;
  const wcol = weightField ? fieldCol(weightField) : undefined;
  const weights = new Float64Array(rel.n);
  let total = 0;
  for (let i = 0; i < rel.n; i++) {
    const w = wcol ? Number(colGet(wcol, i)) : 1;
    weights[i] = w > 0 ? w : 0;
    total += weights[i];
  }
  const cols = dims.map((f) => fieldCol(f));
  const minSupport = threshold * total;
  type Pattern = { items: [number, string][]; rows: Int32Array; count: number };
  const valueOf = new Map<string, unknown>();
  // level 1: single column values
  let level: Pattern[] = [];
  for (let d = 0; d < cols.length; d++) {
    const byValue = new Map<string, number[]>();
    for (let i = 0; i < rel.n; i++) {
      const v = colGet(cols[d], i);
      if (isEmpty(v)) continue;
      const k = key(v);
      valueOf.set(d + ':' + k, v);
      let a = byValue.get(k);
      if (!a) byValue.set(k, (a = []));
      a.push(i);
    }
    for (const [k, rows] of byValue) {
      const count = rows.reduce((s, i) => s + weights[i], 0);
      if (count > 0 && count >= minSupport) level.push({ items: [[d, k]], rows: Int32Array.from(rows), count });
    }
  }
  const found: Pattern[] = [];
  for (let size = 1; level.length && size <= maxDims; size++) {
    found.push(...level);
    if (size === maxDims) break;
    const next: Pattern[] = [];
    const seen = new Set<string>();
    const singles = found.filter((p) => p.items.length === 1);
    for (const p of level) {
      const lastDim = p.items[p.items.length - 1][0];
      for (const s of singles) {
        const [d, k] = s.items[0];
        if (d <= lastDim) continue;
        const items: [number, string][] = [...p.items, [d, k]];
        const id = items.map(([a, b]) => a + ':' + b).join('\u0001');
        if (seen.has(id)) continue;
        seen.add(id);
        const rows: number[] = [];
        let count = 0;
        for (const i of p.rows) {
          const v = colGet(cols[d], i);
          if (!isEmpty(v) && key(v) === k) {
            rows.push(i);
            count += weights[i];
          }
        }
        if (count > 0 && count >= minSupport) next.push({ items, rows: Int32Array.from(rows), count });
      }
    }
    level = next;
  }
  // a pattern with the same rows as a more specific one says nothing more
  const kept = found.filter(
    (p) =>
      !found.some(
        (q) =>
          q.items.length > p.items.length &&
          q.rows.length === p.rows.length &&
          p.items.every(([d, k]) => q.items.some(([d2, k2]) => d2 === d && k2 === k)),
      ),
  );
  kept.sort((a, b) => b.count - a.count || a.items.length - b.items.length);
  const out: Field[] = [
    field(
      'SegmentId',
      'long',
      kept.map((_, i) => i),
    ),
    field(
      'Count',
      'long',
      kept.map((p) => p.count),
    ),
    field(
      'Percent',
      'real',
      kept.map((p) => (total ? (100 * p.count) / total : 0)),
    ),
  ];
  dims.forEach((f, d) => {
    const wildcard = f.type === 'string' ? '' : null;
    out.push(
      field(
        f.name,
        f.type,
        kept.map((p) => {
          const it = p.items.find(([d2]) => d2 === d);
          return it ? valueOf.get(d + ':' + it[1]) : wildcard;
        }),
      ),
    );
  });
  return { n: kept.length, fields: out };
}

/**
 * sequence_detect: per group of the dimension columns, in time order, each row matching the first predicate that
 * the next predicates follow in order, each step within maxStep of the previous and the whole within maxSpan.
 * Rows: the dimensions, the time of each step (`<step>_<time column>`), and Duration.
 */
export function sequenceDetect(
  time: unknown[],
  steps: Uint8Array[],
  dims: Field[],
  stepNames: string[],
  maxStep: number,
  maxSpan: number,
  n: number,
): Rel {
  const dimCols = dims.map((f) => fieldCol(f));
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (typeof time[i] !== 'number') continue;
    const k = dimCols.map((c) => key(colGet(c, i))).join('\u0001');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  }
  const first: number[] = [];
  const at: number[][] = stepNames.map(() => []);
  const duration: number[] = [];
  for (const rows of groups.values()) {
    rows.sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
    for (let s = 0; s < rows.length; s++) {
      if (!steps[0][rows[s]]) continue;
      const t0 = time[rows[s]] as number;
      const picked = [rows[s]];
      let j = s + 1;
      for (let step = 1; step < steps.length; step++) {
        const prev = time[picked[picked.length - 1]] as number;
        let hit = -1;
        for (; j < rows.length; j++) {
          const t = time[rows[j]] as number;
          if (t - prev > maxStep || t - t0 > maxSpan) break;
          if (steps[step][rows[j]]) {
            hit = rows[j];
            j++;
            break;
          }
        }
        if (hit < 0) break;
        picked.push(hit);
      }
      if (picked.length !== steps.length) continue;
      first.push(rows[s]);
      picked.forEach((r, k) => at[k].push(time[r] as number));
      duration.push((time[picked[picked.length - 1]] as number) - t0);
    }
  }
  const idx = Int32Array.from(first);
  const out: Field[] = dims.map((f, d) => ({ name: f.name, type: f.type, col: gather(dimCols[d], idx), sel: null }));
  stepNames.forEach((nm, k) => out.push(field(nm, 'datetime', at[k])));
  out.push(field('Duration', 'timespan', duration));
  return { n: first.length, fields: out };
}

/**
 * ipv4_lookup: each input row with every lookup row whose range (an address or a CIDR block) holds its address
 * and whose extra keys equal the row's; rows without a match are dropped, or kept with empty lookup columns
 * when `unmatched`. The columns: the input's, then the lookup's (names `outNames` gives).
 */
export function ipv4Lookup(
  input: Rel,
  lookup: Rel,
  addresses: unknown[],
  ranges: unknown[],
  leftKeys: unknown[][],
  rightKeys: unknown[][],
  unmatched: boolean,
  outNames: string[],
): Rel {
  const parsed = ranges.map((r) => {
    const ip = typeof r === 'string' ? parseIpv4(r) : null;
    if (!ip) return null;
    const mask = ip.prefix === 0 ? 0 : (0xffffffff << (32 - ip.prefix)) >>> 0;
    const start = (ip.value & mask) >>> 0;
    return { start, end: (start | (~mask >>> 0)) >>> 0 };
  });
  const li: number[] = [];
  const ri: number[] = [];
  for (let i = 0; i < input.n; i++) {
    const a = addresses[i];
    const ip = typeof a === 'string' ? parseIpv4(a) : null;
    let matched = false;
    if (ip && ip.prefix === 32) {
      for (let j = 0; j < parsed.length; j++) {
        const r = parsed[j];
        if (!r || ip.value < r.start || ip.value > r.end) continue;
        if (leftKeys.some((k, x) => key(k[i]) !== key(rightKeys[x][j]))) continue;
        li.push(i);
        ri.push(j);
        matched = true;
      }
    }
    if (!matched && unmatched) {
      li.push(i);
      ri.push(-1);
    }
  }
  const l = Int32Array.from(li);
  const r = Int32Array.from(ri);
  const fields: Field[] = [
    ...input.fields.map((f) => ({ name: f.name, type: f.type, col: gather(fieldCol(f), l), sel: null })),
    ...lookup.fields.map((f) => ({ name: f.name, type: f.type, col: gatherNullable(fieldCol(f), r), sel: null })),
  ];
  if (outNames.length === fields.length) fields.forEach((f, i) => (f.name = outNames[i]));
  else {
    const taken = new Set<string>();
    for (const f of fields) {
      let nm = f.name;
      for (let k = 1; taken.has(nm); k++) nm = `${f.name}${k}`;
      taken.add(nm);
      f.name = nm;
    }
  }
  return { n: l.length, fields };
}

function field(name: string, type: KqlType, values: unknown[]): Field {
  return { name, type, col: colFromValues(storageOf(type), values), sel: null };
}
