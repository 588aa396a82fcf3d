import * as assert from 'assert';
import { AnalysisJob, describeJob, JobPolicy } from '../../../src/core/analyzer/job';
import { ThrottledError, TransientError, parseRetryAfter, isTransient } from '../../../src/core/analyzer/errors';
import { FakeClock } from './fakeClock';
import { ScriptedBackend, userRequest } from './fixtures';

const policy: Partial<JobPolicy> = {
  pollInitialMs: 1000,
  pollMaxMs: 8000,
  pollFactor: 2,
  jitter: 0,
  timeoutMs: 10 * 60_000,
  retryBaseMs: 1000,
};

function setup() {
  const clock = new FakeClock();
  const backend = new ScriptedBackend(() => clock.now());
  const job = new AnalysisJob({ id: 'j1', request: userRequest(), createdAt: clock.now() });
  const states: string[] = [];
  job.onDidChange((j) => {
    if (states[states.length - 1] !== j.state) states.push(j.state);
  });
  return { clock, backend, job, states };
}

describe('analysis job state machine', () => {
  it('goes queued → starting → polling → completed through "still running" polls with growing pauses', async () => {
    const { clock, backend, job, states } = setup();
    backend.pollScript = ['running', 'running', 'running', 'completed'];
    const t0 = clock.now();
    const done = job.run(backend, { clock, policy });
    await clock.runUntil(() => job.done);
    await done;
    assert.strictEqual(job.state, 'completed');
    assert.deepStrictEqual(states, ['starting', 'polling', 'completed']);
    assert.strictEqual(job.polls, 4);
    assert.strictEqual(job.result?.verdict, 'Compromised');
    assert.strictEqual(job.result?.analysisId, 'a1');
    // Pauses 1s, 2s, 4s between the four polls.
    assert.deepStrictEqual(
      backend.getTimes.map((t) => t - t0),
      [0, 1000, 3000, 7000],
    );
    assert.strictEqual(clock.pending, 0, 'no timers left behind');
  });

  it('caps the poll pause and applies jitter within bounds', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend(() => clock.now());
    backend.pollScript = Array(8).fill('running');
    const job = new AnalysisJob({ id: 'j', request: userRequest(), createdAt: clock.now() });
    let r = 0;
    const randoms = [0, 0.999, 0.5];
    void job.run(backend, { clock, policy: { ...policy, jitter: 0.2 }, random: () => randoms[r++ % 3] });
    await clock.runUntil(() => job.done);
    const gaps = backend.getTimes.slice(1).map((t, i) => t - backend.getTimes[i]);
    const nominal = [1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000];
    gaps.forEach((g, i) => {
      assert.ok(g >= nominal[i] * 0.8 - 1 && g <= nominal[i] * 1.2 + 1, `gap ${i} = ${g}`);
    });
    assert.ok(
      gaps.some((g, i) => g !== nominal[i]),
      'jitter changes some pauses',
    );
  });

  it('honours Retry-After on a 429 from start, then succeeds', async () => {
    const { clock, backend, job } = setup();
    backend.startScript = [new ThrottledError('429 Too Many Requests', 30_000)];
    const t0 = clock.now();
    const seen: string[] = [];
    job.onDidChange((j) => j.message && seen.push(j.message));
    void job.run(backend, { clock, policy: { ...policy, jitter: 0.2 }, random: () => 0 });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'completed');
    assert.strictEqual(backend.starts.length, 2);
    assert.ok(backend.startTimes[1] - t0 >= 30_000, `retried after ${backend.startTimes[1] - t0} ms`);
    assert.strictEqual(job.retries, 1);
    assert.ok(
      seen.some((m) => /Throttled/.test(m) && /30s/.test(m)),
      seen.join('; '),
    );
  });

  it('never retries earlier than Retry-After even with maximal negative jitter', async () => {
    const { clock, backend, job } = setup();
    backend.pollScript = [Object.assign(new Error('Too many'), { status: 429, retryAfterMs: 12_000 }), 'completed'];
    void job.run(backend, { clock, policy: { ...policy, jitter: 0.5 }, random: () => 0 });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'completed');
    assert.ok(backend.getTimes[1] - backend.getTimes[0] >= 12_000);
  });

  it('retries transient errors with exponential backoff and gives up after maxRetries', async () => {
    const { clock, backend, job } = setup();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    backend.pollScript = [reset, new TransientError('server restarting'), 'completed'];
    void job.run(backend, { clock, policy });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'completed');
    assert.deepStrictEqual(
      backend.getTimes.slice(1).map((t, i) => t - backend.getTimes[i]),
      [1000, 2000],
    );

    const second = setup();
    second.backend.pollScript = Array(10).fill(new TransientError('flaky'));
    void second.job.run(second.backend, { clock: second.clock, policy: { ...policy, maxRetries: 3 } });
    await second.clock.runUntil(() => second.job.done);
    assert.strictEqual(second.job.state, 'failed');
    assert.strictEqual(second.backend.gets.length, 4);
    assert.match(second.job.error ?? '', /flaky/);
  });

  it('fails at once on a non-transient error (e.g. missing tables)', async () => {
    const { clock, backend, job } = setup();
    backend.startScript = [new Error('User analysis needs tables that are missing: IdentityInfo')];
    void job.run(backend, { clock, policy });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'failed');
    assert.strictEqual(backend.starts.length, 1);
    assert.match(job.error ?? '', /IdentityInfo/);
  });

  it('reports a failed analysis from the server as failed', async () => {
    const { clock, backend, job } = setup();
    backend.pollScript = ['running', 'failed'];
    void job.run(backend, { clock, policy });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'failed');
    assert.match(job.error ?? '', /Missing tables/);
  });

  it('times out when the analysis keeps running past the overall budget', async () => {
    const { clock, backend, job } = setup();
    backend.pollScript = Array(1000).fill('running');
    const t0 = clock.now();
    void job.run(backend, { clock, policy: { ...policy, timeoutMs: 60_000 } });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'failed');
    assert.match(job.error ?? '', /did not finish within 60 s/);
    assert.strictEqual(job.finishedAt! - t0, 60_000);
    assert.strictEqual(clock.pending, 0);
  });

  it('times out even when a backend call never settles', async () => {
    const { clock, job } = setup();
    const hung = {
      startEntityAnalysis: () => new Promise<never>(() => undefined),
      getEntityAnalysis: () => new Promise<never>(() => undefined),
    };
    void job.run(hung, { clock, policy: { ...policy, timeoutMs: 5_000 } });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'failed');
    assert.match(job.error ?? '', /did not finish/);
  });

  it('cancels while polling: no further calls, state cancelled', async () => {
    const { clock, backend, job } = setup();
    backend.pollScript = Array(100).fill('running');
    void job.run(backend, { clock, policy });
    await clock.advance(3500);
    const polls = backend.gets.length;
    assert.strictEqual(job.state, 'polling');
    job.cancel();
    await clock.runUntil(() => false, 1000);
    assert.strictEqual(job.state, 'cancelled');
    assert.strictEqual(backend.gets.length, polls);
    assert.strictEqual(clock.pending, 0);
  });

  it('cancels during a Retry-After wait', async () => {
    const { clock, backend, job } = setup();
    backend.startScript = [new ThrottledError('429', 600_000)];
    void job.run(backend, { clock, policy });
    await clock.advance(1000);
    job.cancel();
    await clock.settle();
    assert.strictEqual(job.state, 'cancelled');
    assert.strictEqual(backend.starts.length, 1);
  });

  it('a queued job cancelled before it runs never calls the backend', async () => {
    const { clock, backend, job } = setup();
    job.cancel();
    assert.strictEqual(job.state, 'cancelled');
    await job.run(backend, { clock, policy });
    assert.strictEqual(backend.starts.length, 0);
  });

  it('marks an expired analysis as expired (poll status or expiry error)', async () => {
    const { clock, backend, job } = setup();
    backend.pollScript = ['running', 'expired'];
    void job.run(backend, { clock, policy });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'expired');
    assert.match(job.error ?? '', /expired/);

    const b = setup();
    b.backend.pollScript = [Object.assign(new Error('Analysis a1 has expired'), { code: 'Expired' })];
    void b.job.run(b.backend, { clock: b.clock, policy });
    await b.clock.runUntil(() => b.job.done);
    assert.strictEqual(b.job.state, 'expired');
  });

  it('resumes polling an accepted analysis without starting it again', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend(() => clock.now());
    backend.pollScript = ['running', 'completed'];
    const job = new AnalysisJob({
      id: 'r',
      request: userRequest(),
      createdAt: clock.now() - 5000,
      analysisId: 'existing-1',
      startedAt: clock.now() - 4000,
    });
    void job.run(backend, { clock, policy });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'completed');
    assert.strictEqual(backend.starts.length, 0);
    assert.deepStrictEqual([...new Set(backend.gets)], ['existing-1']);
  });

  it('starts again once when the server lost the analysis (restart), then fails if it is lost again', async () => {
    const { clock, backend, job } = setup();
    const lost = (id: string) => ({
      status: 'failed' as const,
      analysisId: id,
      error: `Unknown analysis id '${id}'. Start an analysis with analyze_user_entity or analyze_url_entity.`,
    });
    backend.pollScript = ['running', lost, 'running', 'completed'];
    void job.run(backend, { clock, policy });
    await clock.runUntil(() => job.done);
    assert.strictEqual(job.state, 'completed');
    assert.strictEqual(backend.starts.length, 2);
    assert.deepStrictEqual([...new Set(backend.gets)], ['a1', 'a2']);
    assert.strictEqual(job.analysisId, 'a2');

    const again = setup();
    again.backend.pollScript = [lost, lost];
    void again.job.run(again.backend, { clock: again.clock, policy });
    await again.clock.runUntil(() => again.job.done);
    assert.strictEqual(again.job.state, 'failed');
    assert.strictEqual(again.backend.starts.length, 2);
  });

  it('describes live status for the progress notification', () => {
    const now = Date.parse('2026-01-15T12:01:12Z');
    const base = { id: 'x', request: userRequest(), polls: 4, retries: 0, createdAt: 0, fromCache: false };
    assert.strictEqual(describeJob({ ...base, state: 'queued', ahead: 2 }, now), 'Queued — 2 ahead');
    assert.strictEqual(
      describeJob({ ...base, state: 'polling', startedAt: Date.parse('2026-01-15T12:00:00Z') }, now),
      'Running — polled 4×, 1m 12s',
    );
    assert.strictEqual(
      describeJob({ ...base, polls: 0, state: 'polling', startedAt: Date.parse('2026-01-15T12:01:00Z') }, now),
      'Running — 12s',
    );
  });

  it('parses Retry-After and classifies errors', () => {
    assert.strictEqual(parseRetryAfter('30'), 30_000);
    assert.strictEqual(
      parseRetryAfter(new Date(Date.parse('2026-01-01T00:00:10Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z')),
      10_000,
    );
    assert.strictEqual(parseRetryAfter('soon'), undefined);
    assert.ok(isTransient({ status: 503 }));
    assert.ok(isTransient({ status: 429 }));
    assert.ok(!isTransient({ status: 400 }));
    assert.ok(!isTransient(new Error('bad entity')));
    assert.ok(isTransient(Object.assign(new Error('x'), { code: -32001 })));
  });
});
