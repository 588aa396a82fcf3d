// User rules over what happened after sign-in: alerts, clicks on malicious URLs and the sign-in that
// follows (AiTM), mailbox and consent changes, directory changes that keep an attacker in, activity and
// bulk access from unfamiliar IPs, UEBA, privileged roles. One object per rule (see rule.ts).
import { list, num, plural, some, str } from './context';
import type { Rule } from './rule';
import { kqlBetween, kqlDatetime, kqlList, kqlString, TENANT_DOMAINS_QUERY } from './kql';
import { HOUR, USER_BASELINE_DAYS, UserEnv, describeUnfamiliar, isUsualIp, markUnfamiliar } from './userEnv';

type UserRule = Rule<UserEnv>;

export const USER_THRESHOLDS = { compromised: 60, suspicious: 25 } as const;

const MAILBOX_ACTIONS = [
  'New-InboxRule',
  'Set-InboxRule',
  'UpdateInboxRules',
  'Set-Mailbox',
  'Add-MailboxPermission',
  'Add-RecipientPermission',
  'Set-OwaMailboxPolicy',
  'Set-CASMailbox',
  'Consent to application.',
  'Add delegated permission grant.',
  'Add app role assignment grant to user.',
  'Add OAuth2PermissionGrant.',
];
/** Inbox-rule parameters attackers use to hide mail: delete, mark as read, move to rarely opened folders. */
const HIDING_RULE =
  /DeleteMessage|SoftDeleteMessage|MarkAsRead|"(RSS Feeds|RSS Subscriptions|Conversation History|Archive|Deleted Items|Junk Email)"/i;
const FORWARDING = /ForwardTo|RedirectTo|ForwardAsAttachmentTo|ForwardingSmtpAddress|ForwardingAddress/i;
const PRIVILEGED_ROLE = /admin|administrator|privileged|security operator|exchange|global reader/i;
/** Delegated scopes that read or send mail, reach all files, or keep access (offline_access). */
export const HIGH_PRIVILEGE_SCOPES =
  /\b(Mail\.(Read|ReadWrite|Send)(\.\w+)?|MailboxSettings\.ReadWrite|Files\.(Read|ReadWrite)(\.All)?|Sites\.\w+\.All|Directory\.\w+(\.All)?|User\.ReadWrite\.All|Contacts\.ReadWrite|Notes\.ReadWrite\.All|EWS\.AccessAsUser\.All|full_access_as_user|offline_access)\b/g;
const SECURITY_INFO = 'security info';
const PASSWORD_OPS = [
  'Reset user password',
  'Change user password',
  'Reset password (by admin)',
  'Change password (self-service)',
  'Reset password (self-service)',
  'Self-service password reset flow activity progress',
];
const DEVICE_OPS = [
  'Register device',
  'Add device',
  'Add registered owner to device',
  'Add registered users to device',
];
const CONSENT_OPS = ['Consent to application', 'Add delegated permission grant', 'Add OAuth2PermissionGrant'];
const ACCESS_ACTIONS = /^(FileDownloaded|FileAccessed|FileSyncDownloadedFull|FilePreviewed|MailItemsAccessed)$/i;
/** Bulk: at least this many items from unfamiliar IPs, and this many times the user's daily baseline. */
export const BULK = { items: 20, timesBaseline: 10 } as const;
const AITM_MINUTES = 120;
const CONSENT_AFTER_CLICK_MINUTES = 60;

/** Email addresses (or Exchange recipient names) a mailbox forwards to, from the parameters of an action. */
export function forwardingTargets(details: string): string[] {
  const out: string[] = [];
  const re =
    /"Name"\s*:\s*"(ForwardTo|RedirectTo|ForwardAsAttachmentTo|ForwardingSmtpAddress|ForwardingAddress)"\s*,\s*"Value"\s*:\s*"([^"]*)"/gi;
  for (let m = re.exec(details); m; m = re.exec(details)) {
    for (const part of m[2].split(/[;,]/)) {
      const v = part.trim().replace(/^smtp:/i, '');
      if (v) out.push(v);
    }
  }
  return out;
}

/** Whether every target is inside the tenant (an Exchange recipient name without a domain is internal). */
export function internalTargets(targets: string[], tenantDomains: string[]): boolean {
  if (!targets.length || !tenantDomains.length) return false;
  return targets.every((t) => {
    const at = t.lastIndexOf('@');
    if (at < 0) return true;
    const d = t.slice(at + 1).toLowerCase();
    return tenantDomains.some((td) => d === td || d.endsWith('.' + td));
  });
}

const tenantDomains: UserRule = {
  id: 'U9d',
  title: 'Tenant domains',
  tables: ['IdentityInfo'],
  context: true,
  fires: 'context',
  weight: '0',
  query: () => TENANT_DOMAINS_QUERY,
  score(rows, env) {
    env.facts.tenantDomains = rows.map((r) => str(r.Domain)).filter(Boolean);
    return undefined;
  },
};

const alerts: UserRule = {
  id: 'U8',
  title: 'Alerts naming the user',
  tables: ['AlertEvidence'],
  fires: "alerts with the user's UPN or object id",
  weight: 'High +30, Medium +20, Low +10; +5 per further distinct alert title; max +40',
  query: (env) =>
    [
      'AlertEvidence',
      `| where ${env.inWindow}`,
      `| where AccountUpn =~ ${env.upn} or AccountObjectId =~ ${env.oid}`,
      '| summarize FirstSeen = min(TimeGenerated), EvidenceRows = count() by AlertId, Title, Severity, ServiceSource',
      '| sort by FirstSeen asc, AlertId asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    const sevWeight = (s: string) =>
      (({ high: 30, medium: 20, low: 10 }) as Record<string, number>)[s.toLowerCase()] ?? 0;
    const top = Math.max(...rows.map((r) => sevWeight(str(r.Severity))));
    // The same alert raised by two products (e.g. Defender and a Sentinel rule) counts once.
    const titles = [...new Set(rows.map((r) => `'${str(r.Title)}'`))];
    return {
      weight: Math.min(40, top + 5 * (titles.length - 1)),
      title: `${plural(rows.length, 'alert')} with the user as evidence`,
      tags: ['alerts'],
      clause: `${plural(rows.length, 'alert')} naming the user (${some(titles, 2)})`,
      detail: `Security products raised ${some(titles)} with ${env.u} as evidence.`,
    };
  },
};

const userClicks: UserRule = {
  id: 'U16a',
  title: "The user's clicks",
  tables: ['UrlClickEvents'],
  context: true,
  fires: 'context',
  weight: '0',
  query: (env) =>
    [
      'UrlClickEvents',
      `| where ${env.inWindow}`,
      `| where AccountUpn =~ ${env.upn}`,
      '| where ActionType == "ClickAllowed" or IsClickedThrough == true',
      '| project TimeGenerated, Url',
      '| sort by TimeGenerated asc',
    ].join('\n'),
  score(rows, env) {
    env.facts.clicks = rows.map((r) => ({ url: str(r.Url), at: new Date(str(r.TimeGenerated)) }));
    return undefined;
  },
};

const maliciousClicks: UserRule = {
  id: 'U16',
  title: 'Clicks on malicious URLs',
  tables: ['UrlClickEvents'],
  fires: 'the user clicked a URL that Safe Links flagged (Phish, Malware) or that is an active URL indicator',
  weight: '+10 when the page was reached (allowed or clicked through)',
  benign: 'clicks Safe Links blocked without a click-through: 0 (shown); policy blocks are not verdicts',
  query(env) {
    const ti = env.ctx.hasTable('ThreatIntelIndicators');
    return [
      'UrlClickEvents',
      `| where ${env.inWindow}`,
      `| where AccountUpn =~ ${env.upn}`,
      '| extend UrlKey = tolower(Url)',
      ti
        ? `| join kind=leftouter (ThreatIntelIndicators | where TimeGenerated <= ${kqlDatetime(env.end)} | where ObservableKey has "url" and IsActive == true | summarize TiConfidence = max(Confidence) by UrlKey = tolower(ObservableValue)) on UrlKey`
        : '| extend TiConfidence = 0',
      '| where ThreatTypes has_any ("Phish", "Malware", "Malicious") or TiConfidence > 0',
      '| project TimeGenerated, Url, ActionType, IsClickedThrough, ThreatTypes, TiConfidence, IPAddress',
      '| sort by TimeGenerated asc',
    ].join('\n');
  },
  score(rows, env) {
    if (!rows.length) return undefined;
    const reachedRows = rows.filter((r) => str(r.ActionType) === 'ClickAllowed' || r.IsClickedThrough === true);
    env.facts.badClicks = rows.map((r) => ({
      url: str(r.Url),
      at: new Date(str(r.TimeGenerated)),
      reached: reachedRows.includes(r),
    }));
    const urls = [...new Set(rows.map((r) => str(r.Url)))];
    const reached = reachedRows.length > 0;
    return {
      weight: reached ? 10 : 0,
      title: reached ? 'Clicked a malicious URL' : 'Malicious URL click blocked',
      tags: reached ? ['badClick'] : [],
      clause: reached ? `a click through to a known-malicious URL (${some(urls, 1)})` : '',
      detail: reached
        ? `${env.u} reached ${some(urls)}, which threat intelligence or Safe Links calls malicious. Credentials typed there go to the attacker.`
        : `Safe Links blocked ${env.u}'s ${plural(rows.length, 'click')} on ${some(urls)} and the user did not click through: nothing reached the page.`,
      table: env.ctx.hasTable('ThreatIntelIndicators') ? 'UrlClickEvents, ThreatIntelIndicators' : 'UrlClickEvents',
    };
  },
};

const aitm: UserRule = {
  id: 'U17',
  title: 'Sign-in right after a malicious click (AiTM)',
  tables: ['SigninLogs', 'UrlClickEvents'],
  fires: `a successful sign-in from an IP that is not the user's usual or a shared one within ${AITM_MINUTES} minutes after a click that reached a malicious URL`,
  weight: '+25 (MFA does not help: the proxy relays it)',
  benign: "the user's own sign-ins from usual IPs after the click: 0",
  query(env) {
    const clicks = env.facts.badClicks.filter((c) => c.reached);
    if (!clicks.length) return undefined;
    const usual = [...new Set([...env.facts.knownIps, ...env.facts.sharedIps])].sort();
    const spans = clicks.map(
      (c) =>
        `TimeGenerated between (${kqlDatetime(c.at)} .. ${kqlDatetime(new Date(c.at.getTime() + AITM_MINUTES * 60_000))})`,
    );
    return [
      'SigninLogs',
      `| where ${env.inWindow}`,
      `| where ${env.who}`,
      '| where ResultType == "0"',
      `| where ${spans.join(' or ')}`,
      ...(usual.length ? [`| where IPAddress !in ${kqlList(usual)}`] : []),
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), AuthenticationRequirements = make_set(AuthenticationRequirement) by IPAddress, Location',
      '| sort by FirstSeen asc, IPAddress asc',
    ].join('\n');
  },
  score(rows, env) {
    if (!rows.length) return undefined;
    for (const r of rows)
      markUnfamiliar(
        env,
        str(r.IPAddress),
        str(r.Location),
        new Date(str(r.FirstSeen)),
        'sign-in right after a phishing click',
      );
    const where = rows.map((r) => `${str(r.IPAddress)} (${str(r.Location)})`);
    const mfa = rows.some((r) => list(r.AuthenticationRequirements).some((a) => /multi/i.test(a)));
    return {
      weight: 25,
      title: `Sign-in from ${some(where, 2)} right after a malicious click`,
      tags: ['aitm'],
      clause: `a sign-in from ${some(where, 2)} minutes after a phishing click`,
      detail:
        `Within ${AITM_MINUTES} minutes of reaching a malicious URL, ${env.u} "signed in" from ${some(where)}, an IP the user never uses.` +
        (mfa
          ? ' Multi-factor authentication was satisfied: an adversary-in-the-middle proxy relays the MFA prompt and steals the session cookie.'
          : ''),
    };
  },
};

const mailbox: UserRule = {
  id: 'U9',
  title: 'Mailbox / consent changes',
  tables: ['CloudAppEvents'],
  fires:
    'inbox rules, mailbox-level forwarding (Set-Mailbox -ForwardingSmtpAddress), mailbox permissions, OAuth consent',
  weight:
    'outside forwarding (rule or mailbox) +30; hiding rule (delete, mark as read, move to RSS/Archive/…, blank name) +20; consent +20; mailbox permission +15; +5 per further kind; max +35',
  benign: 'a plain filing rule and forwarding to an address inside the tenant: 0 (shown)',
  query: (env) =>
    [
      'CloudAppEvents',
      `| where ${env.inWindow}`,
      `| where AccountObjectId =~ ${env.oid} or AccountId =~ ${env.upn} or AccountId =~ ${env.oid}`,
      `| where ActionType in~ ${kqlList(MAILBOX_ACTIONS)}`,
      '| project TimeGenerated, ActionType, Application, IPAddress, CountryCode, Details = tostring(RawEventData)',
      '| sort by TimeGenerated asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    const kinds = new Set<string>();
    let weight = 0;
    let mailboxForwarding = false;
    for (const r of rows) {
      const action = str(r.ActionType);
      const details = str(r.Details);
      const targets = forwardingTargets(details);
      const forwards = FORWARDING.test(details) && !internalTargets(targets, env.facts.tenantDomains);
      if (/inboxrule/i.test(action)) {
        const hides =
          HIDING_RULE.test(details) || /"Name"\s*:\s*"Name"\s*,\s*"Value"\s*:\s*"[^A-Za-z0-9"]{0,3}"/.test(details);
        if (forwards || hides) {
          kinds.add(forwards ? 'forwarding' : 'inboxRule');
          weight = Math.max(weight, forwards ? 30 : 20);
        } else kinds.add(FORWARDING.test(details) ? 'internalForwarding' : 'filingRule');
      } else if (/consent|permission grant|app role/i.test(action)) {
        kinds.add('consent');
        weight = Math.max(weight, 20);
      } else if (/Set-Mailbox/i.test(action) && /Forwarding/i.test(details)) {
        if (forwards) {
          kinds.add('forwarding');
          mailboxForwarding = true;
          weight = Math.max(weight, 30);
        } else kinds.add('internalForwarding');
      } else if (/Set-Mailbox|Set-CASMailbox|Set-OwaMailboxPolicy/i.test(action)) {
        kinds.add('mailboxSetting');
      } else {
        kinds.add('mailboxPermission');
        weight = Math.max(weight, 15);
      }
    }
    const scored = [...kinds].filter((k) => !['filingRule', 'internalForwarding', 'mailboxSetting'].includes(k));
    weight = scored.length ? Math.min(35, weight + 5 * (scored.length - 1)) : 0;
    const others = scored.filter((k) => k !== 'consent');
    const base = Math.max(
      0,
      ...others.map(
        (k) => (({ forwarding: 30, inboxRule: 20, mailboxPermission: 15 }) as Record<string, number>)[k] ?? 0,
      ),
    );
    env.facts.mailboxWeightWithoutConsent = others.length ? Math.min(35, base + 5 * (others.length - 1)) : 0;
    const actions = [...new Set(rows.map((r) => str(r.ActionType)))];
    const forwarding = kinds.has('forwarding');
    const benignOnly = scored.length === 0;
    const internal = kinds.has('internalForwarding');
    return {
      weight,
      title: forwarding
        ? mailboxForwarding
          ? 'Mailbox forwarding to an outside address'
          : 'Inbox rule forwarding mail'
        : benignOnly
          ? internal
            ? 'Forwarding inside the tenant'
            : 'Inbox rule (ordinary filing rule)'
          : kinds.has('inboxRule')
            ? 'Inbox rule hiding mail'
            : 'Mailbox or consent changes',
      tags: ['mailbox', ...kinds],
      clause: forwarding
        ? mailboxForwarding
          ? 'mailbox forwarding to an outside address'
          : 'an inbox rule that forwards mail'
        : benignOnly
          ? ''
          : `mailbox or consent changes (${some(actions)})`,
      detail: forwarding
        ? `${env.u} (or someone holding the session) set up ${mailboxForwarding ? 'mailbox-level forwarding (Set-Mailbox)' : 'an inbox rule that forwards or redirects mail'} to an address outside the tenant: attackers do this to keep reading mail and hide replies.`
        : benignOnly
          ? internal
            ? `${env.u} forwards mail to an address inside the tenant (${some(rows.flatMap((r) => forwardingTargets(str(r.Details))))}): a delegate, not an exfiltration path, so it counts as benign.`
            : `${env.u} created an inbox rule that only files mail into a named folder; it neither forwards, deletes nor hides mail, so it counts as benign.`
          : `${some(actions)} by ${env.u}: persistence steps attackers take after a takeover.`,
    };
  },
  finalize(f, env) {
    // The consent rule reads the same grant with its scopes from AuditLogs: count the grant once, there.
    const scopes = env.findings.items.find((x) => x.rule === 'U19');
    if (!f.tags.includes('consent') || !scopes || scopes.evidence.weight <= 0) return;
    f.evidence.weight = env.facts.mailboxWeightWithoutConsent ?? 0;
    f.evidence.detail += ' The consent itself is scored once, by the consent rule (U19), with its scopes.';
  },
};

type AuditKind = 'securityInfo' | 'passwordByOther' | 'selfServiceReset' | 'passwordChange' | 'device';

function auditKind(op: string, initiator: string, u: string): AuditKind | undefined {
  const o = op.toLowerCase();
  if (o.includes(SECURITY_INFO)) return o.includes('started') ? undefined : 'securityInfo';
  if (DEVICE_OPS.some((d) => d.toLowerCase() === o)) return 'device';
  if (PASSWORD_OPS.some((p) => p.toLowerCase() === o)) {
    if (/self-service/.test(o)) return 'selfServiceReset';
    return initiator && initiator !== u ? 'passwordByOther' : 'passwordChange';
  }
  return undefined;
}

const persistence: UserRule = {
  id: 'U18',
  title: 'Directory changes that keep an attacker in',
  tables: ['AuditLogs'],
  fires:
    'security info (MFA method) registered or changed, password reset or changed by another account, device registered; self-service password reset',
  weight:
    'from the IP of an unfamiliar sign-in: MFA method +25, password by another +30, device +15, own password change or self-service reset +20; from another IP the user never used: +10 / +10 / +5 / 0; max +40',
  benign:
    "the same changes from the user's usual or a shared corporate IP: 0 (shown); a self-service reset from a usual IP explains earlier failures",
  query: (env) =>
    [
      'AuditLogs',
      `| where ${env.inWindow}`,
      `| where OperationName has ${kqlString(SECURITY_INFO)} or OperationName in~ ${kqlList([...PASSWORD_OPS, ...DEVICE_OPS])}`,
      '| extend Initiator = tolower(tostring(InitiatedBy.user.userPrincipalName)), InitiatorIp = tostring(InitiatedBy.user.ipAddress), Target = tolower(tostring(TargetResources[0].userPrincipalName)), TargetName = tostring(TargetResources[0].displayName)',
      `| where Target == ${env.upn} or (Initiator == ${env.upn} and isempty(Target))`,
      '| project TimeGenerated, OperationName, Result, Initiator, InitiatorIp, Target, TargetName',
      '| sort by TimeGenerated asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    const byKind = new Map<AuditKind, number>();
    const notes: string[] = [];
    const firstUnfamiliar = Math.min(...[...env.facts.unfamiliar.values()].map((s) => s.at.getTime()));
    for (const r of rows) {
      const kind = auditKind(str(r.OperationName), str(r.Initiator), env.u);
      if (!kind) continue;
      const ip = str(r.InitiatorIp);
      const at = Date.parse(str(r.TimeGenerated));
      const fromUnfamiliar = env.facts.unfamiliar.get(ip);
      const afterUnfamiliar =
        Number.isFinite(firstUnfamiliar) &&
        at >= firstUnfamiliar &&
        at - firstUnfamiliar <= 2 * HOUR &&
        !isUsualIp(env, ip);
      const strange = !!ip && !isUsualIp(env, ip);
      let w = 0;
      if (fromUnfamiliar || afterUnfamiliar) {
        w = { securityInfo: 25, passwordByOther: 30, device: 15, passwordChange: 20, selfServiceReset: 20 }[kind];
        notes.push(
          `${str(r.OperationName)} at ${str(r.TimeGenerated)} from ${fromUnfamiliar ? describeUnfamiliar(fromUnfamiliar) : `${ip}, right after an unfamiliar sign-in`}`,
        );
      } else if (strange) {
        w = { securityInfo: 10, passwordByOther: 10, device: 5, passwordChange: 0, selfServiceReset: 0 }[kind];
        if (w)
          notes.push(
            `${str(r.OperationName)} at ${str(r.TimeGenerated)} from ${ip}, an IP ${env.u} never signed in from`,
          );
      }
      if (
        kind === 'selfServiceReset' &&
        !strange &&
        env.facts.firstBurst &&
        [...env.facts.burstIps].every((x) => isUsualIp(env, x)) &&
        at >= env.facts.firstBurst.getTime() &&
        at - env.facts.firstBurst.getTime() <= 24 * HOUR
      ) {
        env.facts.failuresExplained ??= `A self-service password reset from the user's usual IP address (${ip}) followed the failures (a forgotten password)`;
      }
      byKind.set(kind, Math.max(byKind.get(kind) ?? 0, w));
    }
    if (!byKind.size) return undefined;
    const weight = Math.min(
      40,
      [...byKind.values()].reduce((s, w) => s + w, 0),
    );
    const ops = [...new Set(rows.map((r) => str(r.OperationName)))];
    return {
      weight,
      title: weight
        ? 'Security info, password or device changed from an unfamiliar place'
        : 'Security info, password or device changes from usual places',
      tags: weight ? ['persistence', ...[...byKind].filter(([, w]) => w > 0).map(([k]) => k)] : [],
      clause: weight ? `${some(ops, 2)} from an unfamiliar IP` : '',
      detail: weight
        ? `${notes.join('; ')}. New MFA methods, passwords and devices registered by an intruder keep them in after the password is reset.`
        : `${some(ops)} for ${env.u} came from the user's usual or a shared corporate IP: routine account maintenance, counted as benign.`,
    };
  },
};

const consent: UserRule = {
  id: 'U19',
  title: 'Consent to a high-privilege app',
  tables: ['AuditLogs'],
  fires: 'the user consented to an app asking for mail, file, directory or offline_access scopes',
  weight: `+30 when no one in the tenant consented to the app in the ${USER_BASELINE_DAYS} days before, +5 for a known app; +30 more within ${CONSENT_AFTER_CLICK_MINUTES} minutes after a click (consent phishing); max +60`,
  benign: 'low-privilege scopes (User.Read, openid, profile): 0 (shown)',
  query: (env) =>
    [
      'AuditLogs',
      `| where ${kqlBetween('TimeGenerated', env.baselineStart, env.end)}`,
      `| where OperationName in~ ${kqlList(CONSENT_OPS)}`,
      '| extend Initiator = tolower(tostring(InitiatedBy.user.userPrincipalName)), App = tostring(TargetResources[0].displayName), Permissions = tostring(TargetResources[0].modifiedProperties)',
      `| extend ByUser = Initiator == ${env.upn} and TimeGenerated >= ${kqlDatetime(env.start)}`,
      '| summarize TenantFirstConsent = min(TimeGenerated), UserConsents = countif(ByUser), LastByUser = maxif(TimeGenerated, ByUser), Permissions = make_set_if(Permissions, ByUser) by App',
      '| where UserConsents > 0',
      '| sort by LastByUser asc, App asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    let weight = 0;
    const notes: string[] = [];
    for (const r of rows) {
      const scopes = [...new Set(list(r.Permissions).join(' ').match(HIGH_PRIVILEGE_SCOPES) ?? [])];
      if (!scopes.length) continue;
      const fresh = Date.parse(str(r.TenantFirstConsent)) >= env.start.getTime();
      const at = Date.parse(str(r.LastByUser));
      const click = env.facts.clicks.find(
        (c) => c.at.getTime() <= at && at - c.at.getTime() <= CONSENT_AFTER_CLICK_MINUTES * 60_000,
      );
      const w = (fresh ? 30 : 5) + (click ? 30 : 0);
      weight = Math.max(weight, w);
      notes.push(
        `'${str(r.App)}' (${some(scopes, 4)}${fresh ? ', an app new to the tenant' : ''}${click ? `, ${Math.round((at - click.at.getTime()) / 60_000)} minutes after a click on ${click.url}` : ''})`,
      );
    }
    const apps = rows.map((r) => `'${str(r.App)}'`);
    weight = Math.min(60, weight);
    return {
      weight,
      title: weight
        ? `Consent to a high-privilege app: ${some(apps, 2)}`
        : `Consent to ${some(apps, 2)} (low-privilege scopes)`,
      tags: weight ? ['consent', 'highPrivilegeConsent'] : [],
      clause: weight ? `consent to ${some(notes, 1)}` : '',
      detail: weight
        ? `${env.u} consented to ${some(notes)}. An app holding these delegated scopes reads mail and files without the password, and offline_access keeps it in after a reset: the pattern of consent phishing.`
        : `${env.u} consented to ${some(apps)} with low-privilege scopes only (sign-in and profile): counted as benign.`,
    };
  },
};

const unfamiliarActivity: UserRule = {
  id: 'U20',
  title: 'Activity and bulk access from unfamiliar IPs',
  tables: ['CloudAppEvents'],
  fires:
    'cloud-app activity from the IP of an unfamiliar sign-in (new country on an unknown device or password only, TI, spray, token replay, dormant wake-up, AiTM)',
  weight: `+15 (the session is used); +35 for bulk access (FileDownloaded/FileAccessed/MailItemsAccessed ≥ ${BULK.items} items and ≥ ${BULK.timesBaseline}× the user's daily baseline)`,
  benign: "the same volume from the user's usual or a shared IP: 0 (not queried)",
  query(env) {
    if (!env.facts.unfamiliar.size) return undefined;
    const ips = kqlList([...env.facts.unfamiliar.keys()].sort());
    const inWin = `TimeGenerated >= ${kqlDatetime(env.start)} and IPAddress in ${ips}`;
    return [
      'CloudAppEvents',
      `| where ${kqlBetween('TimeGenerated', env.baselineStart, env.end)}`,
      `| where AccountObjectId =~ ${env.oid} or AccountId =~ ${env.upn} or AccountId =~ ${env.oid}`,
      `| summarize Baseline = countif(TimeGenerated < ${kqlDatetime(env.start)}), FromUnfamiliarIps = countif(${inWin}), FirstSeen = minif(TimeGenerated, ${inWin}), IPAddresses = make_set_if(IPAddress, ${inWin}) by ActionType`,
      '| where FromUnfamiliarIps > 0',
      `| extend BaselinePerDay = round(todouble(Baseline) / ${USER_BASELINE_DAYS}, 2)`,
      '| sort by FromUnfamiliarIps desc, ActionType asc',
    ].join('\n');
  },
  score(rows, env) {
    if (!rows.length) return undefined;
    const bulk = rows.filter(
      (r) =>
        ACCESS_ACTIONS.test(str(r.ActionType)) &&
        num(r.FromUnfamiliarIps) >= BULK.items &&
        num(r.FromUnfamiliarIps) >= BULK.timesBaseline * Math.max(1, num(r.BaselinePerDay)),
    );
    const ips = [...new Set(rows.flatMap((r) => list(r.IPAddresses)))];
    const total = rows.reduce((s, r) => s + num(r.FromUnfamiliarIps), 0);
    const who = ips
      .map((ip) => env.facts.unfamiliar.get(ip))
      .filter((x) => x !== undefined)
      .map(describeUnfamiliar);
    return {
      weight: bulk.length ? 35 : 15,
      title: bulk.length
        ? `Bulk access from an unfamiliar IP: ${some(
            bulk.map((r) => `${num(r.FromUnfamiliarIps)} ${str(r.ActionType)}`),
            2,
          )}`
        : `Activity from an unfamiliar IP: ${some(ips, 2)}`,
      tags: bulk.length ? ['bulkAccess', 'sessionUsed'] : ['sessionUsed'],
      clause: bulk.length
        ? `bulk access (${some(
            bulk.map((r) => `${num(r.FromUnfamiliarIps)} ${str(r.ActionType)}`),
            2,
          )}) from an unfamiliar IP`
        : `activity from ${some(ips, 2)}`,
      detail:
        `${plural(total, 'cloud-app event')} came from ${some(who, 2)}.` +
        (bulk.length
          ? ` ${some(bulk.map((r) => `${num(r.FromUnfamiliarIps)} ${str(r.ActionType)} (baseline ${num(r.BaselinePerDay)} a day)`))}: far above what ${env.u} does, the shape of data theft after a takeover.`
          : ' Someone is using the session from there.'),
    };
  },
};

const ueba: UserRule = {
  id: 'U10',
  title: 'UEBA priority',
  tables: ['BehaviorAnalytics'],
  fires: 'InvestigationPriority ≥ 4',
  weight: '≥ 7: +15; 4–6: +8',
  query: (env) =>
    [
      'BehaviorAnalytics',
      `| where ${env.inWindow}`,
      `| where UserPrincipalName =~ ${env.upn}`,
      '| where InvestigationPriority > 0',
      '| summarize Events = count(), MaxPriority = max(InvestigationPriority), FirstSeen = min(TimeGenerated) by ActivityType, ActionType, SourceIPLocation',
      '| sort by MaxPriority desc, FirstSeen asc, ActionType asc',
    ].join('\n'),
  score(rows, env) {
    const max = Math.max(0, ...rows.map((r) => num(r.MaxPriority)));
    if (max < 4) return undefined;
    return {
      weight: max >= 7 ? 15 : 8,
      title: `UEBA investigation priority ${max}`,
      tags: ['ueba'],
      clause: `UEBA investigation priority ${max}`,
      detail: `User and entity behavior analytics scored ${plural(rows.length, 'activity', 'activities')} as unusual for ${env.u} (priority up to ${max} of 10).`,
    };
  },
};

export const USER_ACTIVITY_RULES: readonly UserRule[] = [
  tenantDomains,
  alerts,
  userClicks,
  maliciousClicks,
  aitm,
  mailbox,
  persistence,
  consent,
  unfamiliarActivity,
  ueba,
];

/** Runs after every other rule: privileged roles raise the impact of a score that is already suspicious. */
export const privilegedRoles: UserRule = {
  id: 'U11',
  title: 'Privileged roles',
  tables: ['IdentityInfo'],
  fires: 'admin roles, and the score is already ≥ 25',
  weight: '+10 (raises impact; 0 otherwise)',
  query: (env) => (env.identity.roles.some((r) => PRIVILEGED_ROLE.test(r)) ? env.identity.query : undefined),
  score(_rows, env) {
    const privileged = env.identity.roles.filter((r) => PRIVILEGED_ROLE.test(r));
    const raises = env.findings.score() >= USER_THRESHOLDS.suspicious;
    return {
      weight: raises ? 10 : 0,
      title: `Privileged roles: ${some(privileged)}`,
      tags: ['privileged'],
      clause: raises ? `privileged roles (${some(privileged)})` : '',
      detail: raises
        ? `${env.u} holds ${some(privileged)}: a takeover of this account reaches far, so the signals above weigh more.`
        : `${env.u} holds ${some(privileged)}; no compromise signal to amplify.`,
    };
  },
};
