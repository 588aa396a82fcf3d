// The governed client against the real local MCP server over stdio (dist/mcp-server.js on sample/lake):
// start → "in progress" polls → verdict, cache hit on the second ask, cancellation, server restart.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { systemClock } from '../../../src/core/analyzer/clock';
import { AnalyzerService, DEFAULT_ANALYZER_SETTINGS } from '../../../src/core/analyzer/service';
import { MemoryStore } from '../../../src/core/analyzer/store';
import { createMcpLocalBackend } from '../../../src/core/backends/mcpLocal';
import type { SentinelBackend } from '../../../src/core/backends/types';
import { silentLogger } from '../../../src/core/types';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER = process.env.SWB_MCP_SERVER ?? path.join(ROOT, 'dist', 'mcp-server.js');
const LAKE = path.join(ROOT, 'sample', 'lake');

function window(days: number, end: string) {
  const e = Date.parse(end);
  return { startTime: new Date(e - days * 86400_000).toISOString(), endTime: new Date(e).toISOString() };
}

describe('analysis client ⇄ local MCP server (stdio)', function () {
  this.timeout(60_000);
  let backend: SentinelBackend;
  let lakeNow: string;

  before(function () {
    if (!fs.existsSync(SERVER) || fs.statSync(SERVER).size < 10_000 || !fs.existsSync(path.join(LAKE, 'lake.json'))) {
      // scripts/run-tests.js builds the server bundle and the demo lake before this suite: a missing one is a failure.
      throw new Error('needs dist/mcp-server.js and sample/lake (run `node esbuild.js` and `npm run demo:lake`)');
    }
    lakeNow = JSON.parse(fs.readFileSync(path.join(LAKE, 'lake.json'), 'utf8')).now;
    backend = createMcpLocalBackend({
      nodePath: process.execPath,
      serverPath: SERVER,
      lakeDir: LAKE,
      logger: silentLogger,
      // Each analysis takes at least 1.5 s and a poll waits at most 0.3 s: the client must re-poll.
      env: { SWB_ANALYSIS_MIN_RUN_MS: '1500', SWB_POLL_WAIT_MS: '300' },
    });
  });

  after(async () => {
    await backend?.dispose();
  });

  function service(store = new MemoryStore()) {
    return new AnalyzerService({
      clock: systemClock,
      store,
      settings: () => ({ ...DEFAULT_ANALYZER_SETTINGS, policy: { pollInitialMs: 100, pollMaxMs: 400 } }),
      backend: async () => backend,
      scope: () => `local:${LAKE}`,
      logger: silentLogger,
    });
  }

  it('polls through "in progress" to the Compromised verdict, then answers from the cache', async () => {
    const s = service();
    const { job } = s.request({ entity: { type: 'User', id: 'megan.bowen@contoso.com' }, ...window(7, lakeNow) });
    const states = new Set<string>();
    job.onDidChange((j) => states.add(j.state));
    await job.whenDone();
    assert.strictEqual(job.state, 'completed', job.error);
    assert.ok(job.polls >= 2, `expected re-polls, got ${job.polls}`);
    assert.ok(states.has('polling'));
    assert.strictEqual(job.result?.verdict, 'Compromised');
    assert.ok(job.result!.evidence.length > 0);
    assert.ok(job.result!.evidence.every((e) => e.query.trim().length > 0));
    const again = s.request({ entity: { type: 'User', id: 'Megan.Bowen@contoso.com' }, ...window(7, lakeNow) });
    assert.ok(again.cached, 'second ask within the hour is a cache hit');
    assert.strictEqual(again.job.result?.verdict, 'Compromised');
    s.dispose();
  });

  it('gives the phishing URL a Malicious verdict', async () => {
    const s = service();
    const { job } = s.request({
      entity: { type: 'Url', id: 'https://secure-login.micros0ft-auth.com/common/oauth2/authorize' },
      ...window(7, lakeNow),
    });
    await job.whenDone();
    assert.strictEqual(job.state, 'completed', job.error);
    assert.strictEqual(job.result?.verdict, 'Malicious');
    s.dispose();
  });

  it('cancels a running analysis', async () => {
    const s = service();
    const { job } = s.request({ entity: { type: 'User', id: 'alex.wilber@contoso.com' }, ...window(3, lakeNow) });
    await new Promise<void>((resolve) => job.onDidChange((j) => j.state === 'polling' && resolve()));
    job.cancel();
    await job.whenDone();
    assert.strictEqual(job.state, 'cancelled');
    s.dispose();
  });

  it('recovers when the server crashes mid-analysis (reconnects to a fresh server, verdict still arrives)', async () => {
    const s = service();
    const { job } = s.request({ entity: { type: 'User', id: 'megan.bowen@contoso.com' }, ...window(7, lakeNow) });
    await new Promise<void>((resolve) => job.onDidChange((j) => j.state === 'polling' && resolve()));
    const after: string[] = [];
    job.onDidChange((j) => after[after.length - 1] !== j.state && after.push(j.state));
    // The server child of this test process (started by the backend above).
    const pids = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'mcp-server'], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .map(Number);
    assert.strictEqual(pids.length, 1, `expected one server child, found ${pids.join(', ')}`);
    process.kill(pids[0], 'SIGKILL');
    await job.whenDone();
    assert.strictEqual(job.state, 'completed', job.error);
    assert.strictEqual(job.result?.verdict, 'Compromised');
    // The client reconnects to a fresh server; the analysis is either recovered by the server or, when the
    // new server does not know it, started again by the job (states after the crash: polling → … → completed).
    assert.ok(after.length > 0 && after[after.length - 1] === 'completed', after.join(' → '));
    assert.throws(() => process.kill(pids[0], 0), /ESRCH/, 'the killed server is gone');
    s.dispose();
  });

  it('fails clearly (no retry loop) for a user the lake does not know', async () => {
    const s = service();
    const { job } = s.request({ entity: { type: 'User', id: 'nobody@contoso.com' }, ...window(7, lakeNow) });
    await job.whenDone();
    assert.ok(['failed', 'completed'].includes(job.state));
    if (job.state === 'failed') assert.ok(job.error && job.error.length > 0);
    assert.strictEqual(job.retries, 0);
    s.dispose();
  });
});
