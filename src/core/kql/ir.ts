// The engine's typed intermediate representation. The translator builds it from the official parser's
// analysed syntax tree; the evaluator runs it. Types come from the Kusto analyzer.
import type { KqlType, RenderHint } from '../types';

/** Offset in the query text (for runtime errors). */
export type Pos = number;

export interface ColumnDef {
  name: string;
  type: KqlType;
}

export type Expr =
  | { k: 'col'; name: string; type: KqlType; pos: Pos }
  | { k: 'lit'; v: unknown; type: KqlType }
  /** Operators: == != =~ !~ < <= > >= + - * / % and or not neg, string operators (has, contains, …),
   *  in / !in / in~ / !in~ / has_any / has_all (args[1..] are the set), between / !between (args = x, lo, hi). */
  | { k: 'op'; op: string; args: Expr[]; type: KqlType; pos: Pos }
  /** Scalar function call (special-cased in the evaluator or looked up in the function library). */
  | { k: 'fn'; name: string; args: Expr[]; type: KqlType; pos: Pos }
  /** Dynamic member / element access: base.key, base['key'], base[0], base[expr]. */
  | { k: 'path'; base: Expr; key: Expr; type: KqlType; pos: Pos }
  /** A tabular subquery used as a scalar (toscalar) or as a set (in (T | project x)). */
  | { k: 'subquery'; plan: Plan; mode: 'scalar' | 'set'; type: KqlType; pos: Pos };

export interface NamedExpr {
  name: string;
  expr: Expr;
}

export interface SortKey {
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
}

export interface AggCall {
  /** Aggregate function name, normalised (count, countif, dcount, sum, avg, min, max, make_set, make_list,
   *  arg_max, arg_min, take_any, percentile, percentiles, stdev, variance, …). */
  fn: string;
  args: Expr[];
  /** Output column names/types this aggregate produces (arg_max/arg_min/percentiles may produce several). */
  outs: ColumnDef[];
  /** For arg_max/arg_min/take_any: the expressions of the extra output columns. */
  extra?: Expr[];
  /** arg_max/arg_min/take_any(…, *) over an input whose columns are known at run time only: `*` is the input's
   *  columns but these, appended after `extra` (names the output already has are numbered: Dvc1). */
  star?: { exclude: string[] };
  /** An aggregate computed for an expression over aggregates (not a column of the result). */
  hidden?: boolean;
  pos: Pos;
}

export type JoinKind =
  | 'innerunique'
  | 'inner'
  | 'leftouter'
  | 'rightouter'
  | 'fullouter'
  | 'leftanti'
  | 'rightanti'
  | 'leftsemi'
  | 'rightsemi';

/** Every plan node may carry the analyzer's output columns; the evaluator conforms its result to them. */
export type Plan = PlanNode & { out?: ColumnDef[]; pos?: Pos };

export type PlanNode =
  | { k: 'table'; name: string; pos: Pos }
  | { k: 'where'; input: Plan; pred: Expr }
  | { k: 'extend'; input: Plan; items: NamedExpr[] }
  | { k: 'project'; input: Plan; items: NamedExpr[] }
  | { k: 'projectKeep'; input: Plan; names: string[] }
  /** project-away / project-keep / project-reorder over columns known only at run time; patterns may use `*`. */
  | { k: 'projectNames'; input: Plan; mode: 'away' | 'keep' | 'reorder'; patterns: string[] }
  | { k: 'projectRename'; input: Plan; pairs: { to: string; from: string }[] }
  | { k: 'summarize'; input: Plan; by: NamedExpr[]; aggs: AggCall[] }
  | { k: 'sort'; input: Plan; keys: SortKey[] }
  | { k: 'take'; input: Plan; n: Expr }
  | { k: 'top'; input: Plan; n: Expr; keys: SortKey[] }
  | { k: 'distinct'; input: Plan; items: NamedExpr[] | '*' }
  | { k: 'count'; input: Plan; name: string }
  | {
      k: 'join';
      left: Plan;
      right: Plan;
      kind: JoinKind;
      on: { left: string; right: string }[];
      out?: ColumnDef[];
      lookup?: boolean;
    }
  | {
      k: 'union';
      inputs: Plan[];
      withsource?: string;
      sourceNames: string[];
      kind: 'outer' | 'inner';
      out?: ColumnDef[];
    }
  | {
      k: 'mvexpand';
      input: Plan;
      items: { name: string; expr: Expr; toType?: KqlType }[];
      limit?: number;
      indexName?: string;
      bagAsArray?: boolean;
    }
  | { k: 'datatable'; cols: ColumnDef[]; rows: Expr[] }
  /** externaldata: the engine hands the rows of each URL's mapped local file to the executor (ExecContext.externalRows). */
  | { k: 'externalData'; cols: ColumnDef[]; urls: string[]; format: string; ignoreFirstRecord: boolean; pos: Pos }
  | { k: 'print'; items: NamedExpr[] }
  | { k: 'range'; name: string; type: KqlType; from: Expr; to: Expr; step: Expr }
  | {
      k: 'parse';
      input: Plan;
      source: Expr;
      kind: 'simple' | 'regex' | 'relaxed';
      regex: string;
      flags: string;
      outs: ColumnDef[];
      matchedOnly?: boolean;
    }
  | { k: 'materialize'; input: Plan; id: number }
  | { k: 'serialize'; input: Plan; items: NamedExpr[] }
  | { k: 'render'; input: Plan; hint: RenderHint }
  | { k: 'search'; input: Plan; pred: Expr | null; term: { text: string; cs: boolean } | null; source?: string }
  | {
      k: 'bagUnpack';
      input: Plan;
      bag: Expr;
      drop?: string;
      prefix: string;
      conflict: 'error' | 'replace_source' | 'keep_source';
      ignored: string[];
    }
  | { k: 'as'; input: Plan; name: string }
  | { k: 'getschema'; input: Plan }
  | {
      k: 'parseKv';
      input: Plan;
      source: Expr;
      keys: ColumnDef[];
      pair?: string;
      kv?: string;
      quote?: string;
      escape?: string;
      greedy: boolean;
      regex?: string;
    }
  | { k: 'topNested'; input: Plan; levels: { n: Expr | null; of: Expr; agg: AggCall; desc: boolean }[] }
  | { k: 'pivot'; input: Plan; pivot: Expr; agg: AggCall; by: NamedExpr[] }
  | { k: 'sample'; input: Plan; n: Expr }
  /** partition by key (subquery): the subquery run over the rows of each key (its input is APPLY_INPUT) */
  | { k: 'partition'; input: Plan; by: Expr; sub: Plan }
  /** evaluate basket(threshold, weight column, max dimensions) */
  | { k: 'basket'; input: Plan; threshold: number; maxDims: number; weight?: string }
  /** evaluate sequence_detect(time, max step, max span, name=(predicate)…, dimension columns…) */
  | {
      k: 'sequenceDetect';
      input: Plan;
      time: Expr;
      maxStep: Expr;
      maxSpan: Expr;
      steps: NamedExpr[];
      dims: Expr[];
    }
  /** evaluate ipv4_lookup(lookup, address, range column, extra key columns…, return_unmatched) */
  | {
      k: 'ipv4Lookup';
      input: Plan;
      lookup: Plan;
      address: Expr;
      range: string;
      keys: string[];
      unmatched: boolean;
      outNames: string[];
    }
  | {
      k: 'makeSeries';
      input: Plan;
      aggs: { call: AggCall; dflt: Expr | null }[];
      on: Expr;
      from: Expr | null;
      to: Expr | null;
      step: Expr;
      by: NamedExpr[];
      axis: string;
    }
  | {
      k: 'mvApply';
      input: Plan;
      items: { name: string; expr: Expr; toType?: KqlType }[];
      sub: Plan;
      indexName?: string;
      limit?: number;
    };

/** The input of an mv-apply subquery (the expanded rows of one input row). */
export const APPLY_INPUT = '\u0000apply';

/** Walks a plan and its subplans (including plans inside expressions). */
export function forEachPlan(p: Plan, f: (p: Plan) => void): void {
  f(p);
  const ex = (e: Expr): void => {
    if (e.k === 'subquery') forEachPlan(e.plan, f);
    else if (e.k === 'op' || e.k === 'fn') e.args.forEach(ex);
    else if (e.k === 'path') {
      ex(e.base);
      ex(e.key);
    }
  };
  switch (p.k) {
    case 'join':
      forEachPlan(p.left, f);
      forEachPlan(p.right, f);
      return;
    case 'union':
      p.inputs.forEach((i) => forEachPlan(i, f));
      return;
    case 'partition':
      forEachPlan(p.input, f);
      forEachPlan(p.sub, f);
      ex(p.by);
      return;
    case 'ipv4Lookup':
      forEachPlan(p.input, f);
      forEachPlan(p.lookup, f);
      ex(p.address);
      return;
    case 'datatable':
      p.rows.forEach(ex);
      return;
    case 'print':
      p.items.forEach((i) => ex(i.expr));
      return;
    case 'range':
      ex(p.from);
      ex(p.to);
      ex(p.step);
      return;
    case 'table':
    case 'externalData':
      return;
    default: {
      const q = p as Extract<Plan, { input: Plan }>;
      forEachPlan(q.input, f);
      if (p.k === 'where') ex(p.pred);
      if (p.k === 'extend' || p.k === 'project' || p.k === 'serialize') p.items.forEach((i) => ex(i.expr));
      if (p.k === 'summarize') {
        p.by.forEach((i) => ex(i.expr));
        p.aggs.forEach((a) => {
          a.args.forEach(ex);
          a.extra?.forEach(ex);
        });
      }
      if (p.k === 'sort' || p.k === 'top') p.keys.forEach((k) => ex(k.expr));
      if (p.k === 'bagUnpack') ex(p.bag);
      if (p.k === 'sequenceDetect')
        [p.time, p.maxStep, p.maxSpan, ...p.steps.map((x) => x.expr), ...p.dims].forEach(ex);
      if (p.k === 'makeSeries') {
        p.aggs.forEach((a) => {
          a.call.args.forEach(ex);
          if (a.dflt) ex(a.dflt);
        });
        ex(p.on);
        ex(p.step);
        if (p.from) ex(p.from);
        if (p.to) ex(p.to);
        p.by.forEach((b) => ex(b.expr));
      }
      if (p.k === 'mvApply') {
        p.items.forEach((i) => ex(i.expr));
        forEachPlan(p.sub, f);
      }
      if (p.k === 'mvexpand') p.items.forEach((i) => ex(i.expr));
      if (p.k === 'parse') ex(p.source);
      if (p.k === 'distinct' && p.items !== '*') p.items.forEach((i) => ex(i.expr));
    }
  }
}

/** The expressions a plan node evaluates itself (not those of its inputs). */
export function nodeExprs(p: Plan): Expr[] {
  const out: Expr[] = [];
  switch (p.k) {
    case 'where':
      out.push(p.pred);
      break;
    case 'extend':
    case 'project':
    case 'serialize':
    case 'print':
      p.items.forEach((i) => out.push(i.expr));
      break;
    case 'summarize':
      p.by.forEach((b) => out.push(b.expr));
      p.aggs.forEach((a) => out.push(...a.args, ...(a.extra ?? [])));
      break;
    case 'sort':
      p.keys.forEach((k) => out.push(k.expr));
      break;
    case 'top':
      out.push(p.n);
      p.keys.forEach((k) => out.push(k.expr));
      break;
    case 'distinct':
      if (p.items !== '*') p.items.forEach((i) => out.push(i.expr));
      break;
    case 'mvexpand':
    case 'mvApply':
      p.items.forEach((i) => out.push(i.expr));
      break;
    case 'parse':
    case 'parseKv':
      out.push(p.source);
      break;
    case 'datatable':
      out.push(...p.rows);
      break;
    case 'range':
      out.push(p.from, p.to, p.step);
      break;
    case 'take':
    case 'sample':
      out.push(p.n);
      break;
    case 'bagUnpack':
      out.push(p.bag);
      break;
    case 'sequenceDetect':
      out.push(p.time, p.maxStep, p.maxSpan, ...p.steps.map((s) => s.expr), ...p.dims);
      break;
    case 'ipv4Lookup':
      out.push(p.address);
      break;
    case 'partition':
      out.push(p.by);
      break;
    case 'topNested':
      p.levels.forEach((l) => {
        if (l.n) out.push(l.n);
        out.push(l.of, ...l.agg.args);
      });
      break;
    case 'pivot':
      out.push(p.pivot, ...p.agg.args, ...p.by.map((b) => b.expr));
      break;
    case 'makeSeries':
      p.aggs.forEach((a) => {
        out.push(...a.call.args);
        if (a.dflt) out.push(a.dflt);
      });
      out.push(p.on, p.step, ...p.by.map((b) => b.expr));
      if (p.from) out.push(p.from);
      if (p.to) out.push(p.to);
      break;
    case 'search':
      if (p.pred) out.push(p.pred);
      break;
    default:
      break;
  }
  return out;
}

/** The plans a node reads as inputs (mv-apply's per-row subquery excluded). */
export function nodeInputs(p: Plan): Plan[] {
  switch (p.k) {
    case 'join':
      return [p.left, p.right];
    case 'union':
      return p.inputs;
    case 'table':
    case 'datatable':
    case 'print':
    case 'range':
    case 'externalData':
      return [];
    default:
      return [(p as Extract<Plan, { input: Plan }>).input];
  }
}

/** Subquery expressions (toscalar, in (T)) inside an expression. */
export function subqueriesOf(
  e: Expr,
  out: Extract<Expr, { k: 'subquery' }>[] = [],
): Extract<Expr, { k: 'subquery' }>[] {
  if (e.k === 'subquery') out.push(e);
  else if (e.k === 'op' || e.k === 'fn') e.args.forEach((a) => subqueriesOf(a, out));
  else if (e.k === 'path') {
    subqueriesOf(e.base, out);
    subqueriesOf(e.key, out);
  }
  return out;
}
