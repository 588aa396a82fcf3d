// A connected workspace's own tables and columns (custom `_CL` tables, tables the built-in schemas do not know),
// read through any backend's runQuery so the KQL language server can check queries against them.
//
// Cost: two kinds of query, both small.
//  1. Table names: `union withsource=_Table * | summarize by _Table` over the last 24 hours only (the time range is
//     passed to Log Analytics, which prunes by ingestion time). It reads one day of data but returns one row per
//     table; tables with no rows in the last day are not found (their queries still get "unknown table").
//  2. Columns: `T | getschema` for each table, 50 tables per query. getschema on a table reference reads metadata
//     only, not rows.
// Everything runs under one short time budget and the caller's AbortSignal.
import type { KqlType, QueryResult, ResultColumn, TimeRange } from '../types';
import { KQL_TYPES } from '../types';

export type TableSchemas = Record<string, ResultColumn[]>;

/** Runs one query; a SentinelBackend's runQuery fits. */
export type SchemaQueryRunner = (
  query: string,
  options: { timeRange: TimeRange; signal: AbortSignal },
) => Promise<QueryResult>;

export const TABLE_NAMES_QUERY = 'union withsource=_Table * | summarize by _Table';
/** Window the table-name query looks at. */
export const TABLE_NAMES_WINDOW_MS = 24 * 3600_000;
export const SCHEMA_BATCH = 50;
/** More tables than this are unusual; the rest are skipped (and logged by the caller). */
export const MAX_TABLES = 1000;

// Names that came from the server are used in a query only when they are plain identifiers.
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

/** Table names from the table-name query's result: plain identifiers only, de-duplicated, sorted. */
export function tableNamesFromResult(result: QueryResult): string[] {
  const col = result.columns.findIndex((c) => c.name === '_Table' || c.name === 'TableName');
  if (col < 0) return [];
  const names = new Set<string>();
  for (const row of result.rows) {
    const name = row[col];
    if (typeof name === 'string' && TABLE_NAME.test(name)) names.add(name);
  }
  return [...names].sort();
}

/** One query that returns the getschema rows of each table, tagged with the table name. */
export function schemaQuery(tables: readonly string[]): string {
  const bad = tables.find((t) => !TABLE_NAME.test(t));
  if (bad !== undefined) throw new Error(`Not a table name: ${JSON.stringify(bad)}`);
  if (tables.length === 0) throw new Error('No tables to read the schema of.');
  const legs = tables.map((t) => `(['${t}'] | getschema | extend _Table = '${t}')`);
  return `union ${legs.join(',\n  ')}\n| project _Table, ColumnName, ColumnOrdinal, ColumnType`;
}

/**
 * Turns getschema-style rows (`_Table` or `TableName`, `ColumnName`, `ColumnType` or `DataType`, optional
 * `ColumnOrdinal`) into table → columns. Unknown types become `dynamic`; rows without a usable name are skipped.
 */
export function schemaFromResult(result: QueryResult): TableSchemas {
  const index = (...names: string[]) => result.columns.findIndex((c) => names.includes(c.name));
  const tableCol = index('_Table', 'TableName');
  const nameCol = index('ColumnName');
  const typeCol = index('ColumnType');
  const dataTypeCol = index('DataType');
  const ordinalCol = index('ColumnOrdinal');
  if (tableCol < 0 || nameCol < 0 || (typeCol < 0 && dataTypeCol < 0)) {
    throw new Error(`Not a getschema result (columns: ${result.columns.map((c) => c.name).join(', ')})`);
  }
  const byTable = new Map<string, { name: string; type: KqlType; ordinal: number }[]>();
  result.rows.forEach((row, i) => {
    const table = row[tableCol];
    const name = row[nameCol];
    if (typeof table !== 'string' || !TABLE_NAME.test(table) || typeof name !== 'string' || name === '') return;
    const type =
      kqlType(typeCol >= 0 ? row[typeCol] : undefined) ??
      kqlType(dataTypeCol >= 0 ? row[dataTypeCol] : undefined) ??
      'dynamic';
    const ordinal = ordinalCol >= 0 && typeof row[ordinalCol] === 'number' ? (row[ordinalCol] as number) : i;
    const cols = byTable.get(table) ?? [];
    if (!cols.some((c) => c.name === name)) cols.push({ name, type, ordinal });
    byTable.set(table, cols);
  });
  const out: TableSchemas = {};
  for (const [table, cols] of byTable) {
    out[table] = cols.sort((a, b) => a.ordinal - b.ordinal).map(({ name, type }) => ({ name, type }));
  }
  return out;
}

// getschema's ColumnType is the KQL name; DataType is the .NET one.
const DOTNET: Record<string, KqlType> = {
  'system.string': 'string',
  'system.datetime': 'datetime',
  'system.boolean': 'bool',
  'system.sbyte': 'bool',
  'system.int32': 'int',
  'system.int64': 'long',
  'system.double': 'real',
  'system.single': 'real',
  'system.decimal': 'decimal',
  'system.data.sqltypes.sqldecimal': 'decimal',
  'system.guid': 'guid',
  'system.timespan': 'timespan',
  'system.object': 'dynamic',
};
const ALIASES: Record<string, KqlType> = {
  boolean: 'bool',
  double: 'real',
  date: 'datetime',
  time: 'timespan',
  uniqueid: 'guid',
};

function kqlType(value: unknown): KqlType | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim().toLowerCase();
  if ((KQL_TYPES as readonly string[]).includes(t)) return t as KqlType;
  return ALIASES[t] ?? DOTNET[t];
}

export interface FetchSchemaOptions {
  signal?: AbortSignal;
  /** Whole fetch budget; it is cancelled after this. Default 30 s. */
  timeoutMs?: number;
  now?: Date;
  /** Told about a batch that failed (the other batches still count) or tables skipped. */
  onWarning?: (message: string) => void;
}

/** Reads the workspace's table names, then their columns; throws only when nothing at all could be read. */
export async function fetchWorkspaceSchema(
  run: SchemaQueryRunner,
  options: FetchSchemaOptions = {},
): Promise<TableSchemas> {
  const budget = new AbortController();
  const timer = setTimeout(
    () => budget.abort(new Error(`the schema fetch took longer than ${options.timeoutMs ?? 30_000} ms`)),
    options.timeoutMs ?? 30_000,
  );
  const onAbort = () => budget.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const end = options.now ?? new Date();
    const recent: TimeRange = { start: new Date(end.getTime() - TABLE_NAMES_WINDOW_MS), end };
    const names = tableNamesFromResult(await run(TABLE_NAMES_QUERY, { timeRange: recent, signal: budget.signal }));
    if (names.length > MAX_TABLES)
      options.onWarning?.(`${names.length - MAX_TABLES} tables skipped (more than ${MAX_TABLES})`);
    const wanted = names.slice(0, MAX_TABLES);
    const out: TableSchemas = {};
    for (let i = 0; i < wanted.length; i += SCHEMA_BATCH) {
      const batch = wanted.slice(i, i + SCHEMA_BATCH);
      try {
        // getschema reads metadata; the short range keeps Log Analytics from planning a wide scan.
        Object.assign(
          out,
          schemaFromResult(await run(schemaQuery(batch), { timeRange: recent, signal: budget.signal })),
        );
      } catch (e) {
        if (budget.signal.aborted) throw budget.signal.reason instanceof Error ? budget.signal.reason : e;
        options.onWarning?.(
          `columns of ${batch.length} tables not read: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    if (wanted.length > 0 && Object.keys(out).length === 0) throw new Error('no table schema could be read');
    return out;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
