// CONTRACT STUB — the engine work replaces the bodies; the exported names and signatures are fixed.
import type { Lake } from '../lake/lake';
import type { Logger, QueryResult, TimeRange } from '../types';

export interface ExecuteOptions {
  /** Clock for now()/ago(); defaults to the lake's pinned `now`, else the real time. */
  now?: Date;
  /** Restricts every table's TimeGenerated to this range (like Log Analytics' timespan). */
  timeRange?: TimeRange;
  maxRows?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface KqlEngine {
  /** Runs a query. Throws KqlError (with 1-based line/column) for bad or unsupported KQL. */
  execute(query: string, options?: ExecuteOptions): Promise<QueryResult>;
}

export function createEngine(_lake: Lake, _options: { logger?: Logger } = {}): KqlEngine {
  throw new Error('createEngine: not implemented yet');
}
