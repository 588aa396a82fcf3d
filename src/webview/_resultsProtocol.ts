// Messages between the results panel host (src/extension/authoring/resultsPanel.ts) and its page (results.ts).
import type { QueryResult } from '../core/types';

export interface ResultsMeta {
  title: string;
  backend: string;
  /** Human-readable range, e.g. "last 7 days (2026-11-13 12:00 → 2026-11-20 12:00 UTC)", or "as written in the query". */
  timeRange: string;
  ranAt: string;
  /** Said in the header: why the rows may not be what the range suggests, a changed block, a saved result. */
  note?: string;
}

export type HostToResults =
  | { type: 'running'; title: string }
  /** The first rows of a result (for a fast first paint); `totalRows` says how many will follow in `rows` messages. */
  | { type: 'results'; result: QueryResult; meta: ResultsMeta; totalRows: number }
  | { type: 'rows'; rows: unknown[][]; done: boolean }
  | { type: 'error'; title: string; message: string }
  | { type: 'exported'; path: string };

export type ResultsToHost =
  | { type: 'ready' }
  | { type: 'export'; format: 'csv' | 'json' }
  | { type: 'copy'; text: string; what: string }
  | { type: 'rerun' };

/** Rows in the first message, and in each following one: big results paint at once and stream in. */
export const FIRST_CHUNK_ROWS = 1000;
export const CHUNK_ROWS = 20000;

/** Splits a result into the messages that carry it. */
export function resultMessages(result: QueryResult, meta: ResultsMeta): HostToResults[] {
  const total = result.rows.length;
  const messages: HostToResults[] = [
    { type: 'results', result: { ...result, rows: result.rows.slice(0, FIRST_CHUNK_ROWS) }, meta, totalRows: total },
  ];
  for (let i = FIRST_CHUNK_ROWS; i < total; i += CHUNK_ROWS) {
    messages.push({ type: 'rows', rows: result.rows.slice(i, i + CHUNK_ROWS), done: i + CHUNK_ROWS >= total });
  }
  return messages;
}

/** Saved with webview.setState so a reloaded window can restore the panel. */
export interface ResultsState {
  documentUri?: string;
  title?: string;
}
