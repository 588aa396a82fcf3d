import * as assert from 'assert';
import fc from 'fast-check';
import { AnalysisScheduler, DAY_MS, HOUR_MS, SchedulerLimits } from '../../../src/core/analyzer/scheduler';
import { MemoryStore } from '../../../src/core/analyzer/store';
import { FakeClock } from './fakeClock';

interface Run {
  limits: SchedulerLimits;
  durations: number[];
  resumed: boolean[];
  cancelAt: Array<number | null>;
}

/** Drives `n` jobs through the scheduler on a fake clock and checks every limit at every start. */
async function simulate(run: Run, store = new MemoryStore(), clock = new FakeClock()) {
  const scheduler = new AnalysisScheduler({ clock, store, limits: () => run.limits });
  const quotaStarts: number[] = (store.get<number[]>('sentinelWorkbench.analyzer.runStarts') ?? []).slice();
  let running = 0;
  let maxRunning = 0;
  let finished = 0;
  let cancelled = 0;
  const violations: string[] = [];
  const jobs = run.durations.map(async (duration, i) => {
    const controller = new AbortController();
    const cancelAt = run.cancelAt[i];
    const cancelTimer = new AbortController();
    if (cancelAt !== null && cancelAt !== undefined) {
      clock.sleep(cancelAt, cancelTimer.signal).then(
        () => controller.abort(),
        () => undefined,
      );
    }
    let slot;
    try {
      slot = await scheduler.acquire({ signal: controller.signal, countsQuota: !run.resumed[i] });
    } catch {
      cancelled++;
      return;
    } finally {
      cancelTimer.abort();
    }
    const now = clock.now();
    running++;
    maxRunning = Math.max(maxRunning, running);
    if (running > run.limits.maxConcurrent) violations.push(`concurrency ${running} > ${run.limits.maxConcurrent}`);
    if (!run.resumed[i]) {
      quotaStarts.push(now);
      const hour = quotaStarts.filter((t) => t > now - HOUR_MS).length;
      const day = quotaStarts.filter((t) => t > now - DAY_MS).length;
      if (hour > run.limits.runsPerHour) violations.push(`hour ${hour} > ${run.limits.runsPerHour} at ${now}`);
      if (day > run.limits.runsPerDay) violations.push(`day ${day} > ${run.limits.runsPerDay} at ${now}`);
    }
    await clock.sleep(duration);
    running--;
    finished++;
    slot.release();
  });
  await clock.runUntil(() => finished + cancelled === run.durations.length, 200_000);
  await Promise.all(jobs);
  return { violations, maxRunning, finished, cancelled, scheduler, clock, store, quotaStarts };
}

describe('analysis scheduler', () => {
  it('never exceeds concurrency or the hourly/daily quotas, and finishes every job (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          maxConcurrent: fc.integer({ min: 1, max: 6 }),
          runsPerHour: fc.integer({ min: 1, max: 12 }),
          runsPerDay: fc.integer({ min: 1, max: 40 }),
        }),
        fc.array(
          fc.record({
            duration: fc.integer({ min: 1, max: 3 * HOUR_MS }),
            resumed: fc.boolean(),
            cancelAt: fc.option(fc.integer({ min: 0, max: 2 * DAY_MS }), { freq: 4 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        async (limits, jobs) => {
          const r = await simulate({
            limits,
            durations: jobs.map((j) => j.duration),
            resumed: jobs.map((j) => j.resumed),
            cancelAt: jobs.map((j) => j.cancelAt),
          });
          assert.deepStrictEqual(r.violations, []);
          assert.strictEqual(r.finished + r.cancelled, jobs.length);
          assert.strictEqual(r.clock.pending, 0, 'no timer left once the queue is empty');
        },
      ),
      { numRuns: 60, seed: Number(process.env.SWB_FUZZ_SEED ?? 20261127) },
    );
  });

  it('holds the GA limits (5 concurrent, 200/h, 500/day) with 500 queued jobs and idles between quota windows', async () => {
    const durations = Array.from({ length: 500 }, (_, i) => 20_000 + (i % 7) * 15_000);
    const r = await simulate({
      limits: { maxConcurrent: 5, runsPerHour: 200, runsPerDay: 500 },
      durations,
      resumed: durations.map(() => false),
      cancelAt: durations.map(() => null),
    });
    assert.deepStrictEqual(r.violations, []);
    assert.strictEqual(r.maxRunning, 5);
    assert.strictEqual(r.finished, 500);
    // 200 in the first hour, 200 in the second, the rest in the third: the quota, not concurrency, paced it.
    const t0 = r.quotaStarts[0];
    const firstHour = r.quotaStarts.filter((t) => t < t0 + HOUR_MS).length;
    assert.strictEqual(firstHour, 200);
    assert.strictEqual(r.scheduler.usage().lastDay, 500);
  });

  it('waits on one timer, not a loop, while the quota is exhausted', async () => {
    const clock = new FakeClock();
    const scheduler = new AnalysisScheduler({
      clock,
      store: new MemoryStore(),
      limits: () => ({ maxConcurrent: 5, runsPerHour: 2, runsPerDay: 10 }),
    });
    const slots = await Promise.all([scheduler.acquire(), scheduler.acquire()]);
    slots.forEach((s) => s.release());
    const positions: Array<[number, string | undefined]> = [];
    const third = scheduler.acquire({ onQueued: (a, reason) => positions.push([a, reason]) });
    const fourth = scheduler.acquire();
    let got = false;
    void third.then(() => (got = true));
    await clock.settle();
    assert.strictEqual(got, false);
    assert.strictEqual(clock.pending, 1, 'exactly one wake-up timer');
    assert.strictEqual(clock.nextAt(), clock.now() + HOUR_MS);
    assert.deepStrictEqual(positions[0][0], 0);
    assert.match(positions[0][1] ?? '', /quota reached, next run in 1h 0m/);
    await clock.step();
    assert.strictEqual(got, true);
    await fourth;
  });

  it('reports queue positions as jobs ahead leave', async () => {
    const clock = new FakeClock();
    const scheduler = new AnalysisScheduler({
      clock,
      store: new MemoryStore(),
      limits: () => ({ maxConcurrent: 1, runsPerHour: 100, runsPerDay: 100 }),
    });
    const first = await scheduler.acquire();
    const seen: number[] = [];
    const a = scheduler.acquire();
    const b = scheduler.acquire();
    const c = scheduler.acquire({ onQueued: (ahead) => seen.push(ahead) });
    first.release();
    (await a).release();
    (await b).release();
    (await c).release();
    assert.deepStrictEqual(seen, [2, 1, 0]);
  });

  it('keeps counts across a reload through the store', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const limits = () => ({ maxConcurrent: 5, runsPerHour: 3, runsPerDay: 10 });
    const before = new AnalysisScheduler({ clock, store, limits });
    for (let i = 0; i < 3; i++) (await before.acquire()).release();
    before.dispose();
    await clock.advance(10 * 60_000);
    const after = new AnalysisScheduler({ clock, store, limits });
    assert.strictEqual(after.usage().lastHour, 3);
    let started = false;
    void after.acquire().then(() => (started = true));
    await clock.settle();
    assert.strictEqual(started, false, 'the reloaded scheduler still sees the hour as used');
    await clock.advance(50 * 60_000);
    assert.strictEqual(started, true);
  });

  it('applies lowered limits at the next decision and a cancelled waiter leaves the queue', async () => {
    const clock = new FakeClock();
    let max = 3;
    const scheduler = new AnalysisScheduler({
      clock,
      store: new MemoryStore(),
      limits: () => ({ maxConcurrent: max, runsPerHour: 100, runsPerDay: 100 }),
    });
    const held = await Promise.all([scheduler.acquire(), scheduler.acquire(), scheduler.acquire()]);
    max = 1;
    const controller = new AbortController();
    const waiting = scheduler.acquire({ signal: controller.signal });
    held[0].release();
    held[1].release();
    await clock.settle();
    assert.strictEqual(scheduler.usage().running, 1);
    controller.abort();
    await assert.rejects(waiting, /Cancelled/);
    assert.strictEqual(scheduler.usage().queued, 0);
  });
});
