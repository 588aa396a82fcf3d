// A manual clock: timers fire only when the test advances time, so tests are fast and deterministic.
import { CancelledError } from '../../../src/core/errors';
import type { Clock } from '../../../src/core/analyzer/clock';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.parse('2026-01-15T12:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError());
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(new CancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Pending timers (a busy loop would show up here as an ever-growing count). */
  get pending(): number {
    return this.timers.length;
  }

  nextAt(): number | undefined {
    return this.timers.length ? Math.min(...this.timers.map((t) => t.at)) : undefined;
  }

  /** Lets promise chains settle. */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Advances to the next timer and fires every timer due then. Returns false when none is pending. */
  async step(): Promise<boolean> {
    await this.settle();
    const at = this.nextAt();
    if (at === undefined) return false;
    this.t = Math.max(this.t, at);
    const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const d of due) d.fire();
    await this.settle();
    return true;
  }

  /** Advances by `ms`, firing timers in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await this.settle();
    for (;;) {
      const at = this.nextAt();
      if (at === undefined || at > end) break;
      await this.step();
    }
    this.t = end;
    await this.settle();
  }

  /** Runs until `done()` or no timer is left (bounded). */
  async runUntil(done: () => boolean, maxSteps = 100_000): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      await this.settle();
      if (done()) return;
      if (!(await this.step())) return;
    }
    throw new Error('runUntil: too many steps');
  }
}
