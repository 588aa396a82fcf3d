import * as assert from 'assert';
import { UserError } from '../../../src/core/errors';
import { describeRange, lastHours, parseCustomRange } from '../../../src/core/timeRange';

describe('baseline time ranges', () => {
  const now = new Date('2026-11-20T12:00:00Z');

  it('computes presets from the backend clock, not the machine clock', () => {
    const r = lastHours(now, 7 * 24);
    assert.strictEqual(r.start.toISOString(), '2026-11-13T12:00:00.000Z');
    assert.strictEqual(r.end, now);
  });

  it('parses relative and absolute custom ranges', () => {
    assert.strictEqual(parseCustomRange('3d', now).start.toISOString(), '2026-11-17T12:00:00.000Z');
    assert.strictEqual(parseCustomRange('12h', now).start.toISOString(), '2026-11-20T00:00:00.000Z');
    const r = parseCustomRange('2026-11-01 .. 2026-11-08T12:00', now);
    assert.strictEqual(r.start.toISOString(), '2026-11-01T00:00:00.000Z');
    assert.strictEqual(r.end.toISOString(), '2026-11-08T12:00:00.000Z');
    assert.strictEqual(describeRange(r), '2026-11-01 00:00 → 2026-11-08 12:00 UTC');
  });

  it('refuses ranges that make no sense with a clear message', () => {
    assert.throws(() => parseCustomRange('yesterday', now), UserError);
    assert.throws(() => parseCustomRange('2026-11-08 .. 2026-11-01', now), /after its start/);
    assert.throws(() => parseCustomRange('2026-13-45 .. 2026-11-01', now), /not a date/);
  });
});
