import * as assert from 'assert';
import { analyzeEntity } from '../../../src/core/analyzer/reasoning';
import type { AnalysisResult } from '../../../src/core/analyzer/types';
import { KqlError, UserError } from '../../../src/core/errors';
import { createEngine } from '../../../src/core/kql/engine';
import { DEMO_DEFAULT_NOW, DEMO_OBJECT_IDS, DEMO_URLS, DEMO_USERS } from '../../../src/core/lake/demoFacts';
import { openLake } from '../../../src/core/lake/lake';
import { openLocalServices } from '../../../src/core/mcp/localServices';
import { silentLogger } from '../../../src/core/types';
import { demoLakeDir, lakeWithout } from './demoLake';

const END = new Date(DEMO_DEFAULT_NOW);
const START = new Date(END.getTime() - 7 * 86_400_000);

async function analyze(
  dir: string,
  type: 'User' | 'Url',
  id: string,
  start = START,
  end = END,
): Promise<AnalysisResult> {
  const { context } = openLocalServices(dir, { logger: silentLogger, env: {} });
  return analyzeEntity(context, { entity: { type, id }, startTime: start.toISOString(), endTime: end.toISOString() });
}

/** Every evidence query, run again on a fresh engine over the same lake, returns exactly the cited rows. */
async function assertEvidenceReruns(dir: string, r: AnalysisResult): Promise<void> {
  const engine = createEngine(openLake(dir, { logger: silentLogger }), { logger: silentLogger });
  for (const e of r.evidence) {
    assert.doesNotMatch(e.query, /\b(ago|now)\s*\(/, `${e.title}: the query must not depend on the clock`);
    const res = await engine.execute(e.query);
    const rows = res.rows.map((row) => Object.fromEntries(res.columns.map((c, i) => [c.name, row[i] ?? null])));
    assert.deepStrictEqual(rows, e.rows, `${e.title}: re-running the query gives different rows`);
    assert.ok(e.rows.length > 0, `${e.title}: evidence cites no rows`);
  }
}

describe('analyzer reasoning on the demo lake', function () {
  this.timeout(180_000);
  let dir: string;
  before(async () => {
    dir = await demoLakeDir();
  });

  it('the compromised user is Compromised, with the story as evidence and runnable queries', async () => {
    const r = await analyze(dir, 'User', DEMO_USERS.compromised);
    assert.strictEqual(r.verdict, 'Compromised');
    assert.strictEqual(r.confidence, 'High');
    const titles = r.evidence.map((e) => e.title).join(' | ');
    for (const expected of [
      /Password-spray/,
      /Successful sign-in after failed/,
      /new country/,
      /Inbox rule forwarding/,
      /alert/,
      /Single-factor/,
    ]) {
      assert.match(titles, expected);
    }
    assert.ok(r.recommendations.some((x) => /Revoke all sessions/.test(x)));
    assert.ok(r.recommendations.some((x) => /Reset the password/.test(x)));
    assert.ok(r.recommendations.some((x) => /Remove the inbox rule/.test(x)));
    assert.strictEqual(r.disclaimer, null);
    assert.strictEqual(r.source, 'local');
    await assertEvidenceReruns(dir, r);
  });

  it('the user can be given by Entra object id', async () => {
    const r = await analyze(dir, 'User', DEMO_OBJECT_IDS[DEMO_USERS.compromised]);
    assert.strictEqual(r.verdict, 'Compromised');
  });

  it('the benign risky sign-in is No evidence of compromise, explained as remediated', async () => {
    const r = await analyze(dir, 'User', DEMO_USERS.benignRisky);
    assert.strictEqual(r.verdict, 'No evidence of compromise');
    assert.match(r.summary, /remediated/);
    assert.ok(r.evidence.some((e) => /remediated/i.test(e.title) && e.weight === 0));
    await assertEvidenceReruns(dir, r);
  });

  it('the clean user is No evidence of compromise with High confidence', async () => {
    const r = await analyze(dir, 'User', DEMO_USERS.clean);
    assert.strictEqual(r.verdict, 'No evidence of compromise');
    assert.strictEqual(r.confidence, 'High');
    assert.deepStrictEqual(
      r.evidence.filter((e) => (e.weight ?? 0) > 0),
      [],
    );
    await assertEvidenceReruns(dir, r);
  });

  it('refuses users without an Entra object id and unknown users', async () => {
    await assert.rejects(
      analyze(dir, 'User', DEMO_USERS.onPremOnly),
      (e: unknown) => e instanceof UserError && /cloud users only/.test(e.message),
    );
    await assert.rejects(
      analyze(dir, 'User', 'nobody@contoso.com'),
      (e: unknown) => e instanceof UserError && /not found in IdentityInfo/.test(e.message),
    );
  });

  it('refuses a user window longer than 7 days', async () => {
    await assert.rejects(
      analyze(dir, 'User', DEMO_USERS.clean, new Date(END.getTime() - 8 * 86_400_000), END),
      (e: unknown) => e instanceof UserError && e.code === 'WindowTooLong' && /at most 7 days/.test(e.message),
    );
  });

  it('the phishing URL is Malicious with block and purge recommendations', async () => {
    const r = await analyze(dir, 'Url', DEMO_URLS.phishing);
    assert.strictEqual(r.verdict, 'Malicious');
    assert.strictEqual(r.confidence, 'High');
    assert.match(r.evidence.map((e) => e.title).join(' | '), /Threat intelligence/);
    assert.ok(r.recommendations.some((x) => /Block the URL/.test(x)));
    assert.ok(r.recommendations.some((x) => /Purge/.test(x)));
    assert.ok(
      r.recommendations.some((x) => /megan\.bowen@contoso\.com/.test(x)),
      'names the users who reached the page',
    );
    await assertEvidenceReruns(dir, r);
  });

  it('a defanged URL is refanged before analysis', async () => {
    const r = await analyze(dir, 'Url', DEMO_URLS.phishing.replace('https', 'hxxps').replace('.com', '[.]com'));
    assert.strictEqual(r.entity.id, DEMO_URLS.phishing);
    assert.strictEqual(r.verdict, 'Malicious');
  });

  it('the benign SharePoint URL is No evidence of malicious activity', async () => {
    const r = await analyze(dir, 'Url', DEMO_URLS.benign);
    assert.strictEqual(r.verdict, 'No evidence of malicious activity');
    await assertEvidenceReruns(dir, r);
  });

  it('the look-alike domain is Suspicious, naming the imitated tenant domain', async () => {
    const r = await analyze(dir, 'Url', DEMO_URLS.lookalike);
    assert.strictEqual(r.verdict, 'Suspicious');
    assert.ok(r.evidence.some((e) => /Look-alike domain of contoso\.com/.test(e.title)));
    await assertEvidenceReruns(dir, r);
  });

  it('the punycode look-alike is at least Suspicious', async () => {
    const r = await analyze(dir, 'Url', DEMO_URLS.punycode);
    assert.notStrictEqual(r.verdict, 'No evidence of malicious activity');
    await assertEvidenceReruns(dir, r);
  });

  it('user analysis refuses when required tables are missing and lists them', async () => {
    const partial = lakeWithout(dir, ['CloudAppEvents', 'AlertEvidence']);
    await assert.rejects(
      analyze(partial, 'User', DEMO_USERS.compromised),
      (e: unknown) =>
        e instanceof UserError &&
        e.code === 'MissingTables' &&
        /missing: AlertEvidence, CloudAppEvents/.test(e.message),
    );
  });

  it('user analysis says when recommended tables are missing', async () => {
    const partial = lakeWithout(dir, ['BehaviorAnalytics']);
    const r = await analyze(partial, 'User', DEMO_USERS.compromised);
    assert.deepStrictEqual(r.missingTables, ['BehaviorAnalytics']);
    assert.match(r.disclaimer ?? '', /works better with BehaviorAnalytics/);
  });

  it('URL analysis runs without the recommended tables and names them in a disclaimer', async () => {
    const partial = lakeWithout(dir, ['ThreatIntelIndicators', 'Watchlist']);
    const r = await analyze(partial, 'Url', DEMO_URLS.phishing);
    assert.deepStrictEqual(r.missingTables, ['ThreatIntelIndicators', 'Watchlist']);
    assert.match(r.disclaimer ?? '', /without ThreatIntelIndicators, Watchlist/);
    assert.notStrictEqual(
      r.verdict,
      'No evidence of malicious activity',
      'clicks, email and the look-alike still count',
    );
    await assertEvidenceReruns(partial, r);
  });

  it('across every cloud user of the demo tenant, only the compromised story user is Compromised', async () => {
    const { engine } = openLocalServices(dir, { logger: silentLogger, env: {} });
    const users = (
      await engine.execute(
        'IdentityInfo | where isnotempty(AccountObjectId) | summarize by AccountUPN | sort by AccountUPN asc',
      )
    ).rows.map((r) => String(r[0]));
    assert.ok(users.length >= 20);
    const compromised: string[] = [];
    for (const u of users) if ((await analyze(dir, 'User', u)).verdict === 'Compromised') compromised.push(u);
    assert.deepStrictEqual(compromised, [DEMO_USERS.compromised]);
  });

  it('across every URL seen in the demo tenant, only the phishing URL is Malicious and only look-alikes are Suspicious', async () => {
    const { engine } = openLocalServices(dir, { logger: silentLogger, env: {} });
    const urls = new Set<string>();
    for (const q of ['EmailUrlInfo | summarize by Url', 'UrlClickEvents | summarize by Url'])
      for (const r of (await engine.execute(q)).rows) urls.add(String(r[0]));
    assert.ok(urls.size >= 8);
    const flagged: Record<string, string> = {};
    for (const u of [...urls].sort()) {
      const r = await analyze(dir, 'Url', u);
      if (r.verdict !== 'No evidence of malicious activity') flagged[u] = r.verdict;
    }
    assert.deepStrictEqual(flagged, {
      [DEMO_URLS.lookalike]: 'Suspicious',
      [DEMO_URLS.phishing]: 'Malicious',
      [DEMO_URLS.punycode]: 'Suspicious',
    });
  });

  it('is deterministic', async () => {
    const a = await analyze(dir, 'User', DEMO_USERS.compromised);
    const b = await analyze(dir, 'User', DEMO_USERS.compromised);
    assert.deepStrictEqual({ ...a, completedAt: '', expiresAt: '' }, { ...b, completedAt: '', expiresAt: '' });
  });
});

describe('analyzer reasoning with a fake query function', () => {
  it('skips a rule whose query the lake cannot run and says so in the disclaimer', async () => {
    const tables = new Set([
      'AlertEvidence',
      'SigninLogs',
      'CloudAppEvents',
      'IdentityInfo',
      'AADNonInteractiveUserSignInLogs',
      'BehaviorAnalytics',
    ]);
    const empty = { columns: [], rows: [], stats: { rowsScanned: 0, rowsReturned: 0, elapsedMs: 0, truncated: false } };
    const r = await analyzeEntity(
      {
        hasTable: (t) => tables.has(t),
        logger: silentLogger,
        query: async (kql) => {
          if (kql.startsWith('IdentityInfo')) {
            return {
              ...empty,
              columns: [
                { name: 'AccountUPN', type: 'string' },
                { name: 'AccountObjectId', type: 'string' },
                { name: 'AccountDisplayName', type: 'string' },
                { name: 'Roles', type: 'string' },
                { name: 'IsAccountEnabled', type: 'bool' },
                { name: 'LastSeen', type: 'datetime' },
              ],
              rows: [
                ['x@contoso.com', '11111111-2222-3333-4444-555555555555', 'X', '[]', true, '2026-11-01T00:00:00Z'],
              ],
            };
          }
          if (kql.startsWith('BehaviorAnalytics'))
            throw new KqlError("Unknown column 'InvestigationPriority'", { line: 4, column: 9 }, 'KqlSemantic');
          return empty;
        },
      },
      { entity: { type: 'User', id: 'x@contoso.com' }, startTime: START.toISOString(), endTime: END.toISOString() },
    );
    assert.strictEqual(r.verdict, 'No evidence of compromise');
    assert.match(r.disclaimer ?? '', /could not run on this lake.*BehaviorAnalytics.*InvestigationPriority/);
  });
});
