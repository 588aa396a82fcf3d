// Executes a plan (ir.ts) over columnar relations: each operator of the plan, and rows to the wire.
import { KqlError } from '../../errors';
import type { KqlType } from '../../types';
import { BOOL_NULL, Col, ColBuilder, colGet, concatCols, constCol, gather, storageOf } from '../../columnar/columns';
import { aggregate, groupIds } from '../aggregate';
import { Evaluator, Field, fieldCol, Rel, runtimeError, wireValue } from '../eval';
import { APPLY_INPUT, ColumnDef, Expr, Plan, SortKey } from '../ir';
import { convertCol, isConst, toCol, truthy, vget } from '../vec';
import { LIMITS } from '../limits';
import { bagGet, newBag, toBags } from '../../columnar/values';
import { coerceRaw } from '../../columnar/convert';
import { coerceTo, parseKvText, ParseRunner } from './parse';
import { select, sortThenTake, take } from './runner';
import { basket, ipv4Lookup, sequenceDetect } from './plugins';

export class Executor extends ParseRunner {
  private constNum(e: Expr): number {
    const v = this.ev({ n: 1, fields: [] }).ev(e);
    const x = vget(v, 0);
    return typeof x === 'number' ? x : Number(x);
  }

  protected override runNode(p: Plan): Rel {
    switch (p.k) {
      case 'table':
        return this.scan(p.name, p.pos);
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
      case 'extend':
      case 'serialize': {
        const rel = this.run(p.input);
        // every item reads the input columns (KQL does not let an item use a column made in the same extend)
        const ev = this.ev(rel);
        const fields = [...rel.fields];
        for (const it of p.items) {
          const col = ev.evCol(it.expr);
          const f: Field = { name: it.name, type: it.expr.type, col, sel: null };
          const i = fields.findIndex((x) => x.name === it.name);
          if (i >= 0) fields[i] = f;
          else fields.push(f);
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
      case 'summarize':
        return this.summarize(p);
      case 'sort': {
        const rel = this.run(p.input);
        return take(rel, sortIndex(this.ev(rel), rel.n, p.keys));
      }
      case 'take': {
        if (sortThenTake(p) && !this.ready.has(p.input)) {
          const sort = p.input;
          const rel = this.run(sort.input);
          const sorted = take(
            rel,
            sortIndex(this.ev(rel), rel.n, sort.keys, Math.max(0, Math.floor(this.constNum(p.n)))),
          );
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
        if (p.items !== '*') {
          const ev = this.ev(rel);
          src = { n: rel.n, fields: p.items.map((it) => this.fieldFor(rel, ev, it.name, it.expr)) };
        }
        const { firstRow } = groupIds(src.fields.map(fieldCol), src.n);
        return take(src, firstRow);
      }
      case 'count': {
        const rel = this.run(p.input);
        return {
          n: 1,
          fields: [{ name: p.name, type: 'long', col: { k: 'n', data: Float64Array.of(rel.n) }, sel: null }],
        };
      }
      case 'join':
        return this.join(p);
      case 'union':
        return this.union(p);
      case 'mvexpand':
        return this.mvexpand(p);
      case 'datatable': {
        const ev = this.ev({ n: 1, fields: [] });
        const w = p.cols.length;
        const rows = p.rows.length / w;
        const builders = p.cols.map((c) => new ColBuilder(storageOf(c.type), rows));
        for (let i = 0; i < p.rows.length; i++)
          builders[i % w].push(coerceTo(vget(ev.ev(p.rows[i]), 0), p.rows[i].type, p.cols[i % w].type));
        return {
          n: rows,
          fields: p.cols.map((c, j) => ({ name: c.name, type: c.type, col: builders[j].finish(), sel: null })),
        };
      }
      case 'externalData': {
        const rows = p.urls.flatMap((u) => this.ctx.externalRows?.get(u) ?? []);
        const builders = p.cols.map((c) => new ColBuilder(storageOf(c.type), rows.length));
        for (const r of rows) p.cols.forEach((c, j) => builders[j].push(coerceRaw(r[j] ?? null, c.type) ?? null));
        return {
          n: rows.length,
          fields: p.cols.map((c, j) => ({ name: c.name, type: c.type, col: builders[j].finish(), sel: null })),
        };
      }
      case 'print': {
        const rel: Rel = { n: 1, fields: [] };
        const ev = this.ev(rel);
        return {
          n: 1,
          fields: p.items.map((it) => ({ name: it.name, type: it.expr.type, col: ev.evCol(it.expr), sel: null })),
        };
      }
      case 'range': {
        const from = this.constNum(p.from),
          to = this.constNum(p.to),
          step = this.constNum(p.step);
        if (![from, to, step].every(Number.isFinite) || step === 0)
          throw runtimeError(this, 'range needs finite from, to and a non-zero step', p.pos ?? 0);
        const count = Math.max(0, Math.floor((to - from) / step) + 1);
        if (count > LIMITS.operatorRows)
          throw runtimeError(
            this,
            `range would produce ${count.toLocaleString('en-US')} rows (the local engine's limit is ${LIMITS.operatorRows.toLocaleString('en-US')})`,
            p.pos ?? 0,
          );
        const d = new Float64Array(count);
        for (let i = 0; i < count; i++) d[i] = from + i * step;
        return { n: count, fields: [{ name: p.name, type: p.type, col: { k: 'n', data: d }, sel: null }] };
      }
      case 'parse':
        return this.parse(p);
      case 'materialize': {
        let r = this.mats.get(p.id);
        if (!r) {
          r = this.run(p.input);
          this.mats.set(p.id, r);
        }
        return r;
      }
      case 'render': {
        const rel = this.run(p.input);
        this.ctx.render = p.hint;
        return rel;
      }
      case 'as':
        return this.run(p.input);
      case 'pivot':
        return this.pivot(p);
      case 'parseKv': {
        const rel = this.run(p.input);
        const src = this.ev(rel).ev(p.source);
        const builders = p.keys.map((k) => new ColBuilder(storageOf(k.type), rel.n));
        const memo = new Map<string, Map<string, string>>();
        for (let i = 0; i < rel.n; i++) {
          const v = vget(src, i);
          const text = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
          let pairs = memo.get(text);
          if (!pairs) {
            pairs = parseKvText(text, p);
            if (memo.size < 100000) memo.set(text, pairs);
          }
          p.keys.forEach((k, j) => {
            const x = pairs!.get(k.name);
            builders[j].push(x === undefined ? null : coerceTo(x, 'string', k.type));
          });
        }
        const fields = [...rel.fields];
        p.keys.forEach((k, j) => {
          const f: Field = { name: k.name, type: k.type, col: builders[j].finish(), sel: null };
          const at = fields.findIndex((q) => q.name === k.name);
          if (at >= 0) fields[at] = f;
          else fields.push(f);
        });
        return { n: rel.n, fields };
      }
      case 'topNested':
        return this.topNested(p);
      case 'getschema': {
        const rel = this.run(p.input);
        const b = (st: 's' | 'n', vals: unknown[]) => {
          const x = new ColBuilder(st, vals.length);
          vals.forEach((v) => x.push(v));
          return x.finish();
        };
        const dotnet: Record<string, string> = {
          string: 'System.String',
          datetime: 'System.DateTime',
          bool: 'System.SByte',
          int: 'System.Int32',
          long: 'System.Int64',
          real: 'System.Double',
          decimal: 'System.Data.SqlTypes.SqlDecimal',
          guid: 'System.Guid',
          timespan: 'System.TimeSpan',
          dynamic: 'System.Object',
        };
        return {
          n: rel.fields.length,
          fields: [
            {
              name: 'ColumnName',
              type: 'string',
              col: b(
                's',
                rel.fields.map((f) => f.name),
              ),
              sel: null,
            },
            {
              name: 'ColumnOrdinal',
              type: 'long',
              col: b(
                'n',
                rel.fields.map((_, i) => i),
              ),
              sel: null,
            },
            {
              name: 'DataType',
              type: 'string',
              col: b(
                's',
                rel.fields.map((f) => dotnet[f.type]),
              ),
              sel: null,
            },
            {
              name: 'ColumnType',
              type: 'string',
              col: b(
                's',
                rel.fields.map((f) => f.type),
              ),
              sel: null,
            },
          ],
        };
      }
      case 'sample': {
        const rel = this.run(p.input);
        const k = Math.max(0, Math.min(rel.n, Math.floor(this.constNum(p.n))));
        // a random k of the rows, kept in their order
        const idx = Int32Array.from({ length: rel.n }, (_, i) => i);
        for (let i = 0; i < k; i++) {
          const j = i + Math.floor(Math.random() * (rel.n - i));
          const t = idx[i];
          idx[i] = idx[j];
          idx[j] = t;
        }
        return take(rel, idx.subarray(0, k).sort());
      }
      case 'makeSeries':
        return this.makeSeries(p);
      case 'mvApply':
        return this.mvApply(p);
      case 'bagUnpack':
        return this.bagUnpack(p);
      case 'partition':
        return this.partition(p);
      case 'basket':
        return basket(this.run(p.input), p.threshold, p.maxDims, p.weight);
      case 'sequenceDetect': {
        const rel = this.run(p.input);
        const ev = this.ev(rel);
        const tv = ev.ev(p.time);
        const time = Array.from({ length: rel.n }, (_, i) => vget(tv, i));
        const steps = p.steps.map((st) => truthy(ev.ev(st.expr), rel.n));
        const dims = p.dims.map((d, i) => ({
          name: d.k === 'col' ? d.name : `Column${i + 1}`,
          type: d.type,
          col: toCol(ev.ev(d), rel.n, d.type),
          sel: null,
        }));
        const names = p.steps.map((st) => st.name);
        return sequenceDetect(time, steps, dims, names, this.constNum(p.maxStep), this.constNum(p.maxSpan), rel.n);
      }
      case 'ipv4Lookup': {
        const rel = this.run(p.input);
        const lookup = this.run(p.lookup);
        const av = this.ev(rel).ev(p.address);
        const column = (r: Rel, name: string): unknown[] => {
          const f = r.fields.find((x) => x.name === name);
          if (!f) throw runtimeError(this, `ipv4_lookup: column '${name}' is not in the input`, 0);
          const c = fieldCol(f);
          return Array.from({ length: r.n }, (_, i) => colGet(c, i));
        };
        return ipv4Lookup(
          rel,
          lookup,
          Array.from({ length: rel.n }, (_, i) => vget(av, i)),
          column(lookup, p.range),
          p.keys.map((k) => column(rel, k)),
          p.keys.map((k) => column(lookup, k)),
          p.unmatched,
          p.outNames,
        );
      }
      case 'search': {
        let rel = this.run(p.input);
        if (p.out?.some((c) => c.name === '$table') && !rel.fields.some((f) => f.name === '$table')) {
          const src = p.source ?? '';
          rel = {
            n: rel.n,
            fields: [{ name: '$table', type: 'string', col: constCol('s', src, rel.n), sel: null }, ...rel.fields],
          };
        }
        if (!p.term) return rel;
        const term = p.term;
        const mask = new Uint8Array(rel.n);
        const ev = this.ev(rel);
        for (const f of rel.fields) {
          if (f.type !== 'string' && f.type !== 'dynamic') continue;
          const hit = truthy(
            ev.ev({
              k: 'op',
              op: term.cs ? 'has_cs' : 'has',
              args: [
                { k: 'col', name: f.name, type: f.type, pos: 0 },
                { k: 'lit', v: term.text, type: 'string' },
              ],
              type: 'bool',
              pos: 0,
            }),
            rel.n,
          );
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
    const rel: Rel = {
      n: t.length,
      fields: t.fields.map((f) => ({ name: f.name, type: f.type, col: f.col, sel: null })),
    };
    const tr = this.ctx.timeRange;
    const tg = t.fields.find((f) => f.name === 'TimeGenerated' && f.type === 'datetime');
    if (tr && tg && tg.col.k === 'n') {
      const lo = tr.start.getTime() * 1000,
        hi = tr.end.getTime() * 1000;
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
    const fields: Field[] = p.by.map((b, i) => ({
      name: b.name,
      type: b.expr.type,
      col: gather(keys[i], firstRow),
      sel: null,
    }));
    const hidden: Field[] = [];
    const post: { at: number; a: (typeof p.aggs)[number] }[] = [];
    for (const a of p.aggs) {
      if (a.fn === '__expr') {
        post.push({ at: fields.length, a });
        fields.push(null as unknown as Field);
        continue;
      }
      const args = a.args.map((x) => ev.ev(x));
      const extra = (a.extra ?? []).map((x) => ev.ev(x));
      let outs = a.outs;
      if (a.star) {
        // `*` over an input known at run time only: its columns now, numbered where the output has the name
        const skip = new Set(a.star.exclude);
        const taken = new Set([...fields.map((f) => f?.name), ...outs.map((x) => x.name)]);
        outs = [...outs];
        for (const f of rel.fields) {
          if (skip.has(f.name)) continue;
          let name = f.name;
          for (let i = 1; taken.has(name); i++) name = `${f.name}${i}`;
          taken.add(name);
          outs.push({ name, type: f.type });
          extra.push(ev.ev({ k: 'col', name: f.name, type: f.type, pos: a.pos }));
        }
      }
      let cols: Col[];
      try {
        cols = aggregate(
          { fn: a.fn, args, argTypes: a.args.map((x) => x.type), outTypes: outs.map((o) => o.type), extra },
          ids,
          groups,
          rel.n,
        );
      } catch (e) {
        if (e instanceof KqlError) throw e;
        throw runtimeError(
          this,
          `local engine does not support the aggregate \`${a.fn}()\` here: ${(e as Error).message}`,
          a.pos,
        );
      }
      cols.forEach((c, j) => {
        const o = outs[j];
        if (o) (a.hidden ? hidden : fields).push({ name: o.name, type: o.type, col: c, sel: null });
      });
      this.check();
    }
    if (post.length) {
      // expressions over aggregates: evaluated per group over the by columns and the hidden aggregates
      const n = p.by.length === 0 && groups === 0 ? 1 : groups;
      const grel: Rel = { n, fields: [...fields.filter((f) => f !== null), ...hidden] };
      if (n !== groups) return this.summarizeEmpty(p);
      const gev = this.ev(grel);
      for (const { at, a } of post)
        fields[at] = {
          name: a.outs[0].name,
          type: a.outs[0].type,
          col: toCol(gev.ev(a.args[0]), n, a.outs[0].type),
          sel: null,
        };
    }
    // summarize without `by` over an empty input still returns one row
    if (p.by.length === 0 && groups === 0) return this.summarizeEmpty(p);
    return { n: groups, fields };
  }

  /** The single row of a summarize without `by` over no rows (count() = 0, sums 0, the rest null). */
  private summarizeEmpty(p: Extract<Plan, { k: 'summarize' }>): Rel {
    const one: Field[] = [];
    const hidden: Field[] = [];
    const post: { at: number; a: (typeof p.aggs)[number] }[] = [];
    for (const a of p.aggs) {
      if (a.fn === '__expr') {
        post.push({ at: one.length, a });
        one.push(null as unknown as Field);
        continue;
      }
      const cols = aggregate(
        {
          fn: a.fn,
          args: a.args.map(() => ({ k: 'c' as const, v: null })),
          argTypes: a.args.map((x) => x.type),
          outTypes: a.outs.map((o) => o.type),
          extra: (a.extra ?? []).map(() => ({ k: 'c' as const, v: null })),
        },
        new Int32Array(0),
        1,
        0,
      );
      cols.forEach((c, j) => {
        const o = a.outs[j];
        if (o) (a.hidden ? hidden : one).push({ name: o.name, type: o.type, col: c, sel: null });
      });
    }
    if (post.length) {
      const gev = this.ev({ n: 1, fields: [...one.filter((f) => f !== null), ...hidden] });
      for (const { at, a } of post)
        one[at] = {
          name: a.outs[0].name,
          type: a.outs[0].type,
          col: toCol(gev.ev(a.args[0]), 1, a.outs[0].type),
          sel: null,
        };
    }
    return { n: 1, fields: one };
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
        if (p.withsource && c.name === p.withsource && !r.fields.some((f) => f.name === c.name))
          return constCol('s', p.sourceNames[ri], r.n);
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
      if (v && typeof v === 'object')
        return Object.entries(v as Record<string, unknown>).map(([k, x]) => {
          if (p.bagAsArray) return [k, x];
          const b = newBag();
          b[k] = x;
          return b;
        });
      if (typeof v === 'string') {
        const t = v.trim();
        if (t.startsWith('[') || t.startsWith('{')) {
          try {
            return asArray(toBags(JSON.parse(t)));
          } catch {
            /* scalar */
          }
        }
      }
      return [v];
    };
    // count the output first, so an oversized expansion fails before it allocates anything
    let total = 0;
    for (let i = 0; i < rel.n; i++) {
      total += Math.min(
        limit,
        Math.max(
          ...vals.map((v) => {
            const x = vget(v, i);
            return Array.isArray(x) ? x.length : asArray(x).length;
          }),
        ),
      );
      if (total > LIMITS.operatorRows)
        throw runtimeError(
          this,
          `mv-expand would produce more than ${LIMITS.operatorRows.toLocaleString('en-US')} rows (the local engine's limit); narrow its input or add limit N`,
          p.pos ?? 0,
        );
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
      if (at >= 0) fields[at] = f;
      else fields.push(f);
    });
    if (p.indexName)
      fields.push({ name: p.indexName, type: 'long', col: { k: 'n', data: Float64Array.from(index) }, sel: null });
    return { n: idx.length, fields };
  }

  /** partition by key (subquery): the subquery over each key's rows, the results one after the other. */
  private partition(p: Extract<Plan, { k: 'partition' }>): Rel {
    const rel = this.run(p.input);
    const keys = this.ev(rel).evCol(p.by);
    const { ids, groups } = groupIds([keys], rel.n);
    const members: number[][] = Array.from({ length: groups }, () => []);
    for (let i = 0; i < rel.n; i++) members[ids[i]].push(i);
    const parts: Rel[] = [];
    const saved = this.applyInput;
    try {
      for (const rows of members) {
        this.check();
        this.applyInput = take(rel, Int32Array.from(rows));
        parts.push(this.run(p.sub));
      }
    } finally {
      this.applyInput = saved;
    }
    if (parts.length === 0) {
      this.applyInput = { n: 0, fields: rel.fields };
      try {
        return this.run(p.sub);
      } finally {
        this.applyInput = saved;
      }
    }
    return concatRels(parts);
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
        const arrs = vals.map((v) => {
          const x = vget(v, i);
          return Array.isArray(x)
            ? x
            : x && typeof x === 'object'
              ? Object.entries(x).map(([k, y]) => {
                  const b = newBag();
                  b[k] = y;
                  return b;
                })
              : x === null
                ? []
                : [x];
        });
        const len = Math.min(p.limit ?? Infinity, Math.max(0, ...arrs.map((a) => a.length)));
        const base = take(rel, new Int32Array(len).fill(i));
        const fields = [...base.fields];
        p.items.forEach((it, x) => {
          const type: KqlType = it.toType ?? 'dynamic';
          const b = new ColBuilder(storageOf(type), len);
          for (let j = 0; j < len; j++) {
            const v = j < arrs[x].length ? arrs[x][j] : null;
            b.push(type === 'dynamic' ? v : coerceTo(v, 'dynamic', type));
          }
          const f: Field = { name: it.name, type, col: b.finish(), sel: null };
          const at = fields.findIndex((q) => q.name === it.name);
          if (at >= 0) fields[at] = f;
          else fields.push(f);
        });
        if (p.indexName)
          fields.push({
            name: p.indexName,
            type: 'long',
            col: { k: 'n', data: Float64Array.from({ length: len }, (_, j) => j) },
            sel: null,
          });
        this.applyInput = { n: len, fields };
        const out = this.run(p.sub);
        // the row's other columns, then the subquery's columns
        const subNames = new Set(out.fields.map((f) => f.name));
        const row = take(rel, new Int32Array(out.n).fill(i)).fields.filter((f) => !subNames.has(f.name));
        parts.push({ n: out.n, fields: [...row, ...out.fields] });
        produced += out.n;
        if (produced > LIMITS.operatorRows)
          throw runtimeError(
            this,
            `mv-apply would produce more than ${LIMITS.operatorRows.toLocaleString('en-US')} rows (the local engine's limit)`,
            p.pos ?? 0,
          );
      }
    } finally {
      this.applyInput = saved;
    }
    if (parts.length === 0) {
      return {
        n: 0,
        fields: (p.out ?? []).map((c) => ({
          name: c.name,
          type: c.type,
          col: constCol(storageOf(c.type), null, 0),
          sel: null,
        })),
      };
    }
    return concatRels(parts);
  }

  private topNested(p: Extract<Plan, { k: 'topNested' }>): Rel {
    const rel = this.run(p.input);
    let paths: { rows: Int32Array; values: unknown[] }[] = [
      { rows: Int32Array.from({ length: rel.n }, (_, i) => i), values: [] },
    ];
    for (const level of p.levels) {
      const next: typeof paths = [];
      const limit = level.n ? Math.max(0, Math.floor(this.constNum(level.n))) : Infinity;
      for (const path of paths) {
        const sub = take(rel, path.rows);
        const ev = this.ev(sub);
        const of = ev.evCol(level.of);
        const { ids, groups, firstRow } = groupIds([of], sub.n);
        const [vals] = aggregate(
          {
            fn: level.agg.fn,
            args: level.agg.args.map((a) => ev.ev(a)),
            argTypes: level.agg.args.map((a) => a.type),
            outTypes: level.agg.outs.map((o) => o.type),
            extra: [],
          },
          ids,
          groups,
          sub.n,
        );
        const order = Array.from({ length: groups }, (_, g) => g)
          .sort((a, b) => {
            const x = colGet(vals, a),
              y = colGet(vals, b);
            if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
            const r = (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
            return level.desc ? -r : r;
          })
          .slice(0, limit);
        const members: number[][] = Array.from({ length: groups }, () => []);
        for (let i = 0; i < sub.n; i++) members[ids[i]].push(path.rows[i]);
        for (const g of order)
          next.push({
            rows: Int32Array.from(members[g]),
            values: [...path.values, colGet(of, firstRow[g]), colGet(vals, g)],
          });
      }
      paths = next;
      this.check();
    }
    const types = p.levels.flatMap((l) => [l.of.type, l.agg.outs[0].type]);
    const builders = types.map((t) => new ColBuilder(storageOf(t), paths.length));
    for (const path of paths) path.values.forEach((v, j) => builders[j].push(v));
    return {
      n: paths.length,
      fields: types.map((t, j) => ({
        name: p.out?.[j]?.name ?? `Column${j + 1}`,
        type: t,
        col: builders[j].finish(),
        sel: null,
      })),
    };
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
    const [vals] = aggregate(
      {
        fn: p.agg.fn,
        args: p.agg.args.map((a) => ev.ev(a)),
        argTypes: p.agg.args.map((a) => a.type),
        outTypes: [type],
        extra: [],
      },
      cids,
      cg,
      rel.n,
    );
    const zero = ['count', 'countif', 'dcount', 'dcountif', 'sum', 'sumif'].includes(p.agg.fn);
    const table: unknown[][] = Array.from({ length: pg }, () => new Array(groups).fill(zero ? 0 : null));
    for (let c = 0; c < cg; c++) {
      const r = cfirst[c];
      table[pids[r]][ids[r]] = colGet(vals, c);
    }
    const names = Array.from({ length: pg }, (_, v) => {
      const x = colGet(pv, pfirst[v]);
      return x === null ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x);
    });
    const order = names.map((_, v) => v).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    const fields: Field[] = p.by.map((b, i) => ({
      name: b.name,
      type: b.expr.type,
      col: gather(keys[i], firstRow),
      sel: null,
    }));
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
      if (typeof v === 'string') {
        try {
          v = toBags(JSON.parse(v));
        } catch {
          v = null;
        }
      }
      const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
      bags[i] = o;
      if (o)
        for (const k of Object.keys(o))
          if (!seen.has(k)) {
            seen.add(k);
            keys.push(k);
          }
    }
    const fields = rel.fields.filter((f) => f.name !== p.drop);
    const ignored = new Set(p.ignored);
    // new columns come in name order, as Kusto lists them
    for (const k of keys.filter((x) => !ignored.has(x)).sort()) {
      const vals = bags.map((o) => {
        const v = o ? bagGet(o, k) : undefined;
        return v === undefined ? null : v;
      });
      const type = valueType(vals);
      const b = new ColBuilder(storageOf(type), rel.n);
      for (const v of vals) b.push(type === 'string' && typeof v !== 'string' && v !== null ? JSON.stringify(v) : v);
      const name = p.prefix + k;
      const at = fields.findIndex((f) => f.name === name);
      const f: Field = { name, type, col: b.finish(), sel: null };
      if (at >= 0) {
        if (p.conflict === 'error')
          throw runtimeError(
            this,
            `bag_unpack: the column '${name}' already exists (use columnsConflict='replace_source' or 'keep_source')`,
            p.pos ?? 0,
          );
        if (p.conflict === 'replace_source') fields[at] = f;
      } else fields.push(f);
    }
    return { n: rel.n, fields };
  }
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
      return (a, b) => {
        const x = dict[codes[a]],
          y = dict[codes[b]];
        return x < y ? -dir : x > y ? dir : 0;
      };
    }
    if (v.k === 's') {
      // rank dictionary entries once; strings are never null ("" sorts first ascending)
      const order = v.dict
        .map((_, i) => i)
        .sort((a, b) => (v.dict[a] < v.dict[b] ? -1 : v.dict[a] > v.dict[b] ? 1 : 0));
      const rank = new Int32Array(v.dict.length);
      let r = 0;
      order.forEach((d, j) => {
        if (j > 0 && v.dict[d] !== v.dict[order[j - 1]]) r++;
        rank[d] = r;
      });
      const codes = v.codes;
      return (a, b) => dir * (rank[codes[a]] - rank[codes[b]]);
    }
    if (v.k === 'n' || v.k === 'b') {
      const d = v.data;
      const isNull = v.k === 'n' ? (x: number) => x !== x : (x: number) => x === BOOL_NULL;
      return (a, b) => {
        const x = d[a],
          y = d[b];
        const nx = isNull(x),
          ny = isNull(y);
        if (nx || ny) return nx && ny ? 0 : nx ? nullCmp : -nullCmp;
        return x < y ? -dir : x > y ? dir : 0;
      };
    }
    const data = v.data;
    return (a, b) => {
      const x = data[a],
        y = data[b];
      const nx = x === null || x === undefined,
        ny = y === null || y === undefined;
      if (nx || ny) return nx && ny ? 0 : nx ? nullCmp : -nullCmp;
      const sx = typeof x === 'object' ? JSON.stringify(x) : (x as string | number);
      const sy = typeof y === 'object' ? JSON.stringify(y) : (y as string | number);
      return sx < sy ? -dir : sx > sy ? dir : 0;
    };
  });
  const c0 = cmps[0];
  const cmp =
    cmps.length === 1
      ? (a: number, b: number) => c0(a, b) || a - b
      : (a: number, b: number) => {
          for (const c of cmps) {
            const r = c(a, b);
            if (r) return r;
          }
          return a - b;
        };
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
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < size && cmp(h[l], h[m]) > 0) m = l;
      if (r < size && cmp(h[r], h[m]) > 0) m = r;
      if (m === i) return;
      const t = h[i];
      h[i] = h[m];
      h[m] = t;
      i = m;
    }
  };
  for (let i = 0; i < k; i++) {
    h[i] = i;
    for (let j = i; j > 0;) {
      const up = (j - 1) >> 1;
      if (cmp(h[j], h[up]) <= 0) break;
      const t = h[j];
      h[j] = h[up];
      h[up] = t;
      j = up;
    }
  }
  for (let i = k; i < n; i++)
    if (cmp(i, h[0]) < 0) {
      h[0] = i;
      down(k);
    }
  return h.sort(cmp);
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
        if (w === undefined) {
          w = wireValue(v, t);
          if (memo.size < 100000) memo.set(v, w);
        }
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
    const vt: KqlType =
      typeof v === 'string'
        ? 'string'
        : typeof v === 'boolean'
          ? 'bool'
          : typeof v === 'number'
            ? Number.isInteger(v)
              ? 'long'
              : 'real'
            : 'dynamic';
    if (!t) t = vt;
    else if (t !== vt) {
      if ((t === 'long' && vt === 'real') || (t === 'real' && vt === 'long')) t = 'real';
      else return 'dynamic';
    }
  }
  return t ?? 'dynamic';
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
  for (const r of rels)
    for (const f of r.fields) if (!out.some((c) => c.name === f.name)) out.push({ name: f.name, type: f.type });
  return out;
}

/** Relations with the same columns, one after the other. */
function concatRels(parts: Rel[]): Rel {
  const names = parts[0].fields.map((f) => f.name);
  return {
    n: parts.reduce((s, r) => s + r.n, 0),
    fields: parts[0].fields.map((f0, j) => {
      const st = storageOf(f0.type);
      const cols = parts.map((r) => {
        const f = r.fields.find((x) => x.name === names[j]) ?? r.fields[j];
        const c = fieldCol(f);
        return c.k === st ? c : convertCol(c, r.n, st);
      });
      return { name: f0.name, type: f0.type, col: concatCols(st, cols), sel: null };
    }),
  };
}
