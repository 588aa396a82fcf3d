// The demo tenant generator: a Contoso tenant's sign-ins, mail, clicks, devices, alerts and incidents as a
// lake folder (one JSONL file per table, real Sentinel column names). Deterministic for a seed: the
// background activity comes from the seeded generator; the stories (demoFacts.ts) are planted at fixed
// times relative to `now` and do not depend on the seed. Rows are streamed to disk day by day.
import * as fs from 'fs';
import * as path from 'path';
import { throwIfAborted, UserError } from '../../errors';
import type { Logger } from '../../types';
import { DEMO_DEFAULT_NOW, DEMO_GENERATOR_VERSION, DEMO_LAKE_NAME, DEMO_WORKSPACE_ID } from '../demoFacts';
import { Rng } from '../generateRandom';
import { buildUsers, MIN_DEMO_USERS } from '../generateUsers';
import { TableWriter } from '../generateWriter';
import { Ctx, DAY, DEMO_TABLES, DemoTable } from './tenant';
import { backgroundDay } from './background';
import {
  connectors,
  identities,
  storyBenefits,
  storyClean,
  storyCompromise,
  storyLookalike,
  storyMailboxBackground,
  storyPhishing,
  storyTravel,
  threatIntel,
  watchlists,
} from './stories';
import { incidents } from './incidents';

export { DEMO_TABLES } from './tenant';

export interface GenerateDemoLakeOptions {
  /** Output folder (created if missing; existing table files are overwritten). */
  out: string;
  seed?: number;
  /** Cloud users (at least 20); one on-premises-only account is added. */
  users?: number;
  /** Days of background activity before `now` (7–365). */
  days?: number;
  /** The lake's pinned clock (ISO-8601). */
  now?: string;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface GenerateDemoLakeSummary {
  dir: string;
  seed: number;
  users: number;
  days: number;
  now: string;
  tables: { name: string; rows: number; file: string }[];
  totalRows: number;
  elapsedMs: number;
}

export const DEMO_LIMITS = { minUsers: MIN_DEMO_USERS, maxUsers: 100000, minDays: 7, maxDays: 365 } as const;

function checkInt(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new UserError(`--${name} must be an integer from ${min} to ${max} (got ${v})`);
  return v;
}

/** Generates the demo tenant into `out`. Deterministic for (seed, users, days, now). */
export async function generateDemoLake(options: GenerateDemoLakeOptions): Promise<GenerateDemoLakeSummary> {
  const began = performance.now();
  const seed = checkInt('seed', options.seed ?? 42, 0, 0xffffffff);
  const userCount = checkInt('users', options.users ?? 50, DEMO_LIMITS.minUsers, DEMO_LIMITS.maxUsers);
  const days = checkInt('days', options.days ?? 14, DEMO_LIMITS.minDays, DEMO_LIMITS.maxDays);
  const nowText = options.now ?? DEMO_DEFAULT_NOW;
  const nowMs = Date.parse(nowText);
  if (!Number.isFinite(nowMs)) throw new UserError(`--now must be an ISO-8601 date-time (got ${nowText})`);
  const out = path.resolve(options.out);
  fs.mkdirSync(out, { recursive: true });
  const users = buildUsers(userCount);
  const writers = {} as Record<DemoTable, TableWriter>;
  try {
    for (const t of DEMO_TABLES) writers[t] = new TableWriter(out, t);
    const c: Ctx = {
      rng: new Rng(seed),
      nowMs,
      startMs: nowMs - days * DAY,
      users,
      cloud: users.filter((u) => !u.onPremOnly),
      byUpn: new Map(users.map((u) => [u.upn, u])),
      w: writers,
    };
    identities(c);
    connectors(c);
    watchlists(c);
    threatIntel(c);
    const firstDay = Math.floor(c.startMs / DAY) * DAY;
    for (let day = firstDay; day < nowMs; day += DAY) {
      throwIfAborted(options.signal);
      backgroundDay(c, day);
      // Let other work run between days (generation can be called from a long-lived process).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    storyClean(c);
    storyTravel(c);
    storyBenefits(c);
    storyLookalike(c);
    storyPhishing(c);
    storyCompromise(c);
    storyMailboxBackground(c);
    incidents(c);
    for (const t of DEMO_TABLES) writers[t].close();
  } catch (e) {
    for (const t of DEMO_TABLES) writers[t]?.abandon();
    throw e;
  }
  const lakeJson = {
    name: DEMO_LAKE_NAME,
    workspaceId: DEMO_WORKSPACE_ID,
    now: new Date(nowMs).toISOString().replace(/\.000Z$/, 'Z'),
    generator: { version: DEMO_GENERATOR_VERSION, seed, users: userCount, days },
  };
  fs.writeFileSync(path.join(out, 'lake.json'), JSON.stringify(lakeJson, null, 2) + '\n');
  const tables = DEMO_TABLES.map((t) => ({ name: t, rows: writers[t].rows, file: writers[t].file }));
  const summary: GenerateDemoLakeSummary = {
    dir: out,
    seed,
    users: userCount,
    days,
    now: lakeJson.now,
    tables,
    totalRows: tables.reduce((n, t) => n + t.rows, 0),
    elapsedMs: Math.round(performance.now() - began),
  };
  options.logger?.info(
    `demo lake: ${summary.totalRows} rows in ${tables.length} tables written to ${out} in ${summary.elapsedMs} ms`,
  );
  return summary;
}
