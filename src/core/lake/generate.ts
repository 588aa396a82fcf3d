// The demo tenant generator: a Contoso tenant's sign-ins, mail, clicks, devices, alerts and incidents as a
// lake folder (one JSONL file per table, real Sentinel column names). Deterministic for a seed: the
// background activity comes from the seeded generator; the stories (demoFacts.ts) are planted at fixed
// times relative to `now` and do not depend on the seed. Rows are streamed to disk day by day.
import * as fs from 'fs';
import * as path from 'path';
import { throwIfAborted, UserError } from '../errors';
import type { Logger } from '../types';
import {
  DEMO_DEFAULT_NOW, DEMO_DOMAIN, DEMO_GENERATOR_VERSION, DEMO_LAKE_NAME, DEMO_LOOKALIKE, DEMO_PHISHING,
  DEMO_RULE_IDS, DEMO_SPRAY, DEMO_TENANT_ID, DEMO_TRAVEL, DEMO_URLS, DEMO_USERS, DEMO_WORKSPACE_ID,
} from './demoFacts';
import { Rng } from './generateRandom';
import { buildUsers, DemoUser, FOREIGN_PLACES, MIN_DEMO_USERS, Place } from './generateUsers';
import { TableWriter } from './generateWriter';

export interface GenerateDemoLakeOptions {
  /** Output folder (created if missing; existing table files are overwritten). */
  out: string;
  seed?: number;
  /** Cloud users (at least 20); one on-premises-only account is added. */
  users?: number;
  /** Days of background activity before `now` (7–365). */
  days?: number;
  /** The lake's pinned clock (ISO-8601). */
  now?: string;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface GenerateDemoLakeSummary {
  dir: string;
  seed: number;
  users: number;
  days: number;
  now: string;
  tables: { name: string; rows: number; file: string }[];
  totalRows: number;
  elapsedMs: number;
}

/** Every table the demo lake holds, in the order they are reported. */
export const DEMO_TABLES = [
  'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AlertEvidence', 'SecurityAlert', 'SecurityIncident',
  'IncidentComments', 'CloudAppEvents', 'IdentityInfo', 'BehaviorAnalytics', 'EmailEvents', 'EmailUrlInfo',
  'UrlClickEvents', 'ThreatIntelIndicators', 'Watchlist', 'DeviceNetworkEvents', 'AuditLogs',
  'DataConnectorsBeforeCutover', 'DataConnectors',
] as const;
type DemoTable = (typeof DEMO_TABLES)[number];

export const DEMO_LIMITS = { minUsers: MIN_DEMO_USERS, maxUsers: 100000, minDays: 7, maxDays: 365 } as const;

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

interface App {
  name: string;
  id: string;
  resource: string;
}
const APPS: [App, number][] = [
  [{ name: 'Office 365 Exchange Online', id: '00000002-0000-0ff1-ce00-000000000000', resource: 'Office 365 Exchange Online' }, 5],
  [{ name: 'Microsoft Teams', id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', resource: 'Microsoft Teams Services' }, 5],
  [{ name: 'Office 365 SharePoint Online', id: '00000003-0000-0ff1-ce00-000000000000', resource: 'Office 365 SharePoint Online' }, 3],
  [{ name: 'OfficeHome', id: '4765445b-32c6-49b0-83e6-1d93765276ca', resource: 'OfficeHome' }, 2],
  [{ name: 'Microsoft Office', id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', resource: 'Microsoft Graph' }, 3],
  [{ name: 'Azure Portal', id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', resource: 'Windows Azure Service Management API' }, 1],
];
const OFFICE_HOME = APPS[3][0];
const EXCHANGE = APPS[0][0];

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
];
const ATTACKER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36';

const RESULT_DESCRIPTIONS: Record<string, string> = {
  '0': '',
  '50126': 'Error validating credentials due to invalid username or password.',
  '50074': 'Strong Authentication is required.',
  '50140': "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
};

/** Benign destinations for background mail, clicks and device traffic: [url, remote IP]. */
const BENIGN_URLS: [string, string][] = [
  ['https://contoso.sharepoint.com/sites/Sales/Shared%20Documents/Forecast.xlsx', '13.107.136.10'],
  ['https://contoso-my.sharepoint.com/personal/shared/Documents', '13.107.136.10'],
  ['https://outlook.office365.com/mail/', '52.96.40.242'],
  ['https://teams.microsoft.com/l/meetup-join/19%3ameeting', '52.113.194.132'],
  ['https://www.linkedin.com/feed/', '13.107.42.14'],
  ['https://learn.microsoft.com/en-us/azure/sentinel/overview', '13.107.246.60'],
  ['https://www.fabrikam.com/orders/status', '198.51.100.240'],
  ['https://portal.northwindtraders.com/invoices', '198.51.100.241'],
  ['https://www.wingtiptoys.com/catalog/2026', '198.51.100.242'],
  ['https://news.adatum.com/newsletter/november', '198.51.100.243'],
];
const EXTERNAL_SENDERS = [
  'orders@fabrikam.com', 'billing@northwindtraders.com', 'newsletter@adatum.com', 'sales@wingtiptoys.com',
  'no-reply@linkedin.com', 'events@tailspintoys.com',
];
const SUBJECTS = [
  'Your order has shipped', 'Invoice for November', 'Weekly newsletter', 'Meeting follow-up', 'Quarterly review',
  'New catalog available', 'Event invitation', 'Project update',
];

interface Ctx {
  rng: Rng;
  nowMs: number;
  startMs: number;
  users: DemoUser[];
  cloud: DemoUser[];
  byUpn: Map<string, DemoUser>;
  w: Record<DemoTable, TableWriter>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function locationDetails(p: Place) {
  return { city: p.city, state: p.state, countryOrRegion: p.country, geoCoordinates: { latitude: p.lat, longitude: p.lon } };
}

function deviceDetail(u: DemoUser | undefined, ua: string) {
  if (!u) return { deviceId: '', displayName: '', operatingSystem: 'Linux', browser: 'Chrome 119.0.0', isCompliant: false, isManaged: false, trustType: '' };
  const mac = ua.includes('Macintosh');
  return {
    deviceId: u.deviceId.slice(0, 36),
    displayName: u.device.split('.')[0].toUpperCase(),
    operatingSystem: mac ? 'MacOs' : 'Windows10',
    browser: ua.includes('Edg/') ? 'Edge 130.0.0' : mac ? 'Safari 17.6' : 'Chrome 130.0.0',
    isCompliant: true,
    isManaged: true,
    trustType: 'Azure AD joined',
  };
}

interface SigninSpec {
  ip: string;
  place: Place;
  app: App;
  result?: string;
  interactive: boolean;
  mfa?: boolean;
  ua?: string;
  managedDevice?: boolean;
  client?: string;
  risk?: string;
  riskState?: string;
  riskDetail?: string;
  riskEvents?: string[];
  conditionalAccess?: string;
  asn?: number;
}

function writeSignin(c: Ctx, u: DemoUser, t: number, s: SigninSpec): void {
  const result = s.result ?? '0';
  const ua = s.ua ?? USER_AGENTS[0];
  const ok = result === '0';
  const risk = s.risk ?? 'none';
  const table = s.interactive ? 'SigninLogs' : 'AADNonInteractiveUserSignInLogs';
  c.w[table].write({
    TimeGenerated: iso(t),
    TenantId: DEMO_TENANT_ID,
    UserPrincipalName: u.upn,
    UserId: u.objectId,
    UserDisplayName: u.displayName,
    ResultType: result,
    ResultDescription: RESULT_DESCRIPTIONS[result] ?? '',
    IPAddress: s.ip,
    Location: s.place.country,
    LocationDetails: locationDetails(s.place),
    AppDisplayName: s.app.name,
    AppId: s.app.id,
    ClientAppUsed: s.client ?? (s.interactive ? 'Browser' : 'Mobile Apps and Desktop clients'),
    UserAgent: ua,
    DeviceDetail: deviceDetail(s.managedDevice === false ? undefined : u, ua),
    AuthenticationRequirement: (s.mfa ?? s.interactive) ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    ConditionalAccessStatus: s.conditionalAccess ?? (ok ? 'success' : 'notApplied'),
    RiskLevelDuringSignIn: risk,
    RiskState: s.riskState ?? 'none',
    RiskLevelAggregated: risk,
    CorrelationId: c.rng.guid(),
    AutonomousSystemNumber: s.asn ?? s.place.asn,
    Type: table,
    Status: ok ? { errorCode: 0 } : { errorCode: Number(result), failureReason: RESULT_DESCRIPTIONS[result] ?? 'Other' },
    RiskDetail: s.riskDetail ?? 'none',
    RiskEventTypes_V2: JSON.stringify(s.riskEvents ?? []),
    ResourceDisplayName: s.app.resource,
    UserType: 'Member',
    IsInteractive: s.interactive,
  });
}

/** A time on the user's working day (local hours 8–18), or undefined when it falls outside the lake's span. */
function workTime(c: Ctx, dayMs: number, u: DemoUser, from = 8, to = 18): number | undefined {
  const t = dayMs + Math.round((c.rng.int(from * 60, to * 60 - 1) - u.place.tz * 60) * MIN) + c.rng.int(0, 59) * 1000;
  return t >= c.startMs && t < c.nowMs ? t : undefined;
}

const isWeekend = (ms: number) => {
  const d = new Date(ms).getUTCDay();
  return d === 0 || d === 6;
};

/** Where a user is at a time: the benign risky user is in Toronto during his trip. */
function whereabouts(c: Ctx, u: DemoUser, t: number, atOffice: boolean): { ip: string; place: Place; asn: number } {
  if (u.upn === DEMO_USERS.benignRisky) {
    const riskyAt = c.nowMs - DEMO_TRAVEL.riskySignInHoursBeforeNow * HOUR;
    if (t >= riskyAt - 2 * HOUR && t < riskyAt + 20 * HOUR) return { ip: DEMO_TRAVEL.ip, place: FOREIGN_PLACES.toronto, asn: 577 };
  }
  return atOffice ? { ip: u.place.officeIp, place: u.place, asn: u.place.asn } : { ip: u.homeIp, place: u.place, asn: u.place.asn };
}

const STORY_USERS = new Set<string>([DEMO_USERS.compromised, DEMO_USERS.benignRisky, DEMO_USERS.clean]);

// ---------------------------------------------------------------------------------------------- background

function backgroundDay(c: Ctx, dayMs: number): void {
  const { rng } = c;
  const weekend = isWeekend(dayMs + 12 * HOUR);
  for (const u of c.cloud) {
    const sessions = weekend ? (rng.chance(0.3) ? 1 : 0) : rng.int(1, 3);
    for (let i = 0; i < sessions; i++) {
      const t = workTime(c, dayMs, u);
      if (t === undefined) continue;
      const where = whereabouts(c, u, t, !weekend && rng.chance(0.6));
      const ua = rng.pick(USER_AGENTS);
      const app = rng.weighted(APPS);
      if (!STORY_USERS.has(u.upn) && rng.chance(0.025)) {
        const code = rng.chance(0.5) ? '50126' : '50074';
        writeSignin(c, u, t, { ...where, app, ua, interactive: true, result: code, mfa: code !== '50126' });
        writeSignin(c, u, Math.min(t + rng.int(40, 150) * 1000, c.nowMs - 1000), { ...where, app, ua, interactive: true });
      } else {
        writeSignin(c, u, t, { ...where, app, ua, interactive: true });
      }
    }
    const tokens = weekend ? rng.int(0, 1) : rng.int(2, 5);
    for (let i = 0; i < tokens; i++) {
      const t = workTime(c, dayMs, u, 7, 20);
      if (t === undefined) continue;
      const where = whereabouts(c, u, t, !weekend && rng.chance(0.6));
      writeSignin(c, u, t, { ...where, app: rng.weighted(APPS), interactive: false, ua: USER_AGENTS[1] });
    }
    if (!weekend || rng.chance(0.2)) {
      const n = weekend ? 1 : rng.int(1, 3);
      for (let i = 0; i < n; i++) {
        const t = workTime(c, dayMs, u);
        if (t !== undefined) cloudAppBackground(c, u, t);
      }
      for (let i = 0; i < n; i++) {
        const t = workTime(c, dayMs, u);
        if (t === undefined) continue;
        const [url, ip] = rng.pick(BENIGN_URLS);
        writeNetwork(c, u, t, { url: new URL(url).hostname, ip, process: rng.chance(0.7) ? 'msedge.exe' : 'teams.exe' });
      }
    }
    if (rng.chance(weekend ? 0.2 : 0.7)) {
      const t = workTime(c, dayMs, u, 6, 20);
      if (t !== undefined) inboundBackgroundEmail(c, u, t);
    }
    if (rng.chance(0.5)) {
      const t = workTime(c, dayMs, u);
      if (t !== undefined) {
        const where = whereabouts(c, u, t, !weekend);
        const travelling = where.place !== u.place;
        writeBehavior(c, u, t, {
          ip: where.ip, place: where.place, priority: travelling ? 2 : rng.int(0, 1), action: 'Sign-in',
          insights: { FirstTimeUserConnectedFromCountry: false, CountryUncommonlyConnectedFromAmongPeers: false, UnusualNumberOfFailedSignInAttempts: false },
        });
      }
    }
  }
  const audits = Math.max(1, Math.round(c.cloud.length / 15)) + rng.int(0, 2);
  const admin = c.byUpn.get('allan.deyoung@contoso.com')!;
  for (let i = 0; i < audits; i++) {
    const t = workTime(c, dayMs, admin);
    if (t === undefined) continue;
    const target = rng.pick(c.cloud);
    const op = rng.weighted([
      [['Add member to group', 'GroupManagement'], 3], [['Update user', 'UserManagement'], 4],
      [['Reset user password', 'UserManagement'], 1], [['Add app role assignment grant to user', 'ApplicationManagement'], 1],
    ] as const);
    writeAudit(c, t, op[0], op[1], admin, admin.place.officeIp, target, []);
  }
}

const CLOUD_ACTIONS: [[string, string, string, string], number][] = [
  [['MailItemsAccessed', 'Microsoft Exchange Online', 'Access', 'Exchange'], 5],
  [['FileAccessed', 'Microsoft SharePoint Online', 'Access', 'SharePoint'], 4],
  [['FileModified', 'Microsoft SharePoint Online', 'Edit', 'SharePoint'], 2],
  [['FileDownloaded', 'Microsoft OneDrive for Business', 'Download', 'OneDrive'], 2],
  [['MessageSent', 'Microsoft Teams', 'Send', 'MicrosoftTeams'], 3],
];

function cloudAppBackground(c: Ctx, u: DemoUser, t: number): void {
  const [action, app, activity, workload] = c.rng.weighted(CLOUD_ACTIONS);
  const where = whereabouts(c, u, t, c.rng.chance(0.6));
  const object = workload === 'Exchange' ? `${u.upn}/Inbox` : workload === 'MicrosoftTeams' ? '19:meeting_general@thread.v2'
    : `https://contoso.sharepoint.com/sites/${u.department.replace(/[^A-Za-z]/g, '')}/Shared Documents/${c.rng.pick(['Plan', 'Budget', 'Notes', 'Report'])}-${c.rng.int(1, 40)}.docx`;
  writeCloudApp(c, u, t, { action, app, activity, workload, ip: where.ip, country: where.place.country, object, parameters: undefined });
}

interface CloudAppSpec {
  action: string;
  app: string;
  activity: string;
  workload: string;
  ip: string;
  country: string;
  object: string;
  parameters?: { Name: string; Value: string }[];
  ua?: string;
}

function writeCloudApp(c: Ctx, u: DemoUser, t: number, s: CloudAppSpec): void {
  const raw: Record<string, unknown> = {
    CreationTime: iso(t).replace(/\.\d{3}Z$/, ''),
    Id: c.rng.guid(),
    Operation: s.action,
    OrganizationId: DEMO_TENANT_ID,
    RecordType: s.workload === 'Exchange' ? 1 : s.workload === 'MicrosoftTeams' ? 25 : 6,
    ResultStatus: 'Succeeded',
    UserKey: u.objectId,
    UserType: 0,
    Workload: s.workload,
    ClientIP: s.ip,
    ObjectId: s.object,
    UserId: u.upn,
  };
  if (s.parameters) raw.Parameters = s.parameters;
  c.w.CloudAppEvents.write({
    TimeGenerated: iso(t),
    ActionType: s.action,
    Application: s.app,
    AccountObjectId: u.objectId,
    AccountId: u.objectId,
    AccountDisplayName: u.displayName,
    IPAddress: s.ip,
    CountryCode: s.country,
    ActivityType: s.activity,
    RawEventData: raw,
    ActivityObjects: [
      { Type: 'User', Role: 'Actor', Name: u.displayName, Id: u.upn },
      { Type: s.workload === 'Exchange' ? 'Mailbox' : 'File', Role: 'Target object', Name: s.object, Id: s.object },
    ],
    ObjectName: s.object,
    ObjectType: s.workload === 'Exchange' ? 'Mailbox' : 'File',
    UserAgent: s.ua ?? USER_AGENTS[0],
  });
}

function writeNetwork(c: Ctx, u: DemoUser, t: number, s: { url: string; ip: string; process: string; action?: string }): void {
  c.w.DeviceNetworkEvents.write({
    TimeGenerated: iso(t),
    DeviceName: u.device,
    ActionType: s.action ?? 'ConnectionSuccess',
    RemoteIP: s.ip,
    RemotePort: 443,
    RemoteUrl: s.url,
    InitiatingProcessFileName: s.process,
    InitiatingProcessAccountUpn: u.upn,
    DeviceId: u.deviceId,
    LocalIP: `10.${10 + (u.deviceId.charCodeAt(0) % 20)}.${u.deviceId.charCodeAt(1) % 250}.${1 + (u.deviceId.charCodeAt(2) % 250)}`,
    Protocol: 'Tcp',
  });
}

interface EmailSpec {
  sender: string;
  subject: string;
  urls: string[];
  direction?: 'Inbound' | 'Intra-org';
  senderIp?: string;
  action?: string;
  location?: string;
  threats?: string;
  detection?: string;
}

/** Writes the email (and its URLs); returns the NetworkMessageId. */
function writeEmail(c: Ctx, to: DemoUser, t: number, s: EmailSpec): string {
  const id = c.rng.guid();
  c.w.EmailEvents.write({
    TimeGenerated: iso(t),
    NetworkMessageId: id,
    SenderFromAddress: s.sender,
    SenderFromDomain: s.sender.split('@')[1],
    RecipientEmailAddress: to.upn,
    Subject: s.subject,
    DeliveryAction: s.action ?? 'Delivered',
    DeliveryLocation: s.location ?? 'Inbox/folder',
    ThreatTypes: s.threats ?? '',
    UrlCount: s.urls.length,
    EmailDirection: s.direction ?? 'Inbound',
    SenderIPv4: s.senderIp ?? (s.direction === 'Intra-org' ? '' : `198.51.100.${200 + (id.charCodeAt(0) % 40)}`),
    RecipientObjectId: to.objectId,
    DetectionMethods: s.detection ?? '',
    AttachmentCount: 0,
    InternetMessageId: `<${id.slice(0, 18)}@${s.sender.split('@')[1]}>`,
  });
  for (const url of s.urls) {
    c.w.EmailUrlInfo.write({ TimeGenerated: iso(t), NetworkMessageId: id, Url: url, UrlDomain: new URL(url).hostname, UrlLocation: 'Body' });
  }
  return id;
}

function writeClick(c: Ctx, u: DemoUser, t: number, url: string, messageId: string, s: { action?: string; through?: boolean; threats?: string; detection?: string; workload?: string; ip?: string } = {}): void {
  const action = s.action ?? 'ClickAllowed';
  c.w.UrlClickEvents.write({
    TimeGenerated: iso(t),
    Url: url,
    ActionType: action,
    AccountUpn: u.upn,
    Workload: s.workload ?? 'Email',
    NetworkMessageId: messageId,
    ThreatTypes: s.threats ?? '',
    DetectionMethods: s.detection ?? '',
    IsClickedThrough: s.through ?? action === 'ClickAllowed',
    UrlChain: [url],
    IPAddress: s.ip ?? u.place.officeIp,
  });
}

function inboundBackgroundEmail(c: Ctx, u: DemoUser, t: number): void {
  const { rng } = c;
  const urls = rng.shuffle(BENIGN_URLS).slice(0, rng.int(0, 2)).map(([url]) => url);
  const spam = rng.chance(0.05);
  const id = writeEmail(c, u, t, {
    sender: rng.pick(EXTERNAL_SENDERS), subject: rng.pick(SUBJECTS), urls,
    action: spam ? 'Junked' : 'Delivered', location: spam ? 'Junk folder' : 'Inbox/folder', threats: spam ? 'Spam' : '',
  });
  if (spam) return;
  for (const url of urls) {
    if (rng.chance(0.25)) {
      const at = t + rng.int(2, 240) * MIN;
      if (at < c.nowMs) writeClick(c, u, at, url, id);
    }
  }
}

function writeBehavior(c: Ctx, u: DemoUser, t: number, s: { ip: string; place: Place; priority: number; action: string; activity?: string; insights: Record<string, unknown> }): void {
  c.w.BehaviorAnalytics.write({
    TimeGenerated: iso(t),
    UserPrincipalName: u.upn,
    UserName: u.alias,
    ActivityType: s.activity ?? 'LogOn',
    ActionType: s.action,
    SourceIPAddress: s.ip,
    SourceIPLocation: s.place.countryName,
    InvestigationPriority: s.priority,
    ActivityInsights: s.insights,
    UsersInsights: {
      AccountDisplayName: u.displayName, AccountObjectID: u.objectId, IsDormantAccount: false, IsNewAccount: false,
      BlastRadius: u.roles.length ? 'High' : 'Low',
    },
    EventSource: s.activity === 'ExchangeAdmin' ? 'Office 365' : 'Azure AD',
  });
}

function writeAudit(c: Ctx, t: number, operation: string, category: string, by: DemoUser, ip: string, target: DemoUser, details: { key: string; value: string }[]): void {
  c.w.AuditLogs.write({
    TimeGenerated: iso(t),
    OperationName: operation,
    Category: category,
    Result: 'success',
    InitiatedBy: { user: { id: by.objectId, displayName: null, userPrincipalName: by.upn, ipAddress: ip } },
    TargetResources: [{ id: target.objectId, displayName: target.displayName, type: 'User', userPrincipalName: target.upn, modifiedProperties: [] }],
    AdditionalDetails: details,
    Id: `Directory_${c.rng.hex(5).toUpperCase()}_${c.rng.int(10000000, 99999999)}`,
    Identity: by.displayName,
    LoggedByService: category === 'UserManagement' && operation.includes('security info') ? 'Authentication Methods' : 'Core Directory',
    CorrelationId: c.rng.guid(),
  });
}

// ---------------------------------------------------------------------------------------------- stories

/** Who else the spray hits: the same users in every lake of a given size. */
function sprayVictims(c: Ctx): DemoUser[] {
  const pool = c.cloud.filter((u) => !STORY_USERS.has(u.upn));
  return new Rng('spray-victims').shuffle(pool).slice(0, Math.min(DEMO_SPRAY.otherTargets, pool.length));
}

function sprayPlace(ip: string): Place {
  const i = DEMO_SPRAY.ips.find((x) => x.ip === ip)!;
  return Object.values(FOREIGN_PLACES).find((p) => p.city === i.city)!;
}

function storyCompromise(c: Ctx): void {
  const megan = c.byUpn.get(DEMO_USERS.compromised)!;
  const start = c.nowMs - DEMO_SPRAY.startHoursBeforeNow * HOUR;
  const ips = DEMO_SPRAY.ips.map((x) => x.ip);
  const fail = (u: DemoUser, t: number, ip: string) => writeSignin(c, u, t, {
    ip, place: sprayPlace(ip), app: OFFICE_HOME, interactive: true, result: '50126', ua: ATTACKER_UA, managedDevice: false, mfa: false,
    conditionalAccess: 'notApplied',
  });
  for (let i = 0; i < DEMO_SPRAY.targetFailures; i++) fail(megan, start + i * 75_000, ips[i % ips.length]);
  const r = new Rng('spray-timing');
  sprayVictims(c).forEach((u, k) => {
    const attempts = k % 3 === 0 ? 2 : 1;
    for (let a = 0; a < attempts; a++) fail(u, start + r.int(0, 29 * 60) * 1000, ips[(k + a) % ips.length]);
  });

  const moscow = FOREIGN_PLACES.moscow;
  const ip = DEMO_SPRAY.successIp;
  const m = DEMO_SPRAY.minutes;
  const attacker = { ip, place: moscow, interactive: true, ua: ATTACKER_UA, managedDevice: false, mfa: false, conditionalAccess: 'notApplied',
    risk: 'high', riskState: 'atRisk', riskEvents: ['unfamiliarFeatures', 'passwordSpray'] };
  writeSignin(c, megan, start + m.firstSuccess * MIN, { ...attacker, app: OFFICE_HOME });
  writeSignin(c, megan, start + m.secondSuccess * MIN, { ...attacker, app: EXCHANGE });
  for (let i = 0; i < 6; i++) {
    writeSignin(c, megan, start + (m.secondSuccess + 3 + i * 35) * MIN, { ip, place: moscow, app: EXCHANGE, interactive: false, ua: ATTACKER_UA, managedDevice: false });
  }
  for (let i = 0; i < 3; i++) {
    writeCloudApp(c, megan, start + (m.secondSuccess + 4 + i * 3) * MIN, {
      action: 'MailItemsAccessed', app: 'Microsoft Exchange Online', activity: 'Access', workload: 'Exchange', ip, country: 'RU',
      object: `${megan.upn}/Inbox`, ua: ATTACKER_UA,
    });
  }
  writeCloudApp(c, megan, start + m.inboxRule * MIN, {
    action: 'New-InboxRule', app: 'Microsoft Exchange Online', activity: 'Create', workload: 'Exchange', ip, country: 'RU',
    object: `${megan.upn}\\${DEMO_SPRAY.inboxRuleName}`, ua: ATTACKER_UA,
    parameters: [
      { Name: 'AlwaysDeleteOutlookRulesBlob', Value: 'False' },
      { Name: 'Force', Value: 'False' },
      { Name: 'Name', Value: DEMO_SPRAY.inboxRuleName },
      { Name: 'ForwardTo', Value: DEMO_SPRAY.forwardTo },
      { Name: 'SubjectOrBodyContainsWords', Value: 'invoice;payment;wire transfer;password' },
      { Name: 'MarkAsRead', Value: 'True' },
      { Name: 'DeleteMessage', Value: 'True' },
      { Name: 'StopProcessingRules', Value: 'True' },
    ],
  });
  writeAudit(c, start + m.mfaRegistration * MIN, 'User registered security info', 'UserManagement', megan, ip, megan, [
    { key: 'Method', value: 'Authenticator App' }, { key: 'Device', value: 'Android' },
  ]);
  writeBehavior(c, megan, start + m.firstSuccess * MIN, {
    ip, place: moscow, priority: 9, action: 'Sign-in',
    insights: {
      FirstTimeUserConnectedFromCountry: true, CountryUncommonlyConnectedFromAmongPeers: true,
      CountryUncommonlyConnectedFromInTenant: true, FirstTimeUserConnectedViaISP: true, UnusualNumberOfFailedSignInAttempts: true,
    },
  });
  writeBehavior(c, megan, start + m.inboxRule * MIN, {
    ip, place: moscow, priority: 7, action: 'New-InboxRule', activity: 'ExchangeAdmin',
    insights: { FirstTimeUserPerformedAction: true, ActionUncommonlyPerformedAmongPeers: true, FirstTimeUserConnectedFromCountry: true },
  });
}

function storyTravel(c: Ctx): void {
  const alex = c.byUpn.get(DEMO_USERS.benignRisky)!;
  const t = c.nowMs - DEMO_TRAVEL.riskySignInHoursBeforeNow * HOUR;
  const toronto = FOREIGN_PLACES.toronto;
  writeSignin(c, alex, t, {
    ip: DEMO_TRAVEL.ip, place: toronto, app: OFFICE_HOME, interactive: true, ua: USER_AGENTS[2], mfa: true,
    risk: 'medium', riskState: 'remediated', riskDetail: 'userPassedMFADrivenByRiskBasedPolicy', riskEvents: ['unfamiliarFeatures'],
  });
  writeSignin(c, alex, t + 6 * MIN, { ip: DEMO_TRAVEL.ip, place: toronto, app: APPS[1][0], interactive: true, ua: USER_AGENTS[2] });
  writeBehavior(c, alex, t, {
    ip: DEMO_TRAVEL.ip, place: toronto, priority: 3, action: 'Sign-in',
    insights: { FirstTimeUserConnectedFromCountry: true, CountryUncommonlyConnectedFromAmongPeers: false, UnusualNumberOfFailedSignInAttempts: false },
  });
}

function storyClean(c: Ctx): void {
  const lynne = c.byUpn.get(DEMO_USERS.clean)!;
  let t = c.nowMs - 5 * DAY;
  t = t - (t % DAY) + (10 - lynne.place.tz) * HOUR + 12 * MIN;
  const spec = { ip: lynne.place.officeIp, place: lynne.place, app: APPS[1][0], interactive: true, ua: USER_AGENTS[0] };
  writeSignin(c, lynne, t, { ...spec, result: '50126', mfa: false });
  writeSignin(c, lynne, t + 70_000, spec);
}

function storyPhishing(c: Ctx): void {
  const t0 = c.nowMs - DEMO_PHISHING.deliveredHoursBeforeNow * HOUR;
  const url = DEMO_URLS.phishing;
  const ids = new Map<string, string>();
  DEMO_PHISHING.recipients.forEach((upn, i) => {
    const u = c.byUpn.get(upn)!;
    const junk = (DEMO_PHISHING.junked as readonly string[]).includes(upn);
    ids.set(upn, writeEmail(c, u, t0 + i * 4000, {
      sender: DEMO_URLS.phishingSender, subject: 'Action required: your password expires today', urls: [url], senderIp: '192.0.2.150',
      action: junk ? 'Junked' : 'Delivered', location: junk ? 'Junk folder' : 'Inbox/folder', threats: junk ? 'Phish' : '',
      detection: junk ? '{"Phish":["URL detonation reputation"]}' : '',
    }));
  });
  const through = [22, 35, 70];
  DEMO_PHISHING.clickedThrough.forEach((upn, i) => {
    const u = c.byUpn.get(upn)!;
    const at = t0 + through[i] * MIN;
    writeClick(c, u, at, url, ids.get(upn)!);
    if ((DEMO_PHISHING.devices as readonly string[]).includes(u.device)) {
      writeNetwork(c, u, at + 4000, { url, ip: DEMO_URLS.phishingSiteIp, process: 'msedge.exe' });
      writeNetwork(c, u, at + 9000, { url, ip: DEMO_URLS.phishingSiteIp, process: 'msedge.exe' });
    }
  });
  const blocked = [125, 160];
  DEMO_PHISHING.blocked.forEach((upn, i) => {
    writeClick(c, c.byUpn.get(upn)!, t0 + blocked[i] * MIN, url, ids.get(upn)!, {
      action: 'ClickBlocked', through: false, threats: 'Phish', detection: 'URL detonation reputation',
    });
  });
}

function storyLookalike(c: Ctx): void {
  const t0 = c.nowMs - DEMO_LOOKALIKE.deliveredHoursBeforeNow * HOUR;
  const ids = new Map<string, string>();
  DEMO_LOOKALIKE.recipients.forEach((upn, i) => {
    ids.set(upn, writeEmail(c, c.byUpn.get(upn)!, t0 + i * 3000, {
      sender: DEMO_URLS.lookalikeSender, subject: 'Payroll: confirm your direct deposit details', urls: [DEMO_URLS.lookalike], senderIp: '192.0.2.160',
    }));
  });
  const delays = [40, 75];
  DEMO_LOOKALIKE.clicked.forEach((upn, i) => writeClick(c, c.byUpn.get(upn)!, t0 + delays[i] * MIN, DEMO_URLS.lookalike, ids.get(upn)!));
  const t1 = c.nowMs - 30 * HOUR;
  DEMO_LOOKALIKE.punycodeRecipients.forEach((upn, i) => {
    writeEmail(c, c.byUpn.get(upn)!, t1 + i * 5000, {
      sender: DEMO_URLS.punycodeSender, subject: 'IT Helpdesk: password reset required', urls: [DEMO_URLS.punycode], senderIp: '192.0.2.161',
    });
  });
}

function storyBenefits(c: Ctx): void {
  const r = new Rng(`benefits:${c.rng.u32()}`);
  const t0 = c.nowMs - (6 * 24 + 12) * HOUR;
  const ids = new Map<string, string>();
  c.cloud.forEach((u, i) => {
    ids.set(u.upn, writeEmail(c, u, t0 + i * 500, {
      sender: 'hr@contoso.com', subject: 'Open enrollment: review your benefits', urls: [DEMO_URLS.benign], direction: 'Intra-org',
    }));
  });
  const clickers = new Set(r.shuffle(c.cloud.map((u) => u.upn)).slice(0, Math.ceil(c.cloud.length * 0.8)));
  for (const upn of STORY_USERS) clickers.add(upn);
  for (const u of c.cloud) {
    if (!clickers.has(u.upn)) continue;
    const at = t0 + r.int(10, 6 * 24 * 60) * MIN;
    const where = whereabouts(c, u, at, true);
    writeClick(c, u, Math.min(at, c.nowMs - MIN), DEMO_URLS.benign, ids.get(u.upn)!, { ip: where.ip });
    if (r.chance(0.3)) {
      const again = at + r.int(60, 2 * 24 * 60) * MIN;
      if (again < c.nowMs) writeClick(c, u, again, DEMO_URLS.benign, '', { workload: 'Teams', ip: whereabouts(c, u, again, true).ip });
    }
  }
}

function storyMailboxBackground(c: Ctx): void {
  // Ordinary inbox rules (move newsletters) so a rule alone is not a signal; none forwards outside.
  [['miriam.graham@contoso.com', 5], ['lee.gu@contoso.com', 6]].forEach(([upn, days]) => {
    const u = c.byUpn.get(upn as string)!;
    const t = c.nowMs - (days as number) * DAY - 3 * HOUR;
    writeCloudApp(c, u, t, {
      action: 'New-InboxRule', app: 'Microsoft Exchange Online', activity: 'Create', workload: 'Exchange', ip: u.place.officeIp,
      country: u.place.country, object: `${u.upn}\\Newsletters`,
      parameters: [{ Name: 'Name', Value: 'Newsletters' }, { Name: 'From', Value: 'newsletter@adatum.com' }, { Name: 'MoveToFolder', Value: 'Newsletters' }],
    });
  });
  // The mass download behind a closed incident.
  const joni = c.byUpn.get('joni.sherman@contoso.com')!;
  const t = c.nowMs - 5 * DAY - 4 * HOUR;
  for (let i = 0; i < 60; i++) {
    writeCloudApp(c, joni, t + i * 20_000, {
      action: 'FileDownloaded', app: 'Microsoft SharePoint Online', activity: 'Download', workload: 'SharePoint', ip: joni.place.officeIp,
      country: 'US', object: `https://contoso.sharepoint.com/sites/Legal/Shared Documents/Contracts/Contract-${1000 + i}.pdf`,
    });
  }
}

const MALWARE_SHA256 = '5f2b7a9c3e8d1f4a6b0c9e2d7f3a8b1c4e6d9f2a5b8c1e4d7f0a3b6c9e2d5f81';

function threatIntel(c: Ctx): void {
  const w = c.w.ThreatIntelIndicators;
  const write = (key: string, value: string, confidence: number, active: boolean, tags: string[], validFrom: number, source = 'Microsoft Defender Threat Intelligence') => {
    const id = `indicator--${c.rng.guid()}`;
    const pattern = `[${key} = '${value}']`;
    w.write({
      TimeGenerated: iso(validFrom + HOUR),
      Id: id,
      ObservableKey: key,
      ObservableValue: value,
      Confidence: confidence,
      IsActive: active,
      ValidFrom: iso(validFrom),
      ValidUntil: iso(active ? c.nowMs + 80 * DAY : validFrom + 14 * DAY),
      Tags: tags,
      Pattern: pattern,
      Data: {
        type: 'indicator', spec_version: '2.1', id, name: value, pattern, pattern_type: 'stix', valid_from: iso(validFrom),
        indicator_types: ['malicious-activity'], confidence, labels: tags,
      },
      SourceSystem: source,
    });
  };
  const from = c.nowMs - 10 * DAY;
  write('url:value', DEMO_URLS.phishing, 90, true, ['Phishing', 'Credential harvesting'], from);
  write('domain-name:value', DEMO_URLS.phishingDomain, 90, true, ['Phishing'], from);
  write('ipv4-addr:value', DEMO_SPRAY.ips[2].ip, 70, true, ['Password spray', 'Brute force'], c.nowMs - 20 * DAY);
  write("file:hashes.'SHA-256'", MALWARE_SHA256, 85, true, ['Trojan', 'Wacatac'], c.nowMs - 30 * DAY);
  const words = ['update', 'secure', 'cdn', 'invoice', 'verify', 'account', 'docs', 'share', 'login', 'cloud'];
  const tlds = ['top', 'xyz', 'info', 'click', 'online'];
  const count = 30 + Math.round(c.cloud.length / 10);
  for (let i = 0; i < count; i++) {
    const active = c.rng.chance(0.75);
    const validFrom = c.nowMs - c.rng.int(2, 60) * DAY;
    const kind = c.rng.int(0, 2);
    const domain = `${c.rng.pick(words)}-${c.rng.pick(words)}${c.rng.int(1, 99)}.${c.rng.pick(tlds)}`;
    if (kind === 0) write('domain-name:value', domain, c.rng.int(40, 95), active, ['Malware'], validFrom, 'Microsoft Sentinel');
    else if (kind === 1) write('url:value', `https://${domain}/${c.rng.pick(words)}`, c.rng.int(40, 95), active, ['Phishing'], validFrom, 'Microsoft Sentinel');
    else write('ipv4-addr:value', `192.0.2.${c.rng.int(170, 250)}`, c.rng.int(30, 90), active, ['C2'], validFrom);
  }
}

function watchlists(c: Ctx): void {
  const t = c.nowMs - 2 * DAY;
  const approved: [string, string, string][] = [
    [DEMO_URLS.benignDomain, 'IT Collaboration', 'Corporate SharePoint (intranet, HR benefits)'],
    ['contoso-my.sharepoint.com', 'IT Collaboration', 'OneDrive for Business'],
    ['contoso.com', 'IT', 'Corporate website'],
    ['outlook.office365.com', 'IT', 'Exchange Online'],
    ['teams.microsoft.com', 'IT', 'Microsoft Teams'],
    ['login.microsoftonline.com', 'IT', 'Microsoft Entra sign-in'],
  ];
  for (const [domain, owner, notes] of approved) {
    c.w.Watchlist.write({ TimeGenerated: iso(t), WatchlistAlias: 'ApprovedDomains', SearchKey: domain, WatchlistItem: { Domain: domain, Owner: owner, Notes: notes } });
  }
  for (const u of c.cloud.filter((x) => x.tags.includes('VIP'))) {
    c.w.Watchlist.write({ TimeGenerated: iso(t), WatchlistAlias: 'VIPUsers', SearchKey: u.upn, WatchlistItem: { 'User Principal Name': u.upn, 'Display Name': u.displayName, Title: u.jobTitle } });
  }
}

function identities(c: Ctx): void {
  const t = c.nowMs - 3 * HOUR;
  for (const u of c.users) {
    const compromised = u.upn === DEMO_USERS.compromised;
    c.w.IdentityInfo.write({
      TimeGenerated: iso(t),
      AccountUPN: u.upn,
      AccountObjectId: u.objectId,
      AccountDisplayName: u.displayName,
      AccountName: u.alias,
      Department: u.department,
      JobTitle: u.jobTitle,
      AssignedRoles: u.roles,
      IsAccountEnabled: true,
      Country: u.place.country,
      City: u.place.city,
      Tags: u.onPremOnly ? ['OnPremisesOnly'] : u.tags,
      AccountDomain: u.onPremOnly ? 'CONTOSO' : DEMO_DOMAIN,
      OnPremSid: u.sid,
      RiskLevel: compromised ? 'High' : u.upn === DEMO_USERS.benignRisky ? 'None' : 'None',
      RiskState: compromised ? 'AtRisk' : u.upn === DEMO_USERS.benignRisky ? 'Remediated' : 'None',
    });
  }
}

function connectors(c: Ctx): void {
  const before: [string, string, string][] = [
    ['4f1c6a2e-8b3d-4e97-a5c0-1d9e7b3f2a64', 'AzureActiveDirectory', 'Microsoft Entra ID'],
    ['b7e2d9c4-1a5f-4c38-9e06-3f8a2d7c1b95', 'Office365', 'Microsoft 365 (Office 365)'],
    ['2c9a5e71-3d8b-4f16-b4a2-7e0c1f9d3a58', 'MicrosoftThreatProtection', 'Microsoft Defender XDR'],
    ['8d3f1b6a-5c2e-4a79-8f14-9b7e2c0d4a31', 'ThreatIntelligence', 'Threat Intelligence Platforms'],
    ['e5a7c3d9-6f1b-4e82-a0d4-2c8b9f3e7a16', 'AzureActivity', 'Azure Activity'],
  ];
  const appeared: [string, string, string][] = [
    ['1a8e4c7f-9d2b-4f53-b6e1-5c3a7d0f8e24', 'MicrosoftDefenderAdvancedThreatProtection', 'Microsoft Defender for Endpoint'],
    ['6c2f9a1d-4e7b-4c85-9a3f-8d1e5b2c7f09', 'AzureSecurityCenter', 'Microsoft Defender for Cloud'],
    ['9f4b2e8c-7a1d-4d36-8c5e-0b3f6a9d2e71', 'MicrosoftCloudAppSecurity', 'Microsoft Defender for Cloud Apps'],
  ];
  const tBefore = c.nowMs - 9 * DAY;
  for (const [id, kind, name] of before) {
    c.w.DataConnectorsBeforeCutover.write({ TimeGenerated: iso(tBefore), ConnectorId: id, Kind: kind, Name: name, State: 'Enabled' });
  }
  const tNow = c.nowMs - HOUR;
  for (const [id, kind, name] of [...before, ...appeared]) {
    c.w.DataConnectors.write({ TimeGenerated: iso(tNow), ConnectorId: id, Kind: kind, Name: name, State: 'Enabled' });
  }
}

// ---------------------------------------------------------------------------------------------- alerts and incidents

type EntitySpec =
  | { kind: 'account'; upn: string }
  | { kind: 'mailbox'; upn: string }
  | { kind: 'ip'; ip: string; country?: string }
  | { kind: 'url'; url: string }
  | { kind: 'host'; fqdn: string }
  | { kind: 'file'; name: string; directory: string; sha256: string };

interface AlertSpec {
  name: string;
  severity: 'High' | 'Medium' | 'Low' | 'Informational';
  source: 'IPC' | 'OATP' | 'MDATP' | 'MCAS' | 'ASI Scheduled Alerts';
  tactics: string[];
  techniques: string[];
  description: string;
  start: number;
  end: number;
  entities: EntitySpec[];
  compromised?: string;
  malformed?: boolean;
}

interface IncidentSpec {
  title: string;
  description: string;
  severity: AlertSpec['severity'];
  status: 'New' | 'Active' | 'Closed';
  provider: 'Azure Sentinel' | 'Microsoft XDR';
  created: number;
  owner?: string;
  classification?: string;
  classificationReason?: string;
  ruleIds: string[];
  alerts: AlertSpec[];
}

const PRODUCTS: Record<AlertSpec['source'], [product: string, service: string, detection: string]> = {
  IPC: ['Azure Active Directory Identity Protection', 'Microsoft Entra ID Protection', 'Microsoft Entra ID Protection'],
  OATP: ['Office 365 Advanced Threat Protection', 'Microsoft Defender for Office 365', 'Microsoft Defender for Office 365'],
  MDATP: ['Microsoft Defender Advanced Threat Protection', 'Microsoft Defender for Endpoint', 'Antivirus'],
  MCAS: ['Microsoft Cloud App Security', 'Microsoft Defender for Cloud Apps', 'Microsoft Defender for Cloud Apps'],
  'ASI Scheduled Alerts': ['Azure Sentinel', 'Microsoft Sentinel', 'Scheduled Alerts'],
};

const TECHNIQUE_NAMES: Record<string, string> = {
  T1110: 'Brute Force (T1110)', 'T1110.003': 'Password Spraying (T1110.003)', T1078: 'Valid Accounts (T1078)',
  T1114: 'Email Collection (T1114)', 'T1114.003': 'Email Forwarding Rule (T1114.003)', T1566: 'Phishing (T1566)',
  'T1566.002': 'Spearphishing Link (T1566.002)', T1204: 'User Execution (T1204)', T1530: 'Data from Cloud Storage (T1530)',
  T1105: 'Ingress Tool Transfer (T1105)',
};

function entitiesJson(c: Ctx, specs: EntitySpec[]): string {
  let next = 2;
  const out: Record<string, unknown>[] = [];
  for (const e of specs) {
    switch (e.kind) {
      case 'account': {
        const u = c.byUpn.get(e.upn)!;
        out.push({ $id: String(next++), Name: u.alias, UPNSuffix: DEMO_DOMAIN, AadUserId: u.objectId, DisplayName: u.displayName, IsDomainJoined: false, Type: 'account' });
        break;
      }
      case 'mailbox': {
        const u = c.byUpn.get(e.upn)!;
        out.push({ $id: String(next++), MailboxPrimaryAddress: u.upn, DisplayName: u.displayName, Upn: u.upn, AadId: u.objectId, Type: 'mailbox' });
        break;
      }
      case 'ip':
        out.push({ $id: String(next++), Address: e.ip, ...(e.country ? { Location: { CountryCode: e.country } } : {}), Type: 'ip' });
        break;
      case 'url':
        out.push({ $id: String(next++), Url: e.url, Type: 'url' });
        break;
      case 'host': {
        const [host, ...domain] = e.fqdn.split('.');
        out.push({ $id: String(next++), HostName: host, DnsDomain: domain.join('.'), OSFamily: 'Windows', Type: 'host' });
        break;
      }
      case 'file': {
        const hashId = String(next++);
        out.push({ $id: hashId, Algorithm: 'SHA256', Value: e.sha256, Type: 'filehash' });
        out.push({ $id: String(next++), Directory: e.directory, Name: e.name, FileHashes: [{ $ref: hashId }], Type: 'file' });
        break;
      }
    }
  }
  return JSON.stringify(out);
}

function writeAlert(c: Ctx, a: AlertSpec, status: string): string {
  const id = c.rng.guid();
  const [product, service, detection] = PRODUCTS[a.source];
  const entities = a.malformed
    ? '[{"$id":"2","Name":"joni.sherman","UPNSuffix":"contoso.com","Type":"account"},{"$id":"3","Address":"203.0.113.10","Typ'
    : entitiesJson(c, a.entities);
  c.w.SecurityAlert.write({
    TimeGenerated: iso(a.end + 2 * MIN),
    SystemAlertId: id,
    AlertName: a.name,
    AlertSeverity: a.severity,
    Description: a.description,
    ProviderName: a.source,
    ProductName: product,
    Status: status === 'Closed' ? 'Resolved' : 'New',
    Tactics: a.tactics.join(', '),
    Techniques: JSON.stringify(a.techniques),
    Entities: entities,
    StartTime: iso(a.start),
    EndTime: iso(a.end),
    CompromisedEntity: a.compromised ?? '',
    AlertLink: a.source === 'ASI Scheduled Alerts' ? '' : `https://security.microsoft.com/alerts/${id}`,
    DisplayName: a.name,
    VendorName: 'Microsoft',
    VendorOriginalId: a.source === 'ASI Scheduled Alerts' ? id : `da${c.rng.hex(30)}`,
    ExtendedProperties: JSON.stringify(a.source === 'ASI Scheduled Alerts'
      ? { 'Query Period': '01:00:00', 'Trigger Operator': 'GreaterThan', 'Trigger Threshold': '0', 'Search Query Results Overall Count': String(a.entities.length) }
      : { 'Detection source': detection }),
  });
  const base = {
    TimeGenerated: iso(a.end + MIN), AlertId: id, Title: a.name, Severity: a.severity, Categories: a.tactics.slice(0, 1),
    AttackTechniques: JSON.stringify(a.techniques.map((t) => TECHNIQUE_NAMES[t] ?? t)), ServiceSource: service, DetectionSource: detection,
  };
  for (const e of a.entities) {
    switch (e.kind) {
      case 'account': {
        const u = c.byUpn.get(e.upn)!;
        c.w.AlertEvidence.write({ ...base, EntityType: 'User', EvidenceRole: 'Impacted', AccountUpn: u.upn, AccountObjectId: u.objectId, AccountName: u.alias, AdditionalFields: { DisplayName: u.displayName } });
        break;
      }
      case 'mailbox': {
        const u = c.byUpn.get(e.upn)!;
        c.w.AlertEvidence.write({ ...base, EntityType: 'Mailbox', EvidenceRole: 'Impacted', AccountUpn: u.upn, AccountObjectId: u.objectId, AccountName: u.alias, AdditionalFields: { MailboxPrimaryAddress: u.upn } });
        break;
      }
      case 'ip':
        c.w.AlertEvidence.write({ ...base, EntityType: 'Ip', EvidenceRole: 'Related', RemoteIP: e.ip, AdditionalFields: e.country ? { CountryCode: e.country } : {} });
        break;
      case 'url':
        c.w.AlertEvidence.write({ ...base, EntityType: 'Url', EvidenceRole: 'Related', RemoteUrl: e.url, AdditionalFields: {} });
        break;
      case 'host':
        c.w.AlertEvidence.write({ ...base, EntityType: 'Machine', EvidenceRole: 'Impacted', DeviceName: e.fqdn, AdditionalFields: {} });
        break;
      case 'file':
        c.w.AlertEvidence.write({ ...base, EntityType: 'File', EvidenceRole: 'Related', FileName: e.name, SHA256: e.sha256, AdditionalFields: { FolderPath: e.directory } });
        break;
    }
  }
  return id;
}

function incidents(c: Ctx): void {
  const now = c.nowMs;
  const spray = now - DEMO_SPRAY.startHoursBeforeNow * HOUR;
  const m = DEMO_SPRAY.minutes;
  const megan = DEMO_USERS.compromised;
  const victims = sprayVictims(c).map((u) => u.upn);
  const phish = now - DEMO_PHISHING.deliveredHoursBeforeNow * HOUR;
  const look = now - DEMO_LOOKALIKE.deliveredHoursBeforeNow * HOUR;
  const ruSuccess: EntitySpec = { kind: 'ip', ip: DEMO_SPRAY.successIp, country: 'RU' };
  const failedFrom = (ip: string, country: string, accounts: string[], status: IncidentSpec['status'], created: number): IncidentSpec => ({
    title: 'Multiple failed sign-in attempts', severity: 'Low', status, provider: 'Azure Sentinel', created,
    description: `Several accounts failed to sign in from ${ip} within 30 minutes.`, ruleIds: [DEMO_RULE_IDS.multipleFailedSignins],
    owner: status === 'New' ? undefined : 'johanna.lorenz@contoso.com',
    alerts: [{
      name: 'Multiple failed sign-in attempts', severity: 'Low', source: 'ASI Scheduled Alerts', tactics: ['CredentialAccess'], techniques: ['T1110'],
      description: `Failed sign-ins (50126) from ${ip} against ${accounts.length} account(s).`, start: spray, end: spray + 30 * MIN,
      entities: [{ kind: 'ip', ip, country }, ...accounts.map((upn): EntitySpec => ({ kind: 'account', upn }))],
    }],
  });
  const ipAccounts = (i: number) => [megan, ...victims.filter((_, k) => k % DEMO_SPRAY.ips.length === i || (k % 3 === 0 && (k + 1) % DEMO_SPRAY.ips.length === i))];
  const clickers = DEMO_PHISHING.clickedThrough as readonly string[];
  const urlClick = (source: AlertSpec['source']): AlertSpec => ({
    name: 'A potentially malicious URL click was detected', severity: 'High', source, tactics: ['InitialAccess'], techniques: ['T1566.002'],
    description: `Users clicked a link to ${DEMO_URLS.phishingDomain} delivered by email; the URL was later found to be malicious.`,
    start: phish + 22 * MIN, end: phish + 70 * MIN, compromised: megan,
    entities: [
      { kind: 'url', url: DEMO_URLS.phishing }, ...clickers.map((upn): EntitySpec => ({ kind: 'account', upn })),
      ...DEMO_PHISHING.devices.map((fqdn): EntitySpec => ({ kind: 'host', fqdn })), { kind: 'ip', ip: DEMO_URLS.phishingSiteIp },
    ],
  });
  const inboxRule = (source: AlertSpec['source']): AlertSpec => ({
    name: 'Suspicious inbox forwarding rule', severity: 'High', source, tactics: ['Collection', 'Exfiltration'], techniques: ['T1114.003'],
    description: `A new inbox rule forwards mail of ${megan} to an external address (${DEMO_SPRAY.forwardTo}).`,
    start: spray + m.inboxRule * MIN, end: spray + m.inboxRule * MIN, compromised: megan,
    entities: [{ kind: 'account', upn: megan }, { kind: 'mailbox', upn: megan }, ruSuccess],
  });
  const specs: IncidentSpec[] = [
    {
      title: "'Wacatac' malware was detected on one endpoint", severity: 'Medium', status: 'Closed', provider: 'Microsoft XDR', created: now - 6 * DAY - 2 * HOUR,
      description: 'Defender Antivirus detected and quarantined Trojan:Win32/Wacatac.B!ml.', owner: 'pradeep.gupta@contoso.com',
      classification: 'TruePositive', classificationReason: 'SuspiciousActivity', ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [{
        name: "'Wacatac' malware was detected", severity: 'Medium', source: 'MDATP', tactics: ['Execution'], techniques: ['T1204'],
        description: 'Trojan:Win32/Wacatac.B!ml was detected in a downloaded file and quarantined.', start: now - 6 * DAY - 2 * HOUR - 20 * MIN, end: now - 6 * DAY - 2 * HOUR - 15 * MIN,
        compromised: 'nestor-wilke-lt.contoso.com',
        entities: [
          { kind: 'host', fqdn: 'nestor-wilke-lt.contoso.com' }, { kind: 'account', upn: 'nestor.wilke@contoso.com' },
          { kind: 'file', name: 'invoice_2026_11.exe', directory: 'C:\\Users\\nestor.wilke\\Downloads', sha256: MALWARE_SHA256 },
        ],
      }],
    },
    {
      title: 'Mass download by a single user', severity: 'Low', status: 'Closed', provider: 'Microsoft XDR', created: now - 5 * DAY - 3 * HOUR,
      description: 'A user downloaded an unusually large number of files in a short time.', owner: 'johanna.lorenz@contoso.com',
      classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation, DEMO_RULE_IDS.massDownload],
      alerts: [
        {
          name: 'Mass download by a single user', severity: 'Low', source: 'MCAS', tactics: ['Collection'], techniques: ['T1530'],
          description: 'joni.sherman@contoso.com downloaded 60 files from SharePoint in 20 minutes.', start: now - 5 * DAY - 4 * HOUR, end: now - 5 * DAY - 3 * HOUR - 40 * MIN,
          entities: [{ kind: 'account', upn: 'joni.sherman@contoso.com' }, { kind: 'ip', ip: '203.0.113.10', country: 'US' }],
        },
        {
          name: 'Unusual volume of file downloads', severity: 'Low', source: 'ASI Scheduled Alerts', tactics: ['Collection'], techniques: ['T1530'],
          description: 'File downloads above the user baseline (this alert\'s Entities field is truncated).', start: now - 5 * DAY - 4 * HOUR, end: now - 5 * DAY - 3 * HOUR - 40 * MIN,
          entities: [{ kind: 'account', upn: 'joni.sherman@contoso.com' }], malformed: true,
        },
      ],
    },
    {
      title: 'Look-alike domain in inbound email', severity: 'Low', status: 'New', provider: 'Azure Sentinel', created: look + 2 * HOUR,
      description: `Mail from ${DEMO_URLS.lookalikeDomain}, a look-alike of contoso.com, reached ${DEMO_LOOKALIKE.recipients.length} users.`,
      ruleIds: [DEMO_RULE_IDS.lookalikeDomain],
      alerts: [{
        name: 'Look-alike domain in inbound email', severity: 'Low', source: 'ASI Scheduled Alerts', tactics: ['InitialAccess'], techniques: ['T1566.002'],
        description: `Sender ${DEMO_URLS.lookalikeSender} imitates contoso.com; ${DEMO_LOOKALIKE.clicked.length} recipients clicked.`, start: look, end: look + 75 * MIN,
        entities: [{ kind: 'url', url: DEMO_URLS.lookalike }, ...DEMO_LOOKALIKE.recipients.map((upn): EntitySpec => ({ kind: 'mailbox', upn }))],
      }],
    },
    {
      title: 'A potentially malicious URL click was detected', severity: 'High', status: 'New', provider: 'Microsoft XDR', created: phish + 75 * MIN,
      description: 'Users clicked a link that was later found to be malicious.', ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation], alerts: [urlClick('OATP')],
    },
    {
      title: 'A potentially malicious URL click was detected', severity: 'High', status: 'Active', provider: 'Azure Sentinel', created: phish + 85 * MIN,
      description: 'Clicks on a URL that threat intelligence lists as phishing.', owner: 'pradeep.gupta@contoso.com',
      ruleIds: [DEMO_RULE_IDS.maliciousUrlClick], alerts: [urlClick('ASI Scheduled Alerts')],
    },
    {
      title: 'Email messages containing malicious URL removed after delivery', severity: 'Informational', status: 'Active', provider: 'Microsoft XDR',
      created: phish + 4 * HOUR, description: 'Zero-hour auto purge removed delivered messages containing a phishing URL.', owner: 'pradeep.gupta@contoso.com',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [{
        name: 'Email messages containing malicious URL removed after delivery', severity: 'Informational', source: 'OATP', tactics: ['InitialAccess'],
        techniques: ['T1566.002'], description: 'Messages were removed from mailboxes after delivery.', start: phish, end: phish + 4 * HOUR,
        entities: [{ kind: 'url', url: DEMO_URLS.phishing }, ...DEMO_PHISHING.recipients.filter((r) => !(DEMO_PHISHING.junked as readonly string[]).includes(r)).map((upn): EntitySpec => ({ kind: 'mailbox', upn }))],
      }],
    },
    failedFrom(DEMO_SPRAY.ips[0].ip, DEMO_SPRAY.ips[0].country, ipAccounts(0), 'New', spray + 35 * MIN),
    failedFrom(DEMO_SPRAY.ips[1].ip, DEMO_SPRAY.ips[1].country, ipAccounts(1), 'New', spray + 36 * MIN),
    failedFrom(DEMO_SPRAY.ips[2].ip, DEMO_SPRAY.ips[2].country, ipAccounts(2), 'Active', spray + 38 * MIN),
    {
      title: 'Unfamiliar sign-in properties', severity: 'Medium', status: 'New', provider: 'Microsoft XDR', created: spray + (m.firstSuccess + 3) * MIN,
      description: 'A sign-in with properties not seen recently for the user.', ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [{
        name: 'Unfamiliar sign-in properties', severity: 'Medium', source: 'IPC', tactics: ['InitialAccess'], techniques: ['T1078'],
        description: `Successful sign-in of ${megan} from ${DEMO_SPRAY.successIp} (RU) with unfamiliar properties.`, start: spray + m.firstSuccess * MIN,
        end: spray + m.firstSuccess * MIN, compromised: megan, entities: [{ kind: 'account', upn: megan }, ruSuccess],
      }],
    },
    {
      title: 'Password spray attack against multiple accounts', severity: 'Medium', status: 'Active', provider: 'Microsoft XDR', created: spray + 50 * MIN,
      description: 'Many accounts were targeted with common passwords from a small set of IPs; one sign-in succeeded.', owner: 'johanna.lorenz@contoso.com',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [{
        name: 'Password Spray', severity: 'Medium', source: 'IPC', tactics: ['CredentialAccess'], techniques: ['T1110.003'],
        description: `A password spray from ${DEMO_SPRAY.ips.length} IPs hit ${1 + victims.length} accounts; ${megan} signed in successfully afterwards.`,
        start: spray, end: spray + m.firstSuccess * MIN, compromised: megan,
        entities: [{ kind: 'account', upn: megan }, ...DEMO_SPRAY.ips.map((x): EntitySpec => ({ kind: 'ip', ip: x.ip, country: x.country }))],
      }],
    },
    {
      title: 'Suspicious inbox forwarding rule', severity: 'High', status: 'New', provider: 'Azure Sentinel', created: spray + (m.inboxRule + 7) * MIN,
      description: 'An inbox rule forwarding mail to an external address was created from an unusual location.', ruleIds: [DEMO_RULE_IDS.inboxForwarding],
      alerts: [inboxRule('ASI Scheduled Alerts')],
    },
    {
      title: 'Suspicious inbox forwarding rule', severity: 'High', status: 'New', provider: 'Microsoft XDR', created: spray + (m.inboxRule + 12) * MIN,
      description: 'A suspicious inbox rule that forwards mail externally was created.', ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [inboxRule('MCAS')],
    },
  ];
  specs.sort((a, b) => a.created - b.created);
  specs.forEach((s, i) => {
    const number = 101 + i;
    const alertIds = s.alerts.map((a) => writeAlert(c, a, s.status));
    const owner = s.owner ? c.byUpn.get(s.owner)! : undefined;
    const modified = Math.min(s.created + (s.status === 'New' ? 1 : 20) * MIN + (s.status === 'Closed' ? 5 * HOUR : 0), now - MIN);
    const tactics = [...new Set(s.alerts.flatMap((a) => a.tactics))];
    c.w.SecurityIncident.write({
      TimeGenerated: iso(modified),
      IncidentNumber: number,
      IncidentName: c.rng.guid(),
      Title: s.title,
      Description: s.description,
      Severity: s.severity,
      Status: s.status,
      Classification: s.classification ?? '',
      Owner: owner
        ? { objectId: owner.objectId, email: owner.upn, assignedTo: owner.displayName, userPrincipalName: owner.upn }
        : { objectId: null, email: null, assignedTo: null, userPrincipalName: null },
      ProviderName: s.provider,
      CreatedTime: iso(s.created),
      LastModifiedTime: iso(modified),
      FirstActivityTime: iso(Math.min(...s.alerts.map((a) => a.start))),
      LastActivityTime: iso(Math.max(...s.alerts.map((a) => a.end))),
      AlertIds: alertIds,
      RelatedAnalyticRuleIds: s.ruleIds,
      IncidentUrl: `https://security.microsoft.com/incidents/${number}`,
      AdditionalData: {
        alertsCount: s.alerts.length, bookmarksCount: 0, commentsCount: 0,
        alertProductNames: [...new Set(s.alerts.map((a) => PRODUCTS[a.source][0]))], tactics,
        techniques: [...new Set(s.alerts.flatMap((a) => a.techniques))],
      },
      ClassificationReason: s.classificationReason ?? '',
      ClassificationComment: s.status === 'Closed' ? 'Reviewed by the SOC.' : '',
      ModifiedBy: owner ? owner.upn : s.provider === 'Azure Sentinel' ? 'Microsoft Sentinel' : 'Microsoft Defender XDR',
    });
  });
}

// ---------------------------------------------------------------------------------------------- entry point

function checkInt(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new UserError(`--${name} must be an integer from ${min} to ${max} (got ${v})`);
  return v;
}

/** Generates the demo tenant into `out`. Deterministic for (seed, users, days, now). */
export async function generateDemoLake(options: GenerateDemoLakeOptions): Promise<GenerateDemoLakeSummary> {
  const began = performance.now();
  const seed = checkInt('seed', options.seed ?? 42, 0, 0xffffffff);
  const userCount = checkInt('users', options.users ?? 50, DEMO_LIMITS.minUsers, DEMO_LIMITS.maxUsers);
  const days = checkInt('days', options.days ?? 14, DEMO_LIMITS.minDays, DEMO_LIMITS.maxDays);
  const nowText = options.now ?? DEMO_DEFAULT_NOW;
  const nowMs = Date.parse(nowText);
  if (!Number.isFinite(nowMs)) throw new UserError(`--now must be an ISO-8601 date-time (got ${nowText})`);
  const out = path.resolve(options.out);
  fs.mkdirSync(out, { recursive: true });
  const users = buildUsers(userCount);
  const writers = {} as Record<DemoTable, TableWriter>;
  try {
    for (const t of DEMO_TABLES) writers[t] = new TableWriter(out, t);
    const c: Ctx = {
      rng: new Rng(seed), nowMs, startMs: nowMs - days * DAY, users, cloud: users.filter((u) => !u.onPremOnly),
      byUpn: new Map(users.map((u) => [u.upn, u])), w: writers,
    };
    identities(c);
    connectors(c);
    watchlists(c);
    threatIntel(c);
    const firstDay = Math.floor(c.startMs / DAY) * DAY;
    for (let day = firstDay; day < nowMs; day += DAY) {
      throwIfAborted(options.signal);
      backgroundDay(c, day);
      // Let other work run between days (generation can be called from a long-lived process).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    storyClean(c);
    storyTravel(c);
    storyBenefits(c);
    storyLookalike(c);
    storyPhishing(c);
    storyCompromise(c);
    storyMailboxBackground(c);
    incidents(c);
    for (const t of DEMO_TABLES) writers[t].close();
  } catch (e) {
    for (const t of DEMO_TABLES) writers[t]?.abandon();
    throw e;
  }
  const lakeJson = {
    name: DEMO_LAKE_NAME,
    workspaceId: DEMO_WORKSPACE_ID,
    now: new Date(nowMs).toISOString().replace(/\.000Z$/, 'Z'),
    generator: { version: DEMO_GENERATOR_VERSION, seed, users: userCount, days },
  };
  fs.writeFileSync(path.join(out, 'lake.json'), JSON.stringify(lakeJson, null, 2) + '\n');
  const tables = DEMO_TABLES.map((t) => ({ name: t, rows: writers[t].rows, file: writers[t].file }));
  const summary: GenerateDemoLakeSummary = {
    dir: out, seed, users: userCount, days, now: lakeJson.now, tables,
    totalRows: tables.reduce((n, t) => n + t.rows, 0), elapsedMs: Math.round(performance.now() - began),
  };
  options.logger?.info(`demo lake: ${summary.totalRows} rows in ${tables.length} tables written to ${out} in ${summary.elapsedMs} ms`);
  return summary;
}
