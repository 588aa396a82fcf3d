// The demo tenant: deterministic, real schemas, and the stories other features are demonstrated on.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  DEMO_LOOKALIKE,
  DEMO_OBJECT_IDS,
  DEMO_PHISHING,
  DEMO_SPRAY,
  DEMO_TRAVEL,
  DEMO_URLS,
  DEMO_USERS,
} from '../../../src/core/lake/demoFacts';
import { DEMO_TABLES, generateDemoLake, GenerateDemoLakeSummary } from '../../../src/core/lake/generate';
import { BUILTIN_SCHEMAS } from '../../../src/core/lake/schemas';
import { UserError } from '../../../src/core/errors';

type Row = Record<string, any>;

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-demo-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function rows(dir: string, table: string): Row[] {
  return fs
    .readFileSync(path.join(dir, `${table}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');

describe('demo tenant generator', function () {
  this.timeout(60_000);
  let dir: string;
  let summary: GenerateDemoLakeSummary;
  const t: Record<string, Row[]> = {};

  before(async () => {
    dir = path.join(tmpRoot, 'a');
    summary = await generateDemoLake({ out: dir });
    for (const name of DEMO_TABLES) t[name] = rows(dir, name);
  });

  it('writes every table, lake.json with the pinned clock, and is quick', () => {
    const lake = JSON.parse(fs.readFileSync(path.join(dir, 'lake.json'), 'utf8'));
    assert.strictEqual(lake.name, 'Contoso demo lake');
    assert.match(lake.workspaceId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.strictEqual(lake.now, '2026-11-20T12:00:00Z');
    for (const name of DEMO_TABLES) assert.ok(fs.existsSync(path.join(dir, `${name}.jsonl`)), name);
    assert.strictEqual(t.IncidentComments.length, 0);
    assert.ok(summary.totalRows > 3000, `only ${summary.totalRows} rows`);
  });

  it('every row has exactly the built-in schema columns with values of the right JSON type', () => {
    for (const name of DEMO_TABLES) {
      const schema = BUILTIN_SCHEMAS[name];
      assert.ok(schema, `no built-in schema for ${name}`);
      const cols = Object.keys(schema);
      for (const r of t[name]) {
        assert.deepStrictEqual(Object.keys(r), cols, `${name} columns`);
        for (const [c, type] of Object.entries(schema)) {
          const v = r[c];
          if (v === null) continue;
          const ok =
            type === 'string'
              ? typeof v === 'string'
              : type === 'datetime'
                ? typeof v === 'string' && Number.isFinite(Date.parse(v))
                : type === 'bool'
                  ? typeof v === 'boolean'
                  : type === 'int' || type === 'long' || type === 'real'
                    ? typeof v === 'number'
                    : true;
          assert.ok(ok, `${name}.${c} (${type}) = ${JSON.stringify(v)}`);
        }
      }
    }
  });

  it('keeps every timestamp inside the generated span, before now', () => {
    for (const name of [
      'SigninLogs',
      'AADNonInteractiveUserSignInLogs',
      'CloudAppEvents',
      'EmailEvents',
      'UrlClickEvents',
      'DeviceNetworkEvents',
      'SecurityIncident',
      'SecurityAlert',
    ]) {
      for (const r of t[name]) {
        const ms = Date.parse(r.TimeGenerated);
        assert.ok(ms < NOW && ms >= NOW - 15 * 24 * HOUR, `${name} ${r.TimeGenerated}`);
      }
    }
  });

  it('is deterministic for a seed and differs for another seed', async () => {
    const again = path.join(tmpRoot, 'b');
    const other = path.join(tmpRoot, 'c');
    await generateDemoLake({ out: again });
    await generateDemoLake({ out: other, seed: 7 });
    for (const name of [...DEMO_TABLES, 'lake']) {
      const file = name === 'lake' ? 'lake.json' : `${name}.jsonl`;
      assert.ok(
        fs.readFileSync(path.join(dir, file)).equals(fs.readFileSync(path.join(again, file))),
        `${file} differs for the same seed`,
      );
    }
    assert.notStrictEqual(
      fs.readFileSync(path.join(other, 'SigninLogs.jsonl'), 'utf8'),
      fs.readFileSync(path.join(dir, 'SigninLogs.jsonl'), 'utf8'),
    );
    // The stories do not depend on the seed.
    const megan = (d: string) =>
      rows(d, 'SigninLogs').filter((r) => r.UserPrincipalName === DEMO_USERS.compromised && r.Location !== 'US').length;
    assert.strictEqual(megan(other), megan(dir));
  });

  it('refuses out-of-range sizes with a clear error', async () => {
    await assert.rejects(
      generateDemoLake({ out: path.join(tmpRoot, 'x'), users: 3 }),
      (e: unknown) => e instanceof UserError && /--users/.test((e as Error).message),
    );
    await assert.rejects(
      generateDemoLake({ out: path.join(tmpRoot, 'x'), days: 2 }),
      (e: unknown) => e instanceof UserError && /--days/.test((e as Error).message),
    );
    await assert.rejects(generateDemoLake({ out: path.join(tmpRoot, 'x'), now: 'yesterday' }), UserError);
  });

  describe('stories', () => {
    it('identities: contoso.com users with object ids, and one on-premises-only account without one', () => {
      const ids = t.IdentityInfo;
      assert.strictEqual(ids.length, 51);
      assert.ok(ids.every((r) => r.AccountUPN.endsWith('@contoso.com')));
      const cloud = ids.filter((r) => r.AccountObjectId);
      assert.strictEqual(cloud.length, 50);
      assert.strictEqual(new Set(cloud.map((r) => r.AccountObjectId)).size, 50);
      const onPrem = ids.filter((r) => !r.AccountObjectId);
      assert.deepStrictEqual(
        onPrem.map((r) => r.AccountUPN),
        [DEMO_USERS.onPremOnly],
      );
      const megan = ids.find((r) => r.AccountUPN === DEMO_USERS.compromised)!;
      assert.strictEqual(megan.AccountObjectId, DEMO_OBJECT_IDS[DEMO_USERS.compromised]);
      assert.strictEqual(megan.Country, 'US');
    });

    it('compromised user: spray failures from several IPs, then single-factor high-risk success from a new country', () => {
      const megan = t.SigninLogs.filter((r) => r.UserPrincipalName === DEMO_USERS.compromised).sort((a, b) =>
        a.TimeGenerated.localeCompare(b.TimeGenerated),
      );
      const failures = megan.filter((r) => r.ResultType === '50126');
      assert.strictEqual(failures.length, DEMO_SPRAY.targetFailures);
      assert.ok(new Set(failures.map((r) => r.IPAddress)).size >= 3);
      const burst = Date.parse(failures[failures.length - 1].TimeGenerated) - Date.parse(failures[0].TimeGenerated);
      assert.ok(burst <= 30 * 60_000, `spray lasted ${burst} ms`);
      const foreignSuccess = megan.filter((r) => r.ResultType === '0' && r.Location !== 'US');
      assert.ok(foreignSuccess.length >= 1);
      const first = foreignSuccess[0];
      assert.strictEqual(first.Location, 'RU');
      assert.strictEqual(first.IPAddress, DEMO_SPRAY.successIp);
      assert.strictEqual(first.AuthenticationRequirement, 'singleFactorAuthentication');
      assert.strictEqual(first.RiskLevelDuringSignIn, 'high');
      assert.ok(first.TimeGenerated > failures[failures.length - 1].TimeGenerated);
      assert.ok(Date.parse(first.TimeGenerated) > NOW - 72 * HOUR);
      // Her baseline before the spray is US only.
      assert.ok(megan.filter((r) => r.TimeGenerated < failures[0].TimeGenerated).every((r) => r.Location === 'US'));
    });

    it('spray shape: many other users get one or two failures from the same IPs in the same window', () => {
      const sprayIps = new Set<string>(DEMO_SPRAY.ips.map((x) => x.ip));
      const others = t.SigninLogs.filter(
        (r) => sprayIps.has(r.IPAddress) && r.UserPrincipalName !== DEMO_USERS.compromised,
      );
      const perUser = new Map<string, number>();
      for (const r of others) perUser.set(r.UserPrincipalName, (perUser.get(r.UserPrincipalName) ?? 0) + 1);
      assert.ok(perUser.size >= 10, `${perUser.size} other users`);
      assert.ok([...perUser.values()].every((n) => n >= 1 && n <= 2));
      assert.ok(others.every((r) => r.ResultType === '50126'));
    });

    it('compromised user: external forwarding inbox rule, alerts with her as evidence, high UEBA priority', () => {
      const oid = DEMO_OBJECT_IDS[DEMO_USERS.compromised];
      const rules = t.CloudAppEvents.filter((r) => r.AccountObjectId === oid && r.ActionType === 'New-InboxRule');
      assert.strictEqual(rules.length, 1);
      const fwd = rules[0].RawEventData.Parameters.find((p: Row) => p.Name === 'ForwardTo');
      assert.strictEqual(fwd.Value, DEMO_SPRAY.forwardTo);
      assert.ok(!fwd.Value.endsWith('@contoso.com'));
      assert.strictEqual(rules[0].CountryCode, 'RU');
      const evidence = t.AlertEvidence.filter((r) => r.AccountUpn === DEMO_USERS.compromised);
      assert.ok(evidence.length >= 3);
      const alertIds = new Set(evidence.map((r) => r.AlertId));
      assert.ok(
        t.SecurityAlert.some(
          (a) => alertIds.has(a.SystemAlertId) && a.AlertName === 'Suspicious inbox forwarding rule',
        ),
      );
      const ueba = t.BehaviorAnalytics.filter((r) => r.UserPrincipalName === DEMO_USERS.compromised);
      assert.ok(Math.max(...ueba.map((r) => r.InvestigationPriority)) >= 7);
      // Nobody else's rule forwards outside the tenant; the benign risky user has no mailbox changes.
      const otherRules = t.CloudAppEvents.filter(
        (r) => r.ActionType.endsWith('InboxRule') && r.AccountObjectId !== oid,
      );
      assert.ok(otherRules.length >= 1);
      assert.ok(otherRules.every((r) => !r.RawEventData.Parameters.some((p: Row) => p.Name === 'ForwardTo')));
    });

    it('benign risky user: one medium-risk sign-in from Canada with MFA, remediated; no alerts or mailbox changes', () => {
      const alex = t.SigninLogs.filter((r) => r.UserPrincipalName === DEMO_USERS.benignRisky);
      const risky = alex.filter((r) => r.RiskLevelDuringSignIn !== 'none');
      assert.strictEqual(risky.length, 1);
      assert.strictEqual(risky[0].RiskLevelDuringSignIn, 'medium');
      assert.strictEqual(risky[0].Location, DEMO_TRAVEL.country);
      assert.strictEqual(risky[0].AuthenticationRequirement, 'multiFactorAuthentication');
      assert.strictEqual(risky[0].RiskState, 'remediated');
      assert.ok(alex.every((r) => r.ResultType === '0'));
      assert.strictEqual(t.AlertEvidence.filter((r) => r.AccountUpn === DEMO_USERS.benignRisky).length, 0);
      const oid = DEMO_OBJECT_IDS[DEMO_USERS.benignRisky];
      assert.ok(!t.CloudAppEvents.some((r) => r.AccountObjectId === oid && /InboxRule|Mailbox/.test(r.ActionType)));
      assert.ok(!t.SecurityAlert.some((a) => a.Entities.includes(oid)));
    });

    it('clean user: US only, one failed password, no risk and no alerts', () => {
      const lynne = t.SigninLogs.filter((r) => r.UserPrincipalName === DEMO_USERS.clean);
      assert.ok(lynne.length >= 10);
      assert.ok(lynne.every((r) => r.Location === 'US' && r.RiskLevelDuringSignIn === 'none'));
      assert.strictEqual(lynne.filter((r) => r.ResultType !== '0').length, 1);
      assert.strictEqual(t.AlertEvidence.filter((r) => r.AccountUpn === DEMO_USERS.clean).length, 0);
    });

    it('phishing URL: active TI (url and domain), delivered to 8, clicked through by 3 incl. the compromised user, blocked for some, seen on 2 devices', () => {
      const ti = t.ThreatIntelIndicators.filter((r) => r.ObservableValue === DEMO_URLS.phishing);
      assert.strictEqual(ti.length, 1);
      assert.deepStrictEqual([ti[0].ObservableKey, ti[0].IsActive, ti[0].Confidence], ['url:value', true, 90]);
      assert.ok(
        t.ThreatIntelIndicators.some(
          (r) =>
            r.ObservableKey === 'domain-name:value' && r.ObservableValue === DEMO_URLS.phishingDomain && r.IsActive,
        ),
      );
      const msgs = new Set(t.EmailUrlInfo.filter((r) => r.Url === DEMO_URLS.phishing).map((r) => r.NetworkMessageId));
      const recipients = t.EmailEvents.filter((r) => msgs.has(r.NetworkMessageId)).map((r) => r.RecipientEmailAddress);
      assert.deepStrictEqual(recipients.sort(), [...DEMO_PHISHING.recipients].sort());
      const clicks = t.UrlClickEvents.filter((r) => r.Url === DEMO_URLS.phishing);
      const through = new Set(
        clicks.filter((r) => r.ActionType === 'ClickAllowed' && r.IsClickedThrough).map((r) => r.AccountUpn),
      );
      assert.ok(through.size >= 3 && through.has(DEMO_USERS.compromised));
      assert.ok(clicks.some((r) => r.ActionType === 'ClickBlocked'));
      const devices = new Set(
        t.DeviceNetworkEvents.filter((r) => r.RemoteUrl.includes(DEMO_URLS.phishingDomain)).map((r) => r.DeviceName),
      );
      assert.strictEqual(devices.size, 2);
    });

    it('benign URL: clicked by most users, in the ApprovedDomains watchlist, not in TI', () => {
      const clickers = new Set(t.UrlClickEvents.filter((r) => r.Url === DEMO_URLS.benign).map((r) => r.AccountUpn));
      assert.ok(clickers.size >= 35, `${clickers.size} users clicked`);
      assert.ok(
        t.Watchlist.some((r) => r.WatchlistAlias === 'ApprovedDomains' && r.SearchKey === DEMO_URLS.benignDomain),
      );
      assert.ok(!t.ThreatIntelIndicators.some((r) => r.ObservableValue.includes('contoso.sharepoint.com')));
    });

    it('look-alike domains: c0ntoso.com mail with clicks, not in TI; a punycode domain in email URLs', () => {
      const clicks = t.UrlClickEvents.filter((r) => r.Url === DEMO_URLS.lookalike);
      assert.deepStrictEqual(clicks.map((r) => r.AccountUpn).sort(), [...DEMO_LOOKALIKE.clicked].sort());
      assert.strictEqual(
        t.EmailEvents.filter((r) => r.SenderFromAddress === DEMO_URLS.lookalikeSender).length,
        DEMO_LOOKALIKE.recipients.length,
      );
      assert.ok(!t.ThreatIntelIndicators.some((r) => r.ObservableValue.includes('c0ntoso')));
      assert.ok(t.EmailUrlInfo.some((r) => r.UrlDomain.startsWith('xn--')));
    });

    it('incidents: about a dozen in the last 7 days, duplicate titles, every severity and status, alerts linked', () => {
      const inc = t.SecurityIncident;
      assert.ok(inc.length >= 10 && inc.length <= 15);
      for (const i of inc) assert.ok(Date.parse(i.CreatedTime) > NOW - 7 * 24 * HOUR, i.CreatedTime);
      const byTitle = new Map<string, number>();
      for (const i of inc) byTitle.set(i.Title, (byTitle.get(i.Title) ?? 0) + 1);
      const dups = [...byTitle].filter(([, n]) => n > 1);
      assert.ok(dups.length >= 2, JSON.stringify(dups));
      assert.ok(dups.some(([, n]) => n >= 3));
      assert.deepStrictEqual(new Set(inc.map((i) => i.Severity)), new Set(['High', 'Medium', 'Low', 'Informational']));
      assert.deepStrictEqual(new Set(inc.map((i) => i.Status)), new Set(['New', 'Active', 'Closed']));
      assert.strictEqual(new Set(inc.map((i) => i.IncidentNumber)).size, inc.length);
      const alerts = new Map(t.SecurityAlert.map((a) => [a.SystemAlertId, a]));
      for (const i of inc) {
        assert.strictEqual(i.IncidentUrl, `https://security.microsoft.com/incidents/${i.IncidentNumber}`);
        assert.strictEqual(i.AdditionalData.alertsCount, i.AlertIds.length);
        for (const id of i.AlertIds) assert.ok(alerts.has(id), `incident ${i.IncidentNumber} alert ${id}`);
        assert.ok('assignedTo' in i.Owner && 'userPrincipalName' in i.Owner);
      }
      const stories = inc.filter((i) =>
        i.AlertIds.some((id: string) => alerts.get(id)!.Entities.includes(DEMO_OBJECT_IDS[DEMO_USERS.compromised])),
      );
      assert.ok(stories.some((i) => i.Title === 'Suspicious inbox forwarding rule'));
      assert.ok(
        inc.some((i) => i.AlertIds.some((id: string) => alerts.get(id)!.Entities.includes(DEMO_URLS.phishing))),
      );
    });

    it('alert Entities are JSON arrays of typed entities with $id, except exactly one malformed alert', () => {
      const bad: Row[] = [];
      const kinds = new Set<string>();
      for (const a of t.SecurityAlert) {
        let parsed: Row[];
        try {
          parsed = JSON.parse(a.Entities);
        } catch {
          bad.push(a);
          continue;
        }
        assert.ok(Array.isArray(parsed));
        for (const e of parsed) {
          assert.ok(typeof e.$id === 'string' && typeof e.Type === 'string');
          kinds.add(e.Type);
          if (e.Type === 'account') assert.ok(e.Name && e.UPNSuffix && e.AadUserId);
          if (e.Type === 'url') assert.ok(e.Url);
          if (e.Type === 'ip') assert.ok(e.Address);
          if (e.Type === 'host') assert.ok(e.HostName && e.DnsDomain);
          if (e.Type === 'file') assert.ok(parsed.some((h) => h.$id === e.FileHashes[0].$ref && h.Type === 'filehash'));
        }
      }
      assert.strictEqual(bad.length, 1);
      for (const k of ['account', 'url', 'ip', 'host', 'mailbox', 'filehash', 'file']) assert.ok(kinds.has(k), k);
    });

    it('connector inventories: Defender for Endpoint, Cloud and Cloud Apps appeared after the cutover', () => {
      const before = new Set(t.DataConnectorsBeforeCutover.map((r) => r.Kind));
      const appeared = t.DataConnectors.filter((r) => !before.has(r.Kind))
        .map((r) => r.Name)
        .sort();
      assert.deepStrictEqual(appeared, [
        'Microsoft Defender for Cloud',
        'Microsoft Defender for Cloud Apps',
        'Microsoft Defender for Endpoint',
      ]);
    });
  });
});
