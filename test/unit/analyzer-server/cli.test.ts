import * as assert from 'assert';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { DEMO_DEFAULT_NOW, DEMO_URLS, DEMO_USERS } from '../../../src/core/lake/demoFacts';
import { demoLakeDir, lakeWithout } from './demoLake';

async function swb(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, cwd: process.cwd() };
  const code = await main(args, io);
  return { code, out, err };
}

describe('swb analyze', function () {
  this.timeout(120_000);
  let lake: string;
  before(async () => {
    lake = await demoLakeDir();
  });

  it('prints the documented JSON for a user', async () => {
    const r = await swb([
      'analyze',
      '--lake',
      lake,
      '--now',
      DEMO_DEFAULT_NOW,
      '--days',
      '7',
      'user',
      DEMO_USERS.compromised,
    ]);
    assert.strictEqual(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    for (const k of [
      'entity',
      'verdict',
      'confidence',
      'summary',
      'evidence',
      'recommendations',
      'missingTables',
      'disclaimer',
    ])
      assert.ok(k in j, `missing ${k}`);
    assert.deepStrictEqual(j.entity, { type: 'User', id: DEMO_USERS.compromised });
    assert.strictEqual(j.verdict, 'Compromised');
    for (const e of j.evidence) for (const k of ['title', 'table', 'query', 'rows']) assert.ok(k in e);
    assert.deepStrictEqual(j.window, { startTime: '2026-11-13T12:00:00Z', endTime: '2026-11-20T12:00:00Z' });
  });

  it('uses the lake clock by default and prints readable text', async () => {
    const r = await swb(['analyze', '--lake', lake, '--format', 'text', 'url', DEMO_URLS.phishing]);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^Verdict: +Malicious$/m);
    assert.match(r.out, /Window: +2026-11-13T12:00:00Z \.\. 2026-11-20T12:00:00Z/);
    assert.match(r.out, /\| ThreatIntelIndicators/);
  });

  it('exits 2 with one line for a bad entity, a window too long and missing tables', async () => {
    const bad = await swb(['analyze', '--lake', lake, 'user', 'not-a-user']);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.err, /^error: 'not-a-user' is not a user principal name/);
    const long = await swb(['analyze', '--lake', lake, '--days', '10', 'user', DEMO_USERS.clean]);
    assert.strictEqual(long.code, 2);
    assert.match(long.err, /at most 7 days/);
    const partial = lakeWithout(lake, ['SigninLogs']);
    const missing = await swb(['analyze', '--lake', partial, 'user', DEMO_USERS.clean]);
    assert.strictEqual(missing.code, 2, missing.err);
    assert.match(missing.err, /missing: SigninLogs/);
    const kind = await swb(['analyze', '--lake', lake, 'host', 'x']);
    assert.strictEqual(kind.code, 2);
    for (const r of [bad, long, missing, kind]) assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  });
});
