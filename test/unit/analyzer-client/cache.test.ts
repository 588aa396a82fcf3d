import * as assert from 'assert';
import { AnalysisCache, cacheKey } from '../../../src/core/analyzer/cache';
import { MemoryStore } from '../../../src/core/analyzer/store';
import { FakeClock } from './fakeClock';
import { result, userRequest } from './fixtures';

const HOUR = 3600_000;

describe('analysis result cache', () => {
  function make(store = new MemoryStore(), clock = new FakeClock(), lifetime = HOUR) {
    return { store, clock, cache: new AnalysisCache({ store, clock, lifetimeMs: () => lifetime }) };
  }

  it('hits within the hour and reports the age', async () => {
    const { clock, cache } = make();
    const req = userRequest();
    cache.put(req, 'local:lake', result(req, clock.now()));
    await clock.advance(25 * 60_000);
    // Asked again later: the window moved with the clock but has the same length.
    const again = userRequest('Megan.Bowen@Contoso.com', 7, new Date(clock.now()).toISOString());
    const hit = cache.get(again, 'local:lake');
    assert.ok(hit);
    assert.strictEqual(hit.expired, false);
    assert.strictEqual(hit.ageMs, 25 * 60_000);
    assert.strictEqual(hit.result.verdict, 'Compromised');
  });

  it('misses for another entity, window length or workspace', () => {
    const { clock, cache } = make();
    const req = userRequest();
    cache.put(req, 'local:lake', result(req, clock.now()));
    assert.strictEqual(cache.get(userRequest('alex.wilber@contoso.com'), 'local:lake'), undefined);
    assert.strictEqual(cache.get(userRequest(undefined, 3), 'local:lake'), undefined);
    assert.strictEqual(cache.get(req, 'azure:/subscriptions/x'), undefined);
    assert.strictEqual(cache.get({ ...req, workspaceId: 'other' }, 'local:lake'), undefined);
  });

  it('marks an entry expired after its lifetime and keeps it listed for a re-run', async () => {
    const { clock, cache } = make();
    const req = userRequest();
    cache.put(req, 'local:lake', result(req, clock.now()));
    await clock.advance(HOUR);
    const hit = cache.get(req, 'local:lake');
    assert.ok(hit);
    assert.strictEqual(hit.expired, true);
    assert.strictEqual(cache.list()[0].expired, true);
    await clock.advance(25 * HOUR);
    assert.strictEqual(cache.get(req, 'local:lake'), undefined, 'dropped a day after expiry');
  });

  it('uses the earlier of the server expiry and the lifetime setting', async () => {
    const { clock, cache } = make(undefined, undefined, 30 * 60_000);
    const req = userRequest();
    cache.put(req, 's', result(req, clock.now()));
    await clock.advance(30 * 60_000);
    assert.strictEqual(cache.get(req, 's')?.expired, true);

    const b = make();
    b.cache.put(
      req,
      's',
      result(req, b.clock.now(), { expiresAt: new Date(b.clock.now() + 10 * 60_000).toISOString() }),
    );
    await b.clock.advance(10 * 60_000);
    assert.strictEqual(b.cache.get(req, 's')?.expired, true);
  });

  it('persists results and in-flight analyses through the store (window reload)', () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const first = make(store, clock).cache;
    const req = userRequest();
    first.put(req, 'local:lake', result(req, clock.now()));
    first.addInflight({
      jobId: 'j2',
      analysisId: 'a-77',
      request: userRequest('alex@contoso.com'),
      scope: 'local:lake',
      createdAt: clock.now(),
      startedAt: clock.now(),
    });
    const reloaded = new AnalysisCache({ store, clock, lifetimeMs: () => HOUR });
    assert.strictEqual(reloaded.get(req, 'local:lake')?.result.verdict, 'Compromised');
    assert.deepStrictEqual(
      reloaded.inflight().map((f) => f.analysisId),
      ['a-77'],
    );
    reloaded.removeInflight('j2');
    assert.deepStrictEqual(new AnalysisCache({ store, clock, lifetimeMs: () => HOUR }).inflight(), []);
  });

  it('normalises URLs in the key', () => {
    const a = {
      entity: { type: 'Url' as const, id: 'HTTPS://Evil.example.com/login' },
      startTime: '2026-01-01T00:00:00Z',
      endTime: '2026-01-08T00:00:00Z',
    };
    const b = { ...a, entity: { type: 'Url' as const, id: 'https://evil.example.com/login' } };
    assert.strictEqual(cacheKey(a, 's'), cacheKey(b, 's'));
  });
});
