// One Entity Analyzer run as a state machine:
//   queued → starting → polling → completed | failed | cancelled | expired
// Start returns an analysis id at once; the result is polled with exponential backoff and jitter
// (the server's get_entity_analysis already waits a bounded time per call). Transient errors and 429s
// are retried (429 honours Retry-After); an overall deadline bounds the run; cancellation is an AbortSignal.
import { CancelledError, isCancellation } from '../errors';
import { echo } from '../echo';
import type { Logger } from '../types';
import { silentLogger } from '../types';
import type { Clock } from './clock';
import { formatDuration } from './clock';
import { AnalysisExpiredError, AnalysisTimeoutError, isThrottled, isTransient, retryAfterOf } from './errors';
import type { AnalysisPoll, AnalysisRequest, AnalysisResult } from './types';

export type JobState = 'queued' | 'starting' | 'polling' | 'completed' | 'failed' | 'cancelled' | 'expired';
export const FINAL_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled', 'expired'];

/** What a job needs from a backend (a subset of SentinelBackend). */
export interface AnalysisBackend {
  startEntityAnalysis(request: AnalysisRequest, signal?: AbortSignal): Promise<{ analysisId: string }>;
  /** `request` is the question the id belongs to (its entity fixes which verdicts are valid). */
  getEntityAnalysis(analysisId: string, signal?: AbortSignal, request?: AnalysisRequest): Promise<AnalysisPoll>;
}

export interface JobPolicy {
  /** First pause between polls. */
  pollInitialMs: number;
  /** Longest pause between polls. */
  pollMaxMs: number;
  /** Growth of the pause after each "still running". */
  pollFactor: number;
  /** ± fraction of random jitter applied to every pause (0.2 = ±20%). */
  jitter: number;
  /** Overall budget from the first start attempt to a final state. */
  timeoutMs: number;
  /** Consecutive transient failures tolerated per call. */
  maxRetries: number;
  /** First retry pause when the server gave no Retry-After; doubles each time. */
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * Times an analysis the server no longer knows (e.g. the local server restarted after a crash or a window
   * reload) is started again instead of failing.
   */
  lostRestarts: number;
}

export const DEFAULT_JOB_POLICY: JobPolicy = {
  pollInitialMs: 1_000,
  pollMaxMs: 15_000,
  pollFactor: 1.6,
  jitter: 0.2,
  timeoutMs: 15 * 60_000,
  maxRetries: 6,
  retryBaseMs: 1_000,
  retryMaxMs: 120_000,
  lostRestarts: 1,
};

/** The server answered that it does not know this analysis id (not expired: never known, or lost in a restart). */
export function isLostAnalysis(error: string | undefined): boolean {
  return !!error && /unknown analysis id|analysis .* (was )?not found|no such analysis/i.test(error);
}

export interface JobInit {
  id: string;
  request: AnalysisRequest;
  createdAt: number;
  /** Set when resuming a job that the service already accepted (e.g. after a window reload). */
  analysisId?: string;
  startedAt?: number;
}

export interface JobRunOptions {
  clock: Clock;
  policy?: Partial<JobPolicy>;
  /** Uniform [0,1); injectable for deterministic tests. */
  random?: () => number;
  logger?: Logger;
}

export interface JobSnapshot {
  id: string;
  request: AnalysisRequest;
  state: JobState;
  analysisId?: string;
  /** Jobs ahead in the scheduler's queue (queued state only). */
  ahead?: number;
  /** Why the job waits (quota, concurrency) while queued. */
  waitReason?: string;
  polls: number;
  retries: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  message?: string;
  error?: string;
  result?: AnalysisResult;
  /** True when the result was served from the cache instead of a new run. */
  fromCache: boolean;
}

type Listener = (job: AnalysisJob) => void;

export class AnalysisJob {
  readonly id: string;
  readonly request: AnalysisRequest;
  readonly createdAt: number;
  private _state: JobState = 'queued';
  analysisId: string | undefined;
  ahead: number | undefined;
  waitReason: string | undefined;
  polls = 0;
  retries = 0;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  message: string | undefined;
  error: string | undefined;
  result: AnalysisResult | undefined;
  fromCache = false;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<Listener>();
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  constructor(init: JobInit) {
    this.id = init.id;
    this.request = init.request;
    this.createdAt = init.createdAt;
    this.analysisId = init.analysisId;
    this.startedAt = init.startedAt;
    this.finished = new Promise((r) => (this.resolveFinished = r));
  }

  /** A finished job built from a cached result. */
  static fromCached(
    id: string,
    request: AnalysisRequest,
    result: AnalysisResult,
    completedAt: number,
    expired: boolean,
  ): AnalysisJob {
    const job = new AnalysisJob({
      id,
      request,
      createdAt: completedAt,
      analysisId: result.analysisId,
      startedAt: completedAt,
    });
    job.result = result;
    job.fromCache = true;
    job.finishedAt = completedAt;
    job._state = expired ? 'expired' : 'completed';
    if (expired) job.error = 'The result has expired; re-run the analysis.';
    job.resolveFinished();
    return job;
  }

  get state(): JobState {
    return this._state;
  }

  get done(): boolean {
    return FINAL_STATES.includes(this._state);
  }

  /** Aborted when the job is cancelled. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Resolves when the job reaches a final state. */
  whenDone(): Promise<void> {
    return this.finished;
  }

  onDidChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): JobSnapshot {
    return {
      id: this.id,
      request: this.request,
      state: this._state,
      analysisId: this.analysisId,
      ahead: this.ahead,
      waitReason: this.waitReason,
      polls: this.polls,
      retries: this.retries,
      createdAt: this.createdAt,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      message: this.message,
      error: this.error,
      result: this.result,
      fromCache: this.fromCache,
    };
  }

  /** Cancels the job: a queued job stops waiting, a running one stops polling. Idempotent. */
  cancel(): void {
    if (this.done) return;
    this.controller.abort();
    if (this._state === 'queued') this.finish('cancelled', { error: 'Cancelled.' });
  }

  /** The scheduler reports the queue position while the job waits. */
  setQueued(ahead: number, waitReason?: string): void {
    if (this._state !== 'queued') return;
    if (this.ahead === ahead && this.waitReason === waitReason) return;
    this.ahead = ahead;
    this.waitReason = waitReason;
    this.emit();
  }

  /** Ends the job as failed before it ran (e.g. the backend could not start). */
  fail(error: unknown, now: number): void {
    if (this.done) return;
    if (isCancellation(error) || this.controller.signal.aborted)
      return this.finish('cancelled', { error: 'Cancelled.', now });
    this.finish('failed', { error: messageOf(error), now });
  }

  /**
   * Runs the job to a final state. Never throws: the outcome is the job's state.
   * A job that already has an analysis id resumes polling without starting again.
   */
  async run(backend: AnalysisBackend, options: JobRunOptions): Promise<void> {
    if (this.done) return;
    const clock = options.clock;
    const policy: JobPolicy = { ...DEFAULT_JOB_POLICY, ...options.policy };
    const random = options.random ?? Math.random;
    const logger = options.logger ?? silentLogger;
    if (this.controller.signal.aborted) return this.finish('cancelled', { error: 'Cancelled.', now: clock.now() });

    this.ahead = undefined;
    this.waitReason = undefined;
    this.startedAt ??= clock.now();
    const deadline = this.startedAt + policy.timeoutMs;

    // One signal for every call and pause: aborted by cancel() or by the overall deadline.
    const run = new AbortController();
    let timedOut = false;
    const onCancel = () => run.abort();
    this.controller.signal.addEventListener('abort', onCancel, { once: true });
    const deadlineTimer = new AbortController();
    clock.sleep(Math.max(0, deadline - clock.now()), deadlineTimer.signal).then(
      () => {
        timedOut = true;
        run.abort();
      },
      () => undefined,
    );
    const signal = run.signal;

    const jittered = (ms: number) => Math.max(0, Math.round(ms * (1 - policy.jitter + 2 * policy.jitter * random())));

    /** Calls `fn`, retrying transient failures; 429 waits at least Retry-After. */
    const withRetry = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        if (signal.aborted) throw new CancelledError();
        try {
          return await abortable(fn(), signal);
        } catch (e) {
          if (signal.aborted) throw new CancelledError();
          if (!isTransient(e) || attempt >= policy.maxRetries) throw e;
          const retryAfter = retryAfterOf(e);
          const backoff = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** attempt);
          // Retry-After is a floor: never retry earlier than the server asked; jitter only adds.
          const wait =
            retryAfter !== undefined
              ? retryAfter + Math.round(retryAfter * policy.jitter * random())
              : jittered(backoff);
          this.retries++;
          this.message = isThrottled(e)
            ? `Throttled by the service — retrying ${what} in ${formatDuration(wait)}`
            : `${what} failed (${messageOf(e)}) — retrying in ${formatDuration(wait)}`;
          logger.warn(`analysis ${this.id}: ${this.message}`);
          this.emit();
          await clock.sleep(wait, signal);
        }
      }
    };

    try {
      let restarts = 0;
      for (;;) {
        if (!this.analysisId) {
          this.setState('starting');
          const started = await withRetry('start', () => backend.startEntityAnalysis(this.request, signal));
          this.analysisId = started.analysisId;
          logger.info(`analysis ${this.id}: started as ${echo(this.analysisId, 80)}`);
        }
        this.message = undefined;
        this.setState('polling');
        const poll = await this.pollUntilDone(backend, signal, withRetry, clock, policy, jittered);
        if (poll.status === 'failed' && isLostAnalysis(poll.error) && restarts < policy.lostRestarts) {
          restarts++;
          logger.warn(
            `analysis ${this.id}: the server lost ${echo(this.analysisId, 80)} (${echo(poll.error, 300)}); starting it again`,
          );
          this.analysisId = undefined;
          continue;
        }
        if (poll.status === 'completed') {
          this.result = { ...poll.result, analysisId: poll.result.analysisId ?? poll.analysisId };
          return this.finish('completed', { now: clock.now() });
        }
        if (poll.status === 'failed') return this.finish('failed', { error: poll.error, now: clock.now() });
        return this.finish('expired', { error: new AnalysisExpiredError(poll.analysisId).message, now: clock.now() });
      }
    } catch (e) {
      const now = clock.now();
      if (timedOut) return this.finish('failed', { error: new AnalysisTimeoutError(policy.timeoutMs).message, now });
      if (this.controller.signal.aborted || isCancellation(e))
        return this.finish('cancelled', { error: 'Cancelled.', now });
      if (e instanceof AnalysisExpiredError || (e as { code?: unknown })?.code === 'Expired') {
        return this.finish('expired', { error: messageOf(e), now });
      }
      logger.warn(`analysis ${this.id} failed: ${messageOf(e)}`);
      return this.finish('failed', { error: messageOf(e), now });
    } finally {
      deadlineTimer.abort();
      this.controller.signal.removeEventListener('abort', onCancel);
    }
  }

  /** Polls until the analysis is no longer running; returns the final poll. */
  private async pollUntilDone(
    backend: AnalysisBackend,
    signal: AbortSignal,
    withRetry: <T>(what: string, fn: () => Promise<T>) => Promise<T>,
    clock: Clock,
    policy: JobPolicy,
    jittered: (ms: number) => number,
  ): Promise<Exclude<AnalysisPoll, { status: 'running' }>> {
    let pause = policy.pollInitialMs;
    const analysisId = this.analysisId!;
    for (;;) {
      const poll = await withRetry('poll', () => backend.getEntityAnalysis(analysisId, signal, this.request));
      this.polls++;
      if (poll.status !== 'running') return poll;
      this.message = poll.message;
      this.emit();
      await clock.sleep(jittered(pause), signal);
      pause = Math.min(policy.pollMaxMs, pause * policy.pollFactor);
    }
  }

  private setState(state: JobState): void {
    this._state = state;
    this.emit();
  }

  private finish(state: JobState, detail: { error?: string; now?: number }): void {
    if (this.done) return;
    this._state = state;
    this.ahead = undefined;
    this.waitReason = undefined;
    this.error = detail.error;
    this.finishedAt = detail.now ?? Date.now();
    if (state !== 'polling') this.message = undefined;
    this.emit();
    this.resolveFinished();
  }

  private emit(): void {
    for (const l of [...this.listeners]) {
      try {
        l(this);
      } catch {
        // A listener's failure must not break the state machine.
      }
    }
  }
}

/** Settles with `promise`, or rejects with CancelledError as soon as `signal` aborts (a backend may ignore it). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Short live status for progress notifications: "Queued — 2 ahead", "Running — polled 4×, 1m 12s". */
export function describeJob(job: JobSnapshot, now: number): string {
  switch (job.state) {
    case 'queued':
      return job.ahead === undefined
        ? 'Queued'
        : `Queued — ${job.ahead} ahead${job.waitReason ? ` (${job.waitReason})` : ''}`;
    case 'starting':
      return job.message ?? 'Starting';
    case 'polling': {
      const elapsed = formatDuration(now - (job.startedAt ?? now));
      const base = job.polls ? `Running — polled ${job.polls}×, ${elapsed}` : `Running — ${elapsed}`;
      return job.message ? `${base} · ${job.message}` : base;
    }
    case 'completed':
      return job.result
        ? `${job.result.verdict}${job.result.confidence ? ` (${job.result.confidence} confidence)` : ''}`
        : 'Completed';
    case 'failed':
      return `Failed: ${job.error ?? 'unknown error'}`;
    case 'cancelled':
      return 'Cancelled';
    case 'expired':
      return 'Expired — re-run';
  }
}
