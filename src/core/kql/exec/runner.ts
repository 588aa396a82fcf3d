// Runs a plan (ir.ts) over columnar relations: the run loop, subqueries and the row selection helpers.
import { CancelledError, KqlError, positionAt } from '../../errors';
import type { RenderHint, TimeRange } from '../../types';
import { colGet, ColumnarTable, storageOf } from '../../columnar/columns';
import { EvalHost, Evaluator, Field, fieldCol, Rel } from '../eval';
import { ColumnDef, Expr, nodeExprs, nodeInputs, Plan, subqueriesOf } from '../ir';
import { convertCol } from '../vec';

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

export abstract class PlanRunner implements EvalHost {
  protected mats = new Map<number, Rel>();
  private subq = new Map<unknown, unknown>();
  constructor(protected readonly ctx: ExecContext) {}

  get nowMicros(): number {
    return this.ctx.nowMicros;
  }
  get text(): string {
    return this.ctx.text;
  }
  get render(): RenderHint | undefined {
    return this.ctx.render;
  }

  protected check(): void {
    if (this.ctx.signal?.aborted) throw new CancelledError();
    if (Date.now() > this.ctx.deadline) {
      throw new KqlError(
        `the query ran longer than its time budget (${this.ctx.timeoutMs ?? 0} ms)`,
        undefined,
        'KqlRuntime',
      );
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
      if (f) {
        const c = fieldCol(f);
        for (let i = 0; i < rel.n; i++) vals.push(colGet(c, i));
      }
      v = vals;
    }
    this.subq.set(e, v);
    return v;
  }

  /** Results of inputs computed ahead by runAsync, consumed once by run(). */
  protected ready = new Map<Plan, Rel>();

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
        await this.runAsync(sq.plan).then((r) => {
          this.ready.set(sq.plan, r);
          this.subquery(sq);
        });
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
    return this.run(p);
  }

  run(p: Plan): Rel {
    const pre = this.ready.get(p);
    if (pre) {
      this.ready.delete(p);
      return pre;
    }
    this.check();
    const rel = this.runNode(p);
    if (p.out && p.k !== 'materialize') return this.conform(rel, p.out, p.pos ?? 0);
    return rel;
  }

  /** Makes the relation's columns exactly the analyzer's (names, order, types). */
  protected conform(rel: Rel, outSchema: ColumnDef[], pos: number): Rel {
    const out = numberRepeats(outSchema);
    const names = rel.fields.map((f) => f.name);
    let fields: Field[];
    const byName = new Map<string, Field>();
    for (const f of rel.fields) if (!byName.has(f.name)) byName.set(f.name, f);
    if (
      out.length === rel.fields.length &&
      out.every((c) => byName.has(c.name)) &&
      new Set(names).size === names.length
    ) {
      fields = out.map((c) => byName.get(c.name)!);
    } else if (
      out.length === rel.fields.length &&
      rel.fields.every(
        (f, i) =>
          out[i].name === f.name || (out[i].name.startsWith(f.name) && /^\d+$/.test(out[i].name.slice(f.name.length))),
      )
    ) {
      // duplicate names the analyzer numbered (join: Key, Key1)
      fields = rel.fields.map((f, i) => ({ ...f, name: out[i].name }));
    } else {
      const { line, column } = positionAt(this.ctx.text, pos);
      throw new KqlError(
        `local engine does not support this operator shape (it produced ${names.join(', ')}; expected ${out.map((c) => c.name).join(', ')}) (line ${line}, col ${column})`,
        { line, column },
        'KqlUnsupported',
      );
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

  protected ev(rel: Rel): Evaluator {
    return new Evaluator(rel, this);
  }

  protected abstract runNode(p: Plan): Rel;
}

/** Keeps the rows whose mask is 1 (selection vectors are composed per base column, shared between fields). */
export function hasNegative(idx: Int32Array): boolean {
  for (let i = 0; i < idx.length; i++) if (idx[i] < 0) return true;
  return false;
}

/** A filter right over an inner join: the join may be bounded by a window the filter implies. */
export function fusableJoin(p: Plan): p is Extract<Plan, { k: 'where' }> & { input: Extract<Plan, { k: 'join' }> } {
  return (
    p.k === 'where' &&
    p.input.k === 'join' &&
    (p.input.kind === 'inner' || p.input.kind === 'innerunique') &&
    !p.input.lookup
  );
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
      else {
        r = new Int32Array(idx.length);
        for (let i = 0; i < idx.length; i++) r[i] = sel[idx[i]];
      }
      memo.set(sel, r);
    }
    return r;
  };
  return {
    n: idx.length,
    fields: rel.fields.map((f) => ({ name: f.name, type: f.type, col: f.col, sel: compose(f.sel) })),
  };
}

/** `sort | take n`: the take may be done while sorting (no subquery in the sort keys to run first). */
export function sortThenTake(p: Plan): p is Extract<Plan, { k: 'take' }> & { input: Extract<Plan, { k: 'sort' }> } {
  return p.k === 'take' && p.input.k === 'sort' && p.input.keys.every((k) => subqueriesOf(k.expr).length === 0);
}

/**
 * The analyzer lists a column twice when an operator adds a name the input already has (`parse … with * 'x' Status`
 * over a table with Status): the new column is numbered (Status1), as every later operator sees it.
 */
function numberRepeats(out: ColumnDef[]): ColumnDef[] {
  const names = new Set(out.map((c) => c.name));
  if (names.size === out.length) return out;
  const seen = new Set<string>();
  return out.map((c) => {
    if (!seen.has(c.name)) {
      seen.add(c.name);
      return c;
    }
    let n = 1;
    while (names.has(c.name + n)) n++;
    names.add(c.name + n);
    return { ...c, name: c.name + n };
  });
}
