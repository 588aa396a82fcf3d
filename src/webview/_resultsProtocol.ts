// Messages between the results panel host (src/extension/authoring/resultsPanel.ts) and its page (results.ts).
import type { QueryResult } from '../core/types';

export interface ResultsMeta {
  title: string;
  backend: string;
  /** Human-readable range, e.g. "last 7 days (2026-11-13 12:00 → 2026-11-20 12:00 UTC)", or "as written in the query". */
  timeRange: string;
  ranAt: string;
}

export type HostToResults =
  | { type: 'running'; title: string }
  | { type: 'results'; result: QueryResult; meta: ResultsMeta }
  | { type: 'error'; title: string; message: string }
  | { type: 'exported'; path: string };

export type ResultsToHost =
  | { type: 'ready' }
  | { type: 'export'; format: 'csv' | 'json' }
  | { type: 'copy'; text: string; what: string }
  | { type: 'rerun' };

/** Saved with webview.setState so a reloaded window can restore the panel. */
export interface ResultsState {
  documentUri?: string;
  title?: string;
}
