// Executes a plan (ir.ts) over columnar relations.
import { CancelledError, KqlError, positionAt } from '../errors';
import type { KqlType, RenderHint, TimeRange } from '../types';
import {
  BOOL_NULL, Col, ColBuilder, colGet, ColumnarTable, concatCols, constCol, dedupStr, gather, gatherNullable, storageOf, StrCol,
} from '../columnar/columns';
import { aggregate, groupIds } from './aggregate';
import { binOrigin, EvalHost, Evaluator, Field, fieldCol, Rel, runtimeError, wireValue } from './eval';
import { APPLY_INPUT, ColumnDef, Expr, nodeExprs, nodeInputs, Plan, SortKey, subqueriesOf } from './ir';
import { kqlRegex, type KqlRegex } from './functions/regex';
import { convertCol, isConst, toCol, truthy, vget } from './vec';
import { LIMITS } from './limits';
import { bagGet, newBag, parseDatetime, parseTimespan, toBags } from '../columnar/values';
import { coerceRaw } from '../columnar/convert';
import { JoinWindow, joinWindow, rowsInWindow, SortedGroup, sortGroup } from './windowJoin';

export interface ExecContext {
  text: string;
  nowMicros: number;
  tables: Map<string, ColumnarTable>;
  timeRange?: TimeRange;
  deadline: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  rowsScanned: number;
  render?: RenderHint;
  /** Rows of each externaldata URL, read by the engine from the local file the URL is mapped to (raw cell values). */
  externalRows?: Map<string, unknown[][]>;
}

const MAX_JOIN_ROWS = LIMITS.joinRows;

/** A growable Int32Array. */
class IntBuf {
  private a: Int32Array;
  length = 0;
  constructor(capacity = 1024) { this.a = new Int32Array(capacity); }
  private ensure(extra: number): void {
    if (this.length + extra <= this.a.length) return;
    let cap = this.a.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const b = new Int32Array(cap);
    b.set(this.a.subarray(0, this.length));
    this.a = b;
  }
  push(v: number): void { this.ensure(1); this.a[this.length++] = v; }
  fill(v: number, count: number): void { this.ensure(count); this.a.fill(v, this.length, this.length + count); this.length += count; }
  pushAll(vs: ArrayLike<number>): void {
    this.ensure(vs.length);
    if (vs instanceof Int32Array) this.a.set(vs, this.length);
    else for (let x = 0; x < vs.length; x++) this.a[this.length + x] = vs[x];
    this.length += vs.length;
  }
  view(): Int32Array { return this.a.subarray(0, this.length); }
}

export class Executor implements EvalHost {
  private mats = new Map<number, Rel>();
  private subq = new Map<unknown, unknown>();
  constructor(private readonly ctx: ExecContext) {}

  get nowMicros(): number { return this.ctx.nowMicros; }
  get text(): string { return this.ctx.text; }
  get render(): RenderHint | undefined { return this.ctx.render; }

  private check(): void {
    if (this.ctx.signal?.aborted) throw new CancelledError();
    if (Date.now() > this.ctx.deadline) {
      throw new KqlError(`the query ran longer than its time budget (${this.ctx.timeoutMs ?? 0} ms)`, undefined, 'KqlRuntime');
    }
  }

  subquery(e: Extract<Expr, { k: 'subquery' }>): unknown {
    if (this.subq.has(e)) return this.subq.get(e);
    const rel = this.run(e.plan);
    let v: unknown;
    const f = rel.fields[0];
    if (e.mode === 'scalar') {
      v = f && rel.n > 0 ? colGet(fieldCol(f), 0) : null;
    } else {
      const vals: unknown[] = [];
      if (f) { const c = fieldCol(f); for (let i = 0; i < rel.n; i++) vals.push(colGet(c, i)); }
      v = vals;
    }
    this.subq.set(e, v);
    return v;
  }

  /** Results of inputs computed ahead by runAsync, consumed once by run(). */
  private ready = new Map<Plan, Rel>();

  /**
   * Runs a plan, returning to the event loop between operators so that an AbortSignal (and other work)
   * can land; each operator itself runs synchronously.
   */
  async runAsync(p: Plan): Promise<Rel> {
    // a filter over a join may bound the join (windowJoin): run the join's inputs, not the join
    // and a take right after a sort keeps only the first rows while sorting (sortThenTake)
    const inputs = fusableJoin(p) || sortThenTake(p) ? nodeInputs(p.input) : nodeInputs(p);
    for (const child of inputs) {
      if (p.k === 'materialize' && this.mats.has(p.id)) break;
      this.ready.set(child, await this.runAsync(child));
    }
    for (const e of nodeExprs(p)) {
      for (const sq of subqueriesOf(e)) {
        if (this.subq.has(sq)) continue;
        await this.runAsync(sq.plan).then((r) => { this.ready.set(sq.plan, r); this.subquery(sq); });
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
    return this.run(p);
  }

  run(p: Plan): Rel {
    const pre = this.ready.get(p);
    if (pre) { this.ready.delete(p); return pre; }
    this.check();
    const rel = this.runNode(p);
    if (p.out && p.k !== 'materialize') return this.conform(rel, p.out, p.pos ?? 0);
    return rel;
  }

  /** Makes the relation's columns exactly the analyzer's (names, order, types). */
  private conform(rel: Rel, out: ColumnDef[], pos: number): Rel {
    const names = rel.fields.map((f) => f.name);
    let fields: Field[];
    const byName = new Map<string, Field>();
    for (const f of rel.fields) if (!byName.has(f.name)) byName.set(f.name, f);
    if (out.length === rel.fields.length && out.every((c) => byName.has(c.name)) && new Set(names).size === names.length) {
      fields = out.map((c) => byName.get(c.name)!);
    } else if (out.length === rel.fields.length && rel.fields.every((f, i) => out[i].name === f.name || (out[i].name.startsWith(f.name) && /^\d+$/.test(out[i].name.slice(f.name.length))))) {
      // duplicate names the analyzer numbered (join: Key, Key1)
      fields = rel.fields.map((f, i) => ({ ...f, name: out[i].name }));
    } else {
      const { line, column } = positionAt(this.ctx.text, pos);
      throw new KqlError(`local engine does not support this operator shape (it produced ${names.join(', ')}; expected ${out.map((c) => c.name).join(', ')}) (line ${line}, col ${column})`, { line, column }, 'KqlUnsupported');
    }
    return {
      n: rel.n,
      fields: fields.map((f, i) => {
        const t = out[i].type;
        if (f.type === t) return f;
        if (storageOf(f.type) === storageOf(t)) return { ...f, type: t };
        return { name: out[i].name, type: t, col: convertCol(fieldCol(f), rel.n, storageOf(t)), sel: null };
      }),
    };
  }

  private ev(rel: Rel): Evaluator { return new Evaluator(rel, this); }

  private constNum(e: Expr): number {
    const v = this.ev({ n: 1, fields: [] }).ev(e);
    const x = vget(v, 0);
    return typeof x === 'number' ? x : Number(x);
  }

  private runNode(p: Plan): Rel {
    switch (p.k) {
      case 'table': return this.scan(p.name, p.pos);
      case 'where': {
        const rel = this.windowJoin(p) ?? this.run(p.input);
        const v = this.ev(rel).ev(p.pred);
        if (v.k === 'b') {
          // one pass from the predicate's bool column to the selection vector
          const d = v.data;
          const idx = new Int32Array(rel.n);
          let c = 0;
          for (let i = 0; i < rel.n; i++) if (d[i] === 1) idx[c++] = i;
          return c === rel.n ? rel : take(rel, idx.subarray(0, c));
        }
        return select(rel, truthy(v, rel.n));
      }
      case 'extend': case 'serialize': {
        const rel = this.run(p.input);
        // every item reads the input columns (KQL does not let an item use a column made in the same extend)
        const ev = this.ev(rel);
        const fields = [...rel.fields];
        for (const it of p.items) {
          const col = ev.evCol(it.expr);
          const f: Field = { name: it.name, type: it.expr.type, col, sel: null };
          const i = fields.findIndex((x) => x.name === it.name);
          if (i >= 0) fields[i] = f; else fields.push(f);
        }
        return { n: rel.n, fields };
      }
      case 'project': {
        const rel = this.run(p.input);
        const ev = this.ev(rel);
        return { n: rel.n, fields: p.items.map((it) => this.fieldFor(rel, ev, it.name, it.expr)) };
      }
      case 'projectNames': {
        const rel = this.run(p.input);
        const tests = p.patterns.map((pt) => (pt.includes('*') ? wildcard(pt) : (nm: string) => nm === pt));
        const matches = (nm: string) => tests.some((t) => t(nm));
        if (p.mode === 'away') return { n: rel.n, fields: rel.fields.filter((f) => !matches(f.name)) };
        if (p.mode === 'keep') return { n: rel.n, fields: rel.fields.filter((f) => matches(f.name)) };
        const first: Field[] = [];
        for (const t of tests) for (const f of rel.fields) if (t(f.name) && !first.includes(f)) first.push(f);
        return { n: rel.n, fields: [...first, ...rel.fields.filter((f) => !first.includes(f))] };
      }
      case 'projectKeep': {
        const rel = this.run(p.input);
        const fields = p.names.map((nm) => {
          const f = rel.fields.find((x) => x.name === nm);
          if (!f) throw runtimeError(this, `column '${nm}' is not in the input`, p.pos ?? 0);
          return f;
        });
        return { n: rel.n, fields };
      }
      case 'projectRename': {
        const rel = this.run(p.input);
        const ren = new Map(p.pairs.map((x) => [x.from, x.to]));
        return { n: rel.n, fields: rel.fields.map((f) => (ren.has(f.name) ? { ...f, name: ren.get(f.name)! } : f)) };
      }
      case 'summarize': return this.summarize(p);
      case 'sort': {
        const rel = this.run(p.input);
        return take(rel, sortIndex(this.ev(rel), rel.n, p.keys));
      }
      case 'take': {
        if (sortThenTake(p) && !this.ready.has(p.input)) {
          const sort = p.input;
          const rel = this.run(sort.input);
          const sorted = take(rel, sortIndex(this.ev(rel), rel.n, sort.keys, Math.max(0, Math.floor(this.constNum(p.n)))));
          return sort.out ? this.conform(sorted, sort.out, sort.pos ?? 0) : sorted;
        }
        const rel = this.run(p.input);
        const k = Math.max(0, Math.floor(this.constNum(p.n)));
        if (k >= rel.n) return rel;
        const idx = new Int32Array(k);
        for (let i = 0; i < k; i++) idx[i] = i;
        return take(rel, idx);
      }
      case 'top': {
        const rel = this.run(p.input);
        const k = Math.max(0, Math.floor(this.constNum(p.n)));
        return take(rel, sortIndex(this.ev(rel), rel.n, p.keys, k));
      }
      case 'distinct': {
        const rel = this.run(p.input);
        let src: Rel = rel;
        if (p.items !== '*') { const ev = this.ev(rel); src = { n: rel.n, fields: p.items.map((it) => this.fieldFor(rel, ev, it.name, it.expr)) }; }
        const { firstRow } = groupIds(src.fields.map(fieldCol), src.n);
        return take(src, firstRow);
      }
      case 'count': {
        const rel = this.run(p.input);
        return { n: 1, fields: [{ name: p.name, type: 'long', col: { k: 'n', data: Float64Array.of(rel.n) }, sel: null }] };
      }
      case 'join': return this.join(p);
      case 'union': return this.union(p);
      case 'mvexpand': return this.mvexpand(p);
      case 'datatable': {
        const ev = this.ev({ n: 1, fields: [] });
        const w = p.cols.length;
        const rows = p.rows.length / w;
        const builders = p.cols.map((c) => new ColBuilder(storageOf(c.type), rows));
        for (let i = 0; i < p.rows.length; i++) builders[i % w].push(coerceTo(vget(ev.ev(p.rows[i]), 0), p.rows[i].type, p.cols[i % w].type));
        return { n: rows, fields: p.cols.map((c, j) => ({ name: c.name, type: c.type, col: builders[j].finish(), sel: null })) };
      }
      case 'externalData': {
        const rows = p.urls.flatMap((u) => this.ctx.externalRows?.get(u) ?? []);
        const builders = p.cols.map((c) => new ColBuilder(storageOf(c.type), rows.length));
        for (const r of rows) p.cols.forEach((c, j) => builders[j].push(coerceRaw(r[j] ?? null, c.type) ?? null));
        return { n: rows.length, fields: p.cols.map((c, j) => ({ name: c.name, type: c.type, col: builders[j].finish(), sel: null })) };
      }
      case 'print': {
        const rel: Rel = { n: 1, fields: [] };
        const ev = this.ev(rel);
        return { n: 1, fields: p.items.map((it) => ({ name: it.name, type: it.expr.type, col: ev.evCol(it.expr), sel: null })) };
      }
      case 'range': {
        const from = this.constNum(p.from), to = this.constNum(p.to), step = this.constNum(p.step);
        if (![from, to, step].every(Number.isFinite) || step === 0) throw runtimeError(this, 'range needs finite from, to and a non-zero step', p.pos ?? 0);
        const count = Math.max(0, Math.floor((to - from) / step) + 1);
        if (count > LIMITS.operatorRows) throw runtimeError(this, `range would produce ${count.toLocaleString('en-US')} rows (the local engine's limit is ${LIMITS.operatorRows.toLocaleString('en-US')})`, p.pos ?? 0);
        const d = new Float64Array(count);
        for (let i = 0; i < count; i++) d[i] = from + i * step;
        return { n: count, fields: [{ name: p.name, type: p.type, col: { k: 'n', data: d }, sel: null }] };
      }
      case 'parse': return this.parse(p);
      case 'materialize': {
        let r = this.mats.get(p.id);
        if (!r) { r = this.run(p.input); this.mats.set(p.id, r); }
        return r;
      }
      case 'render': {
        const rel = this.run(p.input);
        this.ctx.render = p.hint;
        return rel;
      }
      case 'as': return this.run(p.input);
      case 'pivot': return this.pivot(p);
      case 'parseKv': {
        const rel = this.run(p.input);
        const src = this.ev(rel).ev(p.source);
        const builders = p.keys.map((k) => new ColBuilder(storageOf(k.type), rel.n));
        const memo = new Map<string, Map<string, string>>();
        for (let i = 0; i < rel.n; i++) {
          const v = vget(src, i);
          const text = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
          let pairs = memo.get(text);
          if (!pairs) { pairs = parseKvText(text, p); if (memo.size < 100000) memo.set(text, pairs); }
          p.keys.forEach((k, j) => { const x = pairs!.get(k.name); builders[j].push(x === undefined ? null : coerceTo(x, 'string', k.type)); });
        }
        const fields = [...rel.fields];
        p.keys.forEach((k, j) => {
          const f: Field = { name: k.name, type: k.type, col: builders[j].finish(), sel: null };
          const at = fields.findIndex((q) => q.name === k.name);
          if (at >= 0) fields[at] = f; else fields.push(f);
        });
        return { n: rel.n, fields };
      }
      case 'topNested': return this.topNested(p);
      case 'getschema': {
        const rel = this.run(p.input);
        const b = (st: 's' | 'n', vals: unknown[]) => { const x = new ColBuilder(st, vals.length); vals.forEach((v) => x.push(v)); return x.finish(); };
        const dotnet: Record<string, string> = { string: 'System.String', datetime: 'System.DateTime', bool: 'System.SByte', int: 'System.Int32', long: 'System.Int64', real: 'System.Double', decimal: 'System.Data.SqlTypes.SqlDecimal', guid: 'System.Guid', timespan: 'System.TimeSpan', dynamic: 'System.Object' };
        return {
          n: rel.fields.length,
          fields: [
            { name: 'ColumnName', type: 'string', col: b('s', rel.fields.map((f) => f.name)), sel: null },
            { name: 'ColumnOrdinal', type: 'long', col: b('n', rel.fields.map((_, i) => i)), sel: null },
            { name: 'DataType', type: 'string', col: b('s', rel.fields.map((f) => dotnet[f.type])), sel: null },
            { name: 'ColumnType', type: 'string', col: b('s', rel.fields.map((f) => f.type)), sel: null },
          ],
        };
      }
      case 'sample': {
        const rel = this.run(p.input);
        const k = Math.max(0, Math.min(rel.n, Math.floor(this.constNum(p.n))));
        // a random k of the rows, kept in their order
        const idx = Int32Array.from({ length: rel.n }, (_, i) => i);
        for (let i = 0; i < k; i++) { const j = i + Math.floor(Math.random() * (rel.n - i)); const t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
        return take(rel, idx.subarray(0, k).sort());
      }
      case 'makeSeries': return this.makeSeries(p);
      case 'mvApply': return this.mvApply(p);
      case 'bagUnpack': return this.bagUnpack(p);
      case 'search': {
        let rel = this.run(p.input);
        if (p.out?.some((c) => c.name === '$table') && !rel.fields.some((f) => f.name === '$table')) {
          const src = p.source ?? '';
          rel = { n: rel.n, fields: [{ name: '$table', type: 'string', col: constCol('s', src, rel.n), sel: null }, ...rel.fields] };
        }
        if (!p.term) return rel;
        const term = p.term;
        const mask = new Uint8Array(rel.n);
        const ev = this.ev(rel);
        for (const f of rel.fields) {
          if (f.type !== 'string' && f.type !== 'dynamic') continue;
          const hit = truthy(ev.ev({ k: 'op', op: term.cs ? 'has_cs' : 'has', args: [{ k: 'col', name: f.name, type: f.type, pos: 0 }, { k: 'lit', v: term.text, type: 'string' }], type: 'bool', pos: 0 }), rel.n);
          for (let i = 0; i < rel.n; i++) mask[i] |= hit[i];
        }
        return select(rel, mask);
      }
    }
  }

  private fieldFor(rel: Rel, ev: Evaluator, name: string, e: Expr): Field {
    if (e.k === 'col') {
      const f = rel.fields.find((x) => x.name === e.name);
      if (f) return { ...f, name, mat: f.mat };
    }
    return { name, type: e.type, col: ev.evCol(e), sel: null };
  }

  private applyInput: Rel | null = null;

  private scan(name: string, pos: number): Rel {
    if (name === APPLY_INPUT) {
      if (!this.applyInput) throw runtimeError(this, 'mv-apply subquery without input', pos);
      return this.applyInput;
    }
    const t = this.ctx.tables.get(name);
    if (!t) throw runtimeError(this, `table not found in the lake: ${name}`, pos);
    this.ctx.rowsScanned += t.length;
    const rel: Rel = { n: t.length, fields: t.fields.map((f) => ({ name: f.name, type: f.type, col: f.col, sel: null })) };
    const tr = this.ctx.timeRange;
    const tg = t.fields.find((f) => f.name === 'TimeGenerated' && f.type === 'datetime');
    if (tr && tg && tg.col.k === 'n') {
      const lo = tr.start.getTime() * 1000, hi = tr.end.getTime() * 1000;
      const d = tg.col.data;
      const m = new Uint8Array(t.length);
      for (let i = 0; i < t.length; i++) m[i] = d[i] >= lo && d[i] <= hi ? 1 : 0;
      return select(rel, m);
    }
    return rel;
  }

  private summarize(p: Extract<Plan, { k: 'summarize' }>): Rel {
    const rel = this.run(p.input);
    const ev = this.ev(rel);
    const keys = p.by.map((b) => ev.evCol(b.expr));
    const { ids, groups, firstRow } = groupIds(keys, rel.n);
    this.check();
    const fields: Field[] = p.by.map((b, i) => ({ name: b.name, type: b.expr.type, col: gather(keys[i], firstRow), sel: null }));
    const hidden: Field[] = [];
    const post: { at: number; a: typeof p.aggs[number] }[] = [];
    for (const a of p.aggs) {
      if (a.fn === '__expr') { post.push({ at: fields.length, a }); fields.push(null as unknown as Field); continue; }
      const args = a.args.map((x) => ev.ev(x));
      const extra = (a.extra ?? []).map((x) => ev.ev(x));
      let cols: Col[];
      try {
        cols = aggregate({ fn: a.fn, args, argTypes: a.args.map((x) => x.type), outTypes: a.outs.map((o) => o.type), extra }, ids, groups, rel.n);
      } catch (e) {
        if (e instanceof KqlError) throw e;
        throw runtimeError(this, `local engine does not support the aggregate \`${a.fn}()\` here: ${(e as Error).message}`, a.pos);
      }
      cols.forEach((c, j) => { const o = a.outs[j]; if (o) (a.hidden ? hidden : fields).push({ name: o.name, type: o.type, col: c, sel: null }); });
      this.check();
    }
    if (post.length) {
      // expressions over aggregates: evaluated per group over the by columns and the hidden aggregates
      const n = p.by.length === 0 && groups === 0 ? 1 : groups;
      const grel: Rel = { n, fields: [...fields.filter((f) => f !== null), ...hidden] };
      if (n !== groups) return this.summarizeEmpty(p);
      const gev = this.ev(grel);
      for (const { at, a } of post) fields[at] = { name: a.outs[0].name, type: a.outs[0].type, col: toCol(gev.ev(a.args[0]), n, a.outs[0].type), sel: null };
    }
    // summarize without `by` over an empty input still returns one row
    if (p.by.length === 0 && groups === 0) return this.summarizeEmpty(p);
    return { n: groups, fields };
  }

  /** The single row of a summarize without `by` over no rows (count() = 0, sums 0, the rest null). */
  private summarizeEmpty(p: Extract<Plan, { k: 'summarize' }>): Rel {
    const one: Field[] = [];
    const hidden: Field[] = [];
    const post: { at: number; a: typeof p.aggs[number] }[] = [];
    for (const a of p.aggs) {
      if (a.fn === '__expr') { post.push({ at: one.length, a }); one.push(null as unknown as Field); continue; }
      const cols = aggregate({ fn: a.fn, args: a.args.map(() => ({ k: 'c' as const, v: null })), argTypes: a.args.map((x) => x.type), outTypes: a.outs.map((o) => o.type), extra: (a.extra ?? []).map(() => ({ k: 'c' as const, v: null })) }, new Int32Array(0), 1, 0);
      cols.forEach((c, j) => { const o = a.outs[j]; if (o) (a.hidden ? hidden : one).push({ name: o.name, type: o.type, col: c, sel: null }); });
    }
    if (post.length) {
      const gev = this.ev({ n: 1, fields: [...one.filter((f) => f !== null), ...hidden] });
      for (const { at, a } of post) one[at] = { name: a.outs[0].name, type: a.outs[0].type, col: toCol(gev.ev(a.args[0]), 1, a.outs[0].type), sel: null };
    }
    return { n: 1, fields: one };
  }

  /** `join kind=inner ... | where` with a time window between the sides: the join bounded by the window. */
  private windowJoin(w: Extract<Plan, { k: 'where' }>): Rel | undefined {
    const p = w.input;
    if (!fusableJoin(w) || p.k !== 'join' || this.ready.has(p)) return undefined;
    const out = p.out;
    if (!out) return undefined; // columns known only at run time: the plain join
    const numeric = (name: string) => out.some((c) => c.name === name && storageOf(c.type) === 'n');
    // which side an output name comes from: the analyzer lists the left columns first, then the right ones
    const left = this.run(p.left);
    const right = this.run(p.right);
    if (out.length !== left.fields.length + right.fields.length) return this.conform(this.join(p, left, right), out, p.pos ?? 0);
    const at = (name: string) => out.findIndex((c) => c.name === name);
    const win = joinWindow(w.pred, (nm) => numeric(nm) && at(nm) >= 0 && at(nm) < left.fields.length, (nm) => numeric(nm) && at(nm) >= left.fields.length);
    const field = (name: string) => { const i = at(name); return i < left.fields.length ? left.fields[i] : right.fields[i - left.fields.length]; };
    const values = (f: Field) => { const c = fieldCol(f); return c.k === 'n' ? c.data : undefined; };
    const lv = win && values(field(win.left));
    const rv = win && values(field(win.right));
    const rel = this.join(p, left, right, win && lv && rv ? { ...win, lv, rv } : undefined);
    return this.conform(rel, out, p.pos ?? 0);
  }

  private join(p: Extract<Plan, { k: 'join' }>, left = this.run(p.left), right = this.run(p.right), win?: JoinWindow & { lv: Float64Array; rv: Float64Array }): Rel {
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
        return (i) => { const v = colGet(c, i); return v === null ? null : typeof v === 'object' ? JSON.stringify(v) : t === 'dynamic' ? String(v) : v; };
      }
      return (i) => {
        let s = '';
        for (const { c } of cols) { const v = colGet(c, i); if (v === null) return null; s += (typeof v === 'object' ? JSON.stringify(v) : String(v)) + '\u0001'; }
        return s;
      };
    };
    const kind = p.kind;
    // probe(i): the right rows whose key equals left row i's; lkey(i): left key for innerunique
    let probe: (i: number) => ArrayLike<number> | undefined;
    let lkey: (i: number) => unknown;
    // A string key column read in place: base codes through the field's selection (no gathered copy).
    const strKey = (rel: Rel, nm: string): { codes: Int32Array; dict: string[]; sel: Int32Array | null } | undefined => {
      const f = rel.fields.find((x) => x.name === nm);
      if (!f || f.col.k !== 's') return undefined;
      if (f.col.repeats) { const c = dedupStr(fieldCol(f) as StrCol); return { codes: c.codes, dict: c.dict, sel: null }; }
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
        rs.dict.forEach((t, d) => { const c = byText.get(t); if (c !== undefined) lmap[c] = d; });
      } else {
        const byText = new Map<string, number>();
        rs.dict.forEach((t, d) => byText.set(t, d));
        ls.dict.forEach((t, c) => { lmap[c] = byText.get(t) ?? -1; });
      }
      const lcodes = new Int32Array(left.n);
      { const lc = ls.codes, lsel = ls.sel; for (let i = 0; i < left.n; i++) lcodes[i] = lc[lsel ? lsel[i] : i]; }
      const need = new Uint8Array(D);
      for (let i = 0; i < left.n; i++) { const d = lmap[lcodes[i]]; if (d >= 0) need[d] = 1; }
      // one pass over the right rows keeps the matching ones (and counts them per code) ...
      const off = new Int32Array(D + 1);
      const rc = rs.codes, rsel = rs.sel, rn = right.n;
      const hit = new Int32Array(rn);
      let m = 0;
      if (rsel) { for (let j = 0; j < rn; j++) { const d = rc[rsel[j]]; if (need[d] === 1) { hit[m++] = j; off[d + 1]++; } } }
      else { for (let j = 0; j < rn; j++) { const d = rc[j]; if (need[d] === 1) { hit[m++] = j; off[d + 1]++; } } }
      // ... and a counting sort of just those groups them by code (each group in row order)
      for (let d = 0; d < D; d++) off[d + 1] += off[d];
      const rows = new Int32Array(m);
      const fill = off.slice(0, D);
      if (rsel) { for (let x = 0; x < m; x++) { const j = hit[x]; rows[fill[rc[rsel[j]]]++] = j; } }
      else { for (let x = 0; x < m; x++) { const j = hit[x]; rows[fill[rc[j]]++] = j; } }
      probe = (i) => { const d = lmap[lcodes[i]]; return d < 0 || off[d] === off[d + 1] ? undefined : rows.subarray(off[d], off[d + 1]); };
      lkey = (i) => lcodes[i];
      lmapOf = lmap; lcodesOf = lcodes;
      // output size of an inner join (every left row with its matches), to size the index buffers once
      let total = 0;
      for (let i = 0; i < left.n; i++) { const d = lmap[lcodes[i]]; if (d >= 0) total += off[d + 1] - off[d]; }
      // every left row meets all its matches in these kinds: an oversized result fails before any allocation
      // (a time window bounds the matches: its output is capped as it grows, below)
      if (!win && total > MAX_JOIN_ROWS && (kind === 'inner' || kind === 'leftouter' || kind === 'fullouter' || kind === 'rightouter')) {
        throw runtimeError(this, `the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows; narrow its inputs or keys`, p.pos ?? 0);
      }
      expected = total > MAX_JOIN_ROWS ? 1024 : Math.max(1024, total); // an oversized join fails in the loop below
    } else {
      const lk = keyOf(left, p.on.map((o) => o.left));
      const rk = keyOf(right, p.on.map((o) => o.right));
      const index = new Map<unknown, number[]>();
      for (let j = 0; j < right.n; j++) {
        const k = rk(j);
        if (k === null) continue;
        const l = index.get(k);
        if (l) l.push(j); else index.set(k, [j]);
      }
      probe = (i) => { const k = lk(i); return k === null ? undefined : index.get(k); };
      lkey = lk;
      if (!win && (kind === 'inner' || kind === 'leftouter' || kind === 'fullouter' || kind === 'rightouter')) {
        let total = 0;
        for (let i = 0; i < left.n && total <= MAX_JOIN_ROWS; i++) total += probe(i)?.length ?? 0;
        if (total > MAX_JOIN_ROWS) throw runtimeError(this, `the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows; narrow its inputs or keys`, p.pos ?? 0);
      }
    }
    let groupOf: (i: number) => unknown = lkey;
    if (ls && rs) { const lm = lmapOf!; const lc = lcodesOf!; groupOf = (i) => lm[lc[i]]; }
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
        if (s === undefined) { const m = all(i); s = m ? sortGroup(m, rv) : null; sorted.set(g, s); }
        return s ? rowsInWindow(s, t + lo, t + hi) : undefined;
      };
      expected = 1024;
    }
    const li = new IntBuf(kind === 'leftanti' || kind === 'leftsemi' ? 1024 : expected);
    const ri = new IntBuf(kind === 'leftanti' || kind === 'leftsemi' || kind === 'rightanti' || kind === 'rightsemi' ? 1024 : expected);
    const rightMatched = new Uint8Array(right.n);
    let leftRows: number[] | null = null;
    if (kind === 'innerunique') {
      // Kusto keeps one unspecified left row per key (its docs show both the first and the last);
      // this engine keeps the first, every run
      const seen = new Set<unknown>();
      leftRows = [];
      for (let i = 0; i < left.n; i++) { const k = lkey(i); if (k === null || seen.has(k)) continue; seen.add(k); leftRows.push(i); }
    }
    const iter = leftRows ?? Array.from({ length: left.n }, (_, i) => i);
    let step = 0;
    for (const i of iter) {
      if ((++step & 0xffff) === 0) {
        this.check();
        if (li.length > MAX_JOIN_ROWS) throw runtimeError(this, `the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows; narrow its inputs or keys`, p.pos ?? 0);
      }
      const m = probe(i);
      if (kind === 'leftanti') { if (!m) li.push(i); continue; }
      if (kind === 'leftsemi') { if (m) li.push(i); continue; }
      if (m) {
        if (li.length + m.length > MAX_JOIN_ROWS) throw runtimeError(this, `the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows; narrow its inputs or keys`, p.pos ?? 0);
        const both = kind !== 'rightanti' && kind !== 'rightsemi';
        if (both) { li.fill(i, m.length); ri.pushAll(m); }
        for (let x = 0; x < m.length; x++) rightMatched[m[x]] = 1;
      } else if (kind === 'leftouter' || kind === 'fullouter') { li.push(i); ri.push(-1); }
    }
    if (kind === 'rightanti' || kind === 'rightsemi') {
      const rows: number[] = [];
      for (let j = 0; j < right.n; j++) if ((rightMatched[j] === 1) === (kind === 'rightsemi')) rows.push(j);
      return take(right, Int32Array.from(rows));
    }
    if (kind === 'leftanti' || kind === 'leftsemi') return take(left, li.view());
    if (kind === 'rightouter' || kind === 'fullouter') {
      for (let j = 0; j < right.n; j++) if (!rightMatched[j]) { li.push(-1); ri.push(j); }
    }
    const L = li.view(), R = ri.view();
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

  private union(p: Extract<Plan, { k: 'union' }>): Rel {
    const rels = p.inputs.map((i) => this.run(i));
    // a leg with columns known only at run time: the union of the legs' columns, in order of appearance
    const out = p.out ?? runtimeUnionColumns(rels, p.withsource);
    const cols: Col[] = [];
    const total = rels.reduce((s, r) => s + r.n, 0);
    for (const c of out) {
      const st = storageOf(c.type);
      const parts: Col[] = rels.map((r, ri) => {
        if (p.withsource && c.name === p.withsource && !r.fields.some((f) => f.name === c.name)) return constCol('s', p.sourceNames[ri], r.n);
        let f = r.fields.find((x) => x.name === c.name && storageOf(x.type) === st);
        if (!f) {
          // columns with one name and different types become Name_type in a union
          const m = /^(.*)_(string|long|int|real|datetime|bool|dynamic|guid|timespan|decimal)$/.exec(c.name);
          if (m) f = r.fields.find((x) => x.name === m[1] && x.type === m[2]);
        }
        if (!f) f = r.fields.find((x) => x.name === c.name);
        if (!f) return constCol(st, null, r.n);
        const col = fieldCol(f);
        return col.k === st ? col : convertCol(col, r.n, st);
      });
      cols.push(concatCols(st, parts));
    }
    return { n: total, fields: out.map((c, i) => ({ name: c.name, type: c.type, col: cols[i], sel: null })) };
  }

  private mvexpand(p: Extract<Plan, { k: 'mvexpand' }>): Rel {
    const rel = this.run(p.input);
    const ev = this.ev(rel);
    const vals = p.items.map((it) => ev.ev(it.expr));
    const rows: number[] = [];
    const expanded: unknown[][] = p.items.map(() => []);
    const index: number[] = [];
    const limit = p.limit ?? Infinity;
    const asArray = (v: unknown): unknown[] => {
      if (Array.isArray(v)) return v;
      if (v && typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => { if (p.bagAsArray) return [k, x]; const b = newBag(); b[k] = x; return b; });
      if (typeof v === 'string') {
        const t = v.trim();
        if (t.startsWith('[') || t.startsWith('{')) { try { return asArray(toBags(JSON.parse(t))); } catch { /* scalar */ } }
      }
      return [v];
    };
    // count the output first, so an oversized expansion fails before it allocates anything
    let total = 0;
    for (let i = 0; i < rel.n; i++) {
      total += Math.min(limit, Math.max(...vals.map((v) => { const x = vget(v, i); return Array.isArray(x) ? x.length : asArray(x).length; })));
      if (total > LIMITS.operatorRows) throw runtimeError(this, `mv-expand would produce more than ${LIMITS.operatorRows.toLocaleString('en-US')} rows (the local engine's limit); narrow its input or add limit N`, p.pos ?? 0);
    }
    for (let i = 0; i < rel.n; i++) {
      if ((i & 255) === 0) this.check();
      const arrs = vals.map((v) => asArray(vget(v, i)));
      const len = Math.min(limit, Math.max(...arrs.map((a) => a.length)));
      for (let j = 0; j < len; j++) {
        rows.push(i);
        index.push(j);
        arrs.forEach((a, x) => expanded[x].push(j < a.length ? a[j] : null));
      }
    }
    const idx = Int32Array.from(rows);
    const base = take(rel, idx);
    const fields = [...base.fields];
    p.items.forEach((it, x) => {
      const type: KqlType = it.toType ?? 'dynamic';
      const b = new ColBuilder(storageOf(type), idx.length);
      for (const v of expanded[x]) b.push(type === 'dynamic' ? v : coerceTo(v, 'dynamic', type));
      const f: Field = { name: it.name, type, col: b.finish(), sel: null };
      const at = fields.findIndex((q) => q.name === it.name);
      if (at >= 0) fields[at] = f; else fields.push(f);
    });
    if (p.indexName) fields.push({ name: p.indexName, type: 'long', col: { k: 'n', data: Float64Array.from(index) }, sel: null });
    return { n: idx.length, fields };
  }

  private makeSeries(p: Extract<Plan, { k: 'makeSeries' }>): Rel {
    const rel = this.run(p.input);
    const ev = this.ev(rel);
    const constEv = this.ev({ n: 1, fields: [] });
    const num = (e: Expr | null): number | null => { if (!e) return null; const v = vget(constEv.ev(e), 0); return typeof v === 'number' ? v : null; };
    const step = num(p.step);
    if (!step || step <= 0) throw runtimeError(this, 'make-series needs a positive step', p.pos ?? 0);
    const t = toCol(ev.ev(p.on), rel.n, 'datetime') as { k: 'n'; data: Float64Array };
    let start = num(p.from), end = num(p.to);
    if (start === null || end === null) {
      let lo = Infinity, hi = -Infinity;
      for (const v of t.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
      if (start === null) { const o = binOrigin(step); start = lo === Infinity ? 0 : Math.floor((lo - o) / step) * step + o; }
      if (end === null) end = hi === -Infinity ? start : hi + step;
    }
    const nb = Math.max(0, Math.ceil((end - start) / step));
    if (nb > LIMITS.seriesBins) throw runtimeError(this, `make-series would make ${nb.toLocaleString('en-US')} bins per series (the local engine's limit is ${LIMITS.seriesBins.toLocaleString('en-US')}); use a larger step or a shorter range`, p.pos ?? 0);
    const keys = p.by.map((b) => ev.evCol(b.expr));
    const { ids, groups, firstRow } = groupIds(keys, rel.n);
    const cells = groups * nb * (p.aggs.length + 1);
    if (cells > LIMITS.seriesCells) throw runtimeError(this, `make-series would make ${groups.toLocaleString('en-US')} series × ${nb.toLocaleString('en-US')} bins (${cells.toLocaleString('en-US')} cells with the time axis; the local engine's limit is ${LIMITS.seriesCells.toLocaleString('en-US')}); use a larger step, a shorter range or fewer groups`, p.pos ?? 0);
    // cell id = group * nb + bin; rows outside the range take no part
    const cell = new Int32Array(rel.n);
    const inRange = new Uint8Array(rel.n);
    for (let i = 0; i < rel.n; i++) {
      const v = t.data[i];
      if (v !== v || v < start || v >= end) continue;
      inRange[i] = 1;
      cell[i] = ids[i] * nb + Math.floor((v - start) / step);
    }
    const sub = select({ n: rel.n, fields: [{ name: '__cell', type: 'long', col: { k: 'n', data: Float64Array.from(cell) }, sel: null }] }, inRange);
    const cellIds = (fieldCol(sub.fields[0]) as { data: Float64Array }).data;
    const { ids: cid, groups: cg, firstRow: cfirst } = groupIds([{ k: 'n', data: cellIds }], sub.n);
    const fields: Field[] = p.by.map((b, i) => ({ name: b.name, type: b.expr.type, col: gather(keys[i], firstRow), sel: null }));
    const selIdx = (() => { const out: number[] = []; for (let i = 0; i < rel.n; i++) if (inRange[i]) out.push(i); return Int32Array.from(out); })();
    const subRel = take(rel, selIdx);
    const sev = this.ev(subRel);
    for (const a of p.aggs) {
      const args = a.call.args.map((x) => sev.ev(x));
      const [col] = aggregate({ fn: a.call.fn, args, argTypes: a.call.args.map((x) => x.type), outTypes: a.call.outs.map((o) => o.type), extra: [] }, cid, cg, subRel.n);
      const dflt = a.dflt ? vget(constEv.ev(a.dflt), 0) : 0;
      const series: unknown[][] = Array.from({ length: groups }, () => new Array(nb).fill(dflt));
      for (let c = 0; c < cg; c++) {
        const id = cellIds[cfirst[c]];
        const g = Math.floor(id / nb), b = id % nb;
        series[g][b] = wireValue(colGet(col, c), a.call.outs[0].type);
      }
      fields.push({ name: a.call.outs[0].name, type: 'dynamic', col: { k: 'a', data: series }, sel: null });
    }
    const axis: string[] = [];
    for (let b = 0; b < nb; b++) axis.push(wireValue(start + b * step, 'datetime') as string);
    fields.push({ name: p.axis, type: 'dynamic', col: { k: 'a', data: Array.from({ length: groups }, () => axis.slice()) }, sel: null });
    return { n: groups, fields };
  }

  private mvApply(p: Extract<Plan, { k: 'mvApply' }>): Rel {
    const rel = this.run(p.input);
    const ev = this.ev(rel);
    const vals = p.items.map((it) => ev.ev(it.expr));
    const parts: Rel[] = [];
    let produced = 0;
    const saved = this.applyInput;
    try {
      for (let i = 0; i < rel.n; i++) {
        if ((i & 255) === 0) this.check();
        const arrs = vals.map((v) => { const x = vget(v, i); return Array.isArray(x) ? x : x && typeof x === 'object' ? Object.entries(x).map(([k, y]) => { const b = newBag(); b[k] = y; return b; }) : x === null ? [] : [x]; });
        const len = Math.min(p.limit ?? Infinity, Math.max(0, ...arrs.map((a) => a.length)));
        const base = take(rel, new Int32Array(len).fill(i));
        const fields = [...base.fields];
        p.items.forEach((it, x) => {
          const type: KqlType = it.toType ?? 'dynamic';
          const b = new ColBuilder(storageOf(type), len);
          for (let j = 0; j < len; j++) { const v = j < arrs[x].length ? arrs[x][j] : null; b.push(type === 'dynamic' ? v : coerceTo(v, 'dynamic', type)); }
          const f: Field = { name: it.name, type, col: b.finish(), sel: null };
          const at = fields.findIndex((q) => q.name === it.name);
          if (at >= 0) fields[at] = f; else fields.push(f);
        });
        if (p.indexName) fields.push({ name: p.indexName, type: 'long', col: { k: 'n', data: Float64Array.from({ length: len }, (_, j) => j) }, sel: null });
        this.applyInput = { n: len, fields };
        const out = this.run(p.sub);
        // the row's other columns, then the subquery's columns
        const subNames = new Set(out.fields.map((f) => f.name));
        const row = take(rel, new Int32Array(out.n).fill(i)).fields.filter((f) => !subNames.has(f.name));
        parts.push({ n: out.n, fields: [...row, ...out.fields] });
        produced += out.n;
        if (produced > LIMITS.operatorRows) throw runtimeError(this, `mv-apply would produce more than ${LIMITS.operatorRows.toLocaleString('en-US')} rows (the local engine's limit)`, p.pos ?? 0);
      }
    } finally {
      this.applyInput = saved;
    }
    if (parts.length === 0) {
      return { n: 0, fields: (p.out ?? []).map((c) => ({ name: c.name, type: c.type, col: constCol(storageOf(c.type), null, 0), sel: null })) };
    }
    const names = parts[0].fields.map((f) => f.name);
    const total = parts.reduce((s, r) => s + r.n, 0);
    return {
      n: total,
      fields: parts[0].fields.map((f0, j) => {
        const st = storageOf(f0.type);
        const cols = parts.map((r) => { const f = r.fields.find((x) => x.name === names[j]) ?? r.fields[j]; const c = fieldCol(f); return c.k === st ? c : convertCol(c, r.n, st); });
        return { name: f0.name, type: f0.type, col: concatCols(st, cols), sel: null };
      }),
    };
  }

  private topNested(p: Extract<Plan, { k: 'topNested' }>): Rel {
    const rel = this.run(p.input);
    let paths: { rows: Int32Array; values: unknown[] }[] = [{ rows: Int32Array.from({ length: rel.n }, (_, i) => i), values: [] }];
    for (const level of p.levels) {
      const next: typeof paths = [];
      const limit = level.n ? Math.max(0, Math.floor(this.constNum(level.n))) : Infinity;
      for (const path of paths) {
        const sub = take(rel, path.rows);
        const ev = this.ev(sub);
        const of = ev.evCol(level.of);
        const { ids, groups, firstRow } = groupIds([of], sub.n);
        const [vals] = aggregate({ fn: level.agg.fn, args: level.agg.args.map((a) => ev.ev(a)), argTypes: level.agg.args.map((a) => a.type), outTypes: level.agg.outs.map((o) => o.type), extra: [] }, ids, groups, sub.n);
        const order = Array.from({ length: groups }, (_, g) => g).sort((a, b) => {
          const x = colGet(vals, a), y = colGet(vals, b);
          if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
          const r = (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
          return level.desc ? -r : r;
        }).slice(0, limit);
        const members: number[][] = Array.from({ length: groups }, () => []);
        for (let i = 0; i < sub.n; i++) members[ids[i]].push(path.rows[i]);
        for (const g of order) next.push({ rows: Int32Array.from(members[g]), values: [...path.values, colGet(of, firstRow[g]), colGet(vals, g)] });
      }
      paths = next;
      this.check();
    }
    const types = p.levels.flatMap((l) => [l.of.type, l.agg.outs[0].type]);
    const builders = types.map((t) => new ColBuilder(storageOf(t), paths.length));
    for (const path of paths) path.values.forEach((v, j) => builders[j].push(v));
    return { n: paths.length, fields: types.map((t, j) => ({ name: p.out?.[j]?.name ?? `Column${j + 1}`, type: t, col: builders[j].finish(), sel: null })) };
  }

  private pivot(p: Extract<Plan, { k: 'pivot' }>): Rel {
    const rel = this.run(p.input);
    const ev = this.ev(rel);
    const keys = p.by.map((b) => ev.evCol(b.expr));
    const { ids, groups, firstRow } = groupIds(keys, rel.n);
    const pv = ev.evCol(p.pivot);
    const { ids: pids, groups: pg, firstRow: pfirst } = groupIds([pv], rel.n);
    // aggregate per (group, pivot value)
    const cell = new Int32Array(rel.n);
    for (let i = 0; i < rel.n; i++) cell[i] = ids[i] * pg + pids[i];
    const { ids: cids, groups: cg, firstRow: cfirst } = groupIds([{ k: 'n', data: Float64Array.from(cell) }], rel.n);
    const type = p.agg.outs[0].type;
    const [vals] = aggregate({ fn: p.agg.fn, args: p.agg.args.map((a) => ev.ev(a)), argTypes: p.agg.args.map((a) => a.type), outTypes: [type], extra: [] }, cids, cg, rel.n);
    const zero = ['count', 'countif', 'dcount', 'dcountif', 'sum', 'sumif'].includes(p.agg.fn);
    const table: unknown[][] = Array.from({ length: pg }, () => new Array(groups).fill(zero ? 0 : null));
    for (let c = 0; c < cg; c++) { const r = cfirst[c]; table[pids[r]][ids[r]] = colGet(vals, c); }
    const names = Array.from({ length: pg }, (_, v) => { const x = colGet(pv, pfirst[v]); return x === null ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x); });
    const order = names.map((_, v) => v).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    const fields: Field[] = p.by.map((b, i) => ({ name: b.name, type: b.expr.type, col: gather(keys[i], firstRow), sel: null }));
    for (const v of order) {
      const b = new ColBuilder(storageOf(type), groups);
      for (const x of table[v]) b.push(x);
      fields.push({ name: names[v], type, col: b.finish(), sel: null });
    }
    return { n: groups, fields };
  }

  private bagUnpack(p: Extract<Plan, { k: 'bagUnpack' }>): Rel {
    const rel = this.run(p.input);
    const bag = this.ev(rel).ev(p.bag);
    const keys: string[] = [];
    const seen = new Set<string>();
    const bags: (Record<string, unknown> | null)[] = new Array(rel.n);
    for (let i = 0; i < rel.n; i++) {
      let v = vget(bag, i);
      if (typeof v === 'string') { try { v = toBags(JSON.parse(v)); } catch { v = null; } }
      const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
      bags[i] = o;
      if (o) for (const k of Object.keys(o)) if (!seen.has(k)) { seen.add(k); keys.push(k); }
    }
    const fields = rel.fields.filter((f) => f.name !== p.drop);
    const ignored = new Set(p.ignored);
    // new columns come in name order, as Kusto lists them
    for (const k of keys.filter((x) => !ignored.has(x)).sort()) {
      const vals = bags.map((o) => { const v = o ? bagGet(o, k) : undefined; return v === undefined ? null : v; });
      const type = valueType(vals);
      const b = new ColBuilder(storageOf(type), rel.n);
      for (const v of vals) b.push(type === 'string' && typeof v !== 'string' && v !== null ? JSON.stringify(v) : v);
      const name = p.prefix + k;
      const at = fields.findIndex((f) => f.name === name);
      const f: Field = { name, type, col: b.finish(), sel: null };
      if (at >= 0) {
        if (p.conflict === 'error') throw runtimeError(this, `bag_unpack: the column '${name}' already exists (use columnsConflict='replace_source' or 'keep_source')`, p.pos ?? 0);
        if (p.conflict === 'replace_source') fields[at] = f;
      } else fields.push(f);
    }
    return { n: rel.n, fields };
  }

  private parse(p: Extract<Plan, { k: 'parse' }>): Rel {
    const rel = this.run(p.input);
    const src = this.ev(rel).ev(p.source);
    let re: KqlRegex;
    try { re = kqlRegex(p.regex, p.flags); }
    catch (e) { throw runtimeError(this, `bad regular expression in parse: ${(e as Error).message}`, p.pos ?? 0); }
    const groupOf = p.outs.map((_, j) => re.groupNames.get('c' + j) ?? -1);
    const builders = p.outs.map((o) => new ColBuilder(storageOf(o.type), rel.n));
    const memo = new Map<string, (unknown[] | null)>();
    const extract = (s: string): unknown[] | null => {
      let r = memo.get(s);
      if (r === undefined) {
        const m = re.exec(s);
        r = m ? p.outs.map((o, j) => coerceTo(m.groups[groupOf[j]] ?? null, 'string', o.type)) : null;
        if (r && p.kind !== 'relaxed' && r.some((v, j) => v === null && p.outs[j].type !== 'string' && (m?.groups[groupOf[j]] ?? '') !== '')) r = null;
        if (memo.size < 100000) memo.set(s, r);
      }
      return r;
    };
    for (let i = 0; i < rel.n; i++) {
      const v = vget(src, i);
      const s = v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
      const r = s === null ? null : extract(s);
      builders.forEach((b, j) => b.push(r ? r[j] : null));
    }
    const fields = [...rel.fields];
    p.outs.forEach((o, j) => {
      const f: Field = { name: o.name, type: o.type, col: builders[j].finish(), sel: null };
      const at = fields.findIndex((q) => q.name === o.name);
      if (at >= 0) fields[at] = f; else fields.push(f);
    });
    return { n: rel.n, fields };
  }
}

/** Keeps the rows whose mask is 1 (selection vectors are composed per base column, shared between fields). */
function hasNegative(idx: Int32Array): boolean {
  for (let i = 0; i < idx.length; i++) if (idx[i] < 0) return true;
  return false;
}

/** A filter right over an inner join: the join may be bounded by a window the filter implies. */
function fusableJoin(p: Plan): p is Extract<Plan, { k: 'where' }> & { input: Extract<Plan, { k: 'join' }> } {
  return p.k === 'where' && p.input.k === 'join' && (p.input.kind === 'inner' || p.input.kind === 'innerunique') && !p.input.lookup;
}

export function select(rel: Rel, mask: Uint8Array): Rel {
  let count = 0;
  for (let i = 0; i < rel.n; i++) count += mask[i];
  if (count === rel.n) return rel;
  const idx = new Int32Array(count);
  let o = 0;
  for (let i = 0; i < rel.n; i++) if (mask[i]) idx[o++] = i;
  return take(rel, idx);
}

/** Rows idx of a relation, lazily: each field's selection vector is composed (memoised per shared selection). */
export function take(rel: Rel, idx: Int32Array): Rel {
  const memo = new Map<Int32Array | null, Int32Array>();
  const compose = (sel: Int32Array | null): Int32Array => {
    let r = memo.get(sel);
    if (!r) {
      if (!sel) r = idx;
      else { r = new Int32Array(idx.length); for (let i = 0; i < idx.length; i++) r[i] = sel[idx[i]]; }
      memo.set(sel, r);
    }
    return r;
  };
  return { n: idx.length, fields: rel.fields.map((f) => ({ name: f.name, type: f.type, col: f.col, sel: compose(f.sel) })) };
}

/** `sort | take n`: the take may be done while sorting (no subquery in the sort keys to run first). */
function sortThenTake(p: Plan): p is Extract<Plan, { k: 'take' }> & { input: Extract<Plan, { k: 'sort' }> } {
  return p.k === 'take' && p.input.k === 'sort' && p.input.keys.every((k) => subqueriesOf(k.expr).length === 0);
}

/** Row order by the keys (ties in row order); with `limit`, only the first `limit` rows of that order. */
export function sortIndex(ev: Evaluator, n: number, keys: SortKey[], limit?: number): Int32Array {
  const cmps: ((a: number, b: number) => number)[] = keys.map((k) => {
    const v = ev.ev(k.expr);
    if (isConst(v)) return () => 0;
    const dir = k.desc ? -1 : 1;
    const nullCmp = k.nullsFirst ? -1 : 1;
    if (v.k === 's' && limit !== undefined && limit <= n >> 2) {
      // few rows wanted: compare the strings themselves rather than ranking the whole dictionary
      const { dict, codes } = v;
      return (a, b) => { const x = dict[codes[a]], y = dict[codes[b]]; return x < y ? -dir : x > y ? dir : 0; };
    }
    if (v.k === 's') {
      // rank dictionary entries once; strings are never null ("" sorts first ascending)
      const order = v.dict.map((_, i) => i).sort((a, b) => (v.dict[a] < v.dict[b] ? -1 : v.dict[a] > v.dict[b] ? 1 : 0));
      const rank = new Int32Array(v.dict.length);
      let r = 0;
      order.forEach((d, j) => { if (j > 0 && v.dict[d] !== v.dict[order[j - 1]]) r++; rank[d] = r; });
      const codes = v.codes;
      return (a, b) => dir * (rank[codes[a]] - rank[codes[b]]);
    }
    if (v.k === 'n' || v.k === 'b') {
      const d = v.data;
      const isNull = v.k === 'n' ? (x: number) => x !== x : (x: number) => x === BOOL_NULL;
      return (a, b) => {
        const x = d[a], y = d[b];
        const nx = isNull(x), ny = isNull(y);
        if (nx || ny) return nx && ny ? 0 : nx ? nullCmp : -nullCmp;
        return x < y ? -dir : x > y ? dir : 0;
      };
    }
    const data = v.data;
    return (a, b) => {
      const x = data[a], y = data[b];
      const nx = x === null || x === undefined, ny = y === null || y === undefined;
      if (nx || ny) return nx && ny ? 0 : nx ? nullCmp : -nullCmp;
      const sx = typeof x === 'object' ? JSON.stringify(x) : x as string | number;
      const sy = typeof y === 'object' ? JSON.stringify(y) : y as string | number;
      return sx < sy ? -dir : sx > sy ? dir : 0;
    };
  });
  const c0 = cmps[0];
  const cmp = cmps.length === 1 ? (a: number, b: number) => c0(a, b) || a - b
    : (a: number, b: number) => { for (const c of cmps) { const r = c(a, b); if (r) return r; } return a - b; };
  if (limit !== undefined && limit < n && limit <= n >> 2) return firstInOrder(n, limit, cmp);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort(cmp);
  return limit !== undefined && limit < n ? idx.subarray(0, limit) : idx;
}

/** The first `k` of rows 0..n-1 in the total order `cmp`, through a heap of the best k seen (worst on top). */
function firstInOrder(n: number, k: number, cmp: (a: number, b: number) => number): Int32Array {
  const h = new Int32Array(k);
  if (k === 0) return h;
  const down = (size: number) => {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < size && cmp(h[l], h[m]) > 0) m = l;
      if (r < size && cmp(h[r], h[m]) > 0) m = r;
      if (m === i) return;
      const t = h[i]; h[i] = h[m]; h[m] = t; i = m;
    }
  };
  for (let i = 0; i < k; i++) {
    h[i] = i;
    for (let j = i; j > 0;) { const up = (j - 1) >> 1; if (cmp(h[j], h[up]) <= 0) break; const t = h[j]; h[j] = h[up]; h[up] = t; j = up; }
  }
  for (let i = k; i < n; i++) if (cmp(i, h[0]) < 0) { h[0] = i; down(k); }
  return h.sort(cmp);
}

/** Converts a value of type `from` to type `to` (datatable cells, mv-expand to typeof, parse captures). */
export function coerceTo(v: unknown, from: KqlType, to: KqlType): unknown {
  if (v === null || v === undefined) return null;
  if (from === to) return v;
  switch (to) {
    case 'string': return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'long': case 'int': { if (typeof v === 'string' && v.trim() === '') return null; const x = typeof v === 'number' ? v : Number(v); return Number.isFinite(x) ? Math.trunc(x) : null; }
    case 'real': case 'decimal': { if (typeof v === 'number') return v; if (typeof v === 'string' && v.trim() === '') return null; const x = Number(v); return Number.isNaN(x) ? null : x; }
    case 'bool': return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : /^(true|1)$/i.test(String(v)) ? true : /^(false|0)$/i.test(String(v)) ? false : null;
    case 'datetime': return typeof v === 'number' ? v : parseDatetime(String(v).trim());
    case 'timespan': return typeof v === 'number' ? v : parseTimespan(String(v).trim());
    case 'guid': return String(v);
    default: return v;
  }
}

/** Relation → wire rows. */
export function toWire(rel: Rel, maxRows: number): { rows: unknown[][]; truncated: boolean } {
  const n = Math.min(rel.n, maxRows);
  const cols = rel.fields.map((f) => {
    // only the rows returned are gathered
    const c = f.sel && n < rel.n ? gather(f.col, f.sel.subarray(0, n)) : fieldCol(f);
    // datetimes and timespans repeat (binned times): format each distinct value once
    const memo = f.type === 'datetime' || f.type === 'timespan' ? new Map<unknown, unknown>() : null;
    return { c, t: f.type, memo };
  });
  const rows: unknown[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = new Array(cols.length);
    for (let j = 0; j < cols.length; j++) {
      const { c, t, memo } = cols[j];
      const v = colGet(c, i);
      if (memo) {
        let w = memo.get(v);
        if (w === undefined) { w = wireValue(v, t); if (memo.size < 100000) memo.set(v, w); }
        r[j] = w;
      } else r[j] = wireValue(v, t);
    }
    rows[i] = r;
  }
  return { rows, truncated: rel.n > maxRows };
}

export { toCol };

/** The column type for unpacked values: one scalar type when all agree, else dynamic. */
function valueType(vals: unknown[]): KqlType {
  let t: KqlType | undefined;
  for (const v of vals) {
    if (v === null) continue;
    const vt: KqlType = typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'long' : 'real') : 'dynamic';
    if (!t) t = vt;
    else if (t !== vt) {
      if ((t === 'long' && vt === 'real') || (t === 'real' && vt === 'long')) t = 'real';
      else return 'dynamic';
    }
  }
  return t ?? 'dynamic';
}

/** parse-kv: key/value pairs of a text (explicit delimiters, quotes, greedy values, a regex, or any delimiters). */
export function parseKvText(text: string, p: { keys: ColumnDef[]; pair?: string; kv?: string; quote?: string; escape?: string; greedy: boolean; regex?: string }): Map<string, string> {
  const out = new Map<string, string>();
  if (p.regex) {
    for (const { groups: g } of kqlRegex(p.regex).matchAll(text)) if (g[1] !== undefined && !out.has(g[1].trim())) out.set(g[1].trim(), (g[2] ?? '').trim());
    return out;
  }
  const open = p.quote?.[0], close = p.quote ? p.quote[p.quote.length - 1] : undefined;
  const readQuoted = (at: number): { value: string; end: number } | null => {
    if (!open || text[at] !== open) return null;
    let v = '';
    let i = at + 1;
    while (i < text.length && text[i] !== close) {
      if (p.escape && text[i] === p.escape && i + 1 < text.length) { v += text[i + 1]; i += 2; continue; }
      v += text[i++];
    }
    return { value: v, end: i + 1 };
  };
  if (p.pair !== undefined && p.kv !== undefined) {
    const pd = p.pair, kd = p.kv;
    let i = 0;
    while (i < text.length) {
      let key: string;
      const qk = readQuoted(i);
      if (qk) { key = qk.value; i = qk.end; const k2 = text.indexOf(kd, i); if (k2 < 0) break; i = k2 + kd.length; }
      else {
        const k = text.indexOf(kd, i);
        if (k < 0) break;
        // the key is what follows the last pair delimiter before the key/value delimiter
        const lp = k > i ? text.lastIndexOf(pd, k - 1) : -1;
        key = text.slice(lp >= i ? lp + pd.length : i, k).trim();
        i = k + kd.length;
      }
      let value: string;
      const q = readQuoted(i);
      if (q) { value = q.value; i = q.end; const nx = text.indexOf(pd, i); i = nx < 0 ? text.length : nx + pd.length; }
      else if (p.greedy) {
        // the value runs to the pair delimiter before the next key
        const nextKv = text.indexOf(kd, i);
        const end = nextKv < 0 ? -1 : text.lastIndexOf(pd, nextKv);
        if (end < i) { value = text.slice(i); i = text.length; } else { value = text.slice(i, end); i = end + pd.length; }
      } else {
        const nx = text.indexOf(pd, i);
        if (nx < 0) { value = text.slice(i); i = text.length; } else { value = text.slice(i, nx); i = nx + pd.length; }
      }
      if (key && !out.has(key)) out.set(key, value.trim());
    }
    return out;
  }
  // no delimiters given: each key followed by any non-word delimiter, the value up to the next delimiter
  for (const k of p.keys) {
    const esc = k.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`(?:^|[^\\w])${esc}\\s*[:=]\\s*`).exec(text);
    if (!m) continue;
    const at = m.index + m[0].length;
    const q = readQuoted(at);
    if (q) { out.set(k.name, q.value); continue; }
    const v = /^[^\s,;|]+/.exec(text.slice(at));
    out.set(k.name, v ? v[0] : '');
  }
  return out;
}

/** A `*` pattern of project-away / project-keep as a name test. */
function wildcard(pattern: string): (name: string) => boolean {
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return (name) => re.test(name);
}

/** Columns of a union whose legs' columns are known only at run time (same name and type: one column). */
function runtimeUnionColumns(rels: Rel[], withsource?: string): ColumnDef[] {
  const out: ColumnDef[] = [];
  if (withsource) out.push({ name: withsource, type: 'string' });
  for (const r of rels) for (const f of r.fields) if (!out.some((c) => c.name === f.name)) out.push({ name: f.name, type: f.type });
  return out;
}

/** Join output names as Kusto numbers repeats: Key, Key1, Key2. */
function numberDuplicates(fields: Field[]): Field[] {
  const seen = new Set<string>();
  return fields.map((f) => {
    if (!seen.has(f.name)) { seen.add(f.name); return f; }
    let i = 1;
    while (seen.has(f.name + i)) i++;
    seen.add(f.name + i);
    return { ...f, name: f.name + i };
  });
}
