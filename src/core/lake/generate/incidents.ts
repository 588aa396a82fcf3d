// The alerts and incidents the stories raise, with their entities and comments.
import {
  DEMO_DOMAIN,
  DEMO_LOOKALIKE,
  DEMO_PHISHING,
  DEMO_RULE_IDS,
  DEMO_SPRAY,
  DEMO_URLS,
  DEMO_USERS,
} from '../demoFacts';
import { Ctx, DAY, HOUR, iso, MIN } from './tenant';
import { MALWARE_SHA256, sprayVictims } from './stories';

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
  OATP: [
    'Office 365 Advanced Threat Protection',
    'Microsoft Defender for Office 365',
    'Microsoft Defender for Office 365',
  ],
  MDATP: ['Microsoft Defender Advanced Threat Protection', 'Microsoft Defender for Endpoint', 'Antivirus'],
  MCAS: ['Microsoft Cloud App Security', 'Microsoft Defender for Cloud Apps', 'Microsoft Defender for Cloud Apps'],
  'ASI Scheduled Alerts': ['Azure Sentinel', 'Microsoft Sentinel', 'Scheduled Alerts'],
};

const TECHNIQUE_NAMES: Record<string, string> = {
  T1110: 'Brute Force (T1110)',
  'T1110.003': 'Password Spraying (T1110.003)',
  T1078: 'Valid Accounts (T1078)',
  T1114: 'Email Collection (T1114)',
  'T1114.003': 'Email Forwarding Rule (T1114.003)',
  T1566: 'Phishing (T1566)',
  'T1566.002': 'Spearphishing Link (T1566.002)',
  T1204: 'User Execution (T1204)',
  T1530: 'Data from Cloud Storage (T1530)',
  T1105: 'Ingress Tool Transfer (T1105)',
};

function entitiesJson(c: Ctx, specs: EntitySpec[]): string {
  let next = 2;
  const out: Record<string, unknown>[] = [];
  for (const e of specs) {
    switch (e.kind) {
      case 'account': {
        const u = c.byUpn.get(e.upn)!;
        out.push({
          $id: String(next++),
          Name: u.alias,
          UPNSuffix: DEMO_DOMAIN,
          AadUserId: u.objectId,
          DisplayName: u.displayName,
          IsDomainJoined: false,
          Type: 'account',
        });
        break;
      }
      case 'mailbox': {
        const u = c.byUpn.get(e.upn)!;
        out.push({
          $id: String(next++),
          MailboxPrimaryAddress: u.upn,
          DisplayName: u.displayName,
          Upn: u.upn,
          AadId: u.objectId,
          Type: 'mailbox',
        });
        break;
      }
      case 'ip':
        out.push({
          $id: String(next++),
          Address: e.ip,
          ...(e.country ? { Location: { CountryCode: e.country } } : {}),
          Type: 'ip',
        });
        break;
      case 'url':
        out.push({ $id: String(next++), Url: e.url, Type: 'url' });
        break;
      case 'host': {
        const [host, ...domain] = e.fqdn.split('.');
        out.push({
          $id: String(next++),
          HostName: host,
          DnsDomain: domain.join('.'),
          OSFamily: 'Windows',
          Type: 'host',
        });
        break;
      }
      case 'file': {
        const hashId = String(next++);
        out.push({ $id: hashId, Algorithm: 'SHA256', Value: e.sha256, Type: 'filehash' });
        out.push({
          $id: String(next++),
          Directory: e.directory,
          Name: e.name,
          FileHashes: [{ $ref: hashId }],
          Type: 'file',
        });
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
    ExtendedProperties: JSON.stringify(
      a.source === 'ASI Scheduled Alerts'
        ? {
            'Query Period': '01:00:00',
            'Trigger Operator': 'GreaterThan',
            'Trigger Threshold': '0',
            'Search Query Results Overall Count': String(a.entities.length),
          }
        : { 'Detection source': detection },
    ),
  });
  const base = {
    TimeGenerated: iso(a.end + MIN),
    AlertId: id,
    Title: a.name,
    Severity: a.severity,
    Categories: a.tactics.slice(0, 1),
    AttackTechniques: JSON.stringify(a.techniques.map((t) => TECHNIQUE_NAMES[t] ?? t)),
    ServiceSource: service,
    DetectionSource: detection,
  };
  for (const e of a.entities) {
    switch (e.kind) {
      case 'account': {
        const u = c.byUpn.get(e.upn)!;
        c.w.AlertEvidence.write({
          ...base,
          EntityType: 'User',
          EvidenceRole: 'Impacted',
          AccountUpn: u.upn,
          AccountObjectId: u.objectId,
          AccountName: u.alias,
          AdditionalFields: { DisplayName: u.displayName },
        });
        break;
      }
      case 'mailbox': {
        const u = c.byUpn.get(e.upn)!;
        c.w.AlertEvidence.write({
          ...base,
          EntityType: 'Mailbox',
          EvidenceRole: 'Impacted',
          AccountUpn: u.upn,
          AccountObjectId: u.objectId,
          AccountName: u.alias,
          AdditionalFields: { MailboxPrimaryAddress: u.upn },
        });
        break;
      }
      case 'ip':
        c.w.AlertEvidence.write({
          ...base,
          EntityType: 'Ip',
          EvidenceRole: 'Related',
          RemoteIP: e.ip,
          AdditionalFields: e.country ? { CountryCode: e.country } : {},
        });
        break;
      case 'url':
        c.w.AlertEvidence.write({
          ...base,
          EntityType: 'Url',
          EvidenceRole: 'Related',
          RemoteUrl: e.url,
          AdditionalFields: {},
        });
        break;
      case 'host':
        c.w.AlertEvidence.write({
          ...base,
          EntityType: 'Machine',
          EvidenceRole: 'Impacted',
          DeviceName: e.fqdn,
          AdditionalFields: {},
        });
        break;
      case 'file':
        c.w.AlertEvidence.write({
          ...base,
          EntityType: 'File',
          EvidenceRole: 'Related',
          FileName: e.name,
          SHA256: e.sha256,
          AdditionalFields: { FolderPath: e.directory },
        });
        break;
    }
  }
  return id;
}

export function incidents(c: Ctx): void {
  const now = c.nowMs;
  const spray = now - DEMO_SPRAY.startHoursBeforeNow * HOUR;
  const m = DEMO_SPRAY.minutes;
  const megan = DEMO_USERS.compromised;
  const victims = sprayVictims(c).map((u) => u.upn);
  const phish = now - DEMO_PHISHING.deliveredHoursBeforeNow * HOUR;
  const look = now - DEMO_LOOKALIKE.deliveredHoursBeforeNow * HOUR;
  const ruSuccess: EntitySpec = { kind: 'ip', ip: DEMO_SPRAY.successIp, country: 'RU' };
  const failedFrom = (
    ip: string,
    country: string,
    accounts: string[],
    status: IncidentSpec['status'],
    created: number,
  ): IncidentSpec => ({
    title: 'Multiple failed sign-in attempts',
    severity: 'Low',
    status,
    provider: 'Azure Sentinel',
    created,
    description: `Several accounts failed to sign in from ${ip} within 30 minutes.`,
    ruleIds: [DEMO_RULE_IDS.multipleFailedSignins],
    owner: status === 'New' ? undefined : 'johanna.lorenz@contoso.com',
    alerts: [
      {
        name: 'Multiple failed sign-in attempts',
        severity: 'Low',
        source: 'ASI Scheduled Alerts',
        tactics: ['CredentialAccess'],
        techniques: ['T1110'],
        description: `Failed sign-ins (50126) from ${ip} against ${accounts.length} account(s).`,
        start: spray,
        end: spray + 30 * MIN,
        entities: [{ kind: 'ip', ip, country }, ...accounts.map((upn): EntitySpec => ({ kind: 'account', upn }))],
      },
    ],
  });
  const ipAccounts = (i: number) => [
    megan,
    ...victims.filter(
      (_, k) => k % DEMO_SPRAY.ips.length === i || (k % 3 === 0 && (k + 1) % DEMO_SPRAY.ips.length === i),
    ),
  ];
  const clickers = DEMO_PHISHING.clickedThrough as readonly string[];
  const urlClick = (source: AlertSpec['source']): AlertSpec => ({
    name: 'A potentially malicious URL click was detected',
    severity: 'High',
    source,
    tactics: ['InitialAccess'],
    techniques: ['T1566.002'],
    description: `Users clicked a link to ${DEMO_URLS.phishingDomain} delivered by email; the URL was later found to be malicious.`,
    start: phish + 22 * MIN,
    end: phish + 70 * MIN,
    compromised: megan,
    entities: [
      { kind: 'url', url: DEMO_URLS.phishing },
      ...clickers.map((upn): EntitySpec => ({ kind: 'account', upn })),
      ...DEMO_PHISHING.devices.map((fqdn): EntitySpec => ({ kind: 'host', fqdn })),
      { kind: 'ip', ip: DEMO_URLS.phishingSiteIp },
    ],
  });
  const inboxRule = (source: AlertSpec['source']): AlertSpec => ({
    name: 'Suspicious inbox forwarding rule',
    severity: 'High',
    source,
    tactics: ['Collection', 'Exfiltration'],
    techniques: ['T1114.003'],
    description: `A new inbox rule forwards mail of ${megan} to an external address (${DEMO_SPRAY.forwardTo}).`,
    start: spray + m.inboxRule * MIN,
    end: spray + m.inboxRule * MIN,
    compromised: megan,
    entities: [{ kind: 'account', upn: megan }, { kind: 'mailbox', upn: megan }, ruSuccess],
  });
  const specs: IncidentSpec[] = [
    {
      title: "'Wacatac' malware was detected on one endpoint",
      severity: 'Medium',
      status: 'Closed',
      provider: 'Microsoft XDR',
      created: now - 6 * DAY - 2 * HOUR,
      description: 'Defender Antivirus detected and quarantined Trojan:Win32/Wacatac.B!ml.',
      owner: 'pradeep.gupta@contoso.com',
      classification: 'TruePositive',
      classificationReason: 'SuspiciousActivity',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [
        {
          name: "'Wacatac' malware was detected",
          severity: 'Medium',
          source: 'MDATP',
          tactics: ['Execution'],
          techniques: ['T1204'],
          description: 'Trojan:Win32/Wacatac.B!ml was detected in a downloaded file and quarantined.',
          start: now - 6 * DAY - 2 * HOUR - 20 * MIN,
          end: now - 6 * DAY - 2 * HOUR - 15 * MIN,
          compromised: 'nestor-wilke-lt.contoso.com',
          entities: [
            { kind: 'host', fqdn: 'nestor-wilke-lt.contoso.com' },
            { kind: 'account', upn: 'nestor.wilke@contoso.com' },
            {
              kind: 'file',
              name: 'invoice_2026_11.exe',
              directory: 'C:\\Users\\nestor.wilke\\Downloads',
              sha256: MALWARE_SHA256,
            },
          ],
        },
      ],
    },
    {
      title: 'Mass download by a single user',
      severity: 'Low',
      status: 'Closed',
      provider: 'Microsoft XDR',
      created: now - 5 * DAY - 3 * HOUR,
      description: 'A user downloaded an unusually large number of files in a short time.',
      owner: 'johanna.lorenz@contoso.com',
      classification: 'BenignPositive',
      classificationReason: 'SuspiciousButExpected',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation, DEMO_RULE_IDS.massDownload],
      alerts: [
        {
          name: 'Mass download by a single user',
          severity: 'Low',
          source: 'MCAS',
          tactics: ['Collection'],
          techniques: ['T1530'],
          description: 'joni.sherman@contoso.com downloaded 60 files from SharePoint in 20 minutes.',
          start: now - 5 * DAY - 4 * HOUR,
          end: now - 5 * DAY - 3 * HOUR - 40 * MIN,
          entities: [
            { kind: 'account', upn: 'joni.sherman@contoso.com' },
            { kind: 'ip', ip: '203.0.113.10', country: 'US' },
          ],
        },
        {
          name: 'Unusual volume of file downloads',
          severity: 'Low',
          source: 'ASI Scheduled Alerts',
          tactics: ['Collection'],
          techniques: ['T1530'],
          description: "File downloads above the user baseline (this alert's Entities field is truncated).",
          start: now - 5 * DAY - 4 * HOUR,
          end: now - 5 * DAY - 3 * HOUR - 40 * MIN,
          entities: [{ kind: 'account', upn: 'joni.sherman@contoso.com' }],
          malformed: true,
        },
      ],
    },
    {
      title: 'Look-alike domain in inbound email',
      severity: 'Low',
      status: 'New',
      provider: 'Azure Sentinel',
      created: look + 2 * HOUR,
      description: `Mail from ${DEMO_URLS.lookalikeDomain}, a look-alike of contoso.com, reached ${DEMO_LOOKALIKE.recipients.length} users.`,
      ruleIds: [DEMO_RULE_IDS.lookalikeDomain],
      alerts: [
        {
          name: 'Look-alike domain in inbound email',
          severity: 'Low',
          source: 'ASI Scheduled Alerts',
          tactics: ['InitialAccess'],
          techniques: ['T1566.002'],
          description: `Sender ${DEMO_URLS.lookalikeSender} imitates contoso.com; ${DEMO_LOOKALIKE.clicked.length} recipients clicked.`,
          start: look,
          end: look + 75 * MIN,
          entities: [
            { kind: 'url', url: DEMO_URLS.lookalike },
            ...DEMO_LOOKALIKE.recipients.map((upn): EntitySpec => ({ kind: 'mailbox', upn })),
          ],
        },
      ],
    },
    {
      title: 'A potentially malicious URL click was detected',
      severity: 'High',
      status: 'New',
      provider: 'Microsoft XDR',
      created: phish + 75 * MIN,
      description: 'Users clicked a link that was later found to be malicious.',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [urlClick('OATP')],
    },
    {
      title: 'A potentially malicious URL click was detected',
      severity: 'High',
      status: 'Active',
      provider: 'Azure Sentinel',
      created: phish + 85 * MIN,
      description: 'Clicks on a URL that threat intelligence lists as phishing.',
      owner: 'pradeep.gupta@contoso.com',
      ruleIds: [DEMO_RULE_IDS.maliciousUrlClick],
      alerts: [urlClick('ASI Scheduled Alerts')],
    },
    {
      title: 'Email messages containing malicious URL removed after delivery',
      severity: 'Informational',
      status: 'Active',
      provider: 'Microsoft XDR',
      created: phish + 4 * HOUR,
      description: 'Zero-hour auto purge removed delivered messages containing a phishing URL.',
      owner: 'pradeep.gupta@contoso.com',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [
        {
          name: 'Email messages containing malicious URL removed after delivery',
          severity: 'Informational',
          source: 'OATP',
          tactics: ['InitialAccess'],
          techniques: ['T1566.002'],
          description: 'Messages were removed from mailboxes after delivery.',
          start: phish,
          end: phish + 4 * HOUR,
          entities: [
            { kind: 'url', url: DEMO_URLS.phishing },
            ...DEMO_PHISHING.recipients
              .filter((r) => !(DEMO_PHISHING.junked as readonly string[]).includes(r))
              .map((upn): EntitySpec => ({ kind: 'mailbox', upn })),
          ],
        },
      ],
    },
    failedFrom(DEMO_SPRAY.ips[0].ip, DEMO_SPRAY.ips[0].country, ipAccounts(0), 'New', spray + 35 * MIN),
    failedFrom(DEMO_SPRAY.ips[1].ip, DEMO_SPRAY.ips[1].country, ipAccounts(1), 'New', spray + 36 * MIN),
    failedFrom(DEMO_SPRAY.ips[2].ip, DEMO_SPRAY.ips[2].country, ipAccounts(2), 'Active', spray + 38 * MIN),
    {
      title: 'Unfamiliar sign-in properties',
      severity: 'Medium',
      status: 'New',
      provider: 'Microsoft XDR',
      created: spray + (m.firstSuccess + 3) * MIN,
      description: 'A sign-in with properties not seen recently for the user.',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [
        {
          name: 'Unfamiliar sign-in properties',
          severity: 'Medium',
          source: 'IPC',
          tactics: ['InitialAccess'],
          techniques: ['T1078'],
          description: `Successful sign-in of ${megan} from ${DEMO_SPRAY.successIp} (RU) with unfamiliar properties.`,
          start: spray + m.firstSuccess * MIN,
          end: spray + m.firstSuccess * MIN,
          compromised: megan,
          entities: [{ kind: 'account', upn: megan }, ruSuccess],
        },
      ],
    },
    {
      title: 'Password spray attack against multiple accounts',
      severity: 'Medium',
      status: 'Active',
      provider: 'Microsoft XDR',
      created: spray + 50 * MIN,
      description: 'Many accounts were targeted with common passwords from a small set of IPs; one sign-in succeeded.',
      owner: 'johanna.lorenz@contoso.com',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [
        {
          name: 'Password Spray',
          severity: 'Medium',
          source: 'IPC',
          tactics: ['CredentialAccess'],
          techniques: ['T1110.003'],
          description: `A password spray from ${DEMO_SPRAY.ips.length} IPs hit ${1 + victims.length} accounts; ${megan} signed in successfully afterwards.`,
          start: spray,
          end: spray + m.firstSuccess * MIN,
          compromised: megan,
          entities: [
            { kind: 'account', upn: megan },
            ...DEMO_SPRAY.ips.map((x): EntitySpec => ({ kind: 'ip', ip: x.ip, country: x.country })),
          ],
        },
      ],
    },
    {
      title: 'Suspicious inbox forwarding rule',
      severity: 'High',
      status: 'New',
      provider: 'Azure Sentinel',
      created: spray + (m.inboxRule + 7) * MIN,
      description: 'An inbox rule forwarding mail to an external address was created from an unusual location.',
      ruleIds: [DEMO_RULE_IDS.inboxForwarding],
      alerts: [inboxRule('ASI Scheduled Alerts')],
    },
    {
      title: 'Suspicious inbox forwarding rule',
      severity: 'High',
      status: 'New',
      provider: 'Microsoft XDR',
      created: spray + (m.inboxRule + 12) * MIN,
      description: 'A suspicious inbox rule that forwards mail externally was created.',
      ruleIds: [DEMO_RULE_IDS.xdrIncidentCreation],
      alerts: [inboxRule('MCAS')],
    },
  ];
  specs.sort((a, b) => a.created - b.created);
  specs.forEach((s, i) => {
    const number = 101 + i;
    const alertIds = s.alerts.map((a) => writeAlert(c, a, s.status));
    const owner = s.owner ? c.byUpn.get(s.owner)! : undefined;
    const modified = Math.min(
      s.created + (s.status === 'New' ? 1 : 20) * MIN + (s.status === 'Closed' ? 5 * HOUR : 0),
      now - MIN,
    );
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
        alertsCount: s.alerts.length,
        bookmarksCount: 0,
        commentsCount: 0,
        alertProductNames: [...new Set(s.alerts.map((a) => PRODUCTS[a.source][0]))],
        tactics,
        techniques: [...new Set(s.alerts.flatMap((a) => a.techniques))],
      },
      ClassificationReason: s.classificationReason ?? '',
      ClassificationComment: s.status === 'Closed' ? 'Reviewed by the SOC.' : '',
      ModifiedBy: owner ? owner.upn : s.provider === 'Azure Sentinel' ? 'Microsoft Sentinel' : 'Microsoft Defender XDR',
    });
  });
}
