// Translates the official analyzer's syntax tree into the engine IR (ir.ts): statements and tabular operators.
// Anything the local engine does not implement is refused with its name and position.
import { KqlError } from '../../errors';
import type { KqlType, RenderHint } from '../../types';
import { AggCall, APPLY_INPUT, ColumnDef, Expr, JoinKind, NamedExpr, Plan, SortKey } from '../ir';
import { KCode, KNode, knownColumns, tableColumns, typeOf } from '../kusto';
import { ScalarTranslator } from './scalar';
import { AGGREGATES, Env, kindName, SYM_COLUMN, SYM_FUNCTION, SYM_TABLE } from './syntax';

/** Deprecated aggregate names real queries still use. */
const AGGREGATE_ALIASES: Record<string, string> = { argmax: 'arg_max', argmin: 'arg_min', make_dictionary: 'make_bag' };
function aggregateName(name: string): string {
  return AGGREGATE_ALIASES[name] ?? name;
}

/** array_sort_asc/desc over several arrays: Kusto returns one column per array. */
function isMultiArraySort(e: Expr): e is Extract<Expr, { k: 'fn' }> {
  return (
    e.k === 'fn' &&
    (e.name === 'array_sort_asc' || e.name === 'array_sort_desc') &&
    e.args.filter((x) => x.type === 'dynamic').length > 1
  );
}

export interface Translation {
  plan: Plan;
}

export class Translator extends ScalarTranslator {
  private matId = 0;

  // ---------- entry ----------
  translate(code: KCode): Plan {
    this.rootTree = code.Syntax.Tree;
    const env = new Env();
    const stmts = this.items(this.ch(code.Syntax, 'Statements'));
    let result: Plan | undefined;
    for (const s of stmts) {
      const k = kindName(s);
      if (k === 'LetStatement') this.let(s, env);
      else if (k === 'ExpressionStatement') {
        const e = this.ch(s, 'Expression');
        if (result) throw this.unsupported('more than one result table in a query', e);
        result = this.tab(e, env);
      } else if (k === 'SetOptionStatement') continue;
      else if (k === 'QueryParametersStatement') this.queryParameters(s, env);
      else throw this.unsupported(`the \`${k.replace(/Statement$/, '')}\` statement`, s);
    }
    if (!result) throw this.err('the query has no tabular expression to run', code.Syntax, 'KqlSemantic');
    return result;
  }

  /** `declare query_parameters(name:type = default, …)`: locally each parameter takes its default value. */
  private queryParameters(s: KNode, env: Env): void {
    for (const p of this.items(this.ch(s, 'Parameters'))) {
      const name = this.nameOf(this.ch(this.ch(p, 'NameAndType'), 'Name'));
      const value = this.ch(this.ch(p, 'DefaultValue') ?? { ChildCount: 0 }, 'Value');
      if (!value)
        throw this.err(
          `query parameter '${name}' has no default value, and the local engine has no way to be given one`,
          p,
          'KqlSemantic',
        );
      env.set(name, { k: 'scalar', expr: this.sc(value, env) });
    }
  }

  private let(s: KNode, env: Env): void {
    const name = this.nameOf(this.ch(s, 'Name'));
    const e = this.ch(s, 'Expression');
    const k = kindName(e);
    if (k === 'FunctionDeclaration') {
      const view = String(e.GetFirstToken?.()?.Text ?? '').toLowerCase() === 'view';
      env.set(name, { k: 'func', env, view });
      return;
    }
    if (e.ResultType?.Kind === SYM_TABLE) {
      env.set(name, { k: 'plan', plan: this.tab(e, env) });
      return;
    }
    env.set(name, { k: 'scalar', expr: this.sc(e, env) });
  }

  // ---------- tabular ----------
  override tab(n: KNode, env: Env): Plan {
    if (n && typeof n.__table === 'string') {
      const b = env.get(n.__table);
      return b?.k === 'plan' ? b.plan : { k: 'table', name: n.__table, pos: this.callSite ?? 0 };
    }
    const k = kindName(n);
    switch (k) {
      case 'PipeExpression': {
        const input = this.tab(this.ch(n, 'Expression'), env);
        const op = this.ch(n, 'Operator');
        const plan = this.operator(op, input, env);
        if (plan !== input && plan.out === undefined) {
          plan.out = tableColumns(op);
          plan.pos = this.pos(op);
        }
        return plan;
      }
      case 'ParenthesizedExpression':
        return this.tab(this.ch(n, 'Expression'), env);
      case 'NameReference': {
        const sym = n.ReferencedSymbol;
        const name = this.nameOf(n);
        const b = env.get(name);
        if (b && b.k === 'plan' && sym?.Kind !== SYM_TABLE) return b.plan;
        if (b && b.k === 'plan') return b.plan;
        if (sym && sym.Kind === SYM_TABLE) return { k: 'table', name: String(sym.Name), pos: this.pos(n) };
        // a function or view called without parentheses: `let F = () { … }; F`
        if (sym && sym.Kind === SYM_FUNCTION && n.GetExpansion?.()) return this.expand(n, env, undefined) as Plan;
        throw this.err(`'${name}' is not a table`, n, 'KqlSemantic');
      }
      case 'MaterializeExpression':
        return { k: 'materialize', input: this.tab(this.ch(n, 'Expression'), env), id: ++this.matId };
      case 'DataTableExpression':
        return this.datatable(n, env);
      case 'PrintOperator':
        return { k: 'print', items: this.namedList(this.ch(n, 'Expressions'), env, tableColumns(n) ?? [], []) };
      case 'RangeOperator': {
        const cols = tableColumns(n) ?? [];
        return {
          k: 'range',
          name: this.nameOf(this.ch(n, 'Name')),
          type: cols[0]?.type ?? 'long',
          from: this.sc(this.ch(n, 'From'), env),
          to: this.sc(this.ch(n, 'To'), env),
          step: this.sc(this.ch(n, 'Step'), env),
        };
      }
      case 'UnionOperator':
        return this.union(n, [], env);
      case 'FunctionCallExpression':
        return this.callTabular(n, env, undefined);
      case 'ExternalDataExpression':
        return this.externalData(n);
      case 'SearchOperator':
        return this.search(n, undefined, env);
      case 'FindOperator':
        return this.find(n, env);
      case 'ToTableExpression':
        throw this.unsupported('`totable`', n);
      case 'ContextualDataTableExpression':
        throw this.unsupported('`datatable` from context', n);
      default:
        throw this.unsupported(this.opName(n), n);
    }
  }

  /** `externaldata(schema) [urls] with (format=…)`: the engine reads each URL from a local file it is mapped to. */
  private externalData(n: KNode): Plan {
    const cols: ColumnDef[] = [];
    for (const c of this.items(this.ch(this.ch(n, 'Schema'), 'Columns'))) {
      cols.push({
        name: this.nameOf(this.ch(c, 'Name')),
        type: typeOf(this.ch(c, 'Name')) ?? this.typeFromDecl(this.ch(c, 'Type')),
      });
    }
    const urls = this.items(this.ch(n, 'URIs')).map((u) => {
      if (!u.IsLiteral || typeof u.LiteralValue !== 'string')
        throw this.unsupported('a computed `externaldata` URL', u);
      return String(u.LiteralValue);
    });
    const props = new Map<string, string>();
    const w = this.ch(n, 'WithClause');
    for (const p of this.items(w ? this.ch(w, 'Properties') : undefined)) {
      if (kindName(p) !== 'NamedParameter') continue;
      const v = this.ch(p, 'Expression');
      props.set(
        this.nameOf(this.ch(p, 'Name')).toLowerCase(),
        v?.IsLiteral ? String(v.LiteralValue) : String(v?.ToString() ?? '').trim(),
      );
    }
    const format = (props.get('format') ?? 'csv').toLowerCase();
    const known = ['csv', 'tsv', 'tsve', 'psv', 'scsv', 'sohsv', 'txt', 'raw', 'json', 'multijson', 'singlejson'];
    if (!known.includes(format)) throw this.unsupported(`\`externaldata\` format=${format}`, n);
    const ignoreFirstRecord = /^true$/i.test(props.get('ignorefirstrecord') ?? '');
    return { k: 'externalData', cols, urls, format, ignoreFirstRecord, pos: this.pos(n) };
  }

  private datatable(n: KNode, env: Env): Plan {
    const schema = this.ch(n, 'Schema');
    const cols: ColumnDef[] = [];
    for (const c of this.items(this.ch(schema, 'Columns'))) {
      cols.push({
        name: this.nameOf(this.ch(c, 'Name')),
        type: typeOf(this.ch(c, 'Name')) ?? this.typeFromDecl(this.ch(c, 'Type')),
      });
    }
    const rows = this.items(this.ch(n, 'Values')).map((v) => this.sc(v, env));
    if (cols.length === 0 || rows.length % cols.length !== 0)
      throw this.err('datatable values do not fill whole rows', n, 'KqlSemantic');
    return { k: 'datatable', cols, rows };
  }

  private typeFromDecl(t: KNode): KqlType {
    const s = String(t?.ToString() ?? '')
      .trim()
      .toLowerCase();
    const m: Record<string, KqlType> = {
      date: 'datetime',
      time: 'timespan',
      boolean: 'bool',
      double: 'real',
      uniqueid: 'guid',
    };
    if (['string', 'datetime', 'bool', 'int', 'long', 'real', 'decimal', 'guid', 'timespan', 'dynamic'].includes(s))
      return s as KqlType;
    return m[s] ?? 'dynamic';
  }

  private params(n: KNode): Map<string, string> {
    const out = new Map<string, string>();
    for (const p of this.items(this.ch(n, 'Parameters'))) {
      if (kindName(p) !== 'NamedParameter') continue;
      const name = this.nameOf(this.ch(p, 'Name')).toLowerCase();
      const v = this.ch(p, 'Expression');
      out.set(name, String(v?.ToString() ?? '').trim());
    }
    return out;
  }

  private operator(op: KNode, input: Plan, env: Env): Plan {
    const k = kindName(op);
    const out = tableColumns(op) ?? [];
    const inCols = this.inputCols(op);
    switch (k) {
      case 'FilterOperator':
        return { k: 'where', input, pred: this.sc(this.ch(op, 'Condition'), env) };
      case 'ExtendOperator':
        return {
          k: 'extend',
          input,
          items: this.namedList(
            this.ch(op, 'Expressions'),
            env,
            out,
            inCols.map((c) => c.name),
          ),
        };
      case 'ProjectOperator': {
        const exprs = this.items(this.ch(op, 'Expressions'));
        if (tableColumns(op) === undefined) {
          // open schema (after bag_unpack): names come from the expressions themselves
          return {
            k: 'project',
            input,
            items: exprs.map((e) => {
              const kn = kindName(e);
              if (kn === 'SimpleNamedExpression')
                return { name: this.nameOf(this.ch(e, 'Name')), expr: this.sc(this.ch(e, 'Expression'), env) };
              if (kn === 'NameReference') return { name: this.nameOf(e), expr: this.sc(e, env) };
              // a conversion of one column keeps the column's name (`tostring(Process)` is Process), as the analyzer names it
              const args =
                kn === 'FunctionCallExpression' ? this.items(this.ch(this.ch(e, 'ArgumentList'), 'Expressions')) : [];
              if (
                args.length === 1 &&
                kindName(args[0]) === 'NameReference' &&
                /^to[a-z]+$/i.test(this.nameOf(this.ch(e, 'Name')))
              ) {
                return { name: this.nameOf(args[0]), expr: this.sc(e, env) };
              }
              throw this.unsupported('unnamed expressions after `evaluate`', e);
            }),
          };
        }
        if (exprs.length !== out.length || exprs.some((e) => /^StarExpression$|Wildcard/.test(kindName(e)))) {
          // wildcards: the analyzer resolved them to columns
          if (exprs.every((e) => /^StarExpression$|Wildcard|^NameReference$/.test(kindName(e))))
            return { k: 'projectKeep', input, names: out.map((c) => c.name) };
          throw this.unsupported('`project` mixing wildcards and expressions', op);
        }
        return {
          k: 'project',
          input,
          items: exprs.map((e, i) => ({ name: out[i].name, expr: this.sc(this.unname(e), env) })),
        };
      }
      case 'ProjectAwayOperator':
      case 'ProjectKeepOperator':
      case 'ProjectReorderOperator': {
        if (tableColumns(op) !== undefined) return { k: 'projectKeep', input, names: out.map((c) => c.name) };
        // open schema (after bag_unpack / pivot): the names are matched against the columns at run time
        const mode = k === 'ProjectAwayOperator' ? 'away' : k === 'ProjectKeepOperator' ? 'keep' : 'reorder';
        const patterns = this.items(this.ch(op, 'Expressions')).map((e) => {
          if (kindName(e) === 'OrderedExpression')
            throw this.unsupported('`project-reorder … asc|desc` after `evaluate`', e);
          const t = this.srcText(e).trim();
          const br = /^\[\s*(['"])(.*)\1\s*\]$/.exec(t);
          return br ? br[2] : t;
        });
        return { k: 'projectNames', input, mode, patterns };
      }
      case 'ProjectRenameOperator': {
        const pairs: { to: string; from: string }[] = [];
        for (const e of this.items(this.ch(op, 'Expressions'))) {
          if (kindName(e) !== 'SimpleNamedExpression') throw this.unsupported('this form of `project-rename`', e);
          pairs.push({ to: this.nameOf(this.ch(e, 'Name')), from: this.nameOf(this.ch(e, 'Expression')) });
        }
        return { k: 'projectRename', input, pairs };
      }
      case 'SummarizeOperator':
        return this.summarize(op, input, env, knownColumns(op), inCols);
      case 'SortOperator':
        return { k: 'sort', input, keys: this.items(this.ch(op, 'Expressions')).map((e) => this.sortKey(e, env)) };
      case 'TakeOperator':
        return { k: 'take', input, n: this.sc(this.ch(op, 'Expression'), env) };
      case 'TopOperator':
        return {
          k: 'top',
          input,
          n: this.sc(this.ch(op, 'Expression'), env),
          keys: [this.sortKey(this.ch(op, 'ByExpression'), env)],
        };
      case 'DistinctOperator': {
        const exprs = this.items(this.ch(op, 'Expressions'));
        if (exprs.length === 1 && kindName(exprs[0]) === 'StarExpression') return { k: 'distinct', input, items: '*' };
        const cols = knownColumns(op);
        if (exprs.length !== cols.length) throw this.unsupported('this form of `distinct`', op);
        return {
          k: 'distinct',
          input,
          items: exprs.map((e, i) => ({ name: cols[i].name, expr: this.sc(this.unname(e), env) })),
        };
      }
      case 'CountOperator':
        return { k: 'count', input, name: out[0]?.name ?? 'Count' };
      case 'JoinOperator':
        return this.join(op, input, env, out, false);
      case 'LookupOperator':
        return this.join(op, input, env, out, true);
      case 'UnionOperator':
        return this.union(op, [input], env);
      case 'MvExpandOperator':
        return this.mvexpand(op, input, env);
      case 'ParseOperator':
        return this.parse(op, input, env, out);
      // parse-where: parse, keeping only the rows whose text matches
      case 'ParseWhereOperator':
        return { ...(this.parse(op, input, env, out) as Extract<Plan, { k: 'parse' }>), matchedOnly: true };
      case 'SerializeOperator':
        return {
          k: 'serialize',
          input,
          items: this.namedList(
            this.ch(op, 'Expressions'),
            env,
            out,
            inCols.map((c) => c.name),
          ),
        };
      case 'RenderOperator':
        return { k: 'render', input, hint: this.render(op) };
      case 'AsOperator':
        return { k: 'as', input, name: this.nameOf(this.ch(op, 'Name')) };
      case 'EvaluateOperator':
        return this.evaluate(op, input, env);
      case 'MakeSeriesOperator':
        return this.makeSeries(op, input, env, out);
      case 'GetSchemaOperator':
        return { k: 'getschema', input };
      case 'ParseKvOperator':
        return this.parseKv(op, input, env);
      case 'TopNestedOperator':
        return this.topNested(op, input, env, out);
      case 'SampleOperator':
        return { k: 'sample', input, n: this.sc(this.ch(op, 'Expression'), env) };
      case 'MvApplyOperator':
        return this.mvApply(op, input, env);
      case 'PartitionOperator': {
        const operand = this.ch(op, 'Operand');
        if (kindName(operand) !== 'PartitionSubquery' || this.ch(op, 'Parameters')?.ChildCount)
          throw this.unsupported('this form of `partition`', op);
        const by = this.ch(op, 'ByExpression');
        if (kindName(by) !== 'NameReference') throw this.unsupported('`partition by` an expression', by);
        return { k: 'partition', input, by: this.sc(by, env), sub: this.subPipe(this.ch(operand, 'Subquery'), env) };
      }
      case 'InvokeOperator':
        return this.callTabular(this.ch(op, 'Function'), env, input);
      case 'SearchOperator':
        return this.search(op, input, env);
      case 'ConsumeOperator':
        return { k: 'take', input, n: { k: 'lit', v: 0, type: 'long' } };
      case 'ExecuteAndCacheOperator':
        return input;
      default:
        throw this.unsupported(this.opName(op), op);
    }
  }

  private unname(e: KNode): KNode {
    const k = kindName(e);
    return k === 'SimpleNamedExpression' || k === 'CompoundNamedExpression' ? this.ch(e, 'Expression') : e;
  }

  /** The names of `(a, b, c) = …`. */
  private compoundNames(e: KNode): string[] {
    const list = this.ch(this.ch(e, 'Names'), 'Names');
    return this.items(list).map((d) => this.nameOf(this.ch(d, 'Name') ?? d));
  }

  /** extend / print / serialize items: explicit names, else the analyzer's generated names, in order. */
  private namedList(list: KNode | undefined, env: Env, out: ColumnDef[], inNames: string[]): NamedExpr[] {
    const exprs = this.items(list);
    const inSet = new Set(inNames);
    const explicit = new Set<string>();
    for (const e of exprs) {
      if (kindName(e) === 'SimpleNamedExpression') explicit.add(this.nameOf(this.ch(e, 'Name')));
      if (kindName(e) === 'CompoundNamedExpression') for (const nm of this.compoundNames(e)) explicit.add(nm);
    }
    const generated = out.map((c) => c.name).filter((nm) => !inSet.has(nm) && !explicit.has(nm));
    const typeOfOut = (nm: string) => out.find((c) => c.name === nm)?.type ?? 'dynamic';
    let g = 0;
    // a function returning several values (series_fit_line, series_decompose_anomalies, …): one column each
    const spread = (expr: Expr, names: string[], e: KNode): NamedExpr[] => {
      if (names.length !== tupleArity(e)) throw this.unsupported('this multi-value expression', e);
      return names.map((name, i) => ({
        name,
        expr: {
          k: 'fn',
          name: '__tuple_item',
          args: [expr, { k: 'lit', v: i, type: 'long' }],
          type: typeOfOut(name),
          pos: this.pos(e),
        },
      }));
    };
    return exprs.flatMap((e): NamedExpr[] => {
      const kn = kindName(e);
      if (kn === 'SimpleNamedExpression') {
        const inner = this.ch(e, 'Expression');
        const expr = this.sc(inner, env);
        if (isMultiArraySort(expr))
          throw this.unsupported('naming the result of `array_sort_*` over several arrays', e);
        const name = this.nameOf(this.ch(e, 'Name'));
        const arity = tupleArity(inner);
        if (arity > 1) {
          const rest = generated.slice(g, g + arity - 1);
          g += arity - 1;
          return spread(expr, [name, ...rest], inner);
        }
        return [{ name, expr }];
      }
      if (kn === 'CompoundNamedExpression') {
        const inner = this.ch(e, 'Expression');
        const names = this.compoundNames(e);
        const expr = this.sc(inner, env);
        if (tupleArity(inner) > 1)
          return spread(expr, names.concat(generated.slice(g, g + tupleArity(inner) - names.length)), inner);
        if (names.length === 1) return [{ name: names[0], expr }];
        throw this.unsupported('assigning several names at once `(a, b) = …` to a single value', e);
      }
      if (kn === 'NameReference' && e.ReferencedSymbol?.Kind === SYM_COLUMN)
        return [{ name: this.nameOf(e), expr: this.sc(e, env) }];
      const expr = this.sc(e, env);
      if (tupleArity(e) > 1) {
        const a = tupleArity(e);
        const names = generated.slice(g, g + a);
        g += a;
        return spread(expr, names, e);
      }
      // array_sort_asc/desc over several arrays: one column per array (the function returns them as an array)
      if (isMultiArraySort(expr)) {
        const arrays = expr.args.filter((x) => x.type === 'dynamic').length;
        {
          const names = generated.slice(g, g + arrays);
          g += arrays;
          if (names.length < arrays) throw this.unsupported('this unnamed expression', e);
          return names.map((name, i) => ({
            name,
            expr: { k: 'path', base: expr, key: { k: 'lit', v: i, type: 'long' }, type: 'dynamic', pos: expr.pos },
          }));
        }
      }
      let name = generated[g++];
      // `extend tostring(Location)` over an input with Location: the analyzer keeps the name, the value replaces it
      const reads = colRefs(expr)[0];
      if (!name && reads && inSet.has(reads) && out.some((c) => c.name === reads)) name = reads;
      if (!name) throw this.unsupported('this unnamed expression', e);
      return [{ name, expr }];
    });
  }

  private sortKey(e: KNode, env: Env): SortKey {
    let expr = e;
    let desc = true;
    let nullsFirst: boolean | undefined;
    if (kindName(e) === 'OrderedExpression') {
      expr = this.ch(e, 'Expression');
      const ord = this.ch(e, 'Ordering');
      if (ord) {
        const ad = this.ch(ord, 'AscOrDescKeyword');
        if (ad && String(ad.Text).toLowerCase() === 'asc') desc = false;
        const nc = this.ch(ord, 'NullsClause');
        if (nc) nullsFirst = /first/i.test(String(nc.ToString()));
      }
    }
    return { expr: this.sc(expr, env), desc, nullsFirst: nullsFirst ?? !desc };
  }

  private summarize(op: KNode, input: Plan, env: Env, out: ColumnDef[], inCols: ColumnDef[]): Plan {
    const byClause = this.ch(op, 'ByClause');
    const byExprs = byClause ? this.items(this.ch(byClause, 'Expressions')) : [];
    const aggExprs = this.items(this.ch(op, 'Aggregates'));
    const by: NamedExpr[] = byExprs.map((e, i) => ({
      name: out[i]?.name ?? `Column${i + 1}`,
      expr: this.sc(this.unname(e), env),
    }));
    // `arg_max(x, *)` leaves out the input columns the groups are keyed by as they are (`by a`, `by x = a`), not
    // those a by expression reads (`by tostring(b)` keeps b, renamed b1 by the analyzer)
    const byNames = new Set(by.flatMap((b) => (b.expr.k === 'col' ? [b.expr.name] : [])));
    // what `*` stands for over an open input (a join with a fuzzy union of parsers): the columns the analyzer knows
    // (`*` there stands for the columns a run has: see AggCall.star)
    let openInput = false;
    if (!inCols.length) {
      const pipe = op.Parent;
      if (pipe && kindName(pipe) === 'PipeExpression') inCols = knownColumns(this.ch(pipe, 'Expression'));
      openInput = inCols.length > 0;
    }
    let o = by.length;
    const aggs: AggCall[] = [];
    for (let ai = 0; ai < aggExprs.length; ai++) {
      const e = aggExprs[ai];
      const call = this.unname(e);
      const direct =
        kindName(call) === 'FunctionCallExpression' &&
        AGGREGATES.has(aggregateName(this.nameOf(this.ch(call, 'Name'))));
      if (!direct) {
        // an expression over aggregates, e.g. round(100.0 * countif(x) / count(), 1): aggregate into hidden
        // columns, then evaluate the expression over them
        const name = out[o]?.name;
        if (!name) throw this.unsupported('this `summarize` shape', op);
        const hook = this.aggHook;
        this.aggHook = (c: KNode) => {
          const f = this.nameOf(this.ch(c, 'Name'));
          if (f === 'arg_max' || f === 'arg_min' || f === 'percentiles')
            throw this.unsupported(`\`${f}()\` inside an expression`, c);
          const args = this.items(this.ch(this.ch(c, 'ArgumentList'), 'Expressions')).map((a) =>
            this.sc(this.unname(a), env),
          );
          const hidden = `__agg${aggs.length}`;
          const type = typeOf(c) ?? 'dynamic';
          aggs.push({ fn: f, args, outs: [{ name: hidden, type }], pos: this.pos(c), hidden: true });
          return { k: 'col', name: hidden, type, pos: this.pos(c) };
        };
        let expr: Expr;
        try {
          expr = this.sc(call, env);
        } finally {
          this.aggHook = hook;
        }
        aggs.push({ fn: '__expr', args: [expr], outs: [{ name, type: out[o].type }], pos: this.pos(call) });
        o++;
        continue;
      }
      const fname = aggregateName(this.nameOf(this.ch(call, 'Name')));
      if (!AGGREGATES.has(fname)) throw this.unsupported(`the aggregate \`${fname}()\``, call);
      const argNodes = this.items(this.ch(this.ch(call, 'ArgumentList'), 'Expressions'));
      const pos = this.pos(call);
      if (fname === 'arg_max' || fname === 'arg_min') {
        if (argNodes.length === 0) throw this.err(`${fname} needs arguments`, call, 'KqlSemantic');
        const first = this.sc(this.unname(argNodes[0]), env);
        const extra: Expr[] = [];
        const rest = argNodes.slice(1);
        const firstName = first.k === 'col' ? first.name : undefined;
        // how many columns the rest expands to: what is left of the analyzer's output after the other aggregates
        const starCols = () => inCols.filter((c) => !byNames.has(c.name) && c.name !== firstName).length;
        const restCount = (() => {
          if (!rest.some((r) => kindName(r) === 'StarExpression')) return rest.length;
          let others = 0;
          for (let j = ai + 1; j < aggExprs.length; j++) {
            const c2 = this.unname(aggExprs[j]);
            const f2 = this.nameOf(this.ch(c2, 'Name'));
            // another arg_max/arg_min: each `*` stands for the input's columns but the by columns and its first
            // argument (the analyzer numbers the names that repeat); the last one's count is checked below
            if (f2 === 'arg_max' || f2 === 'arg_min') return rest.length - 1 + starCols();
            if (f2 === 'percentiles')
              others += Math.max(1, this.items(this.ch(this.ch(c2, 'ArgumentList'), 'Expressions')).length - 1);
            else others += 1;
          }
          return out.length - o - 1 - others;
        })();
        const stars = rest.filter((r) => kindName(r) === 'StarExpression').length;
        if (openInput && stars === 1 && kindName(rest[rest.length - 1]) === 'StarExpression') {
          // `*` last over an open input: the columns of the run, beyond those the analyzer knows
          for (const r of rest.slice(0, -1)) extra.push(this.sc(this.unname(r), env));
          const outs = out.slice(o, o + 1 + extra.length);
          if (restCount < extra.length) throw this.unsupported(`this form of \`${fname}\``, call);
          o += 1 + restCount;
          const exclude = [...byNames, ...(firstName ? [firstName] : [])];
          for (const x of extra) if (x.k === 'col') exclude.push(x.name);
          aggs.push({ fn: fname, args: [first], extra, outs, pos, star: { exclude } });
          continue;
        }
        for (const r of rest) {
          if (kindName(r) === 'StarExpression') {
            const cols = inCols.filter((c) => !byNames.has(c.name) && c.name !== firstName);
            for (const c of cols) extra.push({ k: 'col', name: c.name, type: c.type, pos });
          } else extra.push(this.sc(this.unname(r), env));
        }
        if (extra.length !== restCount) throw this.unsupported(`this form of \`${fname}\``, call);
        const outs = out.slice(o, o + 1 + extra.length);
        o += outs.length;
        if (kindName(e) === 'SimpleNamedExpression' && outs.length > 0) {
          /* analyzer already applied the name */
        }
        aggs.push({ fn: fname, args: [first], extra, outs, pos });
        continue;
      }
      if (fname === 'take_any' && (argNodes.length > 1 || argNodes.some((r) => kindName(r) === 'StarExpression'))) {
        // take_any(a, b, …) and take_any(*): the values of one row; `*` is every input column but the by
        // columns and those named before it
        if (openInput)
          throw this.unsupported('`take_any` of several columns over columns known only at run time', call);
        const cols: Expr[] = [];
        for (const r of argNodes) {
          if (kindName(r) !== 'StarExpression') cols.push(this.sc(this.unname(r), env));
          else {
            const named = new Set(cols.flatMap((c) => (c.k === 'col' ? [c.name] : [])));
            for (const c of inCols)
              if (!byNames.has(c.name) && !named.has(c.name)) cols.push({ k: 'col', name: c.name, type: c.type, pos });
          }
        }
        const outs = out.slice(o, o + cols.length);
        if (cols.length === 0 || outs.length !== cols.length) throw this.unsupported('this form of `take_any`', call);
        o += outs.length;
        aggs.push({ fn: fname, args: [cols[0]], extra: cols.slice(1), outs, pos });
        continue;
      }
      const args = argNodes.map((a) => this.sc(this.unname(a), env));
      const width = fname === 'percentiles' ? Math.max(1, args.length - 1) : 1;
      const outs = out.slice(o, o + width);
      o += width;
      aggs.push({ fn: fname, args, outs, pos });
    }
    if (o !== out.length) throw this.unsupported('this `summarize` shape', op);
    return { k: 'summarize', input, by, aggs };
  }

  private join(op: KNode, input: Plan, env: Env, out: ColumnDef[], lookup: boolean): Plan {
    const params = this.params(op);
    let kind = (params.get('kind') ?? (lookup ? 'leftouter' : 'innerunique')).toLowerCase();
    if (kind === 'anti' || kind === 'leftantisemi') kind = 'leftanti';
    if (kind === 'semi') kind = 'leftsemi';
    if (kind === 'rightantisemi') kind = 'rightanti';
    if (kind === 'full') kind = 'fullouter';
    const allowed = [
      'innerunique',
      'inner',
      'leftouter',
      'rightouter',
      'fullouter',
      'leftanti',
      'rightanti',
      'leftsemi',
      'rightsemi',
    ];
    if (!allowed.includes(kind)) throw this.unsupported(`\`${lookup ? 'lookup' : 'join'} kind=${kind}\``, op);
    const right = this.tab(this.ch(op, 'Expression'), env);
    const clause = this.ch(op, lookup ? 'LookupClause' : 'ConditionClause');
    if (!clause || kindName(clause) !== 'JoinOnClause')
      throw this.unsupported('`join … where` conditions', clause ?? op);
    const on: { left: string; right: string }[] = [];
    // `$left.A == $right.A and $left.B == $right.B` is a list of equalities
    const conjuncts = (x: KNode): KNode[] => {
      const k = kindName(x);
      if (k === 'AndExpression') return [...conjuncts(this.ch(x, 'Left')), ...conjuncts(this.ch(x, 'Right'))];
      if (k === 'ParenthesizedExpression') return conjuncts(this.ch(x, 'Expression'));
      return [x];
    };
    for (const e of this.items(this.ch(clause, 'Expressions')).flatMap(conjuncts)) {
      const kn = kindName(e);
      if (kn === 'NameReference') {
        const nm = this.nameOf(e);
        on.push({ left: nm, right: nm });
        continue;
      }
      if (kn === 'EqualExpression') {
        const side = (x: KNode): { side: string; name: string } | undefined => {
          if (kindName(x) !== 'PathExpression') return undefined;
          const base = String(this.ch(x, 'Expression').ToString()).trim();
          return { side: base, name: this.nameOf(this.ch(x, 'Selector')) };
        };
        const l = side(this.ch(e, 'Left'));
        const r = side(this.ch(e, 'Right'));
        if (l && r) {
          if (l.side === '$left' && r.side === '$right') {
            on.push({ left: l.name, right: r.name });
            continue;
          }
          if (l.side === '$right' && r.side === '$left') {
            on.push({ left: r.name, right: l.name });
            continue;
          }
        }
      }
      throw this.unsupported('this join condition (use `on Col` or `on $left.A == $right.B`)', e);
    }
    // an open schema on either side (bag_unpack, pivot): the columns are known at run time only
    return { k: 'join', left: input, right, kind: kind as JoinKind, on, out: tableColumns(op), lookup };
  }

  /** Whether a union leg's source (its leftmost expression) is a function or name nothing defines. */
  private undefinedSource(e: KNode, env: Env): boolean {
    let n = e;
    for (;;) {
      const k = kindName(n);
      if (k === 'ParenthesizedExpression' || k === 'PipeExpression') n = this.ch(n, 'Expression');
      else break;
    }
    const k = kindName(n);
    if (k === 'FunctionCallExpression') {
      const name = this.nameOf(this.ch(n, 'Name'));
      if (env.get(name) || name === 'table' || name === 'materialize') return false;
      return !n.GetExpansion?.() && n.ReferencedSymbol?.Kind !== SYM_FUNCTION;
    }
    if (k === 'NameReference') return !n.ReferencedSymbol && !env.get(this.nameOf(n));
    return false;
  }

  private union(op: KNode, inputs: Plan[], env: Env): Plan {
    const params = this.params(op);
    const names: string[] = inputs.map(() => 'union_arg0');
    const all = [...inputs];
    let idx = inputs.length;
    const fuzzy = /^true$/i.test(params.get('isfuzzy') ?? '');
    const skipped: string[] = [];
    for (const e of this.items(this.ch(op, 'Expressions'))) {
      const kn = kindName(e);
      // isfuzzy=true: tables that do not exist are left out (a bare name may also call a workspace function)
      if (
        fuzzy &&
        kn === 'NameReference' &&
        e.ReferencedSymbol?.Kind !== SYM_TABLE &&
        !(e.ReferencedSymbol?.Kind === SYM_FUNCTION && e.GetExpansion?.()) &&
        !env.get(this.nameOf(e))
      ) {
        skipped.push(this.nameOf(e));
        idx++;
        continue;
      }
      // … and so are legs that start from a function the workspace does not define (`(_Im_Dns(…) | …)`)
      if (fuzzy && this.undefinedSource(e, env)) {
        skipped.push(this.srcText(e).trim().slice(0, 60));
        idx++;
        continue;
      }
      const asName = (p: KNode): string | undefined => {
        // `T | as Name` names the union source
        const inner = kindName(p) === 'ParenthesizedExpression' ? this.ch(p, 'Expression') : p;
        return kindName(inner) === 'PipeExpression' && kindName(this.ch(inner, 'Operator')) === 'AsOperator'
          ? this.nameOf(this.ch(this.ch(inner, 'Operator'), 'Name'))
          : undefined;
      };
      const wild = kn === 'NameReference' ? this.ch(e, 'Name') : undefined;
      if (wild && kindName(wild) === 'WildcardedName') {
        // Signin*, *Logs, *: every lake table the pattern matches
        const pattern = new RegExp(
          '^' +
            this.srcText(wild)
              .trim()
              .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '.*') +
            '$',
        );
        for (const t of this.allTables.filter((x) => pattern.test(x))) {
          names.push(t);
          all.push(this.tab(this.fakeRef(t), env));
        }
        idx++;
        continue;
      }
      if (/Wildcard/.test(kn) && !(kn === 'NameReference')) throw this.unsupported('table wildcards in `union`', e);
      let leg: Plan;
      try {
        leg = this.tab(e, env);
      } catch (err) {
        // isfuzzy=true: a leg that does not resolve (a function over a table this workspace lacks) is left out
        if (fuzzy && err instanceof KqlError && err.code === 'KqlSemantic') {
          skipped.push(this.srcText(e).trim().slice(0, 60));
          idx++;
          continue;
        }
        throw err;
      }
      if (asName(e)) names.push(asName(e)!);
      else if (kn === 'NameReference' && e.ReferencedSymbol?.Kind === SYM_TABLE && !env.get(this.nameOf(e)))
        names.push(String(e.ReferencedSymbol.Name));
      else if (kn === 'NameReference') names.push(this.nameOf(e));
      else names.push(`union_arg${idx}`);
      idx++;
      all.push(leg);
    }
    // Kusto too refuses a fuzzy union none of whose legs exists
    if (!all.length && skipped.length)
      throw this.err(`union isfuzzy=true: none of its sources exists here (${skipped.join(', ')})`, op, 'KqlSemantic');
    const ws = params.get('withsource') ?? params.get('source');
    const kind = (params.get('kind') ?? 'outer').toLowerCase() === 'inner' ? 'inner' : 'outer';
    return { k: 'union', inputs: all, withsource: ws, sourceNames: names, kind, out: tableColumns(op) };
  }

  private mvexpand(op: KNode, input: Plan, env: Env): Plan {
    const params = this.params(op);
    const items: { name: string; expr: Expr; toType?: KqlType }[] = [];
    for (const me of this.items(this.ch(op, 'Expressions'))) {
      const e = this.ch(me, 'Expression');
      let name: string;
      let expr: Expr;
      if (kindName(e) === 'SimpleNamedExpression') {
        name = this.nameOf(this.ch(e, 'Name'));
        expr = this.sc(this.ch(e, 'Expression'), env);
      } else if (kindName(e) === 'NameReference') {
        name = this.nameOf(e);
        expr = this.sc(e, env);
      } else {
        const outs = tableColumns(op) ?? [];
        const inCols = new Map(this.inputCols(op).map((c) => [c.name, c.type]));
        const free = outs.filter((c) => !items.some((i) => i.name === c.name));
        expr = this.sc(e, env);
        // a new column (`Entities_x`), else the column the expression converts, expanded in place
        // (`mv-expand todynamic(Entities)` keeps the name Entities, now dynamic)
        const firstCol = colRefs(expr)[0];
        const gen =
          free.find((c) => !inCols.has(c.name)) ??
          free.find((c) => inCols.get(c.name) !== c.type) ??
          free.find((c) => c.name === firstCol);
        // after bag_unpack/pivot the analyzer knows no columns: the name is the first column the expression reads
        const open = !gen && !outs.length && firstCol ? firstCol : undefined;
        if (!gen && !open) throw this.unsupported('this `mv-expand` expression', e);
        name = gen?.name ?? open!;
      }
      const tt = this.ch(me, 'ToTypeOf');
      let toType: KqlType | undefined;
      if (tt) toType = this.typeFromDecl(this.items(this.ch(this.ch(tt, 'TypeOf'), 'Types'))[0]);
      items.push({ name, expr, toType });
    }
    const lim = this.ch(op, 'RowLimitClause');
    let limit: number | undefined;
    if (lim) limit = Number(String(this.ch(lim, 'RowLimit').ToString()).trim());
    const bag = params.get('bagexpansion');
    const kind = params.get('kind') ?? bag;
    if (kind && kind !== 'bag' && kind !== 'array') throw this.unsupported(`\`mv-expand kind=${kind}\``, op);
    return {
      k: 'mvexpand',
      input,
      items,
      limit,
      indexName: params.get('with_itemindex'),
      bagAsArray: kind === 'array',
    };
  }

  private parse(op: KNode, input: Plan, env: Env, out: ColumnDef[]): Plan {
    const params = this.params(op);
    const kind = (params.get('kind') ?? 'simple-default').toLowerCase();
    const flags = (params.get('flags') ?? '').replace(/["']/g, '');
    const source = this.sc(this.ch(op, 'Expression'), env);
    const pats = this.items(this.ch(op, 'Patterns'));
    const outs: ColumnDef[] = [];
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    // Columns become named groups, so groups inside regex-mode literals do not shift the numbering.
    let re = '';
    for (let i = 0; i < pats.length; i++) {
      const p = pats[i];
      const kn = kindName(p);
      const last = i === pats.length - 1;
      if (p.IsLiteral && typeof p.LiteralValue === 'string') {
        re += kind === 'regex' ? String(p.LiteralValue) : esc(String(p.LiteralValue));
      } else if (kn === 'StarExpression') {
        re += last ? '.*' : '.*?';
      } else if (kn === 'NameAndTypeDeclaration' || kn === 'NameDeclaration') {
        const nameNode = kn === 'NameDeclaration' ? p : this.ch(p, 'Name');
        const name = this.nameOf(nameNode);
        const type: KqlType = kn === 'NameDeclaration' ? 'string' : this.typeFromDecl(this.ch(p, 'Type'));
        const g = `(?<c${outs.length}>`;
        outs.push({ name, type });
        // regex mode: columns are greedy; simple mode: typed columns match their type, strings lazily (the last
        // one takes the rest); relaxed mode: anything, and a value that does not convert becomes null.
        if (kind === 'regex') re += type === 'long' || type === 'int' ? g + '-?\\d+)' : g + '.*)';
        else if (kind === 'relaxed') {
          // a number where the text holds one, else anything (which then converts to null)
          const num =
            type === 'long' || type === 'int'
              ? '-?\\d+|'
              : type === 'real' || type === 'decimal'
                ? '-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|'
                : '';
          re += g + num + (last ? '.*)' : '.*?)');
        } else if (type === 'long' || type === 'int') re += g + '-?\\d+)';
        else if (type === 'real' || type === 'decimal') re += g + '-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)';
        else re += g + (last ? '.*)' : '.*?)');
      } else throw this.unsupported('this `parse` pattern element', p);
    }
    void out;
    const mode: 'simple' | 'regex' | 'relaxed' = kind === 'regex' ? 'regex' : kind === 'relaxed' ? 'relaxed' : 'simple';
    return { k: 'parse', input, source, kind: mode, regex: re, flags, outs };
  }

  private makeSeries(op: KNode, input: Plan, env: Env, out: ColumnDef[]): Plan {
    if (this.ch(op, 'Parameters')?.ChildCount) throw this.unsupported('`make-series` parameters', op);
    const byClause = this.ch(op, 'ByClause');
    const byExprs = byClause ? this.items(this.ch(byClause, 'Expressions')) : [];
    const by: NamedExpr[] = byExprs.map((e, i) => ({
      name: out[i]?.name ?? `Column${i + 1}`,
      expr: this.sc(this.unname(e), env),
    }));
    const aggNodes = this.items(this.ch(op, 'Aggregates'));
    const aggs = aggNodes.map((m, i) => {
      const call = this.unname(this.ch(m, 'Expression'));
      const fname = kindName(call) === 'FunctionCallExpression' ? this.nameOf(this.ch(call, 'Name')) : '';
      if (
        !AGGREGATES.has(fname) ||
        [
          'arg_max',
          'arg_min',
          'percentiles',
          'make_set',
          'make_list',
          'make_bag',
          'make_set_if',
          'make_list_if',
        ].includes(fname)
      ) {
        throw this.unsupported(fname ? `\`${fname}()\` in \`make-series\`` : 'this `make-series` aggregate', call);
      }
      const args = this.items(this.ch(this.ch(call, 'ArgumentList'), 'Expressions')).map((a) =>
        this.sc(this.unname(a), env),
      );
      const o = out[by.length + i];
      const dc = this.ch(m, 'DefaultExpression');
      const itemType: KqlType = typeOf(call) ?? 'real';
      return {
        call: { fn: fname, args, outs: [{ name: o?.name ?? fname, type: itemType }], pos: this.pos(call) },
        dflt: dc ? this.sc(this.ch(dc, 'Expression'), env) : null,
      };
    });
    const on = this.sc(this.ch(this.ch(op, 'OnClause'), 'Expression'), env);
    const range = this.ch(op, 'RangeClause');
    let from: Expr | null = null,
      to: Expr | null = null,
      step: Expr;
    if (range && kindName(range) === 'MakeSeriesFromToStepClause') {
      const f = this.ch(range, 'MakeSeriesFromClause');
      const t = this.ch(range, 'MakeSeriesToClause');
      if (f) from = this.sc(this.ch(f, 'Expression'), env);
      if (t) to = this.sc(this.ch(t, 'Expression'), env);
      step = this.sc(this.ch(this.ch(range, 'MakeSeriesStepClause'), 'Expression'), env);
    } else if (range && kindName(range) === 'MakeSeriesInRangeClause') {
      const args = this.items(this.ch(this.ch(range, 'Arguments'), 'Expressions')).map((a) => this.sc(a, env));
      if (args.length !== 3) throw this.unsupported('this `make-series … in range(…)`', range);
      [from, to, step] = args;
    } else throw this.unsupported('this `make-series` range', op);
    const axis = out[out.length - 1]?.name ?? 'TimeGenerated';
    if (out.length !== by.length + aggs.length + 1) throw this.unsupported('this `make-series` shape', op);
    return { k: 'makeSeries', input, aggs, on, from, to, step, by, axis };
  }

  private mvApply(op: KNode, input: Plan, env: Env): Plan {
    const params = this.params(op);
    if (params.has('kind') || params.has('bagexpansion')) throw this.unsupported('`mv-apply` parameters', op);
    const items: { name: string; expr: Expr; toType?: KqlType }[] = [];
    for (const me of this.items(this.ch(op, 'Expressions'))) {
      const e = this.ch(me, 'Expression');
      let name: string;
      let expr: Expr;
      if (kindName(e) === 'SimpleNamedExpression') {
        name = this.nameOf(this.ch(e, 'Name'));
        expr = this.sc(this.ch(e, 'Expression'), env);
      } else if (kindName(e) === 'NameReference') {
        name = this.nameOf(e);
        expr = this.sc(e, env);
      } else throw this.unsupported('an unnamed `mv-apply` expression (name it: `x = …`)', e);
      const tt = this.ch(me, 'ToTypeOf');
      const toType = tt ? this.typeFromDecl(this.items(this.ch(this.ch(tt, 'TypeOf'), 'Types'))[0]) : undefined;
      items.push({ name, expr, toType });
    }
    const lim = this.ch(op, 'RowLimitClause');
    const limit = lim ? Number(String(this.ch(lim, 'RowLimit').ToString()).trim()) : undefined;
    const on = this.ch(op, 'Subquery');
    const subExpr = on ? this.ch(on, 'Expression') : undefined;
    if (!subExpr) throw this.unsupported('this `mv-apply` form', op);
    // The subquery starts from the expanded rows: translate its pipe with a placeholder input.
    const sub = this.subPipe(subExpr, env);
    return { k: 'mvApply', input, items, sub, indexName: params.get('with_itemindex'), limit };
  }

  /** Translates `(op | op | …)` whose leftmost input is implicit (mv-apply's subquery). */
  private subPipe(n: KNode, env: Env): Plan {
    const k = kindName(n);
    if (k === 'ParenthesizedExpression') return this.subPipe(this.ch(n, 'Expression'), env);
    if (k === 'PipeExpression') {
      const input = this.subPipe(this.ch(n, 'Expression'), env);
      const op = this.ch(n, 'Operator');
      const plan = this.operator(op, input, env);
      if (plan !== input && plan.out === undefined) {
        plan.out = tableColumns(op);
        plan.pos = this.pos(op);
      }
      return plan;
    }
    // the first operator of the subquery
    const plan = this.operator(n, { k: 'table', name: APPLY_INPUT, pos: this.pos(n) }, env);
    if (plan.out === undefined) {
      plan.out = tableColumns(n);
      plan.pos = this.pos(n);
    }
    return plan;
  }

  private evaluate(op: KNode, input: Plan, env: Env): Plan {
    const call = this.ch(op, 'FunctionCall');
    const fname = call ? this.nameOf(this.ch(call, 'Name')) : '?';
    if (fname === 'pivot') return this.pivot(op, call, input, env);
    if (fname === 'basket' || fname === 'sequence_detect' || fname === 'ipv4_lookup') {
      if (this.ch(op, 'Parameters')?.ChildCount) throw this.unsupported(`this form of \`evaluate ${fname}\``, op);
      const args = this.items(this.ch(this.ch(call, 'ArgumentList'), 'Expressions'));
      if (fname === 'basket') return this.basket(op, args, input, env);
      if (fname === 'sequence_detect') return this.sequenceDetect(op, args, input, env);
      return this.ipv4Lookup(op, args, input, env);
    }
    if (fname !== 'bag_unpack') throw this.unsupported(`\`evaluate ${fname}\``, op);
    const args = this.items(this.ch(this.ch(call, 'ArgumentList'), 'Expressions'));
    if (args.length < 1 || this.ch(op, 'Parameters')?.ChildCount)
      throw this.unsupported('this form of `evaluate bag_unpack`', op);
    const bag = this.sc(this.unname(args[0]), env);
    let prefix = '';
    let conflict: 'error' | 'replace_source' | 'keep_source' = 'error';
    let ignored: string[] = [];
    for (const a of args.slice(1)) {
      if (kindName(a) === 'SimpleNamedExpression') {
        const nm = this.nameOf(this.ch(a, 'Name'));
        const v = this.sc(this.ch(a, 'Expression'), env);
        if (v.k !== 'lit') throw this.unsupported(`a computed \`${nm}\` in bag_unpack`, a);
        if (nm === 'columnsConflict' && ['error', 'replace_source', 'keep_source'].includes(String(v.v)))
          conflict = String(v.v) as typeof conflict;
        else if (nm === 'ignoredProperties' && Array.isArray(v.v)) ignored = v.v.map(String);
        else if (nm === 'OutputColumnPrefix') prefix = String(v.v);
        else throw this.unsupported(`bag_unpack's \`${nm}\``, a);
      } else if (a.IsLiteral && typeof a.LiteralValue === 'string') prefix = String(a.LiteralValue);
      else throw this.unsupported('this bag_unpack argument', a);
    }
    return { k: 'bagUnpack', input, bag, drop: bag.k === 'col' ? bag.name : undefined, prefix, conflict, ignored };
  }

  /** A literal argument of a plugin (`~` or a missing one: undefined). */
  private pluginLiteral(a: KNode | undefined, env: Env): unknown {
    if (!a) return undefined;
    const v = this.sc(a, env);
    if (v.k !== 'lit') throw this.unsupported('a computed plugin argument', a);
    return v.v === '~' ? undefined : v.v;
  }

  private basket(op: KNode, args: KNode[], input: Plan, env: Env): Plan {
    const threshold = this.pluginLiteral(args[0], env) ?? 0.05;
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1))
      throw this.err('basket: the threshold must be a number from 0.015 to 1', args[0] ?? op, 'KqlSemantic');
    let weight: string | undefined;
    if (args[1] && kindName(args[1]) === 'NameReference') weight = this.nameOf(args[1]);
    else if (this.pluginLiteral(args[1], env) !== undefined)
      throw this.unsupported('this basket weight column', args[1]);
    const maxDims = this.pluginLiteral(args[2], env) ?? 5;
    if (typeof maxDims !== 'number' || maxDims < 1) throw this.unsupported('this basket MaxDimensions', args[2]);
    if (args.length > 3) throw this.unsupported('custom wildcards in `evaluate basket`', args[3]);
    return { k: 'basket', input, threshold, maxDims: Math.floor(maxDims), weight };
  }

  private sequenceDetect(op: KNode, args: KNode[], input: Plan, env: Env): Plan {
    if (args.length < 5) throw this.unsupported('this form of `evaluate sequence_detect`', op);
    const time = this.sc(args[0], env);
    const maxStep = this.sc(args[1], env);
    const maxSpan = this.sc(args[2], env);
    const steps: NamedExpr[] = [];
    const dims: Expr[] = [];
    const out = knownColumns(op);
    for (const a of args.slice(3)) {
      if (kindName(a) === 'SimpleNamedExpression') {
        if (dims.length) throw this.unsupported('sequence_detect predicates after its dimension columns', a);
        steps.push({ name: this.nameOf(this.ch(a, 'Name')), expr: this.sc(this.ch(a, 'Expression'), env) });
      } else dims.push(this.sc(a, env));
    }
    if (steps.length < 2) throw this.unsupported('sequence_detect with fewer than two named predicates', op);
    // the analyzer names the step columns `<step>_<time column>`
    const stepCols = out.slice(dims.length, dims.length + steps.length);
    steps.forEach((s, i) => (s.name = stepCols[i]?.name ?? `${s.name}_${time.k === 'col' ? time.name : 'Time'}`));
    return { k: 'sequenceDetect', input, time, maxStep, maxSpan, steps, dims };
  }

  private ipv4Lookup(op: KNode, args: KNode[], input: Plan, env: Env): Plan {
    if (args.length < 3) throw this.unsupported('this form of `evaluate ipv4_lookup`', op);
    const lookup = this.tab(args[0], env);
    const address = this.sc(args[1], env);
    if (kindName(args[2]) !== 'NameReference') throw this.unsupported('this ipv4_lookup range column', args[2]);
    const range = this.nameOf(args[2]);
    const keys: string[] = [];
    let unmatched = false;
    for (const [i, a] of args.slice(3).entries()) {
      const named = kindName(a) === 'SimpleNamedExpression' ? this.nameOf(this.ch(a, 'Name')) : undefined;
      const v = named === 'return_unmatched' || !named ? this.unname(a) : undefined;
      if (!named && kindName(a) === 'NameReference') keys.push(this.nameOf(a));
      else if (v && i === args.length - 4 && typeof this.pluginLiteral(v, env) === 'boolean')
        unmatched = this.pluginLiteral(v, env) as boolean;
      else throw this.unsupported('this ipv4_lookup argument', a);
    }
    return {
      k: 'ipv4Lookup',
      input,
      lookup,
      address,
      range,
      keys,
      unmatched,
      outNames: knownColumns(op).map((c) => c.name),
    };
  }

  private topNested(op: KNode, input: Plan, env: Env, out: ColumnDef[]): Plan {
    const clauses = this.items(this.ch(op, 'Clauses'));
    if (clauses.length === 0 || out.length !== clauses.length * 2)
      throw this.unsupported('this form of `top-nested`', op);
    const levels = clauses.map((c, i) => {
      if (this.ch(c, 'WithOthersClause')) throw this.unsupported('`top-nested … with others`', c);
      const nExpr = this.ch(c, 'Expression');
      let by = this.ch(c, 'ByExpression');
      let desc = true;
      if (kindName(by) === 'OrderedExpression') {
        const ad = this.ch(this.ch(by, 'Ordering') ?? by, 'AscOrDescKeyword');
        if (ad && String(ad.Text).toLowerCase() === 'asc') desc = false;
        by = this.ch(by, 'Expression');
      }
      by = this.unname(by);
      const fn = kindName(by) === 'FunctionCallExpression' ? this.nameOf(this.ch(by, 'Name')) : '';
      if (
        !AGGREGATES.has(fn) ||
        ['arg_max', 'arg_min', 'percentiles', 'make_set', 'make_list', 'make_bag'].includes(fn)
      ) {
        throw this.unsupported('this `top-nested` aggregate', by);
      }
      const agg: AggCall = {
        fn,
        args: this.items(this.ch(this.ch(by, 'ArgumentList'), 'Expressions')).map((a) => this.sc(this.unname(a), env)),
        outs: [out[i * 2 + 1]],
        pos: this.pos(by),
      };
      return {
        n: nExpr ? this.sc(nExpr, env) : null,
        of: this.sc(this.unname(this.ch(c, 'OfExpression')), env),
        agg,
        desc,
      };
    });
    return { k: 'topNested', input, levels };
  }

  private parseKv(op: KNode, input: Plan, env: Env): Plan {
    const keys: ColumnDef[] = this.items(this.ch(this.ch(op, 'Keys'), 'Columns')).map((c) => ({
      name: this.nameOf(this.ch(c, 'Name')),
      type: this.typeFromDecl(this.ch(c, 'Type')),
    }));
    const opts: Record<string, unknown> = {};
    const w = this.ch(op, 'WithClause');
    if (w) {
      for (const p of this.items(this.ch(w, 'Properties'))) {
        if (kindName(p) !== 'NamedParameter') continue;
        const v = this.ch(p, 'Expression');
        opts[this.nameOf(this.ch(p, 'Name')).toLowerCase()] = v?.IsLiteral
          ? v.LiteralValue
          : String(v?.ToString() ?? '').trim();
      }
    }
    const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
    return {
      k: 'parseKv',
      input,
      source: this.sc(this.ch(op, 'Expression'), env),
      keys,
      pair: str('pair_delimiter'),
      kv: str('kv_delimiter'),
      quote: str('quote'),
      escape: str('escape'),
      greedy: opts.greedy === true || String(opts.greedy).toLowerCase() === 'true',
      regex: str('regex'),
    };
  }

  private pivot(op: KNode, call: KNode, input: Plan, env: Env): Plan {
    const args = this.items(this.ch(this.ch(call, 'ArgumentList'), 'Expressions'));
    if (args.length < 1 || this.ch(op, 'Parameters')?.ChildCount)
      throw this.unsupported('this form of `evaluate pivot`', op);
    const pivot = this.sc(args[0], env);
    let agg: AggCall = { fn: 'count', args: [], outs: [{ name: 'count', type: 'long' }], pos: this.pos(call) };
    let rest = args.slice(1);
    if (
      rest[0] &&
      kindName(rest[0]) === 'FunctionCallExpression' &&
      AGGREGATES.has(this.nameOf(this.ch(rest[0], 'Name')))
    ) {
      const c = rest[0];
      const fn = this.nameOf(this.ch(c, 'Name'));
      if (['arg_max', 'arg_min', 'percentiles'].includes(fn)) throw this.unsupported(`\`${fn}()\` in pivot`, c);
      agg = {
        fn,
        args: this.items(this.ch(this.ch(c, 'ArgumentList'), 'Expressions')).map((a) => this.sc(a, env)),
        outs: [{ name: fn, type: typeOf(c) ?? 'dynamic' }],
        pos: this.pos(c),
      };
      rest = rest.slice(1);
    }
    const by = rest.map((e) => {
      if (kindName(e) !== 'NameReference') throw this.unsupported('pivot keys other than columns', e);
      return { name: this.nameOf(e), expr: this.sc(e, env) };
    });
    if (rest.length === 0) {
      // no grouping columns named: every column except the pivot column and the aggregated ones
      const pipe = op.Parent;
      const inNode = pipe && kindName(pipe) === 'PipeExpression' ? this.ch(pipe, 'Expression') : undefined;
      const inCols = tableColumns(inNode);
      if (!inCols)
        throw this.unsupported('`evaluate pivot` without grouping columns over columns known only at run time', op);
      const used = new Set([...colRefs(pivot), ...agg.args.flatMap(colRefs)]);
      for (const c of inCols)
        if (!used.has(c.name))
          by.push({ name: c.name, expr: { k: 'col', name: c.name, type: c.type, pos: this.pos(op) } });
    }
    return { k: 'pivot', input, pivot, agg, by };
  }

  private render(op: KNode): RenderHint {
    const text = this.srcText(op);
    const chart = this.ch(op, 'ChartType');
    const hint: RenderHint = { kind: chart ? String(chart.Text ?? this.srcText(chart)).trim() : 'table' };
    const title = /title\s*=\s*(["'])(.*?)\1/.exec(text);
    if (title) hint.title = title[2];
    const x = /xcolumn\s*=\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
    if (x) hint.xcolumn = x[1];
    const y = /ycolumns\s*=\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)/.exec(text);
    if (y) hint.ycolumns = y[1].split(/\s*,\s*/);
    return hint;
  }

  private search(op: KNode, input: Plan | undefined, env: Env): Plan {
    const cond = this.ch(op, 'Condition');
    const inClause = this.ch(op, 'InClause');
    const out = tableColumns(op) ?? [];
    let src: Plan;
    let source: string | undefined;
    if (input) {
      src = input;
      source = input.k === 'table' ? input.name : '';
    } else {
      // search over tables: a union with the table name in $table
      if (!inClause && env.hasView()) throw this.unsupported('`search` over views defined with `let … = view`', op);
      const names = inClause
        ? this.items(this.ch(inClause, 'Expressions')).map((e) => {
            if (kindName(e) !== 'NameReference') throw this.unsupported('this `search in` table list', e);
            return this.nameOf(e);
          })
        : this.allTables;
      const inputs = names.map((nm) => this.tab({ ...this.fakeRef(nm) }, env));
      src = { k: 'union', inputs, withsource: '$table', sourceNames: names, kind: 'outer', out };
    }
    if (!cond) return src;
    if (cond.IsLiteral && typeof cond.LiteralValue === 'string') {
      const text = String(cond.LiteralValue);
      if (/\*/.test(text)) throw this.unsupported('wildcards in `search` terms', cond);
      const kw = this.params(op);
      return { k: 'search', input: src, pred: null, term: { text, cs: kw.get('kind') === 'case_sensitive' }, source };
    }
    return { k: 'search', input: { k: 'where', input: src, pred: this.sc(cond, env) }, pred: null, term: null, source };
  }

  /** `find in (T1, T2, …) where predicate project columns`: the rows of each table the predicate holds for (a
   * column a table lacks is null there), with the table's name in source_ and the projected columns. */
  private find(op: KNode, env: Env): Plan {
    const inClause = this.ch(op, 'InClause');
    const proj = this.ch(op, 'Project');
    const cond = this.ch(op, 'Condition');
    if (!inClause || !cond || this.ch(op, 'Parameters')?.ChildCount)
      throw this.unsupported('this form of `find` (write `find in (tables) where … project …`)', op);
    if (!proj || kindName(proj) !== 'FindProjectClause')
      throw this.unsupported('`find` without `project` (its pack_ column)', op);
    const names = this.items(this.ch(inClause, 'Expressions')).map((e) => {
      if (kindName(e) !== 'NameReference') throw this.unsupported('this `find in` table list', e);
      return this.nameOf(e);
    });
    const inputs = names.map((nm) => this.tab(this.fakeRef(nm), env));
    const src: Plan = { k: 'union', inputs, withsource: 'source_', sourceNames: names, kind: 'outer' };
    const pos = this.pos(op);
    const items: NamedExpr[] = knownColumns(op).map((c) => ({
      name: c.name,
      expr: { k: 'col', name: c.name, type: c.type, pos },
    }));
    return { k: 'project', input: { k: 'where', input: src, pred: this.sc(cond, env) }, items };
  }

  /** A stand-in for a table reference by name (tables named by `search in (...)` or all tables). */
  private fakeRef(name: string): KNode {
    return { __table: name };
  }

  /** A call of a user function (let f = (…) {…}) or of materialize/table; input is the invoke input. */
  private callTabular(call: KNode, env: Env, input: Plan | undefined): Plan {
    const fname = this.nameOf(this.ch(call, 'Name'));
    const args = this.items(this.ch(this.ch(call, 'ArgumentList'), 'Expressions'));
    if (fname === 'materialize' && args.length === 1)
      return { k: 'materialize', input: this.tab(args[0], env), id: ++this.matId };
    if (fname === 'table' && args.length >= 1) {
      // a literal name, or one that is constant where the function is expanded (a parameter bound to a literal)
      const nameExpr = args[0].IsLiteral ? { k: 'lit', v: args[0].LiteralValue } : this.sc(args[0], env);
      if (nameExpr.k !== 'lit' || typeof nameExpr.v !== 'string')
        throw this.unsupported('`table()` with a name that is only known at run time', call);
      const name = nameExpr.v;
      const b = env.get(name);
      if (b && b.k === 'plan') return b.plan;
      return { k: 'table', name, pos: this.pos(call) };
    }
    return this.expand(call, env, input) as Plan;
  }

  /** Inlines a user function call: its body analysed at the call site, with parameters bound to the arguments. */
  protected override expand(call: KNode, env: Env, input: Plan | undefined): Plan | Expr {
    const byName = kindName(call) === 'NameReference';
    const fname = byName ? this.nameOf(call) : this.nameOf(this.ch(call, 'Name'));
    const b = env.get(fname);
    const body = call.GetExpansion?.();
    // a let-bound function closes over its declaration's scope; a database function (_GetWatchlist) over none
    const closure = b?.k === 'func' ? b.env : !b && body ? new Env() : undefined;
    if (!closure || !body) {
      // a name no let, table or workspace function defines (inside a function body the analyzer does not flag it)
      if (!b && !call.ReferencedSymbol) throw this.err(`'${fname}' is not a known function`, call, 'KqlSemantic');
      if (call.ReferencedSymbol?.Kind === SYM_FUNCTION && !b)
        throw this.unsupported(`the function \`${fname}()\``, call);
      throw this.unsupported(`calling \`${fname}\` here`, call);
    }
    const sym = call.ReferencedSymbol;
    const sig = call.ReferencedSignature ?? sym?.Signatures?.getItem(0);
    const fenv = closure.child();
    const args = byName ? [] : this.items(this.ch(this.ch(call, 'ArgumentList'), 'Expressions'));
    const params: KNode[] = [];
    if (sig?.Parameters) for (let i = 0; i < sig.Parameters.Count; i++) params.push(sig.Parameters.getItem(i));
    // named arguments (`_Im_Dns(domain_has_any=list)`) bind by name, the others by position
    const named = new Map<string, KNode>();
    const positional: KNode[] = [];
    for (const a of args) {
      if (kindName(a) === 'SimpleNamedExpression') named.set(this.nameOf(this.ch(a, 'Name')), this.ch(a, 'Expression'));
      else positional.push(a);
    }
    let ai = 0;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const pname = String(p.Name);
      const tabular = p.IsTabular === true;
      if (input && i === 0 && tabular) {
        fenv.set(pname, { k: 'plan', plan: input });
        continue;
      }
      const a = named.get(pname) ?? (named.size && positional.length <= ai ? undefined : positional[ai++]);
      if (!a) {
        const dv = p.DefaultValue;
        if (dv) fenv.set(pname, { k: 'scalar', expr: this.sc(dv, env) });
        else throw this.err(`missing argument ${pname} of ${fname}()`, call, 'KqlSemantic');
        continue;
      }
      if (a.ResultType?.Kind === SYM_TABLE) fenv.set(pname, { k: 'plan', plan: this.tab(a, env) });
      else fenv.set(pname, { k: 'scalar', expr: this.sc(a, env) });
    }
    const saved = this.callSite;
    this.callSite = this.callSite ?? this.pos(call);
    try {
      for (const s of this.items(this.ch(body, 'Statements'))) {
        const st = kindName(s) === 'SeparatedElement' ? s.GetChild(0) : s;
        if (kindName(st) === 'LetStatement') this.let(st, fenv);
        else if (kindName(st) === 'ExpressionStatement') {
          const e = this.ch(st, 'Expression');
          return e.ResultType?.Kind === SYM_TABLE ? this.tab(e, fenv) : this.sc(e, fenv);
        }
      }
      const e = this.ch(body, 'Expression');
      if (!e) throw this.unsupported(`the body of \`${fname}\``, call);
      return e.ResultType?.Kind === SYM_TABLE ? this.tab(e, fenv) : this.sc(e, fenv);
    } finally {
      this.callSite = saved;
    }
  }
}

/** How many values an expression returns (a tuple of series_fit_line and the like), 1 for a plain value. */
function tupleArity(n: KNode): number {
  const t = n?.ResultType;
  return t && t.Kind === 6 && t.Columns ? Number(t.Columns.Count) : 1;
}

/** Names of the columns an expression reads, in order of appearance. */
function colRefs(e: Expr): string[] {
  const out: string[] = [];
  const visit = (x: Expr): void => {
    if (x.k === 'col') out.push(x.name);
    else if (x.k === 'fn' || x.k === 'op') x.args.forEach(visit);
    else if (x.k === 'path') {
      visit(x.base);
      visit(x.key);
    }
  };
  visit(e);
  return out;
}
