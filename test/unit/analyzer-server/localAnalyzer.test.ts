import * as assert from 'assert';
import { LocalAnalyzer } from '../../../src/core/analyzer/localAnalyzer';
import { UserError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/types';
import { DEMO_DEFAULT_NOW, DEMO_USERS } from '../../../src/core/lake/demoFacts';
import { openLocalServices } from '../../../src/core/mcp/localServices';
import { demoLakeDir } from './demoLake';

const END = DEMO_DEFAULT_NOW;
const START = new Date(new Date(END).getTime() - 3 * 86_400_000).toISOString();

describe('local analyzer jobs (start, bounded poll, expiry)', function () {
  this.timeout(120_000);
  let clockMs = Date.parse('2026-11-20T12:00:00Z');
  let analyzer: LocalAnalyzer;

  before(async () => {
    const { context } = openLocalServices(await demoLakeDir(), { logger: silentLogger, env: {} });
    analyzer = new LocalAnalyzer({ context, logger: silentLogger, clock: () => clockMs, minRunMs: 300 });
  });
  after(() => analyzer.dispose());

  it('validates at start: bad entity, window too long and reversed windows throw UserError', () => {
    assert.throws(() => analyzer.start({ entity: { type: 'User', id: 'x y' }, startTime: START, endTime: END }), UserError);
    assert.throws(() => analyzer.start({ entity: { type: 'User', id: DEMO_USERS.clean }, startTime: '2026-11-01T00:00:00Z', endTime: END }), /at most 7 days/);
    assert.throws(() => analyzer.start({ entity: { type: 'Url', id: 'https://a.example' }, startTime: END, endTime: START }), /must be before/);
    assert.throws(() => analyzer.start({ entity: { type: 'Url', id: 'https://a.example' }, startTime: 'yesterday', endTime: END }), /ISO-8601/);
  });

  it('a short poll reports running; a long one waits for the verdict; the result expires after an hour', async () => {
    const { analysisId } = analyzer.start({ entity: { type: 'User', id: DEMO_USERS.clean }, startTime: START, endTime: END });
    const first = await analyzer.get(analysisId, 0);
    assert.strictEqual(first.status, 'running');
    const done = await analyzer.get(analysisId, 60_000);
    assert.strictEqual(done.status, 'completed');
    if (done.status !== 'completed') return;
    assert.strictEqual(done.result.verdict, 'No evidence of compromise');
    assert.strictEqual(Date.parse(done.result.expiresAt) - Date.parse(done.result.completedAt), 3600_000);
    clockMs += 59 * 60_000;
    assert.strictEqual((await analyzer.get(analysisId, 0)).status, 'completed');
    clockMs += 60_000;
    assert.deepStrictEqual(await analyzer.get(analysisId, 0), { status: 'expired', analysisId });
    await assert.rejects(analyzer.get('nope', 0), /Unknown analysis id/);
  });

  it('a poll returns early when its signal aborts', async () => {
    const { analysisId } = analyzer.start({ entity: { type: 'User', id: DEMO_USERS.compromised }, startTime: START, endTime: END });
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 50);
    const p = await analyzer.get(analysisId, 30_000, ac.signal);
    assert.strictEqual(p.status, 'running');
    assert.ok(Date.now() - t0 < 5000);
    await analyzer.get(analysisId, 60_000);
  });
});
