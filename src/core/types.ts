// Shared value and result types. Every layer (engine, backends, CLI, MCP, extension) speaks these.

/** KQL scalar types as Log Analytics names them. */
export type KqlType =
  'string' | 'datetime' | 'bool' | 'int' | 'long' | 'real' | 'decimal' | 'guid' | 'timespan' | 'dynamic';

export const KQL_TYPES: readonly KqlType[] = [
  'string',
  'datetime',
  'bool',
  'int',
  'long',
  'real',
  'decimal',
  'guid',
  'timespan',
  'dynamic',
];

export interface ResultColumn {
  name: string;
  type: KqlType;
}

export interface QueryStats {
  rowsScanned: number;
  rowsReturned: number;
  elapsedMs: number;
  /** True when `maxRows` cut the result. */
  truncated: boolean;
  backend?: string;
}

/** A `render` operator kept as a hint for the results panel. */
export interface RenderHint {
  kind: string;
  title?: string;
  xcolumn?: string;
  ycolumns?: string[];
}

/**
 * A query result in wire form (what `swb query --format json` prints):
 * datetimes as ISO-8601 strings, timespans as `[d.]hh:mm:ss[.fffffff]`, dynamic as JSON values,
 * numbers as numbers, booleans as booleans, missing values as null.
 */
export interface QueryResult {
  columns: ResultColumn[];
  rows: unknown[][];
  stats: QueryStats;
  render?: RenderHint;
  /** Things the user must know about an otherwise usable result (e.g. a partial failure in Log Analytics). */
  warnings?: string[];
}

export interface TimeRange {
  start: Date;
  end: Date;
}

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

/** A logger for code paths that have nowhere to log. */
export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that writes to stderr (CLI, MCP server: stdout belongs to the output / the protocol). */
export function stderrLogger(level: 'debug' | 'info' | 'warn' = 'info'): Logger {
  const order = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 } as const;
  const min = order[level];
  const write =
    (lvl: keyof typeof order) =>
    (message: string | Error, ...args: unknown[]) => {
      if (order[lvl] < min) return;
      const text = message instanceof Error ? message.message : message;
      const extra = args.length ? ' ' + args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : '';
      process.stderr.write(`[${lvl}] ${text}${extra}\n`);
    };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}
