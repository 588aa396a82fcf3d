// Vectorised evaluation of scalar IR over a relation. String predicates run once per distinct value
// (dictionary entry); everything else falls back to a row loop over the function library.
import { KqlError, positionAt } from '../errors';
import type { KqlType } from '../types';
import { AnyCol, BOOL_NULL, Col, ColBuilder, colGet, gather, storageOf } from '../columnar/columns';
import { access, memberColumn, textColumn } from './dynpath';
import { getScalarFunction } from './functions/registry';
import type { Expr } from './ir';
import { arith, asText, cmp, eq, hasTerm, STRING_OPS, stringPredicate } from './scalarops';
import { newBag } from '../columnar/values';
import { isConst, toCol, Vec, vget } from './vec';

export interface Field {
  name: string;
  type: KqlType;
  col: Col;
  sel: Int32Array | null;
  mat?: Col;
}
/** A relation: n rows; each field is a base column viewed through an optional selection vector. */
export interface Rel {
  n: number;
  fields: Field[];
}

export function fieldCol(f: Field): Col {
  if (!f.sel) return f.col;
  if (!f.mat) f.mat = gather(f.col, f.sel);
  return f.mat;
}

export function relFromCols(n: number, cols: { name: string; type: KqlType; col: Col }[]): Rel {
  return { n, fields: cols.map((c) => ({ name: c.name, type: c.type, col: c.col, sel: null })) };
}

/** Runs a subquery (toscalar / in (T)) — supplied by the executor. */
export interface EvalHost {
  nowMicros: number;
  text: string;
  subquery(e: Extract<Expr, { k: 'subquery' }>): unknown;
}

export function runtimeError(host: EvalHost, msg: string, pos: number): KqlError {
  const { line, column } = positionAt(host.text, pos);
  return new KqlError(msg, { line, column }, 'KqlRuntime');
}

const DAY = 86400e6;

export class Evaluator {
  private byName: Map<string, Field>;
  constructor(
    readonly rel: Rel,
    readonly host: EvalHost,
  ) {
    this.byName = new Map();
    for (const f of rel.fields) if (!this.byName.has(f.name)) this.byName.set(f.name, f);
  }

  get n(): number {
    return this.rel.n;
  }

  column(name: string, pos: number): Col {
    const f = this.byName.get(name);
    if (!f) throw runtimeError(this.host, `column '${name}' is not in the input`, pos);
    return fieldCol(f);
  }

  ev(e: Expr): Vec {
    switch (e.k) {
      case 'lit':
        return { k: 'c', v: e.v };
      case 'col':
        return this.column(e.name, e.pos);
      case 'subquery':
        return { k: 'c', v: this.host.subquery(e) };
      case 'path':
        return this.path(e);
      case 'op':
        return this.op(e);
      case 'fn':
        return this.fn(e);
    }
  }

  /** Evaluates and materialises as a column of the expression's type. */
  evCol(e: Expr): Col {
    return toCol(this.ev(e), this.n, e.type);
  }

  private rowwise(type: KqlType, args: Vec[], f: (vals: unknown[]) => unknown): Vec {
    const n = this.n;
    if (args.every(isConst)) return { k: 'c', v: f(args.map((a) => (a as { v: unknown }).v)) };
    // one varying string argument: evaluate once per distinct value
    const varying = args.filter((a) => !isConst(a));
    if (varying.length === 1 && varying[0].k === 's' && varying[0].dict.length < n) {
      const sv = varying[0];
      const vi = args.indexOf(sv);
      const vals = args.map((a) => (isConst(a) ? a.v : null));
      const per: unknown[] = new Array(sv.dict.length);
      for (let d = 0; d < sv.dict.length; d++) {
        vals[vi] = sv.dict[d];
        per[d] = f(vals.slice());
      }
      const b = new ColBuilder(storageOf(type), n);
      const codes = sv.codes;
      for (let i = 0; i < n; i++) b.push(per[codes[i]]);
      return b.finish();
    }
    const b = new ColBuilder(storageOf(type), n);
    const vals = new Array(args.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < args.length; j++) vals[j] = vget(args[j], i);
      b.push(f(vals));
    }
    return b.finish();
  }

  /** A path of constant keys over a dynamic table column: the cached member column and the field's selection. */
  private tablePath(e: Expr): { col: AnyCol; sel: Int32Array | null } | undefined {
    if (e.k === 'col') {
      const f = this.byName.get(e.name);
      return f && f.col.k === 'a' ? { col: f.col, sel: f.sel } : undefined;
    }
    if (e.k !== 'path' || e.key.k !== 'lit' || (typeof e.key.v !== 'string' && typeof e.key.v !== 'number'))
      return undefined;
    const base = this.tablePath(e.base);
    return base && { col: memberColumn(base.col, e.key.v), sel: base.sel };
  }

  private path(e: Extract<Expr, { k: 'path' }>): Vec {
    const tp = this.tablePath(e);
    if (tp) return tp.sel ? gather(tp.col, tp.sel) : tp.col;
    const base = this.ev(e.base);
    const key = this.ev(e.key);
    return this.rowwise('dynamic', [base, key], ([b, k]) => access(b, k));
  }

  private op(e: Extract<Expr, { k: 'op' }>): Vec {
    const op = e.op;
    const n = this.n;
    if (op === 'and' || op === 'or') return this.logic(op, this.ev(e.args[0]), this.ev(e.args[1]));
    if (op === 'not') return this.rowwise('bool', [this.ev(e.args[0])], ([a]) => (a === null ? null : !a));
    if (op === 'neg') return this.rowwise(e.type, [this.ev(e.args[0])], ([a]) => (typeof a === 'number' ? -a : null));
    if (op === 'in' || op === '!in' || op === 'in~' || op === '!in~' || op === 'has_any' || op === 'has_all')
      return this.inOp(e);
    if (op === 'between' || op === '!between') {
      const [x, lo, hi] = e.args.map((a) => this.ev(a));
      const neg = op === '!between';
      if (x.k === 'n' && isConst(lo) && isConst(hi) && typeof lo.v === 'number' && typeof hi.v === 'number') {
        const d = x.data,
          l = lo.v,
          h0 = hi.v;
        // datetime .. timespan: upper bound relative to the lower bound
        const h = e.args[1].type === 'datetime' && e.args[2].type === 'timespan' ? l + h0 : h0;
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const v = d[i];
          out[i] = v !== v ? BOOL_NULL : (v >= l && v <= h) !== neg ? 1 : 0;
        }
        return { k: 'b', data: out };
      }
      const relHi = e.args[1].type === 'datetime' && e.args[2].type === 'timespan';
      return this.rowwise('bool', [x, lo, hi], ([a, b, c]) => {
        if (relHi) c = typeof b === 'number' && typeof c === 'number' ? b + c : null;
        const r1 = cmp(a, b),
          r2 = cmp(a, c);
        if (r1 === null || r2 === null) return null;
        return (r1 >= 0 && r2 <= 0) !== neg;
      });
    }
    const a = this.ev(e.args[0]);
    const b = this.ev(e.args[1]);
    if (STRING_OPS.has(op)) {
      const pred = stringPredicate(op)!;
      if (a.k === 's' && isConst(b)) {
        const needle = asText(b.v) ?? '';
        return dictPredicate(a, n, (s) => pred(s, needle));
      }
      return this.rowwise('bool', [a, b], ([x, y]) => {
        const sx = asText(x),
          sy = asText(y);
        if (sx === null || sy === null) return op.startsWith('!');
        return pred(sx, sy);
      });
    }
    switch (op) {
      case '==':
      case '!=': {
        const neg = op === '!=';
        if (a.k === 's' && isConst(b) && typeof b.v === 'string') {
          const t = b.v;
          return dictPredicate(a, n, (s) => (s === t) !== neg);
        }
        if (a.k === 'n' && isConst(b) && typeof b.v === 'number') {
          const d = a.data,
            t = b.v,
            out = new Uint8Array(n);
          for (let i = 0; i < n; i++) {
            const v = d[i];
            out[i] = v !== v ? (neg ? 1 : 0) : (v === t) !== neg ? 1 : 0;
          }
          return { k: 'b', data: out };
        }
        return this.rowwise('bool', [a, b], ([x, y]) => {
          const r = eq(x, y);
          return r === null ? null : r !== neg;
        });
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const test =
          op === '<'
            ? (r: number) => r < 0
            : op === '<='
              ? (r: number) => r <= 0
              : op === '>'
                ? (r: number) => r > 0
                : (r: number) => r >= 0;
        if (a.k === 'n' && !a.nan && isConst(b) && typeof b.v === 'number') {
          const d = a.data,
            t = b.v,
            out = new Uint8Array(n);
          for (let i = 0; i < n; i++) {
            const v = d[i];
            out[i] = v !== v ? BOOL_NULL : test(v < t ? -1 : v > t ? 1 : 0) ? 1 : 0;
          }
          return { k: 'b', data: out };
        }
        return this.rowwise('bool', [a, b], ([x, y]) => {
          const r = cmp(x, y);
          return r === null ? null : test(r);
        });
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        if (
          a.k === 'n' &&
          !a.nan &&
          isConst(b) &&
          typeof b.v === 'number' &&
          b.v === b.v &&
          (op === '+' || op === '-') &&
          e.type !== 'int' &&
          e.type !== 'long'
        ) {
          const d = a.data,
            t = op === '+' ? b.v : -b.v,
            out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = d[i] + t;
          return { k: 'n', data: out };
        }
        return this.rowwise(e.type, [a, b], ([x, y]) => arith(op, x, y, e.type));
      }
      default:
        throw runtimeError(this.host, `local engine does not support the operator \`${op}\``, e.pos);
    }
  }

  private logic(op: 'and' | 'or', a: Vec, b: Vec): Vec {
    const n = this.n;
    const ab = toCol(a, n, 'bool') as { k: 'b'; data: Uint8Array };
    const bb = toCol(b, n, 'bool') as { k: 'b'; data: Uint8Array };
    const out = new Uint8Array(n);
    const x = ab.data,
      y = bb.data;
    if (op === 'and')
      for (let i = 0; i < n; i++) {
        const p = x[i],
          q = y[i];
        out[i] = p === 0 || q === 0 ? 0 : p === 1 && q === 1 ? 1 : BOOL_NULL;
      }
    else
      for (let i = 0; i < n; i++) {
        const p = x[i],
          q = y[i];
        out[i] = p === 1 || q === 1 ? 1 : p === 0 && q === 0 ? 0 : BOOL_NULL;
      }
    return { k: 'b', data: out };
  }

  private inOp(e: Extract<Expr, { k: 'op' }>): Vec {
    const op = e.op;
    const ci = op.endsWith('~') || op === 'has_any' || op === 'has_all';
    const neg = op.startsWith('!');
    const left = this.ev(e.args[0]);
    const setVecs = e.args.slice(1).map((a) => this.ev(a));
    const build = (vals: unknown[]): unknown[] => {
      const out: unknown[] = [];
      for (const v of vals) {
        if (Array.isArray(v)) out.push(...v);
        else if (v instanceof Set) out.push(...v);
        else out.push(v);
      }
      return out;
    };
    const setOf = (elems: unknown[]): Set<unknown> =>
      new Set<unknown>(
        elems
          .filter((x) => x !== null && x !== undefined)
          .map((x) => (ci ? (asText(x) ?? '').toLowerCase() : typeof x === 'object' ? JSON.stringify(x) : x)),
      );
    if (setVecs.every(isConst)) {
      const elems = build(setVecs.map((v) => (v as { v: unknown }).v));
      if (op === 'has_any' || op === 'has_all') {
        const needles = elems.map((x) => asText(x) ?? '').filter((x) => x !== null);
        const all = op === 'has_all';
        const f = (s: string) =>
          all ? needles.every((nd) => hasTerm(s, nd, false)) : needles.some((nd) => hasTerm(s, nd, false));
        if (left.k === 's') return dictPredicate(left, this.n, f);
        return this.rowwise('bool', [left], ([x]) => {
          const s = asText(x);
          return s === null ? false : f(s);
        });
      }
      const set = setOf(elems);
      const key = (x: unknown) => (ci ? (asText(x) ?? '').toLowerCase() : x);
      if (left.k === 's') {
        // a string column against numbers or other values: compare their text
        const strSet = new Set([...set].map((x) => (typeof x === 'string' ? x : (asText(x) ?? ''))));
        return dictPredicate(left, this.n, (s) => strSet.has(ci ? s.toLowerCase() : s) !== neg);
      }
      if (left.k === 'n') {
        const d = left.data,
          out = new Uint8Array(this.n);
        const numSet = new Set([...set].map((x) => (typeof x === 'string' ? Number(x) : x)));
        for (let i = 0; i < this.n; i++) {
          const v = d[i];
          out[i] = v !== v ? (neg ? 1 : 0) : numSet.has(v) !== neg ? 1 : 0;
        }
        return { k: 'b', data: out };
      }
      return this.rowwise('bool', [left], ([x]) => {
        if (x === null) return neg;
        const k = typeof x === 'object' && !ci ? JSON.stringify(x) : key(x);
        return set.has(k) !== neg;
      });
    }
    return this.rowwise('bool', [left, ...setVecs], ([x, ...rest]) => {
      const elems = build(rest);
      if (op === 'has_any' || op === 'has_all') {
        const s = asText(x);
        if (s === null) return false;
        const needles = elems.map((y) => asText(y) ?? '');
        return op === 'has_all'
          ? needles.every((nd) => hasTerm(s, nd, false))
          : needles.some((nd) => hasTerm(s, nd, false));
      }
      const set = setOf(elems);
      if (x === null) return neg;
      const k = ci ? (asText(x) ?? '').toLowerCase() : typeof x === 'object' ? JSON.stringify(x) : x;
      return set.has(k) !== neg;
    });
  }

  private fn(e: Extract<Expr, { k: 'fn' }>): Vec {
    const n = this.n;
    const name = e.name;
    switch (name) {
      case 'now': {
        const off = e.args[0] ? this.ev(e.args[0]) : { k: 'c' as const, v: 0 };
        return this.rowwise('datetime', [off], ([o]) =>
          typeof o === 'number' ? this.host.nowMicros + o : this.host.nowMicros,
        );
      }
      case 'ago':
        return this.rowwise('datetime', [this.ev(e.args[0])], ([o]) =>
          typeof o === 'number' ? this.host.nowMicros - o : null,
        );
      case 'iff':
      case 'iif': {
        const c = this.ev(e.args[0]);
        const t = this.ev(e.args[1]);
        const f = this.ev(e.args[2]);
        if (isConst(c)) return c.v === true ? t : f;
        const cb = toCol(c, n, 'bool') as { k: 'b'; data: Uint8Array };
        const b = new ColBuilder(storageOf(e.type), n);
        for (let i = 0; i < n; i++) b.push(cb.data[i] === 1 ? vget(t, i) : vget(f, i));
        return b.finish();
      }
      case 'isempty':
      case 'isnotempty': {
        const a = this.ev(e.args[0]);
        const neg = name === 'isnotempty';
        if (a.k === 's') return dictPredicate(a, n, (s) => (s === '') !== neg);
        return this.rowwise('bool', [a], ([x]) => (x === null || x === '') !== neg);
      }
      case 'isnull':
      case 'isnotnull': {
        const a = this.ev(e.args[0]);
        const neg = name === 'isnotnull';
        if (a.k === 's') return { k: 'c', v: neg };
        return this.rowwise('bool', [a], ([x]) => (x === null) !== neg);
      }
      case 'bin':
      case 'floor': {
        const a = this.ev(e.args[0]);
        const s = this.ev(e.args[1]);
        if (a.k === 'n' && !a.nan && isConst(s) && typeof s.v === 'number' && s.v > 0) {
          const d = a.data,
            w = s.v,
            out = new Float64Array(n);
          // datetimes bin from 0001-01-01 as Kusto's ticks do (7d bins start on Mondays)
          const origin = e.args[0].type === 'datetime' ? binOrigin(w) : 0;
          for (let i = 0; i < n; i++) out[i] = Math.floor((d[i] - origin) / w) * w + origin;
          return { k: 'n', data: out };
        }
        break;
      }
      case 'startofday': {
        const a = this.ev(e.args[0]);
        if (a.k === 'n' && !a.nan && e.args.length === 1) {
          const d = a.data,
            out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = Math.floor(d[i] / DAY) * DAY;
          return { k: 'n', data: out };
        }
        break;
      }
      case 'tostring': {
        if (e.args[0].type === 'dynamic') {
          const tp = this.tablePath(e.args[0]);
          if (tp) {
            const t = textColumn(tp.col);
            return tp.sel ? gather(t, tp.sel) : t;
          }
        }
        const a = this.ev(e.args[0]);
        if (a.k === 's') return a;
        if (a.k === 'a' && e.args[0].type === 'dynamic') return textColumn(a);
        break;
      }
      case 'row_number': {
        const start = e.args[0] ? Number(vget(this.ev(e.args[0]), 0) ?? 1) : 1;
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = start + i;
        return { k: 'n', data: out };
      }
      case 'row_cumsum': {
        const a = this.ev(e.args[0]);
        const restart = e.args[1] ? this.ev(e.args[1]) : null;
        const out = new Float64Array(n);
        let acc = 0;
        for (let i = 0; i < n; i++) {
          if (restart && vget(restart, i) === true) acc = 0;
          const v = vget(a, i);
          if (typeof v === 'number') acc += v;
          out[i] = acc;
        }
        return { k: 'n', data: out };
      }
      case 'row_rank_min':
      case 'row_rank_dense': {
        // over rows sorted by the term: the first row number of each run of equal values (min), or the
        // number of distinct values so far (dense); the restart condition starts a new ranking
        const a = this.ev(e.args[0]);
        const restart = e.args[1] ? this.ev(e.args[1]) : null;
        const out = new Float64Array(n);
        let row = 0,
          dense = 0,
          rank = 0;
        let prevKey: string | undefined;
        for (let i = 0; i < n; i++) {
          if (i === 0 || (restart && vget(restart, i) === true)) {
            row = 0;
            dense = 0;
            prevKey = undefined;
          }
          row++;
          const v = vget(a, i);
          const key = typeof v === 'object' && v !== null ? 'j' + JSON.stringify(v) : typeof v + ':' + String(v);
          if (key !== prevKey) {
            dense++;
            rank = row;
            prevKey = key;
          }
          out[i] = name === 'row_rank_min' ? rank : dense;
        }
        return { k: 'n', data: out };
      }
      case 'row_window_session': {
        // each row's session start: a new session when the value is farther than the limits from the
        // session's first value or from the previous row's, or when the restart condition holds
        const a = this.ev(e.args[0]);
        const maxFirst = Number(vget(this.ev(e.args[1]), 0));
        const maxGap = Number(vget(this.ev(e.args[2]), 0));
        const restart = e.args[3] ? this.ev(e.args[3]) : null;
        const out = new Float64Array(n);
        let start = NaN,
          last = NaN;
        for (let i = 0; i < n; i++) {
          const v = vget(a, i);
          if (typeof v !== 'number') {
            out[i] = NaN;
            continue;
          }
          if (
            i === 0 ||
            start !== start ||
            (restart && vget(restart, i) === true) ||
            v - start > maxFirst ||
            v - last > maxGap
          )
            start = v;
          last = v;
          out[i] = start;
        }
        return { k: 'n', data: out };
      }
      case 'prev':
      case 'next': {
        const a = this.ev(e.args[0]);
        const off = e.args[1] ? Number(vget(this.ev(e.args[1]), 0) ?? 1) : 1;
        const def = e.args[2] ? this.ev(e.args[2]) : { k: 'c' as const, v: null };
        const b = new ColBuilder(storageOf(e.type), n);
        for (let i = 0; i < n; i++) {
          const j = name === 'prev' ? i - off : i + off;
          b.push(j >= 0 && j < n ? vget(a, j) : vget(def, i));
        }
        return b.finish();
      }
      case 'pack_all':
      case 'pack_all_nonempty': {
        const names = e.args.map((a) => (a as { name: string }).name);
        const cols = e.args.map((a) => this.ev(a));
        const skipEmpty = name === 'pack_all_nonempty';
        const b = new ColBuilder('a', n);
        for (let i = 0; i < n; i++) {
          const o = newBag();
          for (let j = 0; j < names.length; j++) {
            const v = wireValue(vget(cols[j], i), e.args[j].type);
            if (skipEmpty && (v === null || v === '')) continue;
            o[names[j]] = v;
          }
          b.push(o);
        }
        return b.finish();
      }
      default:
        break;
    }
    const f = getScalarFunction(name);
    if (!f) throw runtimeError(this.host, `local engine does not support the function \`${name}()\``, e.pos);
    const args = e.args.map((a) => this.ev(a));
    const ctx = { argTypes: e.args.map((a) => a.type), resultType: e.type, nowMicros: this.host.nowMicros };
    const pure = name !== 'rand' && name !== 'new_guid';
    // a failure inside a library function becomes a query error at the call, never a crash
    const call = (vals: unknown[]): unknown => {
      try {
        const r = f.call(vals, ctx);
        return r === undefined ? null : r;
      } catch (err) {
        if (err instanceof KqlError) throw err;
        throw runtimeError(this.host, `${name}() failed: ${(err as Error)?.message ?? String(err)}`, e.pos);
      }
    };
    if (!pure) {
      const b = new ColBuilder(storageOf(e.type), n);
      const vals = new Array(args.length);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < args.length; j++) vals[j] = vget(args[j], i);
        b.push(call(vals));
      }
      return b.finish();
    }
    return this.rowwise(e.type, args, call);
  }
}

/** 0001-01-01T00:00:00Z in epoch microseconds (exactly representable as a double). */
export const MIN_DATETIME_US = -62135596800000000;

/** Offset that aligns datetime bins of width w to 0001-01-01. */
export function binOrigin(w: number): number {
  return ((MIN_DATETIME_US % w) + w) % w;
}

/** A predicate over a dictionary-encoded string column, evaluated once per distinct value. */
export function dictPredicate(a: { codes: Int32Array; dict: string[] }, n: number, f: (s: string) => boolean): Col {
  const lut = new Uint8Array(a.dict.length);
  for (let d = 0; d < a.dict.length; d++) lut[d] = f(a.dict[d]) ? 1 : 0;
  const out = new Uint8Array(n);
  const codes = a.codes;
  for (let i = 0; i < n; i++) out[i] = lut[codes[i]];
  return { k: 'b', data: out };
}

import { formatDatetime, formatTimespan } from '../columnar/convert';

/** Engine value → wire value (what QueryResult rows hold). */
export function wireValue(v: unknown, type: KqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'datetime':
      return typeof v === 'number' && Number.isFinite(v) ? formatDatetime(v) : null;
    case 'timespan':
      return typeof v === 'number' && Number.isFinite(v) ? formatTimespan(v) : null;
    case 'guid':
      return v === '' ? null : v;
    case 'real':
    case 'decimal':
      if (typeof v === 'number' && !Number.isFinite(v))
        return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      return v;
    default:
      return v;
  }
}

export { access, colGet };
