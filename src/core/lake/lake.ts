// CONTRACT STUB — the engine work replaces the bodies; the exported names and signatures are fixed.
import type { Logger, ResultColumn } from '../types';

export interface LakeTableInfo {
  name: string;
  file: string;
  format: 'jsonl' | 'csv' | 'json';
}

export interface LakeTableStats {
  name: string;
  rows: number;
  skippedRows: number;
  minTime?: string;
  maxTime?: string;
}

export interface LakeInfo {
  dir: string;
  name: string;
  workspaceId: string;
  now?: string;
  tables: LakeTableStats[];
}

export interface Lake {
  readonly dir: string;
  readonly name: string;
  readonly workspaceId: string;
  /** Pinned clock from lake.json, if any. */
  readonly now?: Date;
  tableNames(): string[];
  hasTable(name: string): boolean;
  tables(): LakeTableInfo[];
  /** Column names and types (built-in schema, schema.json, or inferred). */
  columns(table: string): Promise<ResultColumn[]>;
  info(signal?: AbortSignal): Promise<LakeInfo>;
  /** Appends rows to the table's file (JSONL) and invalidates its cache. Creates the table if missing. */
  appendRows(table: string, rows: Record<string, unknown>[]): Promise<void>;
}

export function openLake(_dir: string, _options: { logger?: Logger } = {}): Lake {
  throw new Error('openLake: not implemented yet');
}
