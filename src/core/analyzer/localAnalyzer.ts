// Start-then-poll analyses inside the local MCP server, like the Sentinel service: start returns an id at
// once, the analysis runs in the background, a poll waits a bounded time, results expire after one hour.
import { randomUUID } from 'crypto';
import { UserError } from '../errors';
import { echo } from '../echo';
import type { Logger } from '../types';
import { ANALYZER_DEFAULTS, AnalysisPoll, AnalysisRequest, AnalysisResult } from './types';
import { analyzeEntity, checkAnalysisRequest, ReasoningContext } from './reasoning';
import type { AnalysisStore, StoredJob } from './localAnalyzerStore';

export interface LocalAnalyzerOptions {
  /** The lake (tables + a way to run KQL) the analyses read. */
  context: Omit<ReasoningContext, 'signal'>;
  logger: Logger;
  /** Clock (ms since epoch); injectable for expiry tests. */
  clock?: () => number;
  resultLifetimeMs?: number;
  maxUserWindowDays?: number;
  /** Each analysis takes at least this long (lets tests and demos see "in progress"). */
  minRunMs?: number;
  /** Keeps jobs across server restarts (window reloads). */
  store?: AnalysisStore;
}

type Job =
  | { state: 'running'; request: AnalysisRequest; startedAt: number; done: Promise<void>; abort: AbortController }
  | { state: 'completed'; request: AnalysisRequest; result: AnalysisResult; completedAt: number }
  | { state: 'failed'; request: AnalysisRequest; error: string; code: string; completedAt: number }
  | { state: 'expired'; request: AnalysisRequest; completedAt: number };

export class LocalAnalyzer {
  private readonly jobs = new Map<string, Job>();
  private readonly clock: () => number;
  private readonly lifetime: number;
  private disposed = false;

  constructor(private readonly options: LocalAnalyzerOptions) {
    this.clock = options.clock ?? Date.now;
    this.lifetime = options.resultLifetimeMs ?? ANALYZER_DEFAULTS.resultLifetimeMs;
    try {
      options.store?.prune(Date.now() - 24 * 3600_000);
    } catch {
      /* best effort */
    }
  }

  /**
   * Validates the request (entity, window, required tables: UserError otherwise) and starts the analysis
   * in the background. Returns at once.
   */
  start(request: AnalysisRequest): { analysisId: string } {
    const checked = checkAnalysisRequest(request, (t) => this.options.context.hasTable(t), {
      maxUserWindowDays: this.options.maxUserWindowDays,
    });
    const analysisId = randomUUID();
    const abort = new AbortController();
    const startedAt = this.clock();
    const done = this.run(analysisId, checked.request, abort.signal);
    this.jobs.set(analysisId, { state: 'running', request: checked.request, startedAt, done, abort });
    this.persist({ analysisId, request: checked.request, state: 'running', startedAt });
    this.options.logger.info(
      `analysis ${analysisId} started: ${checked.request.entity.type} ${echo(checked.request.entity.id)}`,
    );
    return { analysisId };
  }

  private persist(job: StoredJob): void {
    if (!this.options.store) return;
    try {
      this.options.store.save(job);
    } catch (e) {
      this.options.logger.warn(
        `could not save analysis ${job.analysisId}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** A job this process does not know: finished ones come back from the store, running ones run again. */
  private restore(analysisId: string): Job | undefined {
    const stored = this.options.store?.load(analysisId);
    if (!stored) return undefined;
    let job: Job;
    if (stored.state === 'completed' && stored.result && stored.completedAt !== undefined) {
      job = { state: 'completed', request: stored.request, result: stored.result, completedAt: stored.completedAt };
    } else if (stored.state === 'failed' && stored.completedAt !== undefined) {
      job = {
        state: 'failed',
        request: stored.request,
        error: stored.error ?? 'The analysis failed.',
        code: stored.code ?? 'Failed',
        completedAt: stored.completedAt,
      };
    } else {
      const abort = new AbortController();
      const done = this.run(analysisId, stored.request, abort.signal);
      job = { state: 'running', request: stored.request, startedAt: stored.startedAt, done, abort };
      this.options.logger.info(`analysis ${analysisId} resumed after a restart`);
    }
    this.jobs.set(analysisId, job);
    return job;
  }

  private async run(analysisId: string, request: AnalysisRequest, signal: AbortSignal): Promise<void> {
    const t0 = Date.now();
    const startedAt = this.clock();
    await Promise.resolve();
    try {
      const result = await analyzeEntity({ ...this.options.context, signal }, request, {
        analysisId,
        maxUserWindowDays: this.options.maxUserWindowDays,
        resultLifetimeMs: this.lifetime,
        now: () => new Date(this.clock()),
      });
      const rest = (this.options.minRunMs ?? 0) - (Date.now() - t0);
      if (rest > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, rest);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              resolve();
            },
            { once: true },
          );
        });
      }
      if (this.disposed) return;
      // The result's lifetime starts when it is available.
      const completedAt = this.clock();
      result.completedAt = new Date(completedAt).toISOString();
      result.expiresAt = new Date(completedAt + this.lifetime).toISOString();
      this.jobs.set(analysisId, { state: 'completed', request, result, completedAt });
      this.persist({ analysisId, request, state: 'completed', startedAt, completedAt, result });
      this.options.logger.info(`analysis ${analysisId} completed: ${result.verdict}`);
    } catch (e) {
      // Stopped because the server is shutting down: leave the stored job "running" so the next server resumes it.
      if (this.disposed) return;
      const message = e instanceof Error ? e.message : String(e);
      const code = e instanceof UserError ? e.code : 'InternalError';
      if (!(e instanceof UserError))
        this.options.logger.error(
          `analysis ${analysisId} failed: ${e instanceof Error ? (e.stack ?? message) : message}`,
        );
      const completedAt = this.clock();
      this.jobs.set(analysisId, { state: 'failed', request, error: message, code, completedAt });
      this.persist({ analysisId, request, state: 'failed', startedAt, completedAt, error: message, code });
    }
  }

  /**
   * The state of an analysis, waiting up to `waitMs` for a running one to finish.
   * Unknown ids throw UserError; results older than the lifetime come back as `expired`.
   */
  async get(
    analysisId: string,
    waitMs: number = ANALYZER_DEFAULTS.pollWaitSeconds * 1000,
    signal?: AbortSignal,
  ): Promise<AnalysisPoll> {
    const job = this.jobs.get(analysisId) ?? this.restore(analysisId);
    if (!job)
      throw new UserError(
        `Unknown analysis id '${echo(analysisId, 80)}'. Start an analysis with analyze_user_entity or analyze_url_entity.`,
        'UnknownAnalysis',
      );
    if (job.state === 'running') {
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      await Promise.race([
        job.done,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, waitMs));
        }),
        new Promise<void>((resolve) => {
          onAbort = () => resolve();
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
    this.sweep();
    const now = this.jobs.get(analysisId)!;
    switch (now.state) {
      case 'running': {
        const secs = Math.round((this.clock() - now.startedAt) / 1000);
        return {
          status: 'running',
          analysisId,
          message: `Analysis in progress (${secs}s so far). Call get_entity_analysis again.`,
        };
      }
      case 'completed':
        return { status: 'completed', analysisId, result: now.result };
      case 'failed':
        return { status: 'failed', analysisId, error: now.error };
      case 'expired':
        return { status: 'expired', analysisId };
    }
  }

  /** The error code of a failed analysis (for CLI exit codes and isError results). */
  failureCode(analysisId: string): string | undefined {
    const j = this.jobs.get(analysisId);
    return j?.state === 'failed' ? j.code : undefined;
  }

  /** Marks finished results past their lifetime as expired; forgets them after a day. */
  private sweep(): void {
    const now = this.clock();
    for (const [id, job] of this.jobs) {
      if (job.state === 'completed' || job.state === 'failed') {
        if (now - job.completedAt >= this.lifetime)
          this.jobs.set(id, { state: 'expired', request: job.request, completedAt: job.completedAt });
      } else if (job.state === 'expired' && now - job.completedAt > 24 * 3600_000) {
        this.jobs.delete(id);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.jobs.values()) if (job.state === 'running') job.abort.abort();
    this.jobs.clear();
  }
}
