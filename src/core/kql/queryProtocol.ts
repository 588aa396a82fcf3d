// Messages between the query pool (the long-lived process) and a query worker thread (dist/query-worker.js).
import type { QueryResult, ResultColumn } from '../types';
import type { SourcePosition } from '../errors';

export interface QueryWorkerData {
  lakeDir: string;
  /** Tables to load once ready (those the pool's workers had loaded), so a replacement is soon warm. */
  preload?: string[];
}

export type ToQueryWorker =
  | {
      t: 'query';
      id: number;
      query: string;
      maxRows?: number;
      /** Epoch milliseconds. */
      timeRange?: { start: number; end: number };
      now?: number;
      timeoutMs: number;
    }
  | { t: 'columns'; id: number; table: string }
  | { t: 'cancel'; id: number }
  /** A table file changed (a comment was appended): drop the cached table and look at the folder again. */
  | { t: 'invalidate'; table: string };

export interface WorkerError {
  /** UserError, KqlError, CancelledError or Error. */
  name: string;
  message: string;
  code?: string;
  position?: SourcePosition;
}

export type FromQueryWorker =
  /** The worker opened the lake and warmed the parser; its first job does not pay for that. */
  | { t: 'ready' }
  | { id: number; ok: true; result?: QueryResult; columns?: ResultColumn[]; tables?: string[] }
  | { id: number; ok: false; error: WorkerError; tables?: string[] };
