// Wiring of the local services over one lake: engine, Entity Analyzer, lake backend, MCP server.
// Shared by `dist/mcp-server.js`, `swb mcp` and `swb analyze`, so all run the same code.
import { existsSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../errors';
import type { Logger } from '../types';
import { createEngine, KqlEngine } from '../kql/engine';
import { Lake, openLake } from '../lake/lake';
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
export async function resolveLakeDir(lakeDir: string | undefined, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
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
  const lake = openLake(lakeDir, { logger });
  const engine = createEngine(lake, { logger });
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
    analyzer: {
      start: async (request) => analyzer.start(request),
      get: (id, signal) => analyzer.get(id, 0, signal),
    },
  });
  return { lake, engine, context, analyzer, backend };
}

/** Runs the local MCP server on stdin/stdout until the client goes away. Logs go to the logger (stderr). */
export async function runStdioServer(lakeDir: string | undefined, options: LocalServiceOptions & { version?: string }): Promise<void> {
  const env = options.env ?? process.env;
  // One stray promise must not take the server (and every analysis in it) down.
  process.on('unhandledRejection', (e) => options.logger.error(`unhandled rejection: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  const dir = await resolveLakeDir(lakeDir, options.logger, env);
  const services = openLocalServices(dir, options);
  const server = createLocalMcpServer({
    lake: services.lake,
    engine: services.engine,
    analyzer: services.analyzer,
    backend: services.backend,
    logger: options.logger,
    pollWaitMs: envMs(env, 'SWB_POLL_WAIT_MS'),
    version: options.version,
  });
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
    process.stdin.on('close', () => resolve());
  });
  await server.connect(transport);
  options.logger.info(`local MCP server ready: lake ${services.lake.name} (${dir})`);
  await closed;
  services.analyzer.dispose();
  await server.close().catch(() => undefined);
}
