// The demo tenant's everyday activity (sign-ins, cloud apps, mail, clicks, device traffic), day by day,
// and the writers the stories share.
import { DEMO_TENANT_ID } from '../demoFacts';
import { DemoUser, Place } from '../generateUsers';
import {
  APPS,
  BENIGN_URLS,
  Ctx,
  EXTERNAL_SENDERS,
  HOUR,
  iso,
  isWeekend,
  MIN,
  STORY_USERS,
  SUBJECTS,
  USER_AGENTS,
  whereabouts,
  workTime,
  writeSignin,
} from './tenant';

export function backgroundDay(c: Ctx, dayMs: number): void {
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
        writeSignin(c, u, Math.min(t + rng.int(40, 150) * 1000, c.nowMs - 1000), {
          ...where,
          app,
          ua,
          interactive: true,
        });
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
        writeNetwork(c, u, t, {
          url: new URL(url).hostname,
          ip,
          process: rng.chance(0.7) ? 'msedge.exe' : 'teams.exe',
        });
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
          ip: where.ip,
          place: where.place,
          priority: travelling ? 2 : rng.int(0, 1),
          action: 'Sign-in',
          insights: {
            FirstTimeUserConnectedFromCountry: false,
            CountryUncommonlyConnectedFromAmongPeers: false,
            UnusualNumberOfFailedSignInAttempts: false,
          },
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
      [['Add member to group', 'GroupManagement'], 3],
      [['Update user', 'UserManagement'], 4],
      [['Reset user password', 'UserManagement'], 1],
      [['Add app role assignment grant to user', 'ApplicationManagement'], 1],
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
  const object =
    workload === 'Exchange'
      ? `${u.upn}/Inbox`
      : workload === 'MicrosoftTeams'
        ? '19:meeting_general@thread.v2'
        : `https://contoso.sharepoint.com/sites/${u.department.replace(/[^A-Za-z]/g, '')}/Shared Documents/${c.rng.pick(['Plan', 'Budget', 'Notes', 'Report'])}-${c.rng.int(1, 40)}.docx`;
  writeCloudApp(c, u, t, {
    action,
    app,
    activity,
    workload,
    ip: where.ip,
    country: where.place.country,
    object,
    parameters: undefined,
  });
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

export function writeCloudApp(c: Ctx, u: DemoUser, t: number, s: CloudAppSpec): void {
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

export function writeNetwork(
  c: Ctx,
  u: DemoUser,
  t: number,
  s: { url: string; ip: string; process: string; action?: string },
): void {
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
export function writeEmail(c: Ctx, to: DemoUser, t: number, s: EmailSpec): string {
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
    c.w.EmailUrlInfo.write({
      TimeGenerated: iso(t),
      NetworkMessageId: id,
      Url: url,
      UrlDomain: new URL(url).hostname,
      UrlLocation: 'Body',
    });
  }
  return id;
}

export function writeClick(
  c: Ctx,
  u: DemoUser,
  t: number,
  url: string,
  messageId: string,
  s: { action?: string; through?: boolean; threats?: string; detection?: string; workload?: string; ip?: string } = {},
): void {
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
  const urls = rng
    .shuffle(BENIGN_URLS)
    .slice(0, rng.int(0, 2))
    .map(([url]) => url);
  const spam = rng.chance(0.05);
  const id = writeEmail(c, u, t, {
    sender: rng.pick(EXTERNAL_SENDERS),
    subject: rng.pick(SUBJECTS),
    urls,
    action: spam ? 'Junked' : 'Delivered',
    location: spam ? 'Junk folder' : 'Inbox/folder',
    threats: spam ? 'Spam' : '',
  });
  if (spam) return;
  for (const url of urls) {
    if (rng.chance(0.25)) {
      const at = t + rng.int(2, 240) * MIN;
      if (at < c.nowMs) writeClick(c, u, at, url, id);
    }
  }
}

export function writeBehavior(
  c: Ctx,
  u: DemoUser,
  t: number,
  s: {
    ip: string;
    place: Place;
    priority: number;
    action: string;
    activity?: string;
    insights: Record<string, unknown>;
  },
): void {
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
      AccountDisplayName: u.displayName,
      AccountObjectID: u.objectId,
      IsDormantAccount: false,
      IsNewAccount: false,
      BlastRadius: u.roles.length ? 'High' : 'Low',
    },
    EventSource: s.activity === 'ExchangeAdmin' ? 'Office 365' : 'Azure AD',
  });
}

export function writeAudit(
  c: Ctx,
  t: number,
  operation: string,
  category: string,
  by: DemoUser,
  ip: string,
  target: DemoUser,
  details: { key: string; value: string }[],
): void {
  c.w.AuditLogs.write({
    TimeGenerated: iso(t),
    OperationName: operation,
    Category: category,
    Result: 'success',
    InitiatedBy: { user: { id: by.objectId, displayName: null, userPrincipalName: by.upn, ipAddress: ip } },
    TargetResources: [
      {
        id: target.objectId,
        displayName: target.displayName,
        type: 'User',
        userPrincipalName: target.upn,
        modifiedProperties: [],
      },
    ],
    AdditionalDetails: details,
    Id: `Directory_${c.rng.hex(5).toUpperCase()}_${c.rng.int(10000000, 99999999)}`,
    Identity: by.displayName,
    LoggedByService:
      category === 'UserManagement' && operation.includes('security info')
        ? 'Authentication Methods'
        : 'Core Directory',
    CorrelationId: c.rng.guid(),
  });
}
