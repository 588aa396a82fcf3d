// Governs how many analyses run: at most N at once, and sliding-window quotas per hour and per day
// (the service's tenant limits). Start times are persisted through an injected store, so reloading the
// window does not reset the counts. Waiting jobs sit in a FIFO queue with positions; waiting is a single
// timer (for the next quota release) or a slot release, never a polling loop.
import { CancelledError } from '../errors';
import type { Logger } from '../types';
import { silentLogger } from '../types';
import type { Clock } from './clock';
import { formatDuration } from './clock';
import type { StateStore } from './store';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

export interface SchedulerLimits {
  maxConcurrent: number;
  runsPerHour: number;
  runsPerDay: number;
}

export interface SchedulerOptions {
  clock: Clock;
  store: StateStore;
  /** Read on every decision, so changed settings apply at once. */
  limits: () => SchedulerLimits;
  logger?: Logger;
  /** Store key of the persisted start times. */
  storeKey?: string;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** False for a job resuming an analysis the service already counted (takes a slot, not a run). */
  countsQuota?: boolean;
  /** Called with the number of entries ahead and why the head waits, whenever that changes. */
  onQueued?: (ahead: number, reason: string | undefined) => void;
}

export interface Slot {
  /** Frees the concurrency slot. Idempotent. */
  release(): void;
}

interface Waiter {
  countsQuota: boolean;
  resolve: (slot: Slot) => void;
  reject: (e: unknown) => void;
  onQueued?: (ahead: number, reason: string | undefined) => void;
  lastAhead?: number;
  lastReason?: string;
  cleanup: () => void;
}

export interface SchedulerUsage {
  running: number;
  queued: number;
  lastHour: number;
  lastDay: number;
  limits: SchedulerLimits;
  /** When the next quota unit frees up, if a quota is exhausted. */
  nextReleaseAt?: number;
}

export class AnalysisScheduler {
  private readonly clock: Clock;
  private readonly store: StateStore;
  private readonly limits: () => SchedulerLimits;
  private readonly logger: Logger;
  private readonly storeKey: string;
  private starts: number[];
  private running = 0;
  private readonly queue: Waiter[] = [];
  private wake: { at: number; cancel: AbortController } | undefined;
  private disposed = false;

  constructor(options: SchedulerOptions) {
    this.clock = options.clock;
    this.store = options.store;
    this.limits = options.limits;
    this.logger = options.logger ?? silentLogger;
    this.storeKey = options.storeKey ?? 'sentinelWorkbench.analyzer.runStarts';
    const saved = this.store.get<unknown>(this.storeKey);
    this.starts = Array.isArray(saved)
      ? saved.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)).sort((a, b) => a - b)
      : [];
    this.prune(this.clock.now());
  }

  /** Waits for a slot (and a quota unit when `countsQuota`); rejects with CancelledError if `signal` aborts first. */
  acquire(options: AcquireOptions = {}): Promise<Slot> {
    if (this.disposed) return Promise.reject(new CancelledError('The analyzer is shutting down.'));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = {
        countsQuota: options.countsQuota !== false,
        resolve,
        reject,
        onQueued: options.onQueued,
        cleanup: () => undefined,
      };
      if (signal) {
        const onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(new CancelledError());
            this.pump();
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  usage(): SchedulerUsage {
    const now = this.clock.now();
    this.prune(now);
    const limits = this.currentLimits();
    return {
      running: this.running,
      queued: this.queue.length,
      lastHour: this.countSince(now - HOUR_MS),
      lastDay: this.starts.length,
      limits,
      nextReleaseAt: this.quotaBlockedUntil(now, limits),
    };
  }

  /** Rejects every waiter; running slots stay valid until released. */
  dispose(): void {
    this.disposed = true;
    this.wake?.cancel.abort();
    this.wake = undefined;
    for (const w of this.queue.splice(0)) {
      w.cleanup();
      w.reject(new CancelledError('The analyzer is shutting down.'));
    }
  }

  private currentLimits(): SchedulerLimits {
    const l = this.limits();
    const int = (v: number, min: number) => (Number.isFinite(v) ? Math.max(min, Math.floor(v)) : min);
    return {
      maxConcurrent: int(l.maxConcurrent, 1),
      runsPerHour: int(l.runsPerHour, 0),
      runsPerDay: int(l.runsPerDay, 0),
    };
  }

  /** Start times strictly after `since`. */
  private countSince(since: number): number {
    let n = 0;
    for (let i = this.starts.length - 1; i >= 0 && this.starts[i] > since; i--) n++;
    return n;
  }

  private prune(now: number): void {
    const cutoff = now - DAY_MS;
    let drop = 0;
    while (drop < this.starts.length && this.starts[drop] <= cutoff) drop++;
    if (drop) this.starts.splice(0, drop);
  }

  /** When a quota unit becomes free, or undefined when one is free now. */
  private quotaBlockedUntil(now: number, limits: SchedulerLimits): number | undefined {
    let until: number | undefined;
    const inHour = this.countSince(now - HOUR_MS);
    if (inHour >= limits.runsPerHour) {
      // The (inHour - perHour + 1)-th oldest start in the hour must leave the window.
      const idx = this.starts.length - inHour + (inHour - limits.runsPerHour);
      until = limits.runsPerHour === 0 ? Infinity : this.starts[idx] + HOUR_MS;
    }
    const inDay = this.starts.length;
    if (inDay >= limits.runsPerDay) {
      const t = limits.runsPerDay === 0 ? Infinity : this.starts[inDay - limits.runsPerDay] + DAY_MS;
      until = until === undefined ? t : Math.max(until, t);
    }
    return until;
  }

  private pump(): void {
    if (this.disposed) return;
    const now = this.clock.now();
    this.prune(now);
    const limits = this.currentLimits();
    let blockedUntil: number | undefined;
    let quotaChecked = false;
    for (let i = 0; i < this.queue.length && this.running < limits.maxConcurrent;) {
      const w = this.queue[i];
      if (w.countsQuota) {
        if (!quotaChecked) {
          blockedUntil = this.quotaBlockedUntil(now, limits);
          quotaChecked = true;
        }
        if (blockedUntil !== undefined) {
          i++; // Quota-bound: later entries that need no quota unit may still go.
          continue;
        }
        this.starts.push(now);
        quotaChecked = false;
        void Promise.resolve(this.store.update(this.storeKey, this.starts.slice())).catch((e) =>
          this.logger.warn(`could not persist analyzer quota counts: ${String(e)}`),
        );
      }
      this.queue.splice(i, 1);
      this.running++;
      w.cleanup();
      w.resolve(this.makeSlot());
    }
    if (blockedUntil === undefined && this.queue.some((w) => w.countsQuota))
      blockedUntil = this.quotaBlockedUntil(now, limits);
    this.report(now, limits, blockedUntil);
    this.scheduleWake(blockedUntil !== undefined && this.queue.some((w) => w.countsQuota) ? blockedUntil : undefined);
  }

  private report(now: number, limits: SchedulerLimits, blockedUntil: number | undefined): void {
    const quotaReason =
      blockedUntil === undefined
        ? undefined
        : blockedUntil === Infinity
          ? 'quota is zero'
          : `quota reached, next run in ${formatDuration(blockedUntil - now)}`;
    const full = this.running >= limits.maxConcurrent;
    this.queue.forEach((w, ahead) => {
      const reason = w.countsQuota && quotaReason ? quotaReason : full ? `${limits.maxConcurrent} running` : undefined;
      if (w.lastAhead === ahead && w.lastReason === reason) return;
      w.lastAhead = ahead;
      w.lastReason = reason;
      try {
        w.onQueued?.(ahead, reason);
      } catch {
        // Listener errors never block the queue.
      }
    });
  }

  private scheduleWake(at: number | undefined): void {
    if (at === undefined || at === Infinity) {
      this.wake?.cancel.abort();
      this.wake = undefined;
      return;
    }
    if (this.wake && this.wake.at === at) return;
    this.wake?.cancel.abort();
    const cancel = new AbortController();
    this.wake = { at, cancel };
    this.clock.sleep(Math.max(0, at - this.clock.now()), cancel.signal).then(
      () => {
        if (this.wake?.cancel === cancel) this.wake = undefined;
        this.pump();
      },
      () => undefined,
    );
  }

  private makeSlot(): Slot {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.running--;
        this.pump();
      },
    };
  }
}
