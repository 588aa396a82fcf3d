// A labelled analyzer scenario: a small description of a tenant (who, which events, when) that is built
// into a temporary lake with the built-in table schemas, plus the verdicts an analyst would accept.
// Written independently of the demo tenant: its own domain, people, IPs and clock.
import * as fs from 'fs';
import * as path from 'path';
import { TableWriter } from '../../../src/core/lake/generateWriter';
import type { Verdict } from '../../../src/core/analyzer/types';

export const EVAL_NOW = Date.parse('2027-03-10T12:00:00Z');
export const EVAL_DOMAIN = 'fabrikam.example';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MIN = 60_000;

export interface Place {
  country: string;
  city: string;
  lat: number;
  lon: number;
  asn: number;
}

export const PLACES: Record<string, Place> = {
  US: { country: 'US', city: 'Chicago', lat: 41.88, lon: -87.63, asn: 7922 },
  DE: { country: 'DE', city: 'Frankfurt', lat: 50.11, lon: 8.68, asn: 3320 },
  GB: { country: 'GB', city: 'Manchester', lat: 53.48, lon: -2.24, asn: 5089 },
  FR: { country: 'FR', city: 'Lyon', lat: 45.76, lon: 4.84, asn: 3215 },
  NG: { country: 'NG', city: 'Lagos', lat: 6.52, lon: 3.38, asn: 29465 },
  BR: { country: 'BR', city: 'Sao Paulo', lat: -23.55, lon: -46.63, asn: 28573 },
  CN: { country: 'CN', city: 'Shenzhen', lat: 22.54, lon: 114.06, asn: 4134 },
  JP: { country: 'JP', city: 'Osaka', lat: 34.69, lon: 135.5, asn: 2516 },
  RO: { country: 'RO', city: 'Bucharest', lat: 44.43, lon: 26.1, asn: 8708 },
  IE: { country: 'IE', city: 'Dublin', lat: 53.35, lon: -6.26, asn: 5466 },
};

/** Hours before the lake's clock (EVAL_NOW); fractional hours are fine. */
export type Hours = number;

export interface PersonSpec {
  name: string;
  country?: string;
  roles?: string[];
  enabled?: boolean;
  /** No activity at all in the 30-day baseline before the window. */
  dormant?: boolean;
  /** Background sign-ins from the shared office egress (default true). */
  office?: boolean;
}

export type EventSpec =
  | {
      kind: 'signin';
      user: string;
      h: Hours;
      ip: string;
      country: string;
      result?: string;
      mfa?: boolean;
      interactive?: boolean;
      risk?: string;
      riskState?: string;
      app?: string;
      unmanaged?: boolean;
      count?: number;
      everyMin?: number;
    }
  | {
      kind: 'audit';
      h: Hours;
      op: string;
      category?: string;
      by: string;
      ip: string;
      target: string;
      result?: string;
      details?: { key: string; value: string }[];
      targetType?: string;
      modified?: { displayName: string; newValue: string }[];
      app?: string;
    }
  | {
      kind: 'cloud';
      user: string;
      h: Hours;
      action: string;
      ip: string;
      country: string;
      params?: { Name: string; Value: string }[];
      raw?: Record<string, unknown>;
      count?: number;
      everyMin?: number;
      object?: string;
      app?: string;
    }
  | {
      kind: 'email';
      h: Hours;
      to: string[];
      sender: string;
      subject: string;
      urls: string[];
      threats?: string;
      action?: string;
      location?: string;
    }
  | {
      kind: 'click';
      user: string;
      h: Hours;
      url: string;
      action?: string;
      through?: boolean;
      threats?: string;
      ip?: string;
    }
  | {
      kind: 'ti';
      type: 'url' | 'domain' | 'ipv4' | 'ipv6';
      value: string;
      confidence: number;
      active?: boolean;
      fromDays?: number;
      untilDays?: number;
      tags?: string[];
    }
  | { kind: 'watchlist'; alias: string; key: string }
  | { kind: 'alert'; h: Hours; user?: string; url?: string; title: string; severity: string }
  | { kind: 'device'; user: string; h: Hours; url: string; ip: string }
  | { kind: 'ueba'; user: string; h: Hours; priority: number; ip: string; action?: string };

export interface Scenario {
  id: string;
  /** What happens, in an analyst's words. */
  story: string;
  entity: { type: 'User' | 'Url'; id: string };
  accept: Verdict[];
  /** People besides the default colleagues (the subject of a user scenario must be listed or a colleague). */
  people?: PersonSpec[];
  events: EventSpec[];
  /** Tables left out of the lake (to test rules that need optional tables). */
  omit?: string[];
}

export const TABLES = [
  'SigninLogs',
  'AADNonInteractiveUserSignInLogs',
  'AlertEvidence',
  'CloudAppEvents',
  'IdentityInfo',
  'BehaviorAnalytics',
  'AuditLogs',
  'EmailEvents',
  'EmailUrlInfo',
  'UrlClickEvents',
  'ThreatIntelIndicators',
  'Watchlist',
  'DeviceNetworkEvents',
] as const;

/** Colleagues present in every scenario: they give the tenant a shared office egress and URL prevalence. */
export const COLLEAGUES = ['ava', 'ben', 'carla', 'dev', 'emma', 'femi', 'gus', 'hana', 'ivan', 'jade', 'kai', 'lena'];
/** The office egress (a proxy every colleague uses daily) and its place. */
export const OFFICE_IP = '198.51.100.10';
export const POPULAR_URL = 'https://intranet.fabrikam.example/news';

export const upnOf = (name: string) => (name.includes('@') ? name : `${name}@${EVAL_DOMAIN}`);

/** A deterministic object id per name (stable across runs). */
function objectId(name: string): string {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const a = hex(h),
    b = hex(Math.imul(h, 2654435761)),
    c = hex(Math.imul(h ^ 0x9e3779b9, 40503));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c}${a.slice(0, 4)}`;
}

/** Each person's home IP: distinct per person, inside the documentation range 198.51.100.0/24. */
function homeIp(index: number): string {
  return `198.51.100.${40 + index}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

function locationDetails(p: Place) {
  return { city: p.city, state: '', countryOrRegion: p.country, geoCoordinates: { latitude: p.lat, longitude: p.lon } };
}

interface Person {
  name: string;
  upn: string;
  oid: string;
  place: Place;
  home: string;
  spec: PersonSpec;
}

/** Builds the scenario's lake into `dir` (created); returns the lake folder. */
export function buildScenarioLake(s: Scenario, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'lake.json'), JSON.stringify({ name: `eval ${s.id}`, now: iso(EVAL_NOW) }));
  const tables = TABLES.filter((t) => !(s.omit ?? []).includes(t));
  const w = Object.fromEntries(tables.map((t) => [t, new TableWriter(dir, t)])) as Record<string, TableWriter>;
  const write = (table: string, row: Record<string, unknown>) => w[table]?.write(row);
  const people = new Map<string, Person>();
  const specs: PersonSpec[] = [...COLLEAGUES.map((name) => ({ name })), ...(s.people ?? [])];
  specs.forEach((spec, i) => {
    const place = PLACES[spec.country ?? 'US'];
    people.set(spec.name, {
      name: spec.name,
      upn: upnOf(spec.name),
      oid: objectId(spec.name),
      place,
      home: homeIp(i),
      spec,
    });
  });
  const person = (name: string): Person => {
    const p = people.get(name);
    if (p) return p;
    // An outside account (e.g. an attacker's initiator in AuditLogs) gets a person without background.
    const extra: Person = {
      name,
      upn: upnOf(name),
      oid: objectId(name),
      place: PLACES.US,
      home: homeIp(200),
      spec: { name, dormant: true },
    };
    people.set(name, extra);
    return extra;
  };
  let seq = 0;
  const guid = () => objectId(`${s.id}:${seq++}`);

  const signin = (
    p: Person,
    t: number,
    e: {
      ip: string;
      place: Place;
      result?: string;
      mfa?: boolean;
      interactive?: boolean;
      risk?: string;
      riskState?: string;
      app?: string;
      unmanaged?: boolean;
    },
  ) => {
    const interactive = e.interactive ?? true;
    const result = e.result ?? '0';
    const table = interactive ? 'SigninLogs' : 'AADNonInteractiveUserSignInLogs';
    write(table, {
      TimeGenerated: iso(t),
      TenantId: 'eval',
      UserPrincipalName: p.upn,
      UserId: p.oid,
      UserDisplayName: p.name,
      ResultType: result,
      ResultDescription: result === '0' ? '' : `error ${result}`,
      IPAddress: e.ip,
      Location: e.place.country,
      LocationDetails: locationDetails(e.place),
      AppDisplayName: e.app ?? 'Office 365',
      AppId: '00000000-0000-0000-0000-000000000001',
      ClientAppUsed: interactive ? 'Browser' : 'Mobile Apps and Desktop clients',
      UserAgent: e.unmanaged ? 'python-requests/2.31' : 'Mozilla/5.0 Edge',
      DeviceDetail: e.unmanaged
        ? { deviceId: '', isManaged: false }
        : { deviceId: `dev-${p.oid.slice(0, 8)}`, displayName: `${p.name}-laptop`, isManaged: true, isCompliant: true },
      AuthenticationRequirement: (e.mfa ?? true) ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
      ConditionalAccessStatus: result === '0' ? 'success' : 'notApplied',
      RiskLevelDuringSignIn: e.risk ?? 'none',
      RiskState: e.riskState ?? 'none',
      RiskLevelAggregated: e.risk ?? 'none',
      CorrelationId: guid(),
      AutonomousSystemNumber: e.place.asn,
      Type: table,
      Status: { errorCode: Number(result) },
      RiskDetail: 'none',
      RiskEventTypes_V2: '[]',
      ResourceDisplayName: 'Office 365',
      UserType: 'Member',
      IsInteractive: interactive,
    });
  };
  const cloud = (
    p: Person,
    t: number,
    e: {
      action: string;
      ip: string;
      country: string;
      params?: { Name: string; Value: string }[];
      raw?: Record<string, unknown>;
      object?: string;
      app?: string;
    },
  ) => {
    const raw: Record<string, unknown> = {
      Operation: e.action,
      UserId: p.upn,
      ClientIP: e.ip,
      ObjectId: e.object ?? '',
      ...(e.params ? { Parameters: e.params } : {}),
      ...(e.raw ?? {}),
    };
    write('CloudAppEvents', {
      TimeGenerated: iso(t),
      ActionType: e.action,
      Application: e.app ?? (/File/.test(e.action) ? 'Microsoft SharePoint Online' : 'Microsoft Exchange Online'),
      AccountObjectId: p.oid,
      AccountId: p.oid,
      AccountDisplayName: p.name,
      IPAddress: e.ip,
      CountryCode: e.country,
      ActivityType: 'Access',
      RawEventData: raw,
      ActivityObjects: [],
      ObjectName: e.object ?? '',
      ObjectType: '',
      UserAgent: 'Mozilla/5.0',
    });
  };

  // Background: 30+ days of ordinary work for everyone who is not dormant.
  for (const p of people.values()) {
    // Dormant and disabled people only do what the scenario says.
    if (p.spec.enabled === false || p.spec.dormant) continue;
    for (let d = 37; d >= 1; d--) {
      const day = EVAL_NOW - d * DAY;
      const t = day - (day % DAY) + 14 * HOUR + ((p.home.length * 7 + d * 13) % 240) * MIN;
      const office = (p.spec.office ?? p.place.country === 'US') && d % 7 !== 0 && d % 7 !== 6;
      const ip = office ? OFFICE_IP : p.home;
      const place = office ? PLACES.US : p.place;
      signin(p, t, { ip, place });
      signin(p, t + 2 * HOUR, { ip: p.home, place: p.place });
      signin(p, t + 30 * MIN, { ip, place, interactive: false });
      cloud(p, t + 40 * MIN, { action: 'MailItemsAccessed', ip, country: place.country, object: `${p.upn}/Inbox` });
      cloud(p, t + 50 * MIN, {
        action: 'FileAccessed',
        ip,
        country: place.country,
        object: `https://fabrikam.sharepoint.com/doc-${d}.docx`,
      });
      if (d % 3 === 0 && d <= 30)
        write('UrlClickEvents', {
          TimeGenerated: iso(t + HOUR),
          Url: POPULAR_URL,
          ActionType: 'ClickAllowed',
          AccountUpn: p.upn,
          Workload: 'Teams',
          NetworkMessageId: '',
          ThreatTypes: '',
          DetectionMethods: '',
          IsClickedThrough: false,
          UrlChain: [POPULAR_URL],
          IPAddress: ip,
        });
    }
  }
  for (const p of people.values()) {
    if (p.spec.name.includes('@')) continue;
    write('IdentityInfo', {
      TimeGenerated: iso(EVAL_NOW - 2 * HOUR),
      AccountUPN: p.upn,
      AccountObjectId: p.oid,
      AccountDisplayName: p.name,
      AccountName: p.name,
      Department: 'Operations',
      JobTitle: 'Analyst',
      AssignedRoles: p.spec.roles ?? [],
      IsAccountEnabled: p.spec.enabled !== false,
      Country: p.place.country,
      City: p.place.city,
      Tags: [],
      AccountDomain: EVAL_DOMAIN,
    });
  }

  for (const e of s.events) {
    const at = (h: Hours) => EVAL_NOW - h * HOUR;
    switch (e.kind) {
      case 'signin': {
        const p = person(e.user);
        for (let i = 0; i < (e.count ?? 1); i++)
          signin(p, at(e.h) + i * (e.everyMin ?? 1) * MIN, { ...e, place: PLACES[e.country] });
        break;
      }
      case 'cloud': {
        const p = person(e.user);
        for (let i = 0; i < (e.count ?? 1); i++)
          cloud(p, at(e.h) + i * (e.everyMin ?? 0.5) * MIN, {
            ...e,
            object: e.object ?? (e.count ? `https://fabrikam.sharepoint.com/finance/file-${i}.xlsx` : undefined),
          });
        break;
      }
      case 'audit': {
        const by = person(e.by);
        const target = e.targetType && e.targetType !== 'User' ? undefined : person(e.target);
        write('AuditLogs', {
          TimeGenerated: iso(at(e.h)),
          OperationName: e.op,
          Category: e.category ?? 'UserManagement',
          Result: e.result ?? 'success',
          InitiatedBy: e.app
            ? { app: { displayName: e.app, servicePrincipalId: guid() } }
            : { user: { id: by.oid, userPrincipalName: by.upn, ipAddress: e.ip } },
          TargetResources: [
            target
              ? {
                  id: target.oid,
                  displayName: target.name,
                  type: 'User',
                  userPrincipalName: target.upn,
                  modifiedProperties: e.modified ?? [],
                }
              : { id: guid(), displayName: e.target, type: e.targetType, modifiedProperties: e.modified ?? [] },
          ],
          AdditionalDetails: e.details ?? [],
          Id: guid(),
          Identity: by.name,
          LoggedByService: 'Core Directory',
          CorrelationId: guid(),
        });
        break;
      }
      case 'email':
        for (const to of e.to) {
          const id = guid();
          write('EmailEvents', {
            TimeGenerated: iso(at(e.h)),
            NetworkMessageId: id,
            SenderFromAddress: e.sender,
            SenderFromDomain: e.sender.split('@')[1],
            RecipientEmailAddress: upnOf(to),
            Subject: e.subject,
            DeliveryAction: e.action ?? 'Delivered',
            DeliveryLocation: e.location ?? 'Inbox/folder',
            ThreatTypes: e.threats ?? '',
            UrlCount: e.urls.length,
            EmailDirection: 'Inbound',
          });
          for (const url of e.urls)
            write('EmailUrlInfo', {
              TimeGenerated: iso(at(e.h)),
              NetworkMessageId: id,
              Url: url,
              UrlDomain: new URL(url).hostname,
              UrlLocation: 'Body',
            });
        }
        break;
      case 'click': {
        const p = person(e.user);
        const action = e.action ?? 'ClickAllowed';
        write('UrlClickEvents', {
          TimeGenerated: iso(at(e.h)),
          Url: e.url,
          ActionType: action,
          AccountUpn: p.upn,
          Workload: 'Email',
          NetworkMessageId: '',
          ThreatTypes: e.threats ?? '',
          DetectionMethods: '',
          IsClickedThrough: e.through ?? action === 'ClickAllowed',
          UrlChain: [e.url],
          IPAddress: e.ip ?? OFFICE_IP,
        });
        break;
      }
      case 'ti': {
        const key = { url: 'url:value', domain: 'domain-name:value', ipv4: 'ipv4-addr:value', ipv6: 'ipv6-addr:value' }[
          e.type
        ];
        const from = EVAL_NOW - (e.fromDays ?? 5) * DAY;
        const active = e.active ?? true;
        write('ThreatIntelIndicators', {
          TimeGenerated: iso(from + HOUR),
          Id: `indicator--${guid()}`,
          ObservableKey: key,
          ObservableValue: e.value,
          Confidence: e.confidence,
          IsActive: active,
          ValidFrom: iso(from),
          ValidUntil: iso(EVAL_NOW + (e.untilDays ?? (active ? 60 : -20)) * DAY),
          Tags: e.tags ?? ['Phishing'],
          Pattern: `[${key} = '${e.value}']`,
          Data: {},
          SourceSystem: 'Eval feed',
        });
        break;
      }
      case 'watchlist':
        write('Watchlist', {
          TimeGenerated: iso(EVAL_NOW - 20 * DAY),
          WatchlistAlias: e.alias,
          SearchKey: e.key,
          WatchlistItem: { Key: e.key },
        });
        break;
      case 'alert': {
        const p = e.user ? person(e.user) : undefined;
        write('AlertEvidence', {
          TimeGenerated: iso(at(e.h)),
          AlertId: guid(),
          Title: e.title,
          Severity: e.severity,
          ServiceSource: 'Microsoft Defender XDR',
          EntityType: p ? 'User' : 'Url',
          AccountUpn: p?.upn ?? '',
          AccountObjectId: p?.oid ?? '',
          RemoteUrl: e.url ?? '',
        });
        break;
      }
      case 'device': {
        const p = person(e.user);
        write('DeviceNetworkEvents', {
          TimeGenerated: iso(at(e.h)),
          DeviceName: `${p.name}-laptop`,
          ActionType: 'ConnectionSuccess',
          RemoteIP: e.ip,
          RemotePort: 443,
          RemoteUrl: new URL(e.url).hostname,
          InitiatingProcessFileName: 'msedge.exe',
          InitiatingProcessAccountUpn: p.upn,
        });
        break;
      }
      case 'ueba': {
        const p = person(e.user);
        write('BehaviorAnalytics', {
          TimeGenerated: iso(at(e.h)),
          UserPrincipalName: p.upn,
          UserName: p.name,
          ActivityType: 'LogOn',
          ActionType: e.action ?? 'Sign-in',
          SourceIPAddress: e.ip,
          SourceIPLocation: '',
          InvestigationPriority: e.priority,
          ActivityInsights: {},
          UsersInsights: {},
        });
        break;
      }
    }
  }
  for (const t of Object.values(w)) t.close();
  return dir;
}
