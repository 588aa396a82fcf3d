// The local KQL engine: official parser/analyzer → typed IR → columnar evaluation over the lake.
import { CancelledError, KqlError, throwIfAborted } from '../errors';
import type { Lake } from '../lake/lake';
import type { ColumnarTable } from '../columnar/columns';
import { builtinSchema, builtinTableNames } from '../lake/schemas';
import { Logger, QueryResult, ResultColumn, silentLogger, TimeRange } from '../types';
import { positionAt } from '../errors';
import { Executor, toWire } from './exec';
import { getScalarFunction } from './functions/registry';
import { Expr, forEachPlan, nodeExprs, Plan } from './ir';
import { analysisGlobals, identifiersIn, makeGlobals, parseAndAnalyze } from './kusto';
import { Translator } from './translate';
import { ExternalDataMap, lakeExternalDataMap, loadExternalData } from './externalData';
import * as fs from 'fs';
import * as path from 'path';
import { identifiersOfCalled, loadWorkspaceFunctions, WorkspaceFunction } from './workspaceFunctions';

export interface ExecuteOptions {
  /** Clock for now()/ago(); defaults to the lake's pinned `now`, else the real time. */
  now?: Date;
  /** Restricts every table's TimeGenerated to this range (like Log Analytics' timespan). */
  timeRange?: TimeRange;
  maxRows?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** URL → local file for `externaldata` (over the lake folder's externaldata.json); never fetched from the network. */
  externalData?: ExternalDataMap;
}

export interface KqlEngine {
  /** Runs a query. Throws KqlError (with 1-based line/column) for bad or unsupported KQL. */
  execute(query: string, options?: ExecuteOptions): Promise<QueryResult>;
  /** Reads the workspace functions and builds the analyzer state queries calling them share (long-lived hosts
   * call it at start-up so that the first such query does not pay for it). */
  warmUp?(): void;
}

/** Functions the evaluator implements itself (the rest come from the function library). */
const BUILTIN_FUNCTIONS = new Set([
  'now',
  'ago',
  'iff',
  'iif',
  'isempty',
  'isnotempty',
  'isnull',
  'isnotnull',
  'row_number',
  'prev',
  'next',
  'row_cumsum',
  'row_window_session',
  'row_rank_min',
  'row_rank_dense',
  'pack_all',
  'pack_all_nonempty',
]);

const DEFAULT_MAX_ROWS = 1_000_000;

/** Analyses one shared analyzer state serves before it is rebuilt (its cache of function expansions grows). */
const SHARED_STATE_USES = 500;

function signatureOf(cols: readonly ResultColumn[]): string {
  return cols.map((x) => x.name + ':' + x.type).join(',');
}

const DEFAULT_TIMEOUT_MS = 120_000;

export interface EngineOptions {
  logger?: Logger;
  /** Reuse translated plans of repeated queries over unchanged schemas (default true). */
  planCache?: boolean;
  /** Workspace functions (parsers, saved functions) queries may call; the lake's `functions/` folder adds more. */
  functions?: WorkspaceFunction[];
  /**
   * One-shot queries (`swb query`): a table not loaded yet is read with only the columns the query names, when the
   * query certainly reads no other (else, and for any query in doubt, whole tables as always). Such a table is used
   * for this query only, never cached.
   */
  pruneColumns?: boolean;
}

/** A map that keeps its `max` most recently used entries (a long-lived engine meets many queries and schemas). */
class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }
}

class LocalEngine implements KqlEngine {
  /** Analyzer states by schema key (tables, columns and functions a query sees). */
  private globalsCache = new Lru<string, unknown>(16);
  /** Translated plans by schema key and query text. */
  private plans = new Lru<string, Plan>(256);
  private functionsByName?: Map<string, WorkspaceFunction>;
  private known = new Map<string, ResultColumn[]>();
  private knownSig = new Map<string, string>();
  private knownVersion = 0;
  private shared?: { base: string; key: string; globals: unknown; uses: number };
  private sharedBuilds = 0;
  constructor(
    private readonly lake: Lake,
    private readonly logger: Logger,
    private readonly cachePlans: boolean,
    private readonly extraFunctions: WorkspaceFunction[] = [],
    private readonly pruneColumns = false,
  ) {}

  /**
   * The analyzer state of queries that call workspace functions: every table the workspace describes (the schema
   * each had when a query last loaded it, else its declared one) and every function. Rebuilt when a table's
   * schema or the set of tables changes, and after a number of queries (its cache of expansions grows with them).
   */
  private functionState(
    schemas: Map<string, ResultColumn[]>,
    functions: Map<string, WorkspaceFunction>,
  ): { base: string; key: string; globals: unknown; uses: number } {
    for (const [name, cols] of schemas) this.noteSchema(name, cols);
    const names = new Set([
      ...this.lake.tableNames(),
      ...(this.lake.declaredTableNames?.() ?? []),
      ...builtinTableNames(),
      ...schemas.keys(),
    ]);
    for (const name of names) {
      if (this.known.has(name)) continue;
      // a lake table with no declared schema is known once a query has loaded it
      const cols = this.lake.declaredColumns?.(name);
      if (cols) this.noteSchema(name, cols);
    }
    const key = `\u0002${this.knownVersion}\u0002${[...names].join(',')}`;
    let st = this.shared;
    if (!st || st.base !== key || st.uses >= SHARED_STATE_USES) {
      const tables = new Map<string, ResultColumn[]>();
      for (const name of names) {
        const cols = this.known.get(name);
        if (cols) tables.set(name, cols);
      }
      st = this.shared = {
        base: key,
        key: `${key}\u0002${++this.sharedBuilds}`,
        globals: analysisGlobals(makeGlobals(tables, [...functions.values()])),
        uses: 0,
      };
    }
    return st;
  }

  /** Records the schema a table has now; a change makes the shared analyzer state stale. */
  private noteSchema(name: string, cols: ResultColumn[]): void {
    const sig = signatureOf(cols);
    if (this.knownSig.get(name) === sig) return;
    this.known.set(name, cols);
    this.knownSig.set(name, sig);
    this.knownVersion++;
  }

  /** The given functions, then those of the lake's `functions/` folder (read once). */
  private functions(): Map<string, WorkspaceFunction> {
    if (!this.functionsByName) {
      const m = new Map<string, WorkspaceFunction>();
      for (const f of this.extraFunctions) if (!m.has(f.name)) m.set(f.name, f);
      const dir = path.join(this.lake.dir, 'functions');
      if (fs.existsSync(dir)) {
        const loaded = loadWorkspaceFunctions(dir);
        for (const s of loaded.skipped) this.logger.warn(`functions: skipped ${s.file}: ${s.reason}`);
        for (const f of loaded.functions) if (!m.has(f.name)) m.set(f.name, f);
      }
      this.functionsByName = m;
    }
    return this.functionsByName;
  }

  warmUp(): void {
    const functions = this.functions();
    if (functions.size) this.functionState(new Map(), functions);
  }

  /** Loads the tables the query reads (`keep`: only those columns, where the lake can) and translates it. */
  private async prepare(
    query: string,
    idents: Set<string>,
    everyTable: boolean,
    used: WorkspaceFunction[],
    functions: Map<string, WorkspaceFunction>,
    signal: AbortSignal | undefined,
    keep: Set<string> | undefined,
  ): Promise<{ plan: Plan; tables: Map<string, ColumnarTable>; pruned: Set<string> }> {
    const tables = new Map<string, ColumnarTable>();
    const pruned = new Set<string>();
    const schemas = new Map<string, ResultColumn[]>();
    for (const name of this.lake.tableNames()) {
      if (!idents.has(name) && !everyTable) continue;
      throwIfAborted(signal);
      const part = keep && this.lake.loadColumns ? await this.lake.loadColumns(name, keep, signal) : undefined;
      if (part) pruned.add(name);
      const t = part ?? (await this.lake.loadTable!(name, signal));
      tables.set(name, t);
      schemas.set(
        name,
        t.fields.map((f) => ({ name: f.name, type: f.type })),
      );
    }
    // Tables known by schema (schema.json or built-in) but absent from the lake are empty tables; a wildcard
    // union or search reads every table schema.json declares as well, as a workspace has those tables.
    const declared = everyTable ? (this.lake.declaredTableNames?.() ?? []) : [];
    for (const name of [...idents, ...declared]) {
      if (schemas.has(name)) continue;
      const b = builtinSchema(name);
      const cols =
        this.lake.declaredColumns?.(name) ??
        (b ? Object.entries(b).map(([n, type]) => ({ name: n, type })) : undefined);
      if (!cols) continue;
      schemas.set(name, cols);
      tables.set(name, emptyTable(name, cols));
    }
    throwIfAborted(signal);
    // A query calling workspace functions is analysed against one state shared by all such queries (every table
    // and function of the workspace), so the analyzer's expansions of the function bodies carry over from query
    // to query; the others against the tables they name (wildcards: the tables the lake has).
    const shared = used.length > 0 && !everyTable ? this.functionState(schemas, functions) : undefined;
    const key =
      shared?.key ??
      [...schemas].map(([n, c]) => n + '(' + signatureOf(c) + ')').join(';') +
        (used.length ? '\u0001' + used.map((f) => f.name).join(',') : '');
    const planKey = key + '\u0000' + query;
    let plan: Plan | undefined = this.cachePlans ? this.plans.get(planKey) : undefined;
    if (!plan) {
      let globals = shared?.globals ?? this.globalsCache.get(key);
      if (!globals) {
        globals = analysisGlobals(makeGlobals(schemas, used));
        this.globalsCache.set(key, globals);
      }
      if (shared) shared.uses++;
      let code;
      try {
        code = parseAndAnalyze(query, globals);
      } catch (e) {
        if (e instanceof KqlError) throw e;
        throw new KqlError(
          `the KQL parser failed on this query (${(e as Error)?.message ?? String(e)})`,
          undefined,
          'KqlSyntax',
        );
      }
      plan = new Translator(
        query,
        [...new Set([...this.lake.tableNames(), ...declared])].filter((t) => schemas.has(t)),
      ).translate(code);
      checkFunctions(plan, query);
      if (this.cachePlans) {
        this.plans.set(planKey, plan);
      }
    }

    return { plan, tables, pruned };
  }

  async execute(query: string, options: ExecuteOptions = {}): Promise<QueryResult> {
    const t0 = Date.now();
    const signal = options.signal;
    throwIfAborted(signal);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = t0 + timeoutMs;

    // Load the tables the query mentions (their schemas feed the analyzer; their data the evaluator).
    const functions = this.functions();
    const named = identifiersIn(query);
    const idents = functions.size ? identifiersOfCalled(named, functions) : new Set(named);
    if (idents.has('_GetWatchlist')) idents.add('Watchlist');
    if (!this.lake.loadTable) throw new Error('this lake cannot hand its tables to the local engine');
    // bare search and union with table wildcards read every table
    const everyTable = idents.has('search') || /\bunion\b[^|]*\*/.test(query);
    // only the functions the query can reach (directly or through other functions) go to the analyzer
    const used = [...functions.values()].filter((f) => idents.has(f.name));
    // One-shot: a table not loaded yet is read with only the columns the query can name, when that is certain.
    const keep =
      this.pruneColumns && !everyTable && used.length === 0 && !textMayReadUnnamedColumns(query, idents)
        ? named
        : undefined;
    // the two readers of a column the text need not name: the time range and ingestion_time()
    if (keep && (options.timeRange || keep.has('ingestion_time'))) keep.add('TimeGenerated');
    let r;
    try {
      r = await this.prepare(query, idents, everyTable, used, functions, signal, keep);
    } catch (e) {
      // an error is reported as the whole tables give it
      if (!keep || e instanceof CancelledError) throw e;
      r = undefined;
    }
    if (!r || (r.pruned.size && !planReadsOnlyNamedColumns(r.plan))) {
      if (r) this.logger.debug('engine: the query may read columns it does not name; loading whole tables');
      r = await this.prepare(query, idents, everyTable, used, functions, signal, undefined);
    }
    const { plan, tables } = r;

    let externalRows: Map<string, unknown[][]> | undefined;
    if (hasExternalData(plan)) {
      const map = { ...lakeExternalDataMap(this.lake.dir), ...options.externalData };
      externalRows = await loadExternalData(
        plan,
        map,
        query,
        `${path.join(this.lake.dir, 'externaldata.json')} (or pass --external-data MAP.json to swb query)`,
      );
    }

    const nowMs = options.now?.getTime() ?? this.lake.now?.getTime() ?? Date.now();
    const ctx = {
      text: query,
      nowMicros: nowMs * 1000,
      tables,
      timeRange: options.timeRange,
      deadline,
      timeoutMs,
      signal,
      rowsScanned: 0,
      externalRows,
    };
    // Let a pending abort land before the synchronous evaluation starts.
    await new Promise((r) => setImmediate(r));
    throwIfAborted(signal);
    const ex = new Executor(ctx);
    let rel;
    try {
      rel = await ex.runAsync(plan);
    } catch (e) {
      if (e instanceof KqlError || e instanceof CancelledError) throw e;
      if (
        e instanceof RangeError &&
        /call stack|Invalid (array|string|typed array) length|allocation failed|invalid size/i.test(e.message)
      ) {
        throw new KqlError(`the query is too large for the local engine (${e.message})`, undefined, 'KqlRuntime');
      }
      throw e;
    }
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    const { rows, truncated } = toWire(rel, maxRows);
    const result: QueryResult = {
      columns: rel.fields.map((f) => ({ name: f.name, type: f.type })),
      rows,
      stats: {
        rowsScanned: ctx.rowsScanned,
        rowsReturned: rows.length,
        elapsedMs: Date.now() - t0,
        truncated,
        backend: 'local',
      },
    };
    if (ex.render) result.render = ex.render;
    this.logger.debug(`engine: ${rows.length} row(s) in ${result.stats.elapsedMs} ms`);
    return result;
  }
}

// Names of constructs that read columns the query does not spell out (or read them by a string), or whose plans
// this check does not follow; a query naming any of them reads whole tables.
const READS_UNNAMED = new Set([
  'pack_all',
  'bag_pack_columns',
  'column_ifexists',
  'columnifexists',
  'search',
  'find',
  'union',
  'join',
  'lookup',
  'evaluate',
  'getschema',
  'invoke',
  'facet',
  'fork',
  'materialize',
  'toscalar',
  'externaldata',
  'external_data',
  '_GetWatchlist',
]);

/**
 * Whether the text may read columns it does not name: a `*` anywhere (`arg_max(x, *)`, `take_any(*)`, `* has`,
 * also a product, to be safe), a quoted name (`['a b']`), `project-away` and its kin, `$left`/`$right`, any character
 * beyond ASCII (a name such as `Größe`, or only a string: to be safe), or a name of
 * {@link READS_UNNAMED}. Cheap and over-cautious, so that a doubtful query does not load its tables twice.
 */
function textMayReadUnnamedColumns(query: string, idents: Set<string>): boolean {
  if (query.includes('*') || /\[\s*@?["']/.test(query) || /project\s*-/.test(query) || query.includes('$')) return true;
  // a name with letters beyond ASCII is not one identifiersIn() finds
  if (/[^\u0020-\u007e\s]/.test(query)) return true;
  for (const n of idents) if (READS_UNNAMED.has(n)) return true;
  return false;
}

// Operators that pass every column of their input on, and those whose output has only the columns they name.
const PASS_THROUGH = new Set<Plan['k']>(['where', 'extend', 'sort', 'take', 'top', 'serialize', 'render']);
const NARROWING = new Set<Plan['k']>(['project', 'summarize', 'count', 'distinct']);
const FUNCTIONS_OF_THE_ROW = new Set(['pack_all', 'pack_all_nonempty', 'bag_pack_columns']);

/**
 * The translated plan (of a query whose tables were read in part) reads no column it does not name: it is made only
 * of the operators above, each table's rows pass a narrowing operator (project, summarize, count, distinct of named
 * columns) before anything can see all their columns, and no expression is a subquery or a function of the whole
 * row. Anything else (joins, unions, mv-expand, parse, project-away…) is refused: the query then reads whole tables.
 */
export function planReadsOnlyNamedColumns(plan: Plan): boolean {
  const walk = (p: Plan, narrowed: boolean): boolean => {
    if (p.k === 'table') return narrowed;
    if (!exprsNameTheirColumns(p)) return false;
    if (PASS_THROUGH.has(p.k)) return walk((p as { input: Plan }).input, narrowed);
    if (NARROWING.has(p.k)) {
      if (p.k === 'distinct' && p.items === '*') return false;
      return walk((p as { input: Plan }).input, true);
    }
    return false;
  };
  return walk(plan, false);
}

function exprsNameTheirColumns(p: Plan): boolean {
  let ok = true;
  const visit = (e: Expr): void => {
    if (!ok) return;
    if (e.k === 'subquery') ok = false;
    else if (e.k === 'fn') {
      if (FUNCTIONS_OF_THE_ROW.has(e.name)) ok = false;
      e.args.forEach(visit);
    } else if (e.k === 'op') e.args.forEach(visit);
    else if (e.k === 'path') {
      visit(e.base);
      visit(e.key);
    }
  };
  nodeExprs(p).forEach(visit);
  return ok;
}

function hasExternalData(plan: Plan): boolean {
  let found = false;
  forEachPlan(plan, (p) => {
    if (p.k === 'externalData') found = true;
  });
  return found;
}

function emptyTable(name: string, cols: ResultColumn[]): ColumnarTable {
  const { constCol, storageOf } = require('../columnar/columns') as typeof import('../columnar/columns');
  return {
    name,
    length: 0,
    skippedRows: 0,
    skippedCells: 0,
    fields: cols.map((c) => ({ name: c.name, type: c.type, col: constCol(storageOf(c.type), null, 0) })),
  };
}

/** Refuses a query that calls a function the engine lacks, before running anything. */
function checkFunctions(plan: Plan, text: string): void {
  const visit = (e: Expr): void => {
    if (e.k === 'fn') {
      if (!BUILTIN_FUNCTIONS.has(e.name) && !getScalarFunction(e.name)) {
        const { line, column } = positionAt(text, e.pos);
        throw new KqlError(
          `local engine does not support the function \`${e.name}()\` (line ${line}, col ${column})`,
          { line, column },
          'KqlUnsupported',
        );
      }
      e.args.forEach(visit);
    } else if (e.k === 'op') e.args.forEach(visit);
    else if (e.k === 'path') {
      visit(e.base);
      visit(e.key);
    }
  };
  forEachPlan(plan, (p) => nodeExprs(p).forEach(visit));
}

export function createEngine(lake: Lake, options: EngineOptions = {}): KqlEngine {
  return new LocalEngine(
    lake,
    options.logger ?? silentLogger,
    options.planCache !== false,
    options.functions,
    options.pruneColumns === true,
  );
}
