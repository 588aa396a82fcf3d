// join and lookup, and joins bounded by a time window between the sides (windowJoin.ts).
import { colGet, dedupStr, gatherNullable, storageOf, StrCol } from '../../columnar/columns';
import { Field, fieldCol, Rel, runtimeError } from '../eval';
import { Plan } from '../ir';
import { LIMITS } from '../limits';
import { JoinWindow, joinWindow, rowsInWindow, SortedGroup, sortGroup } from '../windowJoin';
import { fusableJoin, hasNegative, PlanRunner, take } from './runner';

const MAX_JOIN_ROWS = LIMITS.joinRows;

/** A growable Int32Array. */
class IntBuf {
  private a: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.a = new Int32Array(capacity);
  }
  private ensure(extra: number): void {
    if (this.length + extra <= this.a.length) return;
    let cap = this.a.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const b = new Int32Array(cap);
    b.set(this.a.subarray(0, this.length));
    this.a = b;
  }
  push(v: number): void {
    this.ensure(1);
    this.a[this.length++] = v;
  }
  fill(v: number, count: number): void {
    this.ensure(count);
    this.a.fill(v, this.length, this.length + count);
    this.length += count;
  }
  pushAll(vs: ArrayLike<number>): void {
    this.ensure(vs.length);
    if (vs instanceof Int32Array) this.a.set(vs, this.length);
    else for (let x = 0; x < vs.length; x++) this.a[this.length + x] = vs[x];
    this.length += vs.length;
  }
  view(): Int32Array {
    return this.a.subarray(0, this.length);
  }
}

export abstract class JoinRunner extends PlanRunner {
  /** `join kind=inner ... | where` with a time window between the sides: the join bounded by the window. */
  protected windowJoin(w: Extract<Plan, { k: 'where' }>): Rel | undefined {
    const p = w.input;
    if (!fusableJoin(w) || p.k !== 'join' || this.ready.has(p)) return undefined;
    const out = p.out;
    if (!out) return undefined; // columns known only at run time: the plain join
    const numeric = (name: string) => out.some((c) => c.name === name && storageOf(c.type) === 'n');
    // which side an output name comes from: the analyzer lists the left columns first, then the right ones
    const left = this.run(p.left);
    const right = this.run(p.right);
    if (out.length !== left.fields.length + right.fields.length)
      return this.conform(this.join(p, left, right), out, p.pos ?? 0);
    const at = (name: string) => out.findIndex((c) => c.name === name);
    const win = joinWindow(
      w.pred,
      (nm) => numeric(nm) && at(nm) >= 0 && at(nm) < left.fields.length,
      (nm) => numeric(nm) && at(nm) >= left.fields.length,
    );
    const field = (name: string) => {
      const i = at(name);
      return i < left.fields.length ? left.fields[i] : right.fields[i - left.fields.length];
    };
    const values = (f: Field) => {
      const c = fieldCol(f);
      return c.k === 'n' ? c.data : undefined;
    };
    const lv = win && values(field(win.left));
    const rv = win && values(field(win.right));
    const rel = this.join(p, left, right, win && lv && rv ? { ...win, lv, rv } : undefined);
    return this.conform(rel, out, p.pos ?? 0);
  }

  protected join(
    p: Extract<Plan, { k: 'join' }>,
    left = this.run(p.left),
    right = this.run(p.right),
    win?: JoinWindow & { lv: Float64Array; rv: Float64Array },
  ): Rel {
    this.check();
    const keyOf = (rel: Rel, names: string[]): ((i: number) => unknown) => {
      const cols = names.map((nm) => {
        const f = rel.fields.find((x) => x.name === nm);
        if (!f) throw runtimeError(this, `join column '${nm}' is not in the input`, p.pos ?? 0);
        return { c: fieldCol(f), t: f.type };
      });
      if (cols.length === 1) {
        const { c, t } = cols[0];
        if (c.k === 's') return (i) => c.dict[c.codes[i]];
        return (i) => {
          const v = colGet(c, i);
          return v === null ? null : typeof v === 'object' ? JSON.stringify(v) : t === 'dynamic' ? String(v) : v;
        };
      }
      return (i) => {
        let s = '';
        for (const { c } of cols) {
          const v = colGet(c, i);
          if (v === null) return null;
          s += (typeof v === 'object' ? JSON.stringify(v) : String(v)) + '\u0001';
        }
        return s;
      };
    };
    const kind = p.kind;
    // probe(i): the right rows whose key equals left row i's; lkey(i): left key for innerunique
    let probe: (i: number) => ArrayLike<number> | undefined;
    let lkey: (i: number) => unknown;
    // A string key column read in place: base codes through the field's selection (no gathered copy).
    const strKey = (
      rel: Rel,
      nm: string,
    ): { codes: Int32Array; dict: string[]; sel: Int32Array | null } | undefined => {
      const f = rel.fields.find((x) => x.name === nm);
      if (!f || f.col.k !== 's') return undefined;
      if (f.col.repeats) {
        const c = dedupStr(fieldCol(f) as StrCol);
        return { codes: c.codes, dict: c.dict, sel: null };
      }
      return { codes: f.col.codes, dict: f.col.dict, sel: f.sel };
    };
    const ls = p.on.length === 1 ? strKey(left, p.on[0].left) : undefined;
    const rs = p.on.length === 1 && ls ? strKey(right, p.on[0].right) : undefined;
    let expected = 1024;
    let lmapOf: Int32Array | undefined, lcodesOf: Int32Array | undefined;
    if (ls && rs) {
      // One string key. Map left dictionary codes to right ones (hashing the smaller dictionary), mark the right
      // codes some left row holds, then index only the right rows with those codes (counting sort by code).
      const D = rs.dict.length;
      const lmap = new Int32Array(ls.dict.length).fill(-1);
      if (ls.dict.length <= D) {
        const byText = new Map<string, number>();
        ls.dict.forEach((t, c) => byText.set(t, c));
        rs.dict.forEach((t, d) => {
          const c = byText.get(t);
          if (c !== undefined) lmap[c] = d;
        });
      } else {
        const byText = new Map<string, number>();
        rs.dict.forEach((t, d) => byText.set(t, d));
        ls.dict.forEach((t, c) => {
          lmap[c] = byText.get(t) ?? -1;
        });
      }
      const lcodes = new Int32Array(left.n);
      {
        const lc = ls.codes,
          lsel = ls.sel;
        for (let i = 0; i < left.n; i++) lcodes[i] = lc[lsel ? lsel[i] : i];
      }
      const need = new Uint8Array(D);
      for (let i = 0; i < left.n; i++) {
        const d = lmap[lcodes[i]];
        if (d >= 0) need[d] = 1;
      }
      // one pass over the right rows counts the matching ones per code, a second one places them (a counting
      // sort: each code's rows together, in row order); no per-row buffer beyond the index itself
      const off = new Int32Array(D + 1);
      const rc = rs.codes,
        rsel = rs.sel,
        rn = right.n;
      if (rsel) {
        for (let j = 0; j < rn; j++) {
          const d = rc[rsel[j]];
          if (need[d] === 1) off[d + 1]++;
        }
      } else {
        for (let j = 0; j < rn; j++) {
          const d = rc[j];
          if (need[d] === 1) off[d + 1]++;
        }
      }
      for (let d = 0; d < D; d++) off[d + 1] += off[d];
      const rows = new Int32Array(off[D]);
      const fill = off.slice(0, D);
      if (rsel) {
        for (let j = 0; j < rn; j++) {
          const d = rc[rsel[j]];
          if (need[d] === 1) rows[fill[d]++] = j;
        }
      } else {
        for (let j = 0; j < rn; j++) {
          const d = rc[j];
          if (need[d] === 1) rows[fill[d]++] = j;
        }
      }
      probe = (i) => {
        const d = lmap[lcodes[i]];
        return d < 0 || off[d] === off[d + 1] ? undefined : rows.subarray(off[d], off[d + 1]);
      };
      lkey = (i) => lcodes[i];
      lmapOf = lmap;
      lcodesOf = lcodes;
      // output size of an inner join (every left row with its matches), to size the index buffers once
      let total = 0;
      for (let i = 0; i < left.n; i++) {
        const d = lmap[lcodes[i]];
        if (d >= 0) total += off[d + 1] - off[d];
      }
      // every left row meets all its matches in these kinds: an oversized result fails before any allocation
      // (a time window bounds the matches: its output is capped as it grows, below)
      if (
        !win &&
        total > MAX_JOIN_ROWS &&
        (kind === 'inner' || kind === 'leftouter' || kind === 'fullouter' || kind === 'rightouter')
      ) {
        throw runtimeError(
          this,
          `the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows; narrow its inputs or keys`,
          p.pos ?? 0,
        );
      }
      expected = total > MAX_JOIN_ROWS ? 1024 : Math.max(1024, total); // an oversized join fails in the loop below
    } else {
      const lk = keyOf(
        left,
        p.on.map((o) => o.left),
      );
      const rk = keyOf(
        right,
        p.on.map((o) => o.right),
      );
      const index = new Map<unknown, number[]>();
      for (let j = 0; j < right.n; j++) {
        const k = rk(j);
        if (k === null) continue;
        const l = index.get(k);
        if (l) l.push(j);
        else index.set(k, [j]);
      }
      probe = (i) => {
        const k = lk(i);
        return k === null ? undefined : index.get(k);
      };
      lkey = lk;
      if (!win && (kind === 'inner' || kind === 'leftouter' || kind === 'fullouter' || kind === 'rightouter')) {
        let total = 0;
        for (let i = 0; i < left.n && total <= MAX_JOIN_ROWS; i++) total += probe(i)?.length ?? 0;
        if (total > MAX_JOIN_ROWS)
          throw runtimeError(
            this,
            `the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows; narrow its inputs or keys`,
            p.pos ?? 0,
          );
      }
    }
    let groupOf: (i: number) => unknown = lkey;
    if (ls && rs) {
      const lm = lmapOf!;
      const lc = lcodesOf!;
      groupOf = (i) => lm[lc[i]];
    }
    if (win) {
      // right rows of each key sorted by time once; each left row takes the rows inside its window
      const { lv, rv, lo, hi } = win;
      const all = probe;
      const sorted = new Map<unknown, SortedGroup | null>();
      probe = (i) => {
        const t = lv[i];
        if (t !== t) return undefined;
        const g = groupOf(i);
        let s = sorted.get(g);
        if (s === undefined) {
          const m = all(i);
          s = m ? sortGroup(m, rv) : null;
          sorted.set(g, s);
        }
        return s ? rowsInWindow(s, t + lo, t + hi) : undefined;
      };
      expected = 1024;
    }
    const li = new IntBuf(kind === 'leftanti' || kind === 'leftsemi' ? 1024 : expected);
    const ri = new IntBuf(
      kind === 'leftanti' || kind === 'leftsemi' || kind === 'rightanti' || kind === 'rightsemi' ? 1024 : expected,
    );
    // which right rows met a left row: only the kinds that return unmatched (or only matched) right rows read it
    const tracksRight = kind === 'rightanti' || kind === 'rightsemi' || kind === 'rightouter' || kind === 'fullouter';
    const rightMatched = tracksRight ? new Uint8Array(right.n) : undefined;
    let leftRows: number[] | null = null;
    if (kind === 'innerunique') {
      // Kusto keeps one unspecified left row per key (its docs show both the first and the last);
      // this engine keeps the first, every run
      const seen = new Set<unknown>();
      leftRows = [];
      for (let i = 0; i < left.n; i++) {
        const k = lkey(i);
        if (k === null || seen.has(k)) continue;
        seen.add(k);
        leftRows.push(i);
      }
    }
    const count = leftRows ? leftRows.length : left.n;
    let step = 0;
    for (let r = 0; r < count; r++) {
      const i = leftRows ? leftRows[r] : r;
      if ((++step & 0xffff) === 0) {
        this.check();
        if (li.length > MAX_JOIN_ROWS)
          throw runtimeError(
            this,
            `the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows; narrow its inputs or keys`,
            p.pos ?? 0,
          );
      }
      const m = probe(i);
      if (kind === 'leftanti') {
        if (!m) li.push(i);
        continue;
      }
      if (kind === 'leftsemi') {
        if (m) li.push(i);
        continue;
      }
      if (m) {
        if (li.length + m.length > MAX_JOIN_ROWS)
          throw runtimeError(
            this,
            `the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows; narrow its inputs or keys`,
            p.pos ?? 0,
          );
        const both = kind !== 'rightanti' && kind !== 'rightsemi';
        if (both) {
          li.fill(i, m.length);
          ri.pushAll(m);
        }
        if (rightMatched) for (let x = 0; x < m.length; x++) rightMatched[m[x]] = 1;
      } else if (kind === 'leftouter' || kind === 'fullouter') {
        li.push(i);
        ri.push(-1);
      }
    }
    if (kind === 'rightanti' || kind === 'rightsemi') {
      const rows: number[] = [];
      for (let j = 0; j < right.n; j++) if ((rightMatched![j] === 1) === (kind === 'rightsemi')) rows.push(j);
      return take(right, Int32Array.from(rows));
    }
    if (kind === 'leftanti' || kind === 'leftsemi') return take(left, li.view());
    if (kind === 'rightouter' || kind === 'fullouter') {
      for (let j = 0; j < right.n; j++)
        if (!rightMatched![j]) {
          li.push(-1);
          ri.push(j);
        }
    }
    const L = li.view(),
      R = ri.view();
    // Rows present on both sides stay lazy (composed selection vectors); outer rows are gathered with nulls.
    const outer = kind === 'leftouter' || kind === 'rightouter' || kind === 'fullouter';
    const side = (rel: Rel, idx: Int32Array): Field[] => {
      if (!outer || !hasNegative(idx)) return take(rel, idx).fields;
      return rel.fields.map((f) => ({ name: f.name, type: f.type, col: gatherNullable(fieldCol(f), idx), sel: null }));
    };
    const lf = side(left, L);
    let rfields = side(right, R);
    if (p.lookup) {
      const keys = new Set(p.on.map((o) => o.right));
      rfields = rfields.filter((f) => !keys.has(f.name));
    }
    const rf = rfields;
    // For outer joins the key columns of the missing side are null; lookup fills them from the left.
    if (!p.out) return { n: L.length, fields: numberDuplicates([...lf, ...rf]) };
    return { n: L.length, fields: [...lf, ...rf] };
  }
}

/** Join output names as Kusto numbers repeats: Key, Key1, Key2. */
function numberDuplicates(fields: Field[]): Field[] {
  const seen = new Set<string>();
  return fields.map((f) => {
    if (!seen.has(f.name)) {
      seen.add(f.name);
      return f;
    }
    let i = 1;
    while (seen.has(f.name + i)) i++;
    seen.add(f.name + i);
    return { ...f, name: f.name + i };
  });
}
