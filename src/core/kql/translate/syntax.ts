// What the translators share: reading the analyzer's syntax tree, scopes of let-bound names, errors with positions.
import { KqlError, positionAt } from '../../errors';
import type { ColumnDef, Expr, Plan } from '../ir';
import { KNode, kustoLanguage, tableColumns } from '../kusto';

export type Binding = { k: 'scalar'; expr: Expr } | { k: 'plan'; plan: Plan } | { k: 'func'; env: Env; view?: boolean };

export class Env {
  private vars = new Map<string, Binding>();
  constructor(private readonly parent?: Env) {}
  get(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
  set(name: string, b: Binding): void {
    this.vars.set(name, b);
  }
  child(): Env {
    return new Env(this);
  }
  /** Whether a `let … = view () {…}` is in scope (`search` without `in` would search it too). */
  hasView(): boolean {
    for (const b of this.vars.values()) if (b.k === 'func' && b.view) return true;
    return this.parent?.hasView() ?? false;
  }
}

let kindNames: Record<number, string> | undefined;
export function kindName(n: KNode): string {
  if (!kindNames) {
    kindNames = {};
    const SK = kustoLanguage().Syntax.SyntaxKind;
    for (const k of Object.keys(SK))
      if (typeof SK[k] === 'number' && kindNames[SK[k]] === undefined) kindNames[SK[k]] = k;
  }
  return kindNames[n.Kind] ?? String(n.Kind);
}

export const AGGREGATES = new Set([
  'count',
  'countif',
  'dcount',
  'dcountif',
  'sum',
  'sumif',
  'avg',
  'avgif',
  'min',
  'max',
  'minif',
  'maxif',
  'make_set',
  'make_set_if',
  'makeset',
  'make_list',
  'make_list_if',
  'makelist',
  'arg_max',
  'arg_min',
  'take_any',
  'any',
  'take_anyif',
  'anyif',
  'percentile',
  'percentiles',
  'stdev',
  'variance',
  'stdevif',
  'varianceif',
  'make_bag',
  'make_bag_if',
  'stdevp',
  'variancep',
  'variancepif',
  'covariance',
  'covariancep',
  'covarianceif',
  'covariancepif',
  'binary_all_and',
  'binary_all_or',
  'binary_all_xor',
  'make_list_with_nulls',
  'hll',
  'hll_if',
  'hll_merge',
  'tdigest',
  'tdigest_merge',
]);

export const SYM_COLUMN = 9,
  SYM_TABLE = 10,
  SYM_VARIABLE = 2,
  SYM_FUNCTION = 3,
  SYM_PARAMETER = 4;

export abstract class SyntaxReader {
  constructor(
    protected readonly text: string,
    protected readonly allTables: string[] = [],
  ) {}

  // ---------- helpers ----------
  protected err(
    msg: string,
    n: KNode | undefined,
    code: 'KqlUnsupported' | 'KqlSemantic' = 'KqlUnsupported',
  ): KqlError {
    const off = n && typeof n.TextStart === 'number' && n.Tree === this.rootTree ? n.TextStart : (this.callSite ?? 0);
    const { line, column } = positionAt(this.text, off);
    return new KqlError(`${msg} (line ${line}, col ${column})`, { line, column }, code);
  }
  protected unsupported(what: string, n: KNode): KqlError {
    return this.err(`local engine does not support ${what}`, n);
  }
  protected rootTree: unknown;
  protected callSite: number | undefined;

  protected pos(n: KNode): number {
    return n && n.Tree === this.rootTree && typeof n.TextStart === 'number' ? n.TextStart : (this.callSite ?? 0);
  }

  protected ch(n: KNode, name: string): KNode | undefined {
    for (let i = 0; i < n.ChildCount; i++) if (n.GetName(i) === name) return n.GetChild(i) ?? undefined;
    return undefined;
  }

  protected items(list: KNode | undefined): KNode[] {
    const out: KNode[] = [];
    if (!list) return out;
    for (let i = 0; i < list.ChildCount; i++) {
      let c = list.GetChild(i);
      if (!c) continue;
      if (kindName(c) === 'SeparatedElement') c = c.GetChild(0);
      if (c && !c.IsToken) out.push(c);
    }
    return out;
  }

  protected nameOf(n: KNode): string {
    if (n.SimpleName !== undefined && n.SimpleName !== null) return String(n.SimpleName);
    return String(n.ToString()).trim();
  }

  protected opName(n: KNode): string {
    const k = kindName(n).replace(/Operator$|Expression$/, '');
    const kw = n.GetFirstToken?.()?.Text;
    return '`' + (kw ? String(kw) : k) + '`';
  }

  /** Columns of the operator's input (the left side of its pipe). */
  protected inputCols(op: KNode): ColumnDef[] {
    const pipe = op.Parent;
    if (pipe && kindName(pipe) === 'PipeExpression') return tableColumns(this.ch(pipe, 'Expression')) ?? [];
    return [];
  }

  /** Source text of a node of the query (tokens joined without spaces for nodes of expanded function bodies). */
  protected srcText(n: KNode): string {
    if (n.Tree === this.rootTree && typeof n.TextStart === 'number' && typeof n.End === 'number')
      return this.text.slice(n.TextStart, n.End);
    return String(n.ToString());
  }
}
