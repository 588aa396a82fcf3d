import * as assert from 'assert';
import { AnalyzerService, DEFAULT_ANALYZER_SETTINGS } from '../../../src/core/analyzer/service';
import { MemoryStore } from '../../../src/core/analyzer/store';
import { FakeClock } from './fakeClock';
import { ScriptedBackend, userRequest } from './fixtures';

function make(store = new MemoryStore(), clock = new FakeClock(), backend?: ScriptedBackend) {
  const b = backend ?? new ScriptedBackend(() => clock.now());
  let n = 0;
  const service = new AnalyzerService({
    clock,
    store,
    settings: () => ({ ...DEFAULT_ANALYZER_SETTINGS, maxConcurrent: 2, policy: { jitter: 0 } }),
    backend: async () => b,
    scope: () => 'local:lake',
    newId: () => `job-${++n}`,
  });
  return { service, backend: b, clock, store };
}

describe('analyzer service (cache + scheduler + jobs)', () => {
  it('runs once, then answers the same question from the cache with its age', async () => {
    const { service, backend, clock } = make();
    backend.pollScript = ['running', 'completed'];
    const first = service.request(userRequest());
    assert.strictEqual(first.cached, undefined);
    await clock.runUntil(() => first.job.done);
    assert.strictEqual(first.job.state, 'completed');
    await clock.advance(10 * 60_000);
    const second = service.request(userRequest('megan.bowen@contoso.com', 7, new Date(clock.now()).toISOString()));
    assert.ok(second.cached);
    assert.strictEqual(second.cached.ageMs, 10 * 60_000 + (first.job.finishedAt! - first.job.startedAt!) * 0);
    assert.strictEqual(second.job.fromCache, true);
    assert.strictEqual(backend.starts.length, 1, 'no second run spent');
    const forced = service.request(userRequest(), { force: true });
    await clock.runUntil(() => forced.job.done);
    assert.strictEqual(backend.starts.length, 2);
  });

  it('joins an identical question already running instead of spending another run', () => {
    const { service, backend } = make();
    backend.pollScript = Array(10).fill('running');
    const a = service.request(userRequest());
    const b = service.request(userRequest());
    assert.strictEqual(b.joined, true);
    assert.strictEqual(b.job, a.job);
  });

  it('refuses a user window longer than the limit', () => {
    const { service } = make();
    assert.throws(() => service.request(userRequest(undefined, 8)), /at most 7 days/);
  });

  it('resumes in-flight analyses after a reload without starting them again', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const before = make(store, clock);
    before.backend.pollScript = Array(3).fill('running');
    const { job } = before.service.request(userRequest());
    await clock.advance(1500);
    assert.strictEqual(job.state, 'polling');
    before.service.dispose(); // the window closes mid-poll

    const after = make(store, clock);
    after.backend.pollScript = ['running', 'completed'];
    assert.strictEqual(after.service.resume(), 1);
    const resumed = after.service.list().find((j) => !j.done)!;
    assert.strictEqual(resumed.analysisId, job.analysisId);
    await clock.runUntil(() => resumed.done);
    assert.strictEqual(resumed.state, 'completed');
    assert.strictEqual(after.backend.starts.length, 0);
    assert.strictEqual(after.service.cache.inflight().length, 0);
    // A third window lists the result from the cache.
    const third = make(store, clock);
    assert.strictEqual(third.service.list()[0].result?.verdict, 'Compromised');
    assert.strictEqual(third.service.resume(), 0);
  });

  it('queues beyond the concurrency limit with positions, and cancel removes a queued job', async () => {
    const { service, backend, clock } = make();
    backend.pollScript = Array(100).fill('running');
    const jobs = ['a', 'b', 'c', 'd'].map((u) => service.request(userRequest(`${u}@contoso.com`)).job);
    await clock.settle();
    assert.deepStrictEqual(
      jobs.map((j) => j.state),
      ['polling', 'polling', 'queued', 'queued'],
    );
    assert.deepStrictEqual(
      jobs.slice(2).map((j) => j.ahead),
      [0, 1],
    );
    service.cancel(jobs[2].id);
    await clock.settle();
    assert.strictEqual(jobs[2].state, 'cancelled');
    assert.strictEqual(jobs[3].ahead, 0);
    service.cancel(jobs[0].id);
    await clock.runUntil(() => jobs[3].state !== 'queued', 50);
    assert.strictEqual(jobs[3].state, 'polling');
    assert.strictEqual(backend.starts.length, 3);
  });
});
