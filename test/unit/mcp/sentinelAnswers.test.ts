// Reading the Sentinel MCP server's entity-analysis answers: every documented state, and every malformed answer
// becomes a failed analysis that shows the raw text — never a verdict, confidence or expiry the service did not send.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  InvalidAnswerError,
  RAW_TEXT_LIMIT,
  readPollAnswer,
  readStartAnswer,
} from '../../../src/core/backends/answers';
import type { AnalysisEntity } from '../../../src/core/analyzer/types';

type Fixture = { text?: string; structured?: Record<string, unknown>; isError?: boolean };
const FIX = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../fixtures/sentinel-mcp/answers.json'), 'utf8'),
) as Record<string, Fixture>;
const ID = '6a1f0c2e-7b7d-4c55-9a43-0e1b2c3d4e5f';
const USER: AnalysisEntity = { type: 'User', id: 'megan.bowen@contoso.com' };
const URL_ENTITY: AnalysisEntity = { type: 'Url', id: 'https://evil.example/login' };
const WINDOW = { startTime: '2026-11-13T00:00:00Z', endTime: '2026-11-20T00:00:00Z' };
const RECEIVED = new Date('2026-11-20T00:05:00Z');

function poll(name: string, entity: AnalysisEntity = USER) {
  const f = FIX[name];
  return readPollAnswer(
    { analysisId: ID, entity, window: WINDOW, receivedAt: RECEIVED },
    f.structured,
    f.text ?? '',
    f.isError ?? false,
  );
}

describe('Sentinel MCP entity-analysis answers', () => {
  it('reads the analysis id from a JSON start answer and refuses one without an id', () => {
    assert.strictEqual(readStartAnswer('analyze_user_entity', undefined, FIX.startJson.text!), ID);
    assert.throws(
      () => readStartAnswer('analyze_user_entity', undefined, FIX.startText.text!),
      (e: unknown) => e instanceof InvalidAnswerError && /Analysis started\. Use get_entity_analysis/.test(e.message),
    );
  });

  it('treats the documented "still running, call again" answer (text or JSON) as running', () => {
    assert.deepStrictEqual(poll('stillRunningText'), {
      status: 'running',
      analysisId: ID,
      message: FIX.stillRunningText.text,
    });
    assert.deepStrictEqual(poll('stillRunningJson'), {
      status: 'running',
      analysisId: ID,
      message: 'Analysis in progress',
    });
  });

  it("builds a user result from what the service sent, with the question's entity and window", () => {
    const p = poll('userCompleted');
    assert.strictEqual(p.status, 'completed');
    if (p.status !== 'completed') return;
    assert.strictEqual(p.result.verdict, 'Compromised');
    assert.strictEqual(p.result.confidence, undefined, 'no confidence the service did not state');
    assert.strictEqual(p.result.expiresAt, undefined, 'no expiry the service did not state');
    assert.strictEqual(p.result.completedAt, RECEIVED.toISOString());
    assert.deepStrictEqual(p.result.entity, USER);
    assert.deepStrictEqual(p.result.window, WINDOW);
    assert.strictEqual(p.result.source, 'sentinel');
    assert.deepStrictEqual(p.result.evidence[0].rows, [{ IPAddress: '203.0.113.7', Count: 42 }]);
  });

  it('reads a URL result nested under result in structuredContent, with its disclaimer', () => {
    const p = poll('urlCompletedNested', URL_ENTITY);
    assert.strictEqual(p.status, 'completed');
    if (p.status !== 'completed') return;
    assert.strictEqual(p.result.verdict, 'Malicious');
    assert.strictEqual(p.result.confidence, 'High');
    assert.deepStrictEqual(p.result.missingTables, ['Watchlist']);
    assert.match(p.result.disclaimer ?? '', /Watchlist/);
  });

  for (const [name, entity, reason] of [
    ['userWithUrlVerdict', USER, /'Malicious' is not a user verdict/],
    ['userCompleted', URL_ENTITY, /'Compromised' is not a URL verdict/],
    ['missingSummary', USER, /summary: Required/],
    ['badConfidence', USER, /confidence/],
    ['proseVerdict', USER, /not JSON/],
    ['failedWithoutReason', USER, /failed without a reason/],
  ] as const) {
    it(`fails ${name} and shows the raw answer`, () => {
      const p = poll(name, entity);
      assert.strictEqual(p.status, 'failed');
      if (p.status !== 'failed') return;
      assert.match(p.error, reason);
      const raw = FIX[name].text ?? JSON.stringify(FIX[name].structured);
      assert.ok(p.error.includes(raw.slice(0, 40)), `raw text shown: ${p.error}`);
    });
  }

  it("passes the service's own error through: missing tables, failures; expiry is a state", () => {
    const missing = poll('missingTablesError');
    assert.strictEqual(missing.status, 'failed');
    if (missing.status === 'failed') assert.match(missing.error, /CloudAppEvents, IdentityInfo/);
    const failed = poll('failedJson');
    assert.deepStrictEqual(failed, {
      status: 'failed',
      analysisId: ID,
      error: 'Internal error while analyzing the entity.',
    });
    assert.deepStrictEqual(poll('expiredError'), { status: 'expired', analysisId: ID });
  });

  it('bounds the raw text it shows', () => {
    const long = 'x'.repeat(RAW_TEXT_LIMIT * 3);
    const p = readPollAnswer(
      { analysisId: ID, entity: USER, window: WINDOW, receivedAt: RECEIVED },
      undefined,
      long,
      false,
    );
    assert.strictEqual(p.status, 'failed');
    if (p.status === 'failed') {
      assert.ok(p.error.length < RAW_TEXT_LIMIT + 300, `bounded: ${p.error.length}`);
      assert.match(p.error, /more characters/);
    }
  });
});
