// The in-process lake backend on a freshly generated demo lake.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createLakeBackend, LakeBackend } from '../../../src/core/backends/lake';
import { generateDemoLake } from '../../../src/core/lake/generate';
import { DEMO_USERS } from '../../../src/core/lake/demoFacts';

describe('LakeBackend on the demo lake', function () {
  this.timeout(60000);
  let dir: string;
  let backend: LakeBackend;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-lake-backend-'));
    await generateDemoLake({ out: path.join(dir, 'lake') });
    backend = createLakeBackend(path.join(dir, 'lake'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists the demo incidents newest first, one per incident, with duplicate titles kept apart', async () => {
    const page = await backend.listIncidents({}, { top: 100 });
    assert.ok(page.incidents.length >= 10 && page.incidents.length <= 20, `got ${page.incidents.length}`);
    const times = page.incidents.map((i) => Date.parse(i.createdTime));
    assert.deepStrictEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.strictEqual(new Set(page.incidents.map((i) => i.id)).size, page.incidents.length);
    const titles = page.incidents.map((i) => i.title);
    assert.ok(titles.length > new Set(titles).size, 'the demo tenant has incidents with the same title');
    const spray = page.incidents.find((i) => /password spray/i.test(i.title));
    assert.ok(spray, 'the password-spray story is there');
    assert.ok(spray!.alertsCount >= 1);
    assert.ok(spray!.tactics.length >= 1);
  });

  it('filters by severity and pages with a token', async () => {
    const high = await backend.listIncidents({ severity: ['High'] }, { top: 100 });
    assert.ok(high.incidents.length >= 1 && high.incidents.every((i) => i.severity === 'High'));
    const all = await backend.listIncidents({}, { top: 100 });
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await backend.listIncidents({}, { top: 4, pageToken: token });
      assert.ok(page.incidents.length <= 4);
      seen.push(...page.incidents.map((i) => i.id));
      token = page.nextPageToken;
    } while (token);
    assert.deepStrictEqual(
      seen,
      all.incidents.map((i) => i.id),
    );
  });

  it('reads an incident with its alerts and the compromised account among its entities', async () => {
    const all = await backend.listIncidents({ text: 'forwarding' }, { top: 100 });
    assert.ok(all.incidents.length >= 1, 'an inbox forwarding incident exists');
    const details = await backend.getIncident(all.incidents[all.incidents.length - 1].id);
    assert.ok(details.alerts.length >= 1);
    const accounts = details.entities.filter((e) => e.kind === 'Account').map((e) => e.displayName.toLowerCase());
    assert.ok(accounts.includes(DEMO_USERS.compromised), `accounts: ${accounts.join(', ')}`);
    assert.strictEqual(details.skippedEntities, 0);
    // the incident number works as an id too
    const byNumber = await backend.getIncident(String(details.incident.number));
    assert.strictEqual(byNumber.incident.id, details.incident.id);
    await assert.rejects(backend.getIncident('no-such-incident'), /not found/);
  });

  it('persists comments in the lake IncidentComments table', async () => {
    const [first] = (await backend.listIncidents({}, { top: 1 })).incidents;
    await backend.addIncidentComment(first.id, 'Contained: sessions revoked.');
    const again = createLakeBackend(path.join(dir, 'lake'));
    const details = await again.getIncident(first.id);
    assert.deepStrictEqual(
      details.comments?.map((c) => c.message),
      ['Contained: sessions revoked.'],
    );
    const text = fs.readFileSync(path.join(dir, 'lake', 'IncidentComments.jsonl'), 'utf8');
    assert.match(text, /Contained: sessions revoked\./);
    await assert.rejects(backend.addIncidentComment(first.id, '   '), /needs some text/);
    await assert.rejects(backend.addIncidentComment(first.id, 'x'.repeat(30_001)), /at most 30,000 characters/);
    assert.strictEqual((await again.getIncident(first.id)).comments?.length, 1, 'a refused comment writes nothing');
  });

  it("says its clock: the lake's pinned now, which now() in its queries follows", async () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(dir, 'lake', 'lake.json'), 'utf8')).now as string;
    assert.ok(pinned, 'the demo lake pins its clock');
    const now = await backend.now();
    assert.strictEqual(now.getTime(), Date.parse(pinned));
    const r = await backend.runQuery('print Now = now()');
    assert.strictEqual(Date.parse(String(r.rows[0][0])), now.getTime());
  });

  it('lists data connectors from the lake and says analyses need an analyzer', async () => {
    const connectors = await backend.listDataConnectors();
    assert.ok(connectors.some((c) => c.kind === 'AzureActiveDirectory'));
    await assert.rejects(
      backend.startEntityAnalysis({
        entity: { type: 'User', id: DEMO_USERS.compromised },
        startTime: '2026-11-13T12:00:00Z',
        endTime: '2026-11-20T12:00:00Z',
      }),
      /not available/,
    );
  });

  it('loads analytics and automation rules from a rules folder next to the lake', async () => {
    const rules = path.join(dir, 'rules');
    fs.mkdirSync(rules, { recursive: true });
    fs.writeFileSync(
      path.join(rules, 'spray.yaml'),
      'id: 5a1b2c3d-0000-0000-0000-000000000001\nname: High_CredentialAccess_T1110\nseverity: High\ntactics:\n  - CredentialAccess\nrelevantTechniques:\n  - T1110\nquery: |\n  SigninLogs | where ResultType == "50126"\n',
    );
    fs.writeFileSync(
      path.join(rules, 'automation.json'),
      JSON.stringify({
        value: [
          {
            id: '/x/automationRules/a1',
            name: 'a1',
            type: 'Microsoft.SecurityInsights/automationRules',
            properties: {
              displayName: 'Assign to SOC',
              order: 1,
              triggeringLogic: { isEnabled: true, triggersOn: 'Incidents', triggersWhen: 'Created', conditions: [] },
              actions: [{ order: 1, actionType: 'ModifyProperties' }],
            },
          },
        ],
      }),
    );
    const analytics = await backend.listAnalyticsRules();
    assert.deepStrictEqual(
      analytics.map((r) => r.displayName),
      ['High_CredentialAccess_T1110'],
    );
    assert.match(analytics[0].source?.file ?? '', /spray\.yaml$/);
    const automation = await backend.listAutomationRules();
    assert.deepStrictEqual(
      automation.map((r) => r.displayName),
      ['Assign to SOC'],
    );
  });
});
