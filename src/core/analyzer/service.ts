// The analysis client: one entry point that checks the cache, de-duplicates identical questions,
// queues through the scheduler, runs the job state machine against the current backend, caches the
// result and records in-flight analyses so they resume after a reload. The transport (local MCP server
// over stdio, Sentinel MCP over HTTP) is the backend's business; this class does not care which.
import { randomUUID } from 'crypto';
import { UserError } from '../errors';
import type { Logger } from '../types';
import { silentLogger } from '../types';
import { AnalysisCache, cacheKey, CacheLookup } from './cache';
import type { Clock } from './clock';
import { AnalysisBackend, AnalysisJob, JobPolicy } from './job';
import { AnalysisScheduler, SchedulerLimits } from './scheduler';
import type { StateStore } from './store';
import { ANALYZER_DEFAULTS, AnalysisRequest } from './types';

export interface AnalyzerSettings extends SchedulerLimits {
  maxUserWindowDays: number;
  resultLifetimeMs: number;
  policy?: Partial<JobPolicy>;
}

export const DEFAULT_ANALYZER_SETTINGS: AnalyzerSettings = {
  maxConcurrent: ANALYZER_DEFAULTS.maxConcurrent,
  runsPerHour: ANALYZER_DEFAULTS.runsPerHour,
  runsPerDay: ANALYZER_DEFAULTS.runsPerDay,
  maxUserWindowDays: ANALYZER_DEFAULTS.maxUserWindowDays,
  resultLifetimeMs: ANALYZER_DEFAULTS.resultLifetimeMs,
};

export interface AnalyzerServiceOptions {
  clock: Clock;
  store: StateStore;
  /** Read per call. */
  settings: () => AnalyzerSettings;
  /** The backend to run on (resolved per job, so a switched backend applies to new jobs). */
  backend: () => Promise<AnalysisBackend>;
  /** Which backend/workspace results belong to, e.g. `local:/path/lake` (part of the cache key). */
  scope: () => string;
  logger?: Logger;
  random?: () => number;
  newId?: () => string;
  /** Most finished jobs kept in the list. */
  maxJobs?: number;
}

export interface RequestOutcome {
  job: AnalysisJob;
  /** Set when the answer came from the cache (not expired). */
  cached?: CacheLookup;
  /** True when an identical question was already queued or running and that job is returned. */
  joined?: boolean;
}

type Listener = (job: AnalysisJob | undefined) => void;

export class AnalyzerService {
  readonly scheduler: AnalysisScheduler;
  readonly cache: AnalysisCache;
  private readonly options: AnalyzerServiceOptions;
  private readonly logger: Logger;
  private jobs: AnalysisJob[] = [];
  private readonly scopes = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  private disposed = false;

  constructor(options: AnalyzerServiceOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.scheduler = new AnalysisScheduler({
      clock: options.clock,
      store: options.store,
      limits: () => options.settings(),
      logger: this.logger,
    });
    this.cache = new AnalysisCache({
      store: options.store,
      clock: options.clock,
      lifetimeMs: () => options.settings().resultLifetimeMs,
    });
    // Recent results (fresh and expired) are listed again after a reload.
    for (const entry of this.cache.list().reverse()) {
      const job = AnalysisJob.fromCached(this.newId(), entry.request, entry.result, entry.storedAt, entry.expired);
      this.scopes.set(job.id, entry.scope);
      this.track(job);
    }
  }

  onDidChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Jobs, newest first. */
  list(): AnalysisJob[] {
    return this.jobs.slice();
  }

  get(id: string): AnalysisJob | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  /** Checks a request against the service's documented rules; throws UserError. */
  validate(request: AnalysisRequest): void {
    const start = Date.parse(request.startTime);
    const end = Date.parse(request.endTime);
    if (!Number.isFinite(start) || !Number.isFinite(end))
      throw new UserError('The analysis window needs ISO-8601 start and end times.');
    if (end <= start) throw new UserError('The analysis window must end after it starts.');
    if (!request.entity.id.trim())
      throw new UserError(`No ${request.entity.type === 'User' ? 'user' : 'URL'} to analyze.`);
    const maxDays = this.options.settings().maxUserWindowDays;
    if (request.entity.type === 'User' && end - start > maxDays * 24 * 3600_000 + 1000) {
      throw new UserError(`A user analysis window can be at most ${maxDays} day${maxDays === 1 ? '' : 's'}.`);
    }
  }

  /**
   * Answers from the cache when a fresh result exists (unless `force`), joins an identical queued or running
   * job, else queues a new run. Returns at once; watch the job for progress.
   */
  request(request: AnalysisRequest, options: { force?: boolean } = {}): RequestOutcome {
    if (this.disposed) throw new Error('The analyzer has shut down.');
    this.validate(request);
    const scope = this.options.scope();
    const key = cacheKey(request, scope);
    if (!options.force) {
      const hit = this.cache.get(request, scope);
      if (hit && !hit.expired) {
        const job = AnalysisJob.fromCached(this.newId(), request, hit.result, hit.storedAt, false);
        this.scopes.set(job.id, scope);
        // One row per question: the cached answer replaces older rows of the same question.
        this.jobs = this.jobs.filter((j) => !(j.done && this.keyOf(j) === key));
        this.track(job);
        return { job, cached: hit };
      }
    }
    const running = this.jobs.find((j) => !j.done && this.keyOf(j) === key);
    if (running) return { job: running, joined: true };
    const job = new AnalysisJob({ id: this.newId(), request, createdAt: this.options.clock.now() });
    this.scopes.set(job.id, scope);
    this.track(job);
    void this.execute(job, scope);
    return { job };
  }

  /** Runs the job's question again, ignoring the cache. */
  rerun(jobId: string): RequestOutcome {
    const job = this.get(jobId);
    if (!job) throw new UserError('That analysis is no longer listed.');
    return this.request(job.request, { force: true });
  }

  cancel(jobId: string): void {
    this.get(jobId)?.cancel();
  }

  /** Removes a finished job from the list. */
  remove(jobId: string): void {
    const job = this.get(jobId);
    if (!job || !job.done) return;
    this.jobs = this.jobs.filter((j) => j !== job);
    this.fire(undefined);
  }

  /** Resumes polling analyses that were in flight when the window closed. Returns how many. */
  resume(): number {
    let n = 0;
    for (const f of this.cache.inflight()) {
      if (this.jobs.some((j) => j.analysisId === f.analysisId && !j.done)) continue;
      const job = new AnalysisJob({
        id: f.jobId,
        request: f.request,
        createdAt: f.createdAt,
        analysisId: f.analysisId,
        startedAt: f.startedAt,
      });
      this.scopes.set(job.id, f.scope);
      this.track(job);
      void this.execute(job, f.scope);
      n++;
    }
    if (n) this.logger.info(`resuming ${n} analys${n === 1 ? 'is' : 'es'} in flight`);
    return n;
  }

  /** Cancels waiting jobs; in-flight records stay so the next window resumes them. */
  dispose(): void {
    this.disposed = true;
    this.scheduler.dispose();
    this.listeners.clear();
  }

  private keyOf(job: AnalysisJob): string {
    return cacheKey(job.request, this.scopes.get(job.id) ?? '');
  }

  private newId(): string {
    return this.options.newId?.() ?? randomUUID();
  }

  private track(job: AnalysisJob): void {
    job.onDidChange((j) => this.fire(j));
    this.jobs.unshift(job);
    const max = this.options.maxJobs ?? 200;
    if (this.jobs.length > max) {
      const keep: AnalysisJob[] = [];
      for (const j of this.jobs) if (!j.done || keep.length < max) keep.push(j);
      this.jobs = keep;
    }
    this.fire(job);
  }

  private fire(job: AnalysisJob | undefined): void {
    for (const l of [...this.listeners]) {
      try {
        l(job);
      } catch {
        // ignore listener failures
      }
    }
  }

  private async execute(job: AnalysisJob, scope: string): Promise<void> {
    const clock = this.options.clock;
    const resumed = !!job.analysisId;
    let recorded = job.analysisId;
    // Runs inside the job's state change, so the cache holds the result before anyone awaiting the job resumes.
    const unsubscribe = job.onDidChange((j) => {
      if (j.state === 'completed' && j.result) {
        this.cache.put(j.request, scope, j.result);
        this.cache.removeInflight(j.id);
        return;
      }
      // Recorded again when the id changes (an analysis the server lost is started anew).
      if (j.analysisId && j.analysisId !== recorded && !j.done) {
        recorded = j.analysisId;
        this.cache.addInflight({
          jobId: j.id,
          analysisId: j.analysisId,
          request: j.request,
          scope,
          createdAt: j.createdAt,
          startedAt: j.startedAt ?? clock.now(),
        });
      }
    });
    try {
      const slot = await this.scheduler.acquire({
        signal: job.signal,
        countsQuota: !resumed,
        onQueued: (ahead, reason) => job.setQueued(ahead, reason),
      });
      try {
        const backend = await this.options.backend();
        await job.run(backend, {
          clock,
          policy: this.options.settings().policy,
          random: this.options.random,
          logger: this.logger,
        });
      } finally {
        slot.release();
      }
    } catch (e) {
      job.fail(e, clock.now());
    } finally {
      unsubscribe();
    }
    // A disposed service (window closing) keeps in-flight records so the next window resumes them.
    if (!(this.disposed && job.state === 'cancelled')) this.cache.removeInflight(job.id);
    this.fire(job);
  }
}
