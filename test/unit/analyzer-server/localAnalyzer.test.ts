import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalAnalyzer } from '../../../src/core/analyzer/localAnalyzer';
import { FileAnalysisStore } from '../../../src/core/analyzer/localAnalyzerStore';
import { UserError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/types';
import { DEMO_DEFAULT_NOW, DEMO_URLS, DEMO_USERS } from '../../../src/core/lake/demoFacts';

const DEMO_URLS_PHISHING = DEMO_URLS.phishing;
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
    assert.throws(
      () => analyzer.start({ entity: { type: 'User', id: 'x y' }, startTime: START, endTime: END }),
      UserError,
    );
    assert.throws(
      () =>
        analyzer.start({
          entity: { type: 'User', id: DEMO_USERS.clean },
          startTime: '2026-11-01T00:00:00Z',
          endTime: END,
        }),
      /at most 7 days/,
    );
    assert.throws(
      () => analyzer.start({ entity: { type: 'Url', id: 'https://a.example' }, startTime: END, endTime: START }),
      /must be before/,
    );
    assert.throws(
      () => analyzer.start({ entity: { type: 'Url', id: 'https://a.example' }, startTime: 'yesterday', endTime: END }),
      /ISO-8601/,
    );
  });

  it('a short poll reports running; a long one waits for the verdict; the result expires after an hour', async () => {
    const { analysisId } = analyzer.start({
      entity: { type: 'User', id: DEMO_USERS.clean },
      startTime: START,
      endTime: END,
    });
    const first = await analyzer.get(analysisId, 0);
    assert.strictEqual(first.status, 'running');
    const done = await analyzer.get(analysisId, 60_000);
    assert.strictEqual(done.status, 'completed');
    if (done.status !== 'completed') return;
    assert.strictEqual(done.result.verdict, 'No evidence of compromise');
    assert.strictEqual(Date.parse(done.result.expiresAt!) - Date.parse(done.result.completedAt), 3600_000);
    clockMs += 59 * 60_000;
    assert.strictEqual((await analyzer.get(analysisId, 0)).status, 'completed');
    clockMs += 60_000;
    assert.deepStrictEqual(await analyzer.get(analysisId, 0), { status: 'expired', analysisId });
    await assert.rejects(analyzer.get('nope', 0), /Unknown analysis id/);
  });

  it('a poll returns early when its signal aborts', async () => {
    const { analysisId } = analyzer.start({
      entity: { type: 'User', id: DEMO_USERS.compromised },
      startTime: START,
      endTime: END,
    });
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 50);
    const p = await analyzer.get(analysisId, 30_000, ac.signal);
    assert.strictEqual(p.status, 'running');
    assert.ok(Date.now() - t0 < 5000);
    await analyzer.get(analysisId, 60_000);
  });
});

describe('local analyzer jobs survive a server restart (window reload)', function () {
  this.timeout(120_000);
  let storeDir: string;
  before(() => {
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-analysis-store-'));
  });
  after(() => fs.rmSync(storeDir, { recursive: true, force: true }));

  async function make(clock: () => number, minRunMs = 0): Promise<LocalAnalyzer> {
    const dir = await demoLakeDir();
    const { context } = openLocalServices(dir, { logger: silentLogger, env: {}, persistAnalyses: false });
    return new LocalAnalyzer({
      context,
      logger: silentLogger,
      clock,
      minRunMs,
      store: FileAnalysisStore.forLake(storeDir, dir),
    });
  }

  it('a finished result is served by the next process until it expires', async () => {
    let now = Date.parse('2026-11-20T12:00:00Z');
    const a = await make(() => now);
    const { analysisId } = a.start({ entity: { type: 'Url', id: DEMO_URLS_PHISHING }, startTime: START, endTime: END });
    const done = await a.get(analysisId, 60_000);
    assert.strictEqual(done.status, 'completed');
    a.dispose();
    const b = await make(() => now);
    const again = await b.get(analysisId, 0);
    assert.deepStrictEqual(again, done);
    now += 3600_000;
    assert.deepStrictEqual(await b.get(analysisId, 0), { status: 'expired', analysisId });
    b.dispose();
  });

  it('an analysis that was running when the process went away runs again in the next one', async () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    const a = await make(() => now, 60_000);
    const { analysisId } = a.start({
      entity: { type: 'User', id: DEMO_USERS.compromised },
      startTime: START,
      endTime: END,
    });
    assert.strictEqual((await a.get(analysisId, 0)).status, 'running');
    a.dispose();
    const b = await make(() => now);
    const done = await b.get(analysisId, 60_000);
    assert.strictEqual(done.status, 'completed');
    if (done.status === 'completed') assert.strictEqual(done.result.verdict, 'Compromised');
    b.dispose();
  });
});
