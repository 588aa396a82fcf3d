// Time-window joins: `A | join kind=inner B on Key | where B.t > A.t and B.t <= A.t + 1h` would build every pair
// of rows per key and then drop most. The window found in the filter bounds each left row's matches instead:
// right rows of a key are sorted by time once and the window is found by binary search. The filter still runs
// on the result, so the window only has to include every pair it would keep.
import type { Expr } from './ir';

/** `right - left` lies in [lo, hi] for every pair the filter can keep (bounds are inclusive, a superset). */
export interface JoinWindow {
  left: string;
  right: string;
  lo: number;
  hi: number;
}

type Side = { col: string; add: number };

/** `col`, `col + c`, `col - c`, `c + col` with a constant number or timespan c. */
function sideOf(e: Expr): Side | undefined {
  if (e.k === 'col') return { col: e.name, add: 0 };
  if (e.k !== 'op' || (e.op !== '+' && e.op !== '-') || e.args.length !== 2) return undefined;
  const [a, b] = e.args;
  const num = (x: Expr) => (x.k === 'lit' && typeof x.v === 'number' && Number.isFinite(x.v) ? x.v : undefined);
  if (a.k === 'col' && num(b) !== undefined) return { col: a.name, add: e.op === '+' ? num(b)! : -num(b)! };
  if (e.op === '+' && b.k === 'col' && num(a) !== undefined) return { col: b.name, add: num(a)! };
  return undefined;
}

function conjuncts(e: Expr, out: Expr[] = []): Expr[] {
  if (e.k === 'op' && e.op === 'and') {
    for (const a of e.args) conjuncts(a, out);
  } else out.push(e);
  return out;
}

/**
 * The window on `right - left` implied by the filter's comparisons between a column of each side, or undefined.
 * `isLeft`/`isRight` tell which join side a column name comes from (and that it holds numbers or datetimes).
 */
export function joinWindow(
  pred: Expr,
  isLeft: (name: string) => boolean,
  isRight: (name: string) => boolean,
): JoinWindow | undefined {
  let w: JoinWindow | undefined;
  const bound = (l: string, r: string, lo: number, hi: number) => {
    if (!w) w = { left: l, right: r, lo, hi };
    else if (w.left === l && w.right === r) {
      w.lo = Math.max(w.lo, lo);
      w.hi = Math.min(w.hi, hi);
    }
  };
  // x op y with x = X + a, y = Y + b  ⇒  X - Y op b - a
  const compare = (op: string, x: Side, y: Side) => {
    const c = y.add - x.add;
    let l: string,
      r: string,
      lo = -Infinity,
      hi = Infinity;
    const less = op === '<' || op === '<=';
    if (isRight(x.col) && isLeft(y.col)) {
      r = x.col;
      l = y.col;
      if (less) hi = c;
      else lo = c;
    } else if (isLeft(x.col) && isRight(y.col)) {
      l = x.col;
      r = y.col;
      if (less) lo = -c;
      else hi = -c;
    } else return;
    bound(l, r, lo, hi);
  };
  for (const c of conjuncts(pred)) {
    if (c.k !== 'op') continue;
    if ((c.op === '<' || c.op === '<=' || c.op === '>' || c.op === '>=') && c.args.length === 2) {
      const x = sideOf(c.args[0]),
        y = sideOf(c.args[1]);
      if (x && y) compare(c.op, x, y);
    } else if (c.op === 'between' && c.args.length === 3) {
      const x = sideOf(c.args[0]),
        lo = sideOf(c.args[1]);
      // `t between (start .. 1h)`: the upper bound is relative to the lower one
      const relative = c.args[1].type === 'datetime' && c.args[2].type === 'timespan';
      const span = c.args[2].k === 'lit' && typeof c.args[2].v === 'number' ? c.args[2].v : undefined;
      const hi = relative
        ? lo && span !== undefined
          ? { col: lo.col, add: lo.add + span }
          : undefined
        : sideOf(c.args[2]);
      if (x && lo) compare('>=', x, lo);
      if (x && hi) compare('<=', x, hi);
    }
  }
  return w && w.lo <= w.hi ? w : w ? { ...w, lo: 0, hi: -1 } : undefined;
}

/** The rows of one key group sorted by the right time column (rows without a time are left out). */
export interface SortedGroup {
  rows: Int32Array;
  vals: Float64Array;
}

export function sortGroup(rows: ArrayLike<number>, rv: Float64Array): SortedGroup {
  const keep: number[] = [];
  for (let x = 0; x < rows.length; x++) {
    const j = rows[x];
    if (rv[j] === rv[j]) keep.push(j);
  }
  keep.sort((a, b) => rv[a] - rv[b] || a - b);
  const out = Int32Array.from(keep);
  const vals = new Float64Array(out.length);
  for (let x = 0; x < out.length; x++) vals[x] = rv[out[x]];
  return { rows: out, vals };
}

/** The group's rows whose time lies in [from, to], in row order. */
export function rowsInWindow(g: SortedGroup, from: number, to: number): Int32Array | undefined {
  const v = g.vals;
  let a = 0,
    b = v.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (v[m] < from) a = m + 1;
    else b = m;
  }
  let c = a,
    d = v.length;
  while (c < d) {
    const m = (c + d) >> 1;
    if (v[m] <= to) c = m + 1;
    else d = m;
  }
  if (c <= a) return undefined;
  return g.rows.slice(a, c).sort();
}
