// Adapter around the official Kusto parser/analyzer (@kusto/language-service-next).
// Its bridge files define globals (Bridge, System, Kusto), so this module only loads in the CLI and in child
// processes — never in the extension host.
/* eslint-disable @typescript-eslint/no-explicit-any -- the Kusto library is untyped Bridge.NET JavaScript: its objects are any (KNode, KCode, …) */
import { KqlError, positionAt } from '../errors';
import type { KqlType, ResultColumn } from '../types';

export type KNode = any;
export type KCode = any;
/** A `GlobalState` (the tables and functions a query is analysed against). */
export type KGlobals = any;
/** A `KustoCodeService` (completion, diagnostics, hover of one block). */
export type KService = any;

let kusto: any;

/** The `Kusto.Language` namespace, loaded on first use. */
export function kustoLanguage(): any {
  if (!kusto) {
    const g = globalThis as any;
    if (!g.Kusto?.Language?.KustoCode) {
      // bundles load it from dist/kusto-bridge.js beside them (see esbuild.js)
      require('./kustoBridge');
    }
    kusto = g.Kusto.Language;
  }
  return kusto;
}

const TYPE_NAMES: Record<KqlType, string> = {
  string: 'String',
  datetime: 'DateTime',
  bool: 'Bool',
  int: 'Int',
  long: 'Long',
  real: 'Real',
  decimal: 'Decimal',
  guid: 'Guid',
  timespan: 'TimeSpan',
  dynamic: 'Dynamic',
};

/** A function of the workspace: name, `(a:string, …)` parameter list and body (see workspaceFunctions.ts). */
export interface WorkspaceFunctionDef {
  name: string;
  params: string;
  body: string;
}

/** A GlobalState whose default database holds the given tables and workspace functions. */
export function makeGlobals(tables: Map<string, ResultColumn[]>, functions: readonly WorkspaceFunctionDef[] = []): any {
  const K = kustoLanguage();
  const S = K.Symbols;
  const syms = [];
  for (const [name, cols] of tables) {
    const cs = cols.map(
      (c) =>
        new S.ColumnSymbol(c.name, S.ScalarTypes[TYPE_NAMES[c.type]] ?? S.ScalarTypes.Dynamic, null, null, null, null),
    );
    syms.push(new S.TableSymbol.$ctor4(name, cs));
  }
  if (tables.has('Watchlist')) {
    // Sentinel's _GetWatchlist('alias'): the watchlist's rows with each item's fields as columns
    syms.push(
      new S.FunctionSymbol.$ctor16(
        '_GetWatchlist',
        '(watchlistAlias:string)',
        "{ Watchlist | where WatchlistAlias == watchlistAlias | extend _WatchlistItem = WatchlistItem | evaluate bag_unpack(_WatchlistItem, columnsConflict='keep_source') }",
        null,
      ),
    );
  }
  for (const f of functions) {
    if (tables.has(f.name) || f.name === '_GetWatchlist') continue;
    syms.push(new S.FunctionSymbol.$ctor16(f.name, f.params, `{ ${f.body}\n}`, null));
  }
  const db = new S.DatabaseSymbol.$ctor1('lake', syms, false);
  return K.GlobalState.Default.WithDatabase(db);
}

/**
 * The same GlobalState as `ParseAndAnalyze` uses it, made once: with its parse options (end tokens on) already set,
 * `ParseAndAnalyze` keeps this state instead of deriving a new one on every call, and with a `KustoCache` the
 * binder's global cache (table unions, function expansions and their result types) lives as long as the state.
 * Without both, each analysis derives a new state whose cache starts empty. For states reused over many queries.
 */
export function analysisGlobals(globals: KGlobals): KGlobals {
  const withEnds = globals.WithParseOptions(globals.ParseOptions.WithAlwaysProduceEndTokens(true));
  // The query grammar (seconds to build) is shared by every state through a static; a state with a cache would
  // build it into the cache on first use, twice (the library's GetOrCreate runs its factory twice), so it is
  // built here without one (a no-op once built).
  kustoLanguage().Parsing.QueryGrammar.From(withEnds);
  return withEnds.WithCache();
}

/** Queries of the shapes users run, parsed once so the library builds its lazily made tables (functions,
 * operators, parser rules) before the first real query: in the start-up snapshot and in long-lived servers. */
const WARM_UP = [
  'print x = 1, s = strcat("a", tostring(now())), d = todynamic("{}")',
  'T | where TimeGenerated > ago(1d) and Name has "x" and Code in ("1", "2") | extend y = tolower(Name), z = parse_json(Bag).a' +
    ' | summarize count(), dcount(Name), make_set(y, 10), arg_max(TimeGenerated, *) by Code, bin(TimeGenerated, 1h) | top 10 by count_',
  'let t = T | project Name, TimeGenerated; t | join kind=inner (T | distinct Name) on Name | mv-expand Bag | order by Name asc | take 5',
  'datatable(a:string, b:long)["x", 1] | union (T | project a = Name, b = 1) | parse a with * "x" rest | make-series c = count() on TimeGenerated step 1h',
];

export function warmUpParser(): void {
  const globals = warmGlobals();
  for (const q of WARM_UP) kustoLanguage().KustoCode.ParseAndAnalyze(q, globals).GetDiagnostics();
}

/** The same warm-up in a long-lived server, one query per turn of the event loop so requests interleave. */
export function warmUpParserInBackground(): void {
  let i = 0;
  const next = () => {
    try {
      kustoLanguage().KustoCode.ParseAndAnalyze(WARM_UP[i], warmGlobals()).GetDiagnostics();
    } catch {
      return; // a warm-up is only an optimisation
    }
    if (++i < WARM_UP.length) setTimeout(next, 0).unref?.();
  };
  setTimeout(next, 0).unref?.();
}

let warmState: any;
function warmGlobals(): any {
  if (warmState) return warmState;
  const K = kustoLanguage();
  const S = K.Symbols;
  const cols = [
    ['TimeGenerated', 'DateTime'],
    ['Name', 'String'],
    ['Code', 'String'],
    ['Bag', 'Dynamic'],
  ].map(([n, t]) => new S.ColumnSymbol(n, S.ScalarTypes[t], null, null, null, null));
  const db = new S.DatabaseSymbol.$ctor1('warm', [new S.TableSymbol.$ctor4('T', cols)], false);
  warmState = K.GlobalState.Default.WithDatabase(db);
  return warmState;
}

/** Parses and analyses; throws the first error diagnostic as a KqlError with line/column. */
export function parseAndAnalyze(text: string, globals: any): KCode {
  const K = kustoLanguage();
  const code = K.KustoCode.ParseAndAnalyze(text, globals);
  const diags = code.GetDiagnostics();
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (String(d.Severity).toLowerCase() !== 'error') continue;
    const { line, column } = positionAt(text, d.Start);
    const semantic = /^KS(1[0-9][0-9]|2)/.test(String(d.Code)) && !/KS0/.test(String(d.Code));
    throw new KqlError(String(d.Message), { line, column, length: d.Length }, semantic ? 'KqlSemantic' : 'KqlSyntax');
  }
  return code;
}

/** KqlType of an analysed expression (undefined for tables, unknown or error types). */
export function typeOf(node: KNode): KqlType | undefined {
  const t = node?.ResultType;
  if (!t) return undefined;
  const n = String(t.Name);
  switch (n) {
    case 'string':
    case 'datetime':
    case 'bool':
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
    case 'guid':
    case 'timespan':
    case 'dynamic':
      return n;
    case 'date':
      return 'datetime';
    case 'time':
      return 'timespan';
    case 'boolean':
      return 'bool';
    case 'double':
      return 'real';
    case 'uniqueid':
      return 'guid';
    default:
      // tuples, bags and arrays of dynamic
      if (t.Kind === 7 || t.Kind === 8) return 'dynamic';
      return undefined;
  }
}

/** Output columns of a tabular node, as the analyzer computed them. */
export function tableColumns(node: KNode): ResultColumn[] | undefined {
  const t = node?.ResultType;
  // open tables (after evaluate bag_unpack and the like) have columns the analyzer cannot know
  if (!t || t.Kind !== 10 || !t.Columns || t.IsOpen === true) return undefined;
  const out: ResultColumn[] = [];
  for (let i = 0; i < t.Columns.Count; i++) {
    const c = t.Columns.getItem(i);
    out.push({ name: String(c.Name), type: scalarName(c.Type) });
  }
  return out;
}

/** Output columns the analyzer knows, also of an open table (whose further columns are known at run time only). */
export function knownColumns(node: KNode): ResultColumn[] {
  const t = node?.ResultType;
  if (!t || t.Kind !== 10 || !t.Columns) return [];
  const out: ResultColumn[] = [];
  for (let i = 0; i < t.Columns.Count; i++) {
    const c = t.Columns.getItem(i);
    out.push({ name: String(c.Name), type: scalarName(c.Type) });
  }
  return out;
}

function scalarName(t: any): KqlType {
  const n = String(t?.Name ?? 'dynamic');
  const m: Record<string, KqlType> = {
    date: 'datetime',
    time: 'timespan',
    boolean: 'bool',
    double: 'real',
    uniqueid: 'guid',
  };
  if (['string', 'datetime', 'bool', 'int', 'long', 'real', 'decimal', 'guid', 'timespan', 'dynamic'].includes(n))
    return n as KqlType;
  return m[n] ?? 'dynamic';
}

/** Cheap syntactic scan for names that might be tables (to decide which tables' schemas to load). */
export function identifiersIn(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}
