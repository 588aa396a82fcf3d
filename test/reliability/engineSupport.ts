// Helpers of the engine reliability tests: an engine over a temporary lake, and a query that must fail
// with a clear KQL error (a UserError: exit code 2 in the CLI) within a time bound.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../../src/core/errors';
import { createEngine, KqlEngine } from '../../src/core/kql/engine';
import { openLake } from '../../src/core/lake/lake';
import { plain } from '../unit/plain';

export const NOW = new Date('2026-11-20T12:00:00Z');

/** An engine over a fresh lake folder holding `files` (name → text). */
export function lakeEngine(files: Record<string, string> = {}): KqlEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-reliability-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return createEngine(openLake(dir));
}

let empty: KqlEngine | undefined;
export function emptyEngine(): KqlEngine {
  empty ??= lakeEngine();
  return empty;
}

export async function rows(query: string, engine: KqlEngine = emptyEngine()): Promise<unknown[][]> {
  return plain((await engine.execute(query, { now: NOW })).rows);
}

/** Runs a query that must finish within `ms` (from the start of the call) and returns its rows. */
export async function rowsWithin(ms: number, query: string, engine: KqlEngine = emptyEngine()): Promise<unknown[][]> {
  const t0 = Date.now();
  const r = await rows(query, engine);
  const took = Date.now() - t0;
  assert.ok(took < ms, `took ${took} ms (bound ${ms} ms): ${query}`);
  return r;
}

/** Runs a query that must fail with a UserError whose message matches `pattern`, within `ms`. */
export async function failsWithin(
  ms: number,
  query: string,
  pattern: RegExp,
  engine: KqlEngine = emptyEngine(),
): Promise<Error> {
  const t0 = Date.now();
  let error: unknown;
  try {
    await engine.execute(query, { now: NOW });
  } catch (e) {
    error = e;
  }
  const took = Date.now() - t0;
  assert.ok(error, `no error: ${query}`);
  assert.ok(error instanceof UserError, `not a user error (${(error as Error).stack}): ${query}`);
  assert.match((error as Error).message, pattern);
  assert.ok(took < ms, `took ${took} ms (bound ${ms} ms): ${query}`);
  return error as Error;
}
