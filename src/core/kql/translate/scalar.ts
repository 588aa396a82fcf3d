// Translates scalar expressions of the analyzer's syntax tree into engine expressions (ir.ts).
import type { KqlType } from '../../types';
import { parseDatetime, parseTimeOfDay, parseTimespan } from '../../columnar/values';
import type { ColumnDef, Expr, Plan } from '../ir';
import { parseDynamicLiteral } from '../dynlit';
import { KNode, kustoLanguage, typeOf } from '../kusto';
import {
  AGGREGATES,
  Env,
  kindName,
  SYM_COLUMN,
  SYM_FUNCTION,
  SYM_PARAMETER,
  SYM_TABLE,
  SYM_VARIABLE,
  SyntaxReader,
} from './syntax';
import { getScalarFunction } from '../functions/registry';

/** Deprecated scalar function names real queries still use, and the functions they stand for. */
const FUNCTION_ALIASES: Record<string, string> = {
  arraylength: 'array_length',
  parsejson: 'parse_json',
  base64_decodestring: 'base64_decode_tostring',
  base64_encodestring: 'base64_encode_tostring',
  array_strcat: 'strcat_array',
  notempty: 'isnotempty',
  notnull: 'isnotnull',
  isnotnull: 'isnotnull',
};

/** Deprecated string operators. */
const OPERATOR_ALIASES: Record<string, string> = {
  containscs: 'contains_cs',
  '!containscs': '!contains_cs',
  notcontains: '!contains',
  notcontainscs: '!contains_cs',
};

/** `datetime("2015-01-01")` / `datetime('…')`: the text inside a quoted literal. */
function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0] ? t.slice(1, -1) : t;
}

export abstract class ScalarTranslator extends SyntaxReader {
  abstract tab(n: KNode, env: Env): Plan;
  protected abstract expand(call: KNode, env: Env, input: Plan | undefined): Plan | Expr;

  sc(n: KNode, env: Env): Expr {
    const k = kindName(n);
    const type: KqlType = typeOf(n) ?? 'dynamic';
    const pos = this.pos(n);
    if (n.IsLiteral && k !== 'NameReference' && k !== 'DynamicExpression') return this.literal(n, type);
    switch (k) {
      case 'ParenthesizedExpression':
        return this.sc(this.ch(n, 'Expression'), env);
      case 'SimpleNamedExpression':
        // a name given inside a call (`round(Rate = x * 100)`): the value is x * 100; the analyzer gives the
        // result column that name
        return this.sc(this.ch(n, 'Expression'), env);
      case 'DynamicExpression': {
        const src = this.srcText(n).trim();
        const inner = /^dynamic\s*\(([\s\S]*)\)$/i.exec(src)?.[1] ?? 'null';
        try {
          return { k: 'lit', v: parseDynamicLiteral(inner), type: 'dynamic' };
        } catch {
          throw this.unsupported('this `dynamic()` literal', n);
        }
      }
      case 'NameReference': {
        const sym = n.ReferencedSymbol;
        const name = this.nameOf(n);
        if (sym && (sym.Kind === SYM_VARIABLE || sym.Kind === SYM_PARAMETER)) {
          const b = env.get(name);
          if (b?.k === 'scalar') return b.expr;
          if (b?.k === 'plan') return { k: 'subquery', plan: b.plan, mode: 'scalar', type, pos };
        }
        if (sym && sym.Kind === SYM_COLUMN) return { k: 'col', name: String(sym.Name), type, pos };
        const b = env.get(name);
        if (b?.k === 'scalar') return b.expr;
        if (sym && sym.Kind === SYM_FUNCTION) {
          // a function used without parentheses (e.g. a let-bound parameterless function)
          if (n.GetExpansion?.()) return this.expand(n, env, undefined) as Expr;
          throw this.unsupported(`referring to the function \`${name}\` without calling it`, n);
        }
        throw this.err(`unknown name '${name}'`, n, 'KqlSemantic');
      }
      case 'PrefixUnaryExpression':
      case 'UnaryMinusExpression':
      case 'UnaryPlusExpression': {
        const opText = String(this.ch(n, 'Operator')?.Text ?? '-');
        const arg = this.sc(this.ch(n, 'Expression'), env);
        return opText === '+' ? arg : { k: 'op', op: 'neg', args: [arg], type, pos };
      }
      case 'InExpression':
      case 'InCsExpression':
      case 'NotInExpression':
      case 'NotInCsExpression':
      case 'HasAnyExpression':
      case 'HasAllExpression': {
        const op =
          k === 'HasAnyExpression'
            ? 'has_any'
            : k === 'HasAllExpression'
              ? 'has_all'
              : String(this.ch(n, 'Operator').Text).toLowerCase();
        const left = this.sc(this.ch(n, 'Left'), env);
        const right = this.ch(n, 'Right');
        const list = kindName(right) === 'ExpressionList' ? this.items(this.ch(right, 'Expressions')) : [right];
        const args: Expr[] = [left];
        for (const item of list) {
          if (!item.IsLiteral && item.ResultType?.Kind === SYM_TABLE)
            args.push({ k: 'subquery', plan: this.tab(item, env), mode: 'set', type: 'dynamic', pos: this.pos(item) });
          else args.push(this.sc(item, env));
        }
        return { k: 'op', op, args, type: 'bool', pos };
      }
      case 'BetweenExpression':
      case 'NotBetweenExpression': {
        const right = this.ch(n, 'Right');
        return {
          k: 'op',
          op: k === 'BetweenExpression' ? 'between' : '!between',
          args: [
            this.sc(this.ch(n, 'Left'), env),
            this.sc(this.ch(right, 'First'), env),
            this.sc(this.ch(right, 'Second'), env),
          ],
          type: 'bool',
          pos,
        };
      }
      case 'PathExpression': {
        const base = this.ch(n, 'Expression');
        const sel = this.ch(n, 'Selector');
        const bexpr = this.sc(base, env);
        const key =
          kindName(sel) === 'BracketedExpression'
            ? this.sc(this.ch(sel, 'Expression'), env)
            : { k: 'lit' as const, v: this.nameOf(sel), type: 'string' as KqlType };
        return { k: 'path', base: bexpr, key, type, pos };
      }
      case 'ElementExpression': {
        const sel = this.ch(n, 'Selector');
        return {
          k: 'path',
          base: this.sc(this.ch(n, 'Expression'), env),
          key: this.sc(this.ch(sel, 'Expression'), env),
          type,
          pos,
        };
      }
      case 'ToScalarExpression': {
        const e = this.ch(n, 'Expression');
        // toscalar of a scalar (a dynamic let, an expression) is that value
        if (e.ResultType?.Kind !== SYM_TABLE) return this.sc(e, env);
        return { k: 'subquery', plan: this.tab(e, env), mode: 'scalar', type, pos };
      }
      case 'FunctionCallExpression':
        return this.call(n, env, type, pos);
      case 'StarExpression':
        throw this.unsupported('`*` here', n);
      case 'BracketedExpression':
        return this.sc(this.ch(n, 'Expression'), env);
      default:
        break;
    }
    // binary operators
    const left = this.ch(n, 'Left');
    const right = this.ch(n, 'Right');
    const opTok = this.ch(n, 'Operator');
    if (left && right && opTok) {
      const op = String(opTok.Text).toLowerCase().replace(/\s+/g, ' ');
      if (kindName(left) === 'StarExpression') {
        // `* has "x"`: any string or dynamic column of the row
        const r = this.sc(right, env);
        const cols = this.rowColumns(n).filter((c) => c.type === 'string' || c.type === 'dynamic');
        if (cols.length === 0) return { k: 'lit', v: false, type: 'bool' };
        return cols
          .map((c): Expr => ({
            k: 'op',
            op,
            args: [{ k: 'col', name: c.name, type: c.type, pos }, r],
            type: 'bool',
            pos,
          }))
          .reduce((a, b) => ({ k: 'op', op: 'or', args: [a, b], type: 'bool', pos }));
      }
      if (OPERATOR_ALIASES[op])
        return { k: 'op', op: OPERATOR_ALIASES[op], args: [this.sc(left, env), this.sc(right, env)], type, pos };
      if (op === '<>') return { k: 'op', op: '!=', args: [this.sc(left, env), this.sc(right, env)], type, pos };
      return { k: 'op', op, args: [this.sc(left, env), this.sc(right, env)], type, pos };
    }
    throw this.unsupported(`the expression \`${String(n.ToString()).trim().slice(0, 40)}\``, n);
  }

  private literal(n: KNode, type: KqlType): Expr {
    const text = this.srcText(n).trim();
    const inner = /^[A-Za-z]+\s*\(([\s\S]*)\)$/.exec(text)?.[1]?.trim();
    if (inner !== undefined && inner.toLowerCase() === 'null') return { k: 'lit', v: null, type };
    const v = n.LiteralValue;
    switch (type) {
      case 'string':
        return { k: 'lit', v: v === null || v === undefined ? '' : String(v), type };
      case 'bool':
        return { k: 'lit', v: /true/i.test(inner ?? text), type };
      case 'int':
      case 'long':
      case 'decimal':
      case 'real': {
        if (inner !== undefined) {
          const l = inner.toLowerCase();
          if (l === 'nan') return { k: 'lit', v: NaN, type };
          if (l === '+inf' || l === 'inf') return { k: 'lit', v: Infinity, type };
          if (l === '-inf') return { k: 'lit', v: -Infinity, type };
          const x = Number(inner.replace(/^0x/i, '') !== inner ? parseInt(inner, 16) : inner);
          return { k: 'lit', v: x, type };
        }
        if (/^0x/i.test(text)) return { k: 'lit', v: parseInt(text, 16), type };
        return { k: 'lit', v: Number(String(v)), type };
      }
      case 'datetime': {
        // datetime() and datetime(now): the query's start time, as now()
        if (inner !== undefined && (inner === '' || inner.toLowerCase() === 'now'))
          return { k: 'fn', name: 'now', args: [], type, pos: this.pos(n) };
        const us = parseDatetime(unquote(inner ?? text));
        if (us === null) {
          // a time of day alone (datetime("8:00:00 AM")): that time on the query's day
          const tod = parseTimeOfDay(unquote(inner ?? text));
          if (tod !== null) {
            const pos = this.pos(n);
            const today: Expr = {
              k: 'fn',
              name: 'startofday',
              args: [{ k: 'fn', name: 'now', args: [], type, pos }],
              type,
              pos,
            };
            return { k: 'op', op: '+', args: [today, { k: 'lit', v: tod, type: 'timespan' }], type, pos };
          }
          throw this.err(`cannot read the datetime literal ${text}`, n, 'KqlSemantic');
        }
        return { k: 'lit', v: us, type };
      }
      case 'timespan': {
        const us = parseTimespan(unquote(inner ?? text));
        if (us === null) throw this.err(`cannot read the timespan literal ${text}`, n, 'KqlSemantic');
        return { k: 'lit', v: us, type };
      }
      case 'guid':
        return { k: 'lit', v: String(v), type };
      default:
        return { k: 'lit', v: v ?? null, type };
    }
  }

  protected aggHook: ((call: KNode) => Expr) | undefined;

  private call(n: KNode, env: Env, type: KqlType, pos: number): Expr {
    const written = this.nameOf(this.ch(n, 'Name'));
    const fname = env.get(written) ? written : (FUNCTION_ALIASES[written] ?? written);
    const argNodes = this.items(this.ch(this.ch(n, 'ArgumentList'), 'Expressions'));
    const b = env.get(fname);
    if (b?.k === 'func' || (!b && n.ReferencedSymbol?.Kind === SYM_FUNCTION && n.GetExpansion?.()))
      return this.expand(n, env, undefined) as Expr;
    if (this.aggHook && AGGREGATES.has(fname) && n.ReferencedSymbol?.Kind === SYM_FUNCTION && isAggregateSymbol(n))
      return this.aggHook(n);
    // hll_merge is both an aggregate and a scalar function: the analyzer's symbol says which one is called.
    const scalarOverload =
      n.ReferencedSymbol?.Kind === SYM_FUNCTION &&
      getScalarFunction(fname) !== undefined &&
      kustoLanguage().GlobalState.Default.IsAggregateFunction(n.ReferencedSymbol) === false;
    if (AGGREGATES.has(fname) && fname !== 'count' && !['min', 'max'].includes(fname) && !scalarOverload) {
      throw this.unsupported(`the aggregate \`${fname}()\` outside \`summarize\``, n);
    }
    if (fname === 'count' && argNodes.length === 0) throw this.unsupported('`count()` outside `summarize`', n);
    if (fname === 'column_ifexists' || fname === 'columnifexists') {
      const colName = argNodes[0]?.IsLiteral ? String(argNodes[0].LiteralValue) : undefined;
      const cols = this.rowColumns(n);
      const found = colName ? cols.find((c) => c.name === colName) : undefined;
      if (found) return { k: 'col', name: found.name, type: found.type, pos };
      return argNodes[1] ? this.sc(argNodes[1], env) : { k: 'lit', v: null, type };
    }
    if (fname === 'toscalar' && argNodes[0]?.ResultType?.Kind === SYM_TABLE) {
      return { k: 'subquery', plan: this.tab(argNodes[0], env), mode: 'scalar', type, pos };
    }
    if (fname === 'materialize') throw this.unsupported('`materialize` as a scalar', n);
    if (fname === 'ingestion_time' && argNodes.length === 0) {
      // a lake has no separate ingestion clock: rows were ingested when they were generated
      const tg = this.rowColumns(n).find((c) => c.name === 'TimeGenerated' && c.type === 'datetime');
      return tg ? { k: 'col', name: tg.name, type: 'datetime', pos } : { k: 'lit', v: null, type: 'datetime' };
    }
    if (fname === 'row_rank') {
      // row_rank(term) is the obsolete name of row_rank_dense (the analyzer says so); its second, `dense`
      // argument has no documented meaning today
      if (argNodes.length !== 1) throw this.unsupported('`row_rank()` with a second argument', n);
      return { k: 'fn', name: 'row_rank_dense', args: [this.sc(argNodes[0], env)], type, pos };
    }
    if (
      [
        'pack_all',
        'row_number',
        'prev',
        'next',
        'row_cumsum',
        'row_window_session',
        'row_rank_min',
        'row_rank_dense',
        'bag_pack_columns',
      ].includes(fname)
    ) {
      if (fname === 'bag_pack_columns') {
        // a bag of the named columns, keyed by their names
        const args: Expr[] = [];
        for (const a of argNodes) {
          const c = this.sc(a, env);
          if (c.k !== 'col') throw this.unsupported('an expression that is not a column in `bag_pack_columns()`', a);
          args.push({ k: 'lit', v: c.name, type: 'string' }, c);
        }
        return { k: 'fn', name: 'bag_pack', args, type, pos };
      }
      if (fname === 'pack_all') {
        // pack_all(ignore_null_empty): the flag must be a constant
        let skipEmpty = false;
        if (argNodes.length > 0) {
          const flag = this.sc(argNodes[0], env);
          if (flag.k !== 'lit' || (flag.v !== null && typeof flag.v !== 'boolean'))
            throw this.unsupported('a computed `pack_all()` argument', argNodes[0]);
          skipEmpty = flag.v === true;
        }
        const cols = this.rowColumns(n).map((c) => ({ k: 'col' as const, name: c.name, type: c.type, pos }));
        return { k: 'fn', name: skipEmpty ? 'pack_all_nonempty' : 'pack_all', args: cols, type, pos };
      }
      // the window functions over serialized rows, evaluated in order by eval.ts
      return { k: 'fn', name: fname, args: argNodes.map((a) => this.sc(a, env)), type, pos };
    }
    const args = argNodes.map((a) => {
      if (a.ResultType?.Kind === SYM_TABLE) throw this.unsupported(`a tabular argument to \`${fname}()\``, a);
      return this.sc(a, env);
    });
    return { k: 'fn', name: fname, args, type, pos };
  }

  /** The row columns in scope at an expression (the input of the operator that contains it). */
  private rowColumns(n: KNode): ColumnDef[] {
    let p = n.Parent;
    while (p) {
      const kn = kindName(p);
      if (/Operator$/.test(kn) && p.Parent && kindName(p.Parent) === 'PipeExpression') return this.inputCols(p);
      p = p.Parent;
    }
    return [];
  }
}

/** Whether a call resolves to an aggregate function (min/max are also scalar functions of several arguments). */
function isAggregateSymbol(call: KNode): boolean {
  const sym = call.ReferencedSymbol;
  if (!sym) return false;
  if (typeof sym.IsAggregate === 'boolean') return sym.IsAggregate;
  return true;
}
