// Wiring of the local services over one lake: engine, Entity Analyzer, lake backend, MCP server.
// Shared by `dist/mcp-server.js`, `swb mcp` and `swb analyze`, so all run the same code.
import { existsSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../errors';
import type { Logger } from '../types';
import { createEngine, KqlEngine } from '../kql/engine';
import { QUERY_BUDGET_DEFAULTS, QueryPool, queryWorkerScript } from '../kql/queryPool';
import { Lake, openLake } from '../lake/lake';
import { userSnapshotStore } from '../lake/snapshot';
import { LocalAnalyzer } from '../analyzer/localAnalyzer';
import { FileAnalysisStore } from '../analyzer/localAnalyzerStore';
import type { ReasoningContext } from '../analyzer/reasoning';
import { LakeBackend } from '../backends/lake';
import { createLocalMcpServer } from './server';

export interface LocalServices {
  lake: Lake;
  engine: KqlEngine;
  context: Omit<ReasoningContext, 'signal'>;
  analyzer: LocalAnalyzer;
  backend: LakeBackend;
}

export interface LocalServiceOptions {
  logger: Logger;
  /** Environment knobs: SWB_POLL_WAIT_MS, SWB_RESULT_LIFETIME_MS, SWB_ANALYSIS_MIN_RUN_MS, SWB_ANALYSIS_STORE. */
  env?: NodeJS.ProcessEnv;
  /** Keep analyses on disk so a restarted server still answers for them (default true). */
  persistAnalyses?: boolean;
  /** Runs every query of these services (the server's query pool); default: an engine in this thread. */
  engine?: KqlEngine;
}

/** Budgets of the server's queries; flags win over SWB_QUERY_TIMEOUT_SECONDS, SWB_QUERY_MEMORY_MB, SWB_QUERY_WORKERS. */
export interface QueryBudgets {
  timeoutSeconds?: number;
  memoryMb?: number;
  workers?: number;
}

const BUDGET_BOUNDS = {
  timeoutSeconds: {
    env: 'SWB_QUERY_TIMEOUT_SECONDS',
    flag: '--query-timeout',
    min: 1,
    max: 86_400,
    what: 'a number of seconds',
  },
  memoryMb: { env: 'SWB_QUERY_MEMORY_MB', flag: '--query-memory', min: 64, max: 65_536, what: 'a number of megabytes' },
  workers: { env: 'SWB_QUERY_WORKERS', flag: '--query-workers', min: 1, max: 16, what: 'a whole number of workers' },
} as const;

export const MCP_USAGE = '[--lake DIR] [--query-timeout SECONDS] [--query-memory MB] [--query-workers N]';

/** Budget flags shared by `swb mcp` and dist/mcp-server.js (defaults: 120 s, 2048 MB, 2 workers). */
export const QUERY_BUDGET_FLAGS = {
  'query-timeout': { type: 'string' },
  'query-memory': { type: 'string' },
  'query-workers': { type: 'string' },
} as const;

export function budgetFlags(values: Record<string, unknown>): {
  timeoutSeconds?: string;
  memoryMb?: string;
  workers?: string;
} {
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    timeoutSeconds: s(values['query-timeout']),
    memoryMb: s(values['query-memory']),
    workers: s(values['query-workers']),
  };
}

/** Reads the query budgets from flag text (as given) and the environment; refuses values out of bounds. */
export function resolveQueryBudgets(
  flags: { [K in keyof QueryBudgets]?: string },
  env: NodeJS.ProcessEnv,
): Required<QueryBudgets> {
  const out = { ...QUERY_BUDGET_DEFAULTS } as Required<QueryBudgets>;
  for (const key of Object.keys(BUDGET_BOUNDS) as (keyof QueryBudgets)[]) {
    const b = BUDGET_BOUNDS[key];
    const fromFlag = flags[key];
    const text = fromFlag ?? env[b.env];
    if (text === undefined || text === '') continue;
    const n = Number(text);
    const whole = key === 'workers' ? Number.isInteger(n) : Number.isFinite(n);
    if (!whole || n < b.min || n > b.max) {
      throw new UserError(
        `${fromFlag !== undefined ? b.flag : b.env} must be ${b.what} from ${b.min} to ${b.max} (got '${clip(String(text), 40)}')`,
      );
    }
    out[key] = n;
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Where analyses are kept: SWB_ANALYSIS_STORE, else next to the demo cache (SWB_DEMO_CACHE), else the temp folder. */
export function analysisStoreBase(env: NodeJS.ProcessEnv): string {
  if (env.SWB_ANALYSIS_STORE) return env.SWB_ANALYSIS_STORE;
  if (env.SWB_DEMO_CACHE) return path.join(env.SWB_DEMO_CACHE, 'analyses');
  return path.join(os.tmpdir(), 'sentinel-workbench-analyses');
}

function envMs(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`${name} must be a number of milliseconds, not '${v}'.`);
  return n;
}

/** Resolves the lake folder: `--lake DIR` as given, else the demo lake (generated when missing). */
export async function resolveLakeDir(
  lakeDir: string | undefined,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (lakeDir) {
    const dir = path.resolve(lakeDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${lakeDir}: no such lake folder`);
    return dir;
  }
  const { ensureDemoLake } = require('../lake/demo') as typeof import('../lake/demo');
  return ensureDemoLake({ logger, env });
}

export function openLocalServices(lakeDir: string, options: LocalServiceOptions): LocalServices {
  const env = options.env ?? process.env;
  const logger = options.logger;
  const lake = openLake(lakeDir, { logger, snapshots: userSnapshotStore(env) });
  const engine = options.engine ?? createEngine(lake, { logger });
  const context: Omit<ReasoningContext, 'signal'> = {
    hasTable: (t) => lake.hasTable(t),
    query: (kql, signal) => engine.execute(kql, { signal }),
    logger,
  };
  const analyzer = new LocalAnalyzer({
    context,
    logger,
    resultLifetimeMs: envMs(env, 'SWB_RESULT_LIFETIME_MS'),
    minRunMs: envMs(env, 'SWB_ANALYSIS_MIN_RUN_MS'),
    store: options.persistAnalyses === false ? undefined : FileAnalysisStore.forLake(analysisStoreBase(env), lakeDir),
  });
  const backend = new LakeBackend(lake, {
    logger,
    engine,
    analyzer: {
      start: async (request) => analyzer.start(request),
      get: (id, signal) => analyzer.get(id, 0, signal),
    },
  });
  return { lake, engine, context, analyzer, backend };
}

/** Largest request the stdio server reads (zod limits then refuse oversize arguments one by one). */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** Runs the local MCP server on stdin/stdout until the client goes away. Logs go to the logger (stderr). */
export async function runStdioServer(
  lakeDir: string | undefined,
  options: LocalServiceOptions & { version?: string; budgets?: { [K in keyof QueryBudgets]?: string } },
): Promise<void> {
  const env = options.env ?? process.env;
  const logger = options.logger;
  // One stray promise must not take the server (and every analysis in it) down.
  process.on('unhandledRejection', (e) =>
    logger.error(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  );
  const budgets = resolveQueryBudgets(options.budgets ?? {}, env);
  const dir = await resolveLakeDir(lakeDir, logger, env);
  // Queries run on worker threads that are stopped and replaced on overrun, so one query cannot stall the others.
  const script = queryWorkerScript();
  const pool = script
    ? new QueryPool({
        lakeDir: dir,
        logger,
        script,
        workers: budgets.workers,
        timeoutMs: budgets.timeoutSeconds * 1000,
        memoryMb: budgets.memoryMb,
      })
    : undefined;
  pool?.prestart();
  if (!pool)
    logger.warn('query-worker.js not found: queries run on the server thread, without time or memory isolation');
  const services = openLocalServices(dir, { ...options, engine: pool });
  if (pool) services.lake.onTableChanged?.((table) => pool.invalidate(table));
  const lake = services.lake;
  const server = createLocalMcpServer({
    lake: pool
      ? {
          name: lake.name,
          workspaceId: lake.workspaceId,
          tableNames: () => lake.tableNames(),
          hasTable: (t) => lake.hasTable(t),
          columns: (t) => (lake.hasTable(t) ? pool.columns(t) : lake.columns(t)),
        }
      : lake,
    engine: services.engine,
    analyzer: services.analyzer,
    backend: services.backend,
    logger,
    pollWaitMs: envMs(env, 'SWB_POLL_WAIT_MS'),
    queryTimeoutMs: budgets.timeoutSeconds * 1000,
    version: options.version,
  });
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  // The SDK's default 10 MB read buffer closes the whole session on one larger request; above this, it still does.
  const transport = new StdioServerTransport(process.stdin, process.stdout, { maxBufferSize: MAX_REQUEST_BYTES });
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
    process.stdin.on('close', () => resolve());
  });
  await server.connect(transport);
  logger.info(
    `local MCP server ready: lake ${lake.name} (${dir}); query budgets ${budgets.timeoutSeconds} s, ${budgets.memoryMb} MB, ` +
      `${pool ? `up to ${budgets.workers} worker${budgets.workers === 1 ? '' : 's'}` : 'no workers'}`,
  );
  await closed;
  services.analyzer.dispose();
  pool?.dispose();
  await server.close().catch(() => undefined);
}
