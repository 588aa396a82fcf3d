// Shared helpers for engine tests.
import { plain } from '../plain';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine, ExecuteOptions, KqlEngine } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import type { QueryResult } from '../../../src/core/types';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/lakes');
export const NOW = new Date('2026-11-20T12:00:00Z');

let emptyEngine: KqlEngine | undefined;
let miniEngine: KqlEngine | undefined;

/** An engine over an empty lake (queries bring their own data with datatable/print/range). */
export function engine(): KqlEngine {
  if (!emptyEngine) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-kql-test-'));
    emptyEngine = createEngine(openLake(dir));
  }
  return emptyEngine;
}

export function miniLakeEngine(): KqlEngine {
  if (!miniEngine) miniEngine = createEngine(openLake(path.join(FIXTURES, 'mini')));
  return miniEngine;
}

export async function run(query: string, options: ExecuteOptions = {}, e: KqlEngine = engine()): Promise<QueryResult> {
  const r = await e.execute(query, { now: NOW, ...options });
  return { ...r, rows: plain(r.rows) };
}

/** Rows of a query. */
export async function rows(query: string, e?: KqlEngine): Promise<unknown[][]> {
  return (await run(query, {}, e)).rows;
}

/** The single value of a one-row, one-column result. */
export async function scalar(query: string, e?: KqlEngine): Promise<unknown> {
  const r = await run(query, {}, e);
  if (r.rows.length !== 1 || r.columns.length < 1) throw new Error(`expected one row, got ${r.rows.length}`);
  return r.rows[0][0];
}

/** Rejection of a query, as a KqlError. */
export async function failure(
  query: string,
  e?: KqlEngine,
): Promise<Error & { position?: { line: number; column: number }; code?: string }> {
  try {
    await run(query, {}, e);
  } catch (err) {
    return err as Error & { position?: { line: number; column: number }; code?: string };
  }
  throw new Error(`query unexpectedly succeeded: ${query}`);
}
