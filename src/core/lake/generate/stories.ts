// The planted stories (demoFacts.ts): a password spray and compromise, a benign trip, phishing, a lookalike
// domain; with the threat intelligence, watchlists, identities and connectors around them.
import {
  DEMO_DOMAIN,
  DEMO_LOOKALIKE,
  DEMO_PHISHING,
  DEMO_SPRAY,
  DEMO_TRAVEL,
  DEMO_URLS,
  DEMO_USERS,
} from '../demoFacts';
import { Rng } from '../generateRandom';
import { DemoUser, FOREIGN_PLACES, Place } from '../generateUsers';
import {
  APPS,
  ATTACKER_UA,
  AZURE_PORTAL,
  Ctx,
  DAY,
  EXCHANGE,
  HOUR,
  iso,
  MIN,
  OFFICE_HOME,
  STORY_USERS,
  USER_AGENTS,
  whereabouts,
  writeSignin,
} from './tenant';
import { writeAudit, writeBehavior, writeClick, writeCloudApp, writeEmail, writeNetwork } from './background';

/** Who else the spray hits: the same users in every lake of a given size. */
export function sprayVictims(c: Ctx): DemoUser[] {
  const pool = c.cloud.filter((u) => !STORY_USERS.has(u.upn));
  return new Rng('spray-victims').shuffle(pool).slice(0, Math.min(DEMO_SPRAY.otherTargets, pool.length));
}

function sprayPlace(ip: string): Place {
  const i = DEMO_SPRAY.ips.find((x) => x.ip === ip)!;
  return Object.values(FOREIGN_PLACES).find((p) => p.city === i.city)!;
}

export function storyCompromise(c: Ctx): void {
  const megan = c.byUpn.get(DEMO_USERS.compromised)!;
  const start = c.nowMs - DEMO_SPRAY.startHoursBeforeNow * HOUR;
  const ips = DEMO_SPRAY.ips.map((x) => x.ip);
  // Each spray host runs one sign-in flow against the compromised user, so its tries share a correlation id —
  // and the one that finds the password ends that flow in a success (a brute force inside the spray).
  const flowRng = new Rng('spray-flows');
  const flows = new Map(ips.map((ip) => [ip, flowRng.guid()]));
  const fail = (u: DemoUser, t: number, ip: string, correlationId?: string) =>
    writeSignin(c, u, t, {
      ip,
      place: sprayPlace(ip),
      app: AZURE_PORTAL,
      correlationId,
      interactive: true,
      result: '50126',
      ua: ATTACKER_UA,
      managedDevice: false,
      mfa: false,
      conditionalAccess: 'notApplied',
    });
  for (let i = 0; i < DEMO_SPRAY.targetFailures; i++) {
    const sprayIp = ips[i % ips.length];
    fail(megan, start + i * 75_000, sprayIp, flows.get(sprayIp));
  }
  const r = new Rng('spray-timing');
  sprayVictims(c).forEach((u, k) => {
    const attempts = k % 3 === 0 ? 2 : 1;
    for (let a = 0; a < attempts; a++) fail(u, start + r.int(0, 29 * 60) * 1000, ips[(k + a) % ips.length]);
  });

  const moscow = FOREIGN_PLACES.moscow;
  const ip = DEMO_SPRAY.successIp;
  const m = DEMO_SPRAY.minutes;
  const attacker = {
    ip,
    place: moscow,
    interactive: true,
    ua: ATTACKER_UA,
    managedDevice: false,
    mfa: false,
    conditionalAccess: 'notApplied',
    risk: 'high',
    riskState: 'atRisk',
    riskEvents: ['unfamiliarFeatures', 'passwordSpray'],
  };
  writeSignin(c, megan, start + m.firstSuccess * MIN, { ...attacker, app: AZURE_PORTAL, correlationId: flows.get(ip) });
  writeSignin(c, megan, start + m.secondSuccess * MIN, { ...attacker, app: EXCHANGE });
  for (let i = 0; i < 6; i++) {
    writeSignin(c, megan, start + (m.secondSuccess + 3 + i * 35) * MIN, {
      ip,
      place: moscow,
      app: EXCHANGE,
      interactive: false,
      ua: ATTACKER_UA,
      managedDevice: false,
    });
  }
  for (let i = 0; i < 3; i++) {
    writeCloudApp(c, megan, start + (m.secondSuccess + 4 + i * 3) * MIN, {
      action: 'MailItemsAccessed',
      app: 'Microsoft Exchange Online',
      activity: 'Access',
      workload: 'Exchange',
      ip,
      country: 'RU',
      object: `${megan.upn}/Inbox`,
      ua: ATTACKER_UA,
    });
  }
  writeCloudApp(c, megan, start + m.inboxRule * MIN, {
    action: 'New-InboxRule',
    app: 'Microsoft Exchange Online',
    activity: 'Create',
    workload: 'Exchange',
    ip,
    country: 'RU',
    object: `${megan.upn}\\${DEMO_SPRAY.inboxRuleName}`,
    ua: ATTACKER_UA,
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
    { key: 'Method', value: 'Authenticator App' },
    { key: 'Device', value: 'Android' },
  ]);
  writeBehavior(c, megan, start + m.firstSuccess * MIN, {
    ip,
    place: moscow,
    priority: 9,
    action: 'Sign-in',
    insights: {
      FirstTimeUserConnectedFromCountry: true,
      CountryUncommonlyConnectedFromAmongPeers: true,
      CountryUncommonlyConnectedFromInTenant: true,
      FirstTimeUserConnectedViaISP: true,
      UnusualNumberOfFailedSignInAttempts: true,
    },
  });
  writeBehavior(c, megan, start + m.inboxRule * MIN, {
    ip,
    place: moscow,
    priority: 7,
    action: 'New-InboxRule',
    activity: 'ExchangeAdmin',
    insights: {
      FirstTimeUserPerformedAction: true,
      ActionUncommonlyPerformedAmongPeers: true,
      FirstTimeUserConnectedFromCountry: true,
    },
  });
}

export function storyTravel(c: Ctx): void {
  const alex = c.byUpn.get(DEMO_USERS.benignRisky)!;
  const t = c.nowMs - DEMO_TRAVEL.riskySignInHoursBeforeNow * HOUR;
  const toronto = FOREIGN_PLACES.toronto;
  writeSignin(c, alex, t, {
    ip: DEMO_TRAVEL.ip,
    place: toronto,
    app: OFFICE_HOME,
    interactive: true,
    ua: USER_AGENTS[2],
    mfa: true,
    risk: 'medium',
    riskState: 'remediated',
    riskDetail: 'userPassedMFADrivenByRiskBasedPolicy',
    riskEvents: ['unfamiliarFeatures'],
  });
  writeSignin(c, alex, t + 6 * MIN, {
    ip: DEMO_TRAVEL.ip,
    place: toronto,
    app: APPS[1][0],
    interactive: true,
    ua: USER_AGENTS[2],
  });
  writeBehavior(c, alex, t, {
    ip: DEMO_TRAVEL.ip,
    place: toronto,
    priority: 3,
    action: 'Sign-in',
    insights: {
      FirstTimeUserConnectedFromCountry: true,
      CountryUncommonlyConnectedFromAmongPeers: false,
      UnusualNumberOfFailedSignInAttempts: false,
    },
  });
}

export function storyClean(c: Ctx): void {
  const lynne = c.byUpn.get(DEMO_USERS.clean)!;
  let t = c.nowMs - 5 * DAY;
  t = t - (t % DAY) + (10 - lynne.place.tz) * HOUR + 12 * MIN;
  const spec = { ip: lynne.place.officeIp, place: lynne.place, app: APPS[1][0], interactive: true, ua: USER_AGENTS[0] };
  writeSignin(c, lynne, t, { ...spec, result: '50126', mfa: false });
  writeSignin(c, lynne, t + 70_000, spec);
}

export function storyPhishing(c: Ctx): void {
  const t0 = c.nowMs - DEMO_PHISHING.deliveredHoursBeforeNow * HOUR;
  const url = DEMO_URLS.phishing;
  const ids = new Map<string, string>();
  DEMO_PHISHING.recipients.forEach((upn, i) => {
    const u = c.byUpn.get(upn)!;
    const junk = (DEMO_PHISHING.junked as readonly string[]).includes(upn);
    ids.set(
      upn,
      writeEmail(c, u, t0 + i * 4000, {
        sender: DEMO_URLS.phishingSender,
        subject: 'Action required: your password expires today',
        urls: [url],
        senderIp: '192.0.2.150',
        action: junk ? 'Junked' : 'Delivered',
        location: junk ? 'Junk folder' : 'Inbox/folder',
        threats: junk ? 'Phish' : '',
        detection: junk ? '{"Phish":["URL detonation reputation"]}' : '',
      }),
    );
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
      action: 'ClickBlocked',
      through: false,
      threats: 'Phish',
      detection: 'URL detonation reputation',
    });
  });
}

export function storyLookalike(c: Ctx): void {
  const t0 = c.nowMs - DEMO_LOOKALIKE.deliveredHoursBeforeNow * HOUR;
  const ids = new Map<string, string>();
  DEMO_LOOKALIKE.recipients.forEach((upn, i) => {
    ids.set(
      upn,
      writeEmail(c, c.byUpn.get(upn)!, t0 + i * 3000, {
        sender: DEMO_URLS.lookalikeSender,
        subject: 'Payroll: confirm your direct deposit details',
        urls: [DEMO_URLS.lookalike],
        senderIp: '192.0.2.160',
      }),
    );
  });
  const delays = [40, 75];
  DEMO_LOOKALIKE.clicked.forEach((upn, i) =>
    writeClick(c, c.byUpn.get(upn)!, t0 + delays[i] * MIN, DEMO_URLS.lookalike, ids.get(upn)!),
  );
  const t1 = c.nowMs - 30 * HOUR;
  DEMO_LOOKALIKE.punycodeRecipients.forEach((upn, i) => {
    writeEmail(c, c.byUpn.get(upn)!, t1 + i * 5000, {
      sender: DEMO_URLS.punycodeSender,
      subject: 'IT Helpdesk: password reset required',
      urls: [DEMO_URLS.punycode],
      senderIp: '192.0.2.161',
    });
  });
}

export function storyBenefits(c: Ctx): void {
  const r = new Rng(`benefits:${c.rng.u32()}`);
  const t0 = c.nowMs - (6 * 24 + 12) * HOUR;
  const ids = new Map<string, string>();
  c.cloud.forEach((u, i) => {
    ids.set(
      u.upn,
      writeEmail(c, u, t0 + i * 500, {
        sender: 'hr@contoso.com',
        subject: 'Open enrollment: review your benefits',
        urls: [DEMO_URLS.benign],
        direction: 'Intra-org',
      }),
    );
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
      if (again < c.nowMs)
        writeClick(c, u, again, DEMO_URLS.benign, '', { workload: 'Teams', ip: whereabouts(c, u, again, true).ip });
    }
  }
}

export function storyMailboxBackground(c: Ctx): void {
  // Ordinary inbox rules (move newsletters) so a rule alone is not a signal; none forwards outside.
  [
    ['miriam.graham@contoso.com', 5],
    ['lee.gu@contoso.com', 6],
  ].forEach(([upn, days]) => {
    const u = c.byUpn.get(upn as string)!;
    const t = c.nowMs - (days as number) * DAY - 3 * HOUR;
    writeCloudApp(c, u, t, {
      action: 'New-InboxRule',
      app: 'Microsoft Exchange Online',
      activity: 'Create',
      workload: 'Exchange',
      ip: u.place.officeIp,
      country: u.place.country,
      object: `${u.upn}\\Newsletters`,
      parameters: [
        { Name: 'Name', Value: 'Newsletters' },
        { Name: 'From', Value: 'newsletter@adatum.com' },
        { Name: 'MoveToFolder', Value: 'Newsletters' },
      ],
    });
  });
  // The mass download behind a closed incident.
  const joni = c.byUpn.get('joni.sherman@contoso.com')!;
  const t = c.nowMs - 5 * DAY - 4 * HOUR;
  for (let i = 0; i < 60; i++) {
    writeCloudApp(c, joni, t + i * 20_000, {
      action: 'FileDownloaded',
      app: 'Microsoft SharePoint Online',
      activity: 'Download',
      workload: 'SharePoint',
      ip: joni.place.officeIp,
      country: 'US',
      object: `https://contoso.sharepoint.com/sites/Legal/Shared Documents/Contracts/Contract-${1000 + i}.pdf`,
    });
  }
}

export const MALWARE_SHA256 = '5f2b7a9c3e8d1f4a6b0c9e2d7f3a8b1c4e6d9f2a5b8c1e4d7f0a3b6c9e2d5f81';

export function threatIntel(c: Ctx): void {
  const w = c.w.ThreatIntelIndicators;
  const write = (
    key: string,
    value: string,
    confidence: number,
    active: boolean,
    tags: string[],
    validFrom: number,
    source = 'Microsoft Defender Threat Intelligence',
  ) => {
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
        type: 'indicator',
        spec_version: '2.1',
        id,
        name: value,
        pattern,
        pattern_type: 'stix',
        valid_from: iso(validFrom),
        indicator_types: ['malicious-activity'],
        confidence,
        labels: tags,
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
    if (kind === 0)
      write('domain-name:value', domain, c.rng.int(40, 95), active, ['Malware'], validFrom, 'Microsoft Sentinel');
    else if (kind === 1)
      write(
        'url:value',
        `https://${domain}/${c.rng.pick(words)}`,
        c.rng.int(40, 95),
        active,
        ['Phishing'],
        validFrom,
        'Microsoft Sentinel',
      );
    else write('ipv4-addr:value', `192.0.2.${c.rng.int(170, 250)}`, c.rng.int(30, 90), active, ['C2'], validFrom);
  }
}

export function watchlists(c: Ctx): void {
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
    c.w.Watchlist.write({
      TimeGenerated: iso(t),
      WatchlistAlias: 'ApprovedDomains',
      SearchKey: domain,
      WatchlistItem: { Domain: domain, Owner: owner, Notes: notes },
    });
  }
  for (const u of c.cloud.filter((x) => x.tags.includes('VIP'))) {
    c.w.Watchlist.write({
      TimeGenerated: iso(t),
      WatchlistAlias: 'VIPUsers',
      SearchKey: u.upn,
      WatchlistItem: { 'User Principal Name': u.upn, 'Display Name': u.displayName, Title: u.jobTitle },
    });
  }
}

export function identities(c: Ctx): void {
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

export function connectors(c: Ctx): void {
  const before: [string, string, string][] = [
    ['4f1c6a2e-8b3d-4e97-a5c0-1d9e7b3f2a64', 'AzureActiveDirectory', 'Microsoft Entra ID'],
    ['b7e2d9c4-1a5f-4c38-9e06-3f8a2d7c1b95', 'Office365', 'Microsoft 365 (Office 365)'],
    ['2c9a5e71-3d8b-4f16-b4a2-7e0c1f9d3a58', 'MicrosoftThreatProtection', 'Microsoft Defender XDR'],
    ['8d3f1b6a-5c2e-4a79-8f14-9b7e2c0d4a31', 'ThreatIntelligence', 'Threat Intelligence Platforms'],
    ['e5a7c3d9-6f1b-4e82-a0d4-2c8b9f3e7a16', 'AzureActivity', 'Azure Activity'],
  ];
  const appeared: [string, string, string][] = [
    [
      '1a8e4c7f-9d2b-4f53-b6e1-5c3a7d0f8e24',
      'MicrosoftDefenderAdvancedThreatProtection',
      'Microsoft Defender for Endpoint',
    ],
    ['6c2f9a1d-4e7b-4c85-9a3f-8d1e5b2c7f09', 'AzureSecurityCenter', 'Microsoft Defender for Cloud'],
    ['9f4b2e8c-7a1d-4d36-8c5e-0b3f6a9d2e71', 'MicrosoftCloudAppSecurity', 'Microsoft Defender for Cloud Apps'],
  ];
  const tBefore = c.nowMs - 9 * DAY;
  for (const [id, kind, name] of before) {
    c.w.DataConnectorsBeforeCutover.write({
      TimeGenerated: iso(tBefore),
      ConnectorId: id,
      Kind: kind,
      Name: name,
      State: 'Enabled',
    });
  }
  const tNow = c.nowMs - HOUR;
  for (const [id, kind, name] of [...before, ...appeared]) {
    c.w.DataConnectors.write({ TimeGenerated: iso(tNow), ConnectorId: id, Kind: kind, Name: name, State: 'Enabled' });
  }
}
