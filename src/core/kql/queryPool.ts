// Queries of the long-lived local MCP server run on worker threads that can be stopped from outside: a worker
// that overruns the time budget is terminated, one that overruns the memory budget is stopped by V8
// (resourceLimits), and either is replaced while the server keeps answering. Each worker opens the lake itself
// and keeps the tables it loaded, so a warm query pays no copy of the lake; jobs wait in one FIFO queue for the
// first idle worker, so one killer query occupies one worker and the others keep serving.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CancelledError, KqlError, UserError } from '../errors';
import type { Logger, QueryResult, ResultColumn } from '../types';
import type { ExecuteOptions, KqlEngine } from './engine';
import type { FromQueryWorker, QueryWorkerData, ToQueryWorker, WorkerError } from './queryProtocol';

export const QUERY_BUDGET_DEFAULTS = {
  timeoutSeconds: 120,
  memoryMb: 2048,
  workers: 2,
} as const;

export interface QueryPoolOptions {
  lakeDir: string;
  logger: Logger;
  /** Most worker threads (default 2). Workers start on demand; the first idle one takes the next job. */
  workers?: number;
  /** Time budget of one query unless the call gives its own (default 120 s). */
  timeoutMs?: number;
  /** Heap of one worker: the tables it keeps plus the running query (default 2048 MB). */
  memoryMb?: number;
  /** How long a cancelled query may take to notice before its worker is terminated (default 1 s). */
  cancelGraceMs?: number;
  /** The worker script; default dist/query-worker.js next to this bundle, or the TypeScript source under tsx. */
  script?: WorkerScript;
}

export interface WorkerScript {
  file: string;
  execArgv?: string[];
}

/** dist/query-worker.js next to the running bundle, or this module's TypeScript source when run with tsx. */
export function queryWorkerScript(): WorkerScript | null {
  const bundled = path.join(__dirname, 'query-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  const source = path.join(__dirname, 'queryWorker.ts');
  if (__filename.endsWith('.ts') && fs.existsSync(source)) return { file: source, execArgv: ['--require', 'tsx/cjs'] };
  return null;
}

type Request =
  | {
      t: 'query';
      query: string;
      maxRows?: number;
      timeRange?: { start: number; end: number };
      now?: number;
      timeoutMs: number;
    }
  | { t: 'columns'; table: string };

type JobAnswer = Extract<FromQueryWorker, { ok: true }>;

interface Job {
  id: number;
  request: Request;
  timeoutMs: number;
  signal?: AbortSignal;
  resolve(value: JobAnswer): void;
  reject(error: Error): void;
  settled: boolean;
  detach?: () => void;
}

interface Slot {
  worker: Worker;
  /** Set when the worker said it is ready (lake opened, parser warm). */
  ready: boolean;
  job?: Job;
  startedAt?: number;
  timer?: NodeJS.Timeout;
  dead: boolean;
}

export class QueryPool implements KqlEngine {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  /** Tables the workers have loaded: a new worker loads them as soon as it is ready. */
  private readonly warmTables = new Set<string>();
  readonly maxWorkers: number;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  private readonly cancelGraceMs: number;
  private readonly script: WorkerScript;

  constructor(private readonly options: QueryPoolOptions) {
    this.maxWorkers = Math.max(1, Math.floor(options.workers ?? QUERY_BUDGET_DEFAULTS.workers));
    this.timeoutMs = options.timeoutMs ?? QUERY_BUDGET_DEFAULTS.timeoutSeconds * 1000;
    this.memoryMb = options.memoryMb ?? QUERY_BUDGET_DEFAULTS.memoryMb;
    this.cancelGraceMs = options.cancelGraceMs ?? 1000;
    const script = options.script ?? queryWorkerScript();
    if (!script) throw new Error('the query worker script (query-worker.js) is missing next to the server');
    this.script = script;
  }

  /** Workers alive right now (diagnostics, tests, benchmark). */
  get liveWorkers(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  execute(query: string, options: ExecuteOptions = {}): Promise<QueryResult> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const request: Request = {
      t: 'query',
      query,
      maxRows: options.maxRows,
      timeRange: options.timeRange
        ? { start: options.timeRange.start.getTime(), end: options.timeRange.end.getTime() }
        : undefined,
      now: options.now?.getTime(),
      timeoutMs,
    };
    return this.submit(request, timeoutMs, options.signal).then((m) => m.result!);
  }

  /** Column names and types of a lake table, read by a worker (so this thread never loads the table). */
  columns(table: string, signal?: AbortSignal): Promise<ResultColumn[]> {
    return this.submit({ t: 'columns', table }, this.timeoutMs, signal).then((m) => m.columns ?? []);
  }

  /** A table file changed: every worker drops its cached copy before its next job. */
  invalidate(table: string): void {
    this.warmTables.delete(table);
    for (const s of this.slots) if (!s.dead) s.worker.postMessage({ t: 'invalidate', table } satisfies ToQueryWorker);
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new CancelledError('the server is shutting down'));
    for (const s of this.slots.splice(0)) this.kill(s);
  }

  private submit(request: Request, timeoutMs: number, signal?: AbortSignal): Promise<JobAnswer> {
    if (this.disposed) return Promise.reject(new CancelledError('the server is shutting down'));
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, request, timeoutMs, signal, resolve, reject, settled: false };
      if (signal) {
        const onAbort = () => this.cancel(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    if (this.disposed) return;
    for (let slot = this.idle(); slot && this.queue.length; slot = this.idle()) this.run(slot, this.queue.shift()!);
    // Start workers for what is still waiting (each takes a job once it is ready).
    const warming = this.slots.filter((s) => !s.ready).length;
    for (let n = this.queue.length - warming; n > 0 && this.slots.length < this.maxWorkers; n--) this.spawn();
  }

  private idle(): Slot | undefined {
    return this.slots.find((s) => s.ready && !s.dead && !s.job);
  }

  /** Starts one worker ahead of need (at start-up, and in place of a stopped one) so the next call finds it warm. */
  prestart(): void {
    if (!this.disposed && this.slots.length < this.maxWorkers) this.spawn();
  }

  private spawn(): Slot {
    const data: QueryWorkerData = { lakeDir: this.options.lakeDir, preload: [...this.warmTables] };
    const worker = new Worker(this.script.file, {
      workerData: data,
      ...(this.script.execArgv ? { execArgv: this.script.execArgv } : {}),
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
      // stdout of a stdio MCP server belongs to the protocol: whatever a worker prints goes to the log instead.
      stdout: true,
      stderr: true,
    });
    const log = (chunk: Buffer) => this.options.logger.debug(`[query worker] ${chunk.toString('utf8').trimEnd()}`);
    worker.stdout.on('data', log);
    worker.stderr.on('data', log);
    const slot: Slot = { worker, ready: false, dead: false };
    this.slots.push(slot);
    worker.on('message', (m: FromQueryWorker) => this.onMessage(slot, m));
    worker.on('error', (e: Error & { code?: string }) => this.onDeath(slot, e));
    // an answer that cannot be read on this side (should not happen: the worker checks what it sends)
    worker.on('messageerror', (e) => {
      const job = slot.job;
      if (!job) return;
      this.release(slot);
      this.settle(job, new UserError(`the query's result could not be received (${e.message})`, 'ResultUnreadable'));
      this.pump();
    });
    worker.on('exit', (code) => this.onDeath(slot, new Error(`the query worker exited with code ${code}`)));
    worker.unref();
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    slot.startedAt = Date.now();
    // The engine stops itself at the budget between operators; the timer also catches one that never returns.
    slot.timer = setTimeout(() => this.overrun(slot, job), job.timeoutMs + 250);
    slot.worker.postMessage({ ...job.request, id: job.id } as ToQueryWorker);
  }

  private onMessage(slot: Slot, m: FromQueryWorker): void {
    if ('t' in m) {
      slot.ready = true;
      this.pump();
      return;
    }
    for (const t of m.tables ?? []) this.warmTables.add(t);
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    const elapsed = Date.now() - (slot.startedAt ?? Date.now());
    this.release(slot);
    if (m.ok) this.settle(job, undefined, m);
    else this.settle(job, toError(m.error, job, elapsed));
    this.pump();
  }

  private overrun(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    this.options.logger.warn(
      `query stopped after ${Math.round((Date.now() - slot.startedAt!) / 1000)} s: over the time budget; replacing its worker`,
    );
    this.retire(slot);
    this.settle(job, timeBudgetError(job.timeoutMs));
    this.replace();
  }

  private onDeath(slot: Slot, e: Error & { code?: string }): void {
    if (slot.dead) return;
    const job = slot.job;
    this.retire(slot);
    if (!slot.ready) {
      // it died while starting (e.g. the lake folder became unreadable): fail what waits instead of respawning in a loop
      this.options.logger.error(`query worker could not start: ${e.message}`);
      for (const waiting of this.queue.splice(0))
        this.settle(waiting, new Error(`the query worker could not start (${e.message})`));
      return;
    }
    if (job) {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.options.logger.warn(`query stopped: over the ${this.memoryMb} MB memory budget; replacing its worker`);
        this.settle(
          job,
          new UserError(`query stopped: over the ${this.memoryMb} MB memory budget`, 'QueryMemoryBudget'),
        );
      } else {
        this.options.logger.error(`query worker failed: ${e.message}`);
        this.settle(job, new Error(`the query worker stopped unexpectedly (${e.message})`));
      }
    }
    this.replace();
  }

  /** A caller gave up: a queued job just leaves; a running one is asked to stop, then its worker is terminated. */
  private cancel(job: Job): void {
    if (job.settled) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.settle(job, new CancelledError());
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    slot.worker.postMessage({ t: 'cancel', id: job.id } satisfies ToQueryWorker);
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      this.retire(slot);
      this.replace();
    }, this.cancelGraceMs);
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    slot.startedAt = undefined;
  }

  /** After a worker was stopped: a fresh one starts warming at once, and waiting jobs move on. */
  private replace(): void {
    if (this.disposed) return;
    this.pump();
    if (this.slots.length === 0) this.prestart();
  }

  /** Takes a worker out of the pool for good; the next job starts a fresh one. */
  private retire(slot: Slot): void {
    this.release(slot);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    this.kill(slot);
  }

  private kill(slot: Slot): void {
    slot.dead = true;
    clearTimeout(slot.timer);
    void slot.worker.terminate().catch(() => undefined);
  }

  private settle(job: Job, error?: Error, value?: JobAnswer): void {
    if (job.settled) return;
    job.settled = true;
    job.detach?.();
    if (error) job.reject(error);
    else job.resolve(value!);
  }
}

function timeBudgetError(timeoutMs: number): UserError {
  const s = timeoutMs / 1000;
  return new UserError(
    `query stopped: over the ${Number.isInteger(s) ? s : s.toFixed(1)} s time budget`,
    'QueryTimeBudget',
  );
}

/** Rebuilds the worker's error as the class the callers test for. */
function toError(e: WorkerError, job: Job, elapsedMs: number): Error {
  // The engine noticed the deadline itself (between operators): the same answer as a terminated worker.
  if (e.code === 'KqlRuntime' && elapsedMs >= job.timeoutMs && /time budget/.test(e.message))
    return timeBudgetError(job.timeoutMs);
  if (e.name === 'KqlError')
    return new KqlError(e.message, e.position, e.code as ConstructorParameters<typeof KqlError>[2]);
  if (e.name === 'UserError') return new UserError(e.message, e.code, e.position);
  if (e.name === 'CancelledError') return new CancelledError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
