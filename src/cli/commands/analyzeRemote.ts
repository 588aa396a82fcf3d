// `swb analyze --azure RESOURCE_ID`: the Sentinel MCP server's Entity Analyzer (analyze_*_entity, then
// get_entity_analysis until it is done) through the same analysis service as the extension: its scheduler
// (concurrency, hourly and daily run quotas), its result cache and its job state machine. The state lives in a
// file, so quotas and cached results hold across runs.
import * as path from 'path';
import { systemClock } from '../../core/analyzer/clock';
import { AnalyzerService, DEFAULT_ANALYZER_SETTINGS, type AnalyzerSettings } from '../../core/analyzer/service';
import type { AnalysisEntity, AnalysisResult } from '../../core/analyzer/types';
import { UserError } from '../../core/errors';
import { silentLogger } from '../../core/types';
import type { CliIO } from '../io';
import { isServiceError, openAzureBackend, reportServiceError, tenantOf } from '../remote';
import { FileStore, stateDir } from '../stateStore';

export interface RemoteAnalyzeOptions {
  resourceId: string;
  entity: AnalysisEntity;
  days: number;
  now?: Date;
  force: boolean;
  values: Record<string, unknown>;
  print: (result: AnalysisResult) => void;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a positive whole number, got '${raw}'`);
  return n;
}

/** The documented service limits, overridable like the extension's settings. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): AnalyzerSettings {
  const d = DEFAULT_ANALYZER_SETTINGS;
  return {
    ...d,
    maxConcurrent: positiveInt(env, 'SWB_ANALYZER_MAX_CONCURRENT', d.maxConcurrent),
    runsPerHour: positiveInt(env, 'SWB_ANALYZER_RUNS_PER_HOUR', d.runsPerHour),
    runsPerDay: positiveInt(env, 'SWB_ANALYZER_RUNS_PER_DAY', d.runsPerDay),
  };
}

export async function analyzeOnAzure(o: RemoteAnalyzeOptions, io: CliIO): Promise<number> {
  const settings = settingsFromEnv(io.env);
  const tenant = tenantOf(o.values, io);
  const end = o.now ?? new Date();
  const request = {
    entity: o.entity,
    startTime: new Date(end.getTime() - o.days * 86_400_000).toISOString(),
    endTime: end.toISOString(),
  };
  const backend = openAzureBackend(o.resourceId, io, tenant);
  const service = new AnalyzerService({
    clock: systemClock,
    store: new FileStore(path.join(stateDir(io.env), 'analyzer-state.json')),
    settings: () => settings,
    backend: async () => backend,
    scope: () => `azure:${backend.workspace.resourceId.toLowerCase()}`,
    // The job's progress and outcome are printed below; its log lines would repeat them.
    logger: silentLogger,
  });
  const onSig = () => service.list().forEach((j) => j.cancel());
  process.once('SIGINT', onSig);
  try {
    const { job, cached } = service.request(request, { force: o.force });
    let said = '';
    const progress = (j: typeof job) => {
      const line = j.state === 'queued' && j.waitReason ? `waiting: ${j.waitReason}` : (j.message ?? '');
      if (line && line !== said) io.stderr(`${line}\n`);
      said = line;
    };
    // The scheduler may already have said why the job waits (quota, concurrency) before we listen.
    progress(job);
    const unsubscribe = job.onDidChange(progress);
    await job.whenDone();
    unsubscribe();
    if (job.state === 'completed' && job.result) {
      if (cached)
        io.stderr(`note: cached result from ${new Date(cached.storedAt).toISOString()} (--force runs it again)\n`);
      o.print(job.result);
      return 0;
    }
    io.stderr(
      `error: ${job.state === 'cancelled' ? 'cancelled' : (job.error ?? `the analysis ended ${job.state}`).split('\n').join('\n  ')}\n`,
    );
    return 1;
  } catch (e) {
    if (isServiceError(e)) return reportServiceError(e, io);
    throw e;
  } finally {
    process.removeListener('SIGINT', onSig);
    service.dispose();
    await backend.dispose();
  }
}
