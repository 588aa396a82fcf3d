// The demo tenant's apps, user agents and benign destinations, the generation context, and sign-ins.
import { DEMO_TENANT_ID, DEMO_TRAVEL, DEMO_USERS } from '../demoFacts';
import { Rng } from '../generateRandom';
import { DemoUser, FOREIGN_PLACES, Place } from '../generateUsers';
import { TableWriter } from '../generateWriter';

/** Every table the demo lake holds, in the order they are reported. */
export const DEMO_TABLES = [
  'SigninLogs',
  'AADNonInteractiveUserSignInLogs',
  'AlertEvidence',
  'SecurityAlert',
  'SecurityIncident',
  'IncidentComments',
  'CloudAppEvents',
  'IdentityInfo',
  'BehaviorAnalytics',
  'EmailEvents',
  'EmailUrlInfo',
  'UrlClickEvents',
  'ThreatIntelIndicators',
  'Watchlist',
  'DeviceNetworkEvents',
  'AuditLogs',
  'DataConnectorsBeforeCutover',
  'DataConnectors',
] as const;
export type DemoTable = (typeof DEMO_TABLES)[number];

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

interface App {
  name: string;
  id: string;
  resource: string;
}
export const APPS: [App, number][] = [
  [
    {
      name: 'Office 365 Exchange Online',
      id: '00000002-0000-0ff1-ce00-000000000000',
      resource: 'Office 365 Exchange Online',
    },
    5,
  ],
  [{ name: 'Microsoft Teams', id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', resource: 'Microsoft Teams Services' }, 5],
  [
    {
      name: 'Office 365 SharePoint Online',
      id: '00000003-0000-0ff1-ce00-000000000000',
      resource: 'Office 365 SharePoint Online',
    },
    3,
  ],
  [{ name: 'OfficeHome', id: '4765445b-32c6-49b0-83e6-1d93765276ca', resource: 'OfficeHome' }, 2],
  [{ name: 'Microsoft Office', id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', resource: 'Microsoft Graph' }, 3],
  [
    {
      name: 'Azure Portal',
      id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      resource: 'Windows Azure Service Management API',
    },
    1,
  ],
];
export const OFFICE_HOME = APPS[3][0];
export const EXCHANGE = APPS[0][0];
export const AZURE_PORTAL = APPS.find(([app]) => app.name === 'Azure Portal')![0];

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
];
export const ATTACKER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36';

const RESULT_DESCRIPTIONS: Record<string, string> = {
  '0': '',
  '50126': 'Error validating credentials due to invalid username or password.',
  '50074': 'Strong Authentication is required.',
  '50140': "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
};

/** Benign destinations for background mail, clicks and device traffic: [url, remote IP]. */
export const BENIGN_URLS: [string, string][] = [
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
export const EXTERNAL_SENDERS = [
  'orders@fabrikam.com',
  'billing@northwindtraders.com',
  'newsletter@adatum.com',
  'sales@wingtiptoys.com',
  'no-reply@linkedin.com',
  'events@tailspintoys.com',
];
export const SUBJECTS = [
  'Your order has shipped',
  'Invoice for November',
  'Weekly newsletter',
  'Meeting follow-up',
  'Quarterly review',
  'New catalog available',
  'Event invitation',
  'Project update',
];

export interface Ctx {
  rng: Rng;
  nowMs: number;
  startMs: number;
  users: DemoUser[];
  cloud: DemoUser[];
  byUpn: Map<string, DemoUser>;
  w: Record<DemoTable, TableWriter>;
}

export const iso = (ms: number) => new Date(ms).toISOString();

function locationDetails(p: Place) {
  return {
    city: p.city,
    state: p.state,
    countryOrRegion: p.country,
    geoCoordinates: { latitude: p.lat, longitude: p.lon },
  };
}

function deviceDetail(u: DemoUser | undefined, ua: string) {
  if (!u)
    return {
      deviceId: '',
      displayName: '',
      operatingSystem: 'Linux',
      browser: 'Chrome 119.0.0',
      isCompliant: false,
      isManaged: false,
      trustType: '',
    };
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
  /** Sign-ins of one client's flow share it (repeated password tries and the success they end in). */
  correlationId?: string;
}

export function writeSignin(c: Ctx, u: DemoUser, t: number, s: SigninSpec): void {
  const result = s.result ?? '0';
  const ua = s.ua ?? USER_AGENTS[0];
  const ok = result === '0';
  const risk = s.risk ?? 'none';
  const table = s.interactive ? 'SigninLogs' : 'AADNonInteractiveUserSignInLogs';
  const guid = c.rng.guid(); // drawn even when the spec names one, so the rest of the lake stays the same
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
    CorrelationId: s.correlationId ?? guid,
    AutonomousSystemNumber: s.asn ?? s.place.asn,
    Type: table,
    Status: ok
      ? { errorCode: 0 }
      : { errorCode: Number(result), failureReason: RESULT_DESCRIPTIONS[result] ?? 'Other' },
    RiskDetail: s.riskDetail ?? 'none',
    RiskEventTypes_V2: JSON.stringify(s.riskEvents ?? []),
    ResourceDisplayName: s.app.resource,
    UserType: 'Member',
    IsInteractive: s.interactive,
  });
}

/** A time on the user's working day (local hours 8–18), or undefined when it falls outside the lake's span. */
export function workTime(c: Ctx, dayMs: number, u: DemoUser, from = 8, to = 18): number | undefined {
  const t = dayMs + Math.round((c.rng.int(from * 60, to * 60 - 1) - u.place.tz * 60) * MIN) + c.rng.int(0, 59) * 1000;
  return t >= c.startMs && t < c.nowMs ? t : undefined;
}

export const isWeekend = (ms: number) => {
  const d = new Date(ms).getUTCDay();
  return d === 0 || d === 6;
};

/** Where a user is at a time: the benign risky user is in Toronto during his trip. */
export function whereabouts(
  c: Ctx,
  u: DemoUser,
  t: number,
  atOffice: boolean,
): { ip: string; place: Place; asn: number } {
  if (u.upn === DEMO_USERS.benignRisky) {
    const riskyAt = c.nowMs - DEMO_TRAVEL.riskySignInHoursBeforeNow * HOUR;
    if (t >= riskyAt - 2 * HOUR && t < riskyAt + 20 * HOUR)
      return { ip: DEMO_TRAVEL.ip, place: FOREIGN_PLACES.toronto, asn: 577 };
  }
  return atOffice
    ? { ip: u.place.officeIp, place: u.place, asn: u.place.asn }
    : { ip: u.homeIp, place: u.place, asn: u.place.asn };
}

export const STORY_USERS = new Set<string>([DEMO_USERS.compromised, DEMO_USERS.benignRisky, DEMO_USERS.clean]);
