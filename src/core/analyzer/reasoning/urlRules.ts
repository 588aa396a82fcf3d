// URL rules: threat intelligence, watchlists, clicks, email delivery, device connections, prevalence,
// look-alike and punycode domains, credential-harvest shapes. One object per rule (see rule.ts).
import { domainToUnicode } from 'url';
import { Row, list, num, plural, some, str } from './context';
import type { Rule, RuleEnv } from './rule';
import { isoSeconds, kqlBetween, kqlDatetime, kqlList, kqlString, TENANT_DOMAINS_QUERY } from './kql';
import { LookAlike, WELL_KNOWN_DOMAINS, findLookAlike } from './lookalike';

export const URL_PREVALENCE_DAYS = 30;
export const URL_THRESHOLDS = { malicious: 60, suspicious: 25 } as const;
/** Signals read from the URL's shape alone (look-alike, punycode, harvest path) never make it Malicious by themselves. */
export const LEXICAL_CAP = 45;
const DAY = 86_400_000;
/** Verdicts that say the URL itself is bad (spam says little about a URL). */
const THREAT = /phish|malware|malicious/i;
/** A Safe Links block that is a verdict (a tenant policy block is not one). */
const isThreatBlock = (action: string) => /block/i.test(action) && !/TenantPolicy/i.test(action);

/** Paths and queries of credential-harvest pages: login forms, OAuth endpoints, a mailbox in the query string. */
export const CREDENTIAL_HARVEST =
  /(^|[/_-])(log-?in|sign-?in|log-?on|auth|authenticate|oauth2?|authorize|sso|verify|verification|password|passwd|webmail|owa|wp-login)(\.php|\.html?|\.aspx?|[/?]|$)|\.php\?([^#]*&)?(user|email|login|username|mail)=|[?&](email|user|username|login)=[^&#]*(@|%40)/i;

export function credentialHarvestShape(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const m = CREDENTIAL_HARVEST.exec(u.pathname + u.search);
  return m ? m[0].replace(/^[/_-]/, '').replace(/[/?]$/, '') : undefined;
}

/** Spellings a table may hold for the same URL (with and without a trailing slash). */
export function urlVariants(url: string): string[] {
  const v = new Set([url]);
  if (url.endsWith('/')) v.add(url.slice(0, -1));
  else v.add(url + '/');
  return [...v];
}

export interface UrlFacts {
  tiMatched: boolean;
  /** The exact URL is an active indicator (not just its domain). */
  tiExactUrl: boolean;
  everSeen: boolean;
  established: boolean;
  clickRows: Row[];
  emailRows: Row[];
  deviceRows: Row[];
  tenantDomains: string[];
  domainQuery?: string;
  /** First sighting of the host in the tenant (mail, clicks, devices) in the prevalence period. */
  firstSeen?: Date;
  /** The host arrived in mail inside the window. */
  inMail: boolean;
  look?: LookAlike;
  /** The table R7's evidence query reads. */
  lookTable?: string;
}

export interface UrlEnv extends RuleEnv {
  url: string;
  host: string;
  bareHost: string;
  variants: string;
  hosts: string;
  inWindow: string;
  prevalenceStart: Date;
  facts: UrlFacts;
}

export function urlEnv(base: RuleEnv, url: string): UrlEnv {
  const host = new URL(url).hostname.toLowerCase();
  const bareHost = host.replace(/^www\./, '');
  return {
    ...base,
    url,
    host,
    bareHost,
    variants: kqlList(urlVariants(url)),
    hosts: kqlList([...new Set([host, bareHost])]),
    inWindow: kqlBetween('TimeGenerated', base.start, base.end),
    prevalenceStart: new Date(base.start.getTime() - URL_PREVALENCE_DAYS * DAY),
    facts: {
      tiMatched: false,
      tiExactUrl: false,
      everSeen: false,
      established: false,
      clickRows: [],
      emailRows: [],
      deviceRows: [],
      tenantDomains: [],
      inMail: false,
    },
  };
}

/** Fresh: first seen in the tenant inside the window. */
const isFresh = (env: UrlEnv) => !!env.facts.firstSeen && env.facts.firstSeen.getTime() >= env.start.getTime();

type UrlRule = Rule<UrlEnv>;

const threatIntel: UrlRule = {
  id: 'R1',
  title: 'Threat intelligence',
  tables: ['ThreatIntelIndicators'],
  fires: 'active URL indicator / active domain indicator / expired or inactive indicator',
  weight: '+60 / +45 / +5',
  benign: 'an expired, inactive indicator counts little',
  query: (env) =>
    [
      'ThreatIntelIndicators',
      `| where TimeGenerated <= ${kqlDatetime(env.end)}`,
      `| where (ObservableKey has "url" and ObservableValue in~ ${env.variants}) or (ObservableKey has "domain" and ObservableValue in~ ${env.hosts})`,
      '| summarize LastUpdated = max(TimeGenerated), Confidence = max(Confidence), ValidUntil = max(ValidUntil) by ObservableKey, ObservableValue, IsActive',
      '| sort by ObservableKey desc, LastUpdated desc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    const active = rows.filter(
      (r) => r.IsActive !== false && !(r.ValidUntil && Date.parse(str(r.ValidUntil)) < env.start.getTime()),
    );
    const urlHit = active.some((r) => /url/i.test(str(r.ObservableKey)));
    const conf = Math.max(0, ...active.map((r) => num(r.Confidence)));
    env.facts.tiMatched = active.length > 0;
    env.facts.tiExactUrl = urlHit;
    return {
      weight: active.length === 0 ? 5 : urlHit ? 60 : 45,
      title: active.length
        ? `Threat intelligence: ${urlHit ? 'URL' : 'domain'} indicator match`
        : 'Threat intelligence: expired indicator',
      tags: active.length ? ['ti'] : [],
      clause: active.length
        ? `a threat-intelligence ${urlHit ? 'URL' : 'domain'} indicator (confidence ${conf})`
        : 'an expired threat-intelligence indicator',
      detail: active.length
        ? `The ${urlHit ? 'URL' : `domain ${env.host}`} is an active threat-intelligence indicator (confidence ${conf}).`
        : 'The URL or domain was a threat-intelligence indicator that is no longer active: it counts little.',
    };
  },
};

const watchlist: UrlRule = {
  id: 'R2',
  title: 'Watchlist',
  tables: ['Watchlist'],
  fires: 'URL or host on a block-like list / an allow-like list / another list',
  weight: '+30 / −15 / +5',
  benign:
    'an allow-listed site whose exact URL is now an active indicator loses the −15 (a compromised partner is at least Suspicious)',
  query: (env) =>
    [
      'Watchlist',
      `| where SearchKey in~ ${kqlList([...urlVariants(env.url), env.host, env.bareHost])}`,
      '| summarize LastUpdated = max(TimeGenerated) by WatchlistAlias, SearchKey, Item = tostring(WatchlistItem)',
      '| sort by WatchlistAlias asc, SearchKey asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    const aliases = [...new Set(rows.map((r) => str(r.WatchlistAlias)))];
    const bad = aliases.filter((a) => /block|malicious|ioc|threat|phish|deny|bad|risk/i.test(a));
    const good = aliases.filter((a) => /allow|trust|approved|safe|benign|sanction|vip|known|partner/i.test(a));
    const contradicted = !bad.length && good.length > 0 && env.facts.tiExactUrl;
    return {
      weight: bad.length ? 30 : contradicted ? 0 : good.length ? -15 : 5,
      title: `Watchlist: ${some(aliases)}`,
      tags: bad.length ? ['watchlistBad'] : good.length && !contradicted ? ['watchlistGood'] : ['watchlist'],
      clause: `listed on the ${some(aliases)} watchlist`,
      detail: bad.length
        ? `The URL or domain is on ${some(bad)}, a list of known-bad indicators.`
        : contradicted
          ? `The site is on ${some(good)}, but this exact URL is now an active threat-intelligence indicator: an approved partner may be compromised, so the approval does not lower the score.`
          : good.length
            ? `The URL or domain is on ${some(good)}, a list of approved destinations.`
            : `The URL or domain is on ${some(aliases)}; review why it was listed.`,
    };
  },
};

const clicks: UrlRule = {
  id: 'R3',
  title: 'Clicks',
  tables: ['UrlClickEvents'],
  fires: 'Safe Links threat type (Phish, Malware…) / blocked clicks; users clicked through',
  weight: '+25 / +15; +10 more if users clicked through; max +35; plain clicks 0',
  benign: "ClickBlockedByTenantPolicy is the tenant's policy, not a threat verdict: 0",
  query: (env) =>
    [
      'UrlClickEvents',
      `| where ${env.inWindow}`,
      `| where Url in~ ${env.variants}`,
      '| summarize Clicks = count(), Users = dcount(AccountUpn), Accounts = make_set(AccountUpn), FirstClick = min(TimeGenerated), LastClick = max(TimeGenerated) by ActionType, IsClickedThrough, ThreatTypes',
      '| sort by FirstClick asc, ActionType asc',
    ].join('\n'),
  score(rows, env) {
    env.facts.clickRows = rows;
    if (!rows.length) return undefined;
    env.facts.everSeen = true;
    const seenBy = new Set(rows.flatMap((r) => list(r.Accounts).map((a) => a.toLowerCase())));
    const threat = rows.some((r) => THREAT.test(str(r.ThreatTypes)));
    const blocked = rows.some((r) => isThreatBlock(str(r.ActionType)));
    const policy = rows.filter((r) => /TenantPolicy/i.test(str(r.ActionType)));
    const through = rows.filter((r) => r.IsClickedThrough === true || str(r.IsClickedThrough).toLowerCase() === 'true');
    const allowed = rows.filter((r) => /allowed/i.test(str(r.ActionType)));
    const throughUsers = [...new Set(through.flatMap((r) => list(r.Accounts)))];
    const reached = [...new Set([...through, ...allowed].flatMap((r) => list(r.Accounts)))];
    const weight = Math.min(35, (threat ? 25 : blocked ? 15 : 0) + (through.length && (threat || blocked) ? 10 : 0));
    const clickCount = rows.reduce((s, r) => s + num(r.Clicks), 0);
    return {
      weight,
      title:
        threat || blocked
          ? 'Clicks flagged by Safe Links'
          : policy.length
            ? 'Clicks blocked by tenant policy'
            : 'Clicks on the URL',
      tags: ['clicked', ...(throughUsers.length ? ['clickedThrough'] : [])],
      clause:
        threat || blocked
          ? `Safe Links ${threat ? 'flagged it as a threat' : 'blocked it'}${throughUsers.length ? ` and ${plural(throughUsers.length, 'user')} clicked through` : ''}`
          : `${plural(clickCount, 'click')} by ${plural(seenBy.size, 'user')}`,
      detail:
        `${plural(clickCount, 'click')} by ${plural(seenBy.size, 'user')} in the window.` +
        (threat
          ? ` Safe Links recorded threat types ${some([...new Set(rows.map((r) => str(r.ThreatTypes)).filter(Boolean))])}.`
          : blocked
            ? ' Some clicks were blocked.'
            : '') +
        (policy.length && !threat && !blocked
          ? " Blocked by the tenant's own policy (ClickBlockedByTenantPolicy), which is a rule about the site, not a threat verdict."
          : '') +
        (reached.length && (threat || blocked)
          ? ` Reached the page (allowed or clicked through): ${some(reached, 5)}.`
          : ''),
    };
  },
};

const email: UrlRule = {
  id: 'R4',
  title: 'Email delivery',
  tables: ['EmailUrlInfo'],
  reads: 'EmailUrlInfo ⋈ EmailEvents',
  fires:
    'messages carrying the URL flagged as phish or malware, wherever they were delivered (inbox, junk, quarantine) / not flagged (or spam only)',
  weight: '+30 / 0',
  query(env) {
    const joined = env.ctx.hasTable('EmailEvents');
    return joined
      ? [
          'EmailUrlInfo',
          `| where ${env.inWindow}`,
          `| where Url in~ ${env.variants}`,
          `| join kind=inner (EmailEvents | where ${kqlBetween('TimeGenerated', new Date(env.start.getTime() - DAY), env.end)} | project NetworkMessageId, SenderFromAddress, RecipientEmailAddress, Subject, DeliveryAction, DeliveryLocation, ThreatTypes) on NetworkMessageId`,
          '| summarize Messages = dcount(NetworkMessageId), Recipients = dcount(RecipientEmailAddress), FirstSeen = min(TimeGenerated), Senders = make_set(SenderFromAddress), Subjects = make_set(Subject) by DeliveryAction, DeliveryLocation, ThreatTypes',
          '| sort by FirstSeen asc, DeliveryLocation asc',
        ].join('\n')
      : [
          'EmailUrlInfo',
          `| where ${env.inWindow}`,
          `| where Url in~ ${env.variants}`,
          '| summarize Messages = dcount(NetworkMessageId), FirstSeen = min(TimeGenerated) by UrlLocation',
          '| sort by FirstSeen asc',
        ].join('\n');
  },
  score(rows, env) {
    env.facts.emailRows = rows;
    if (!rows.length) return undefined;
    env.facts.everSeen = true;
    const messages = rows.reduce((s, r) => s + num(r.Messages), 0);
    const threatRows = rows.filter((r) => THREAT.test(str(r.ThreatTypes)));
    const threat = threatRows.length > 0;
    const inbox = rows.filter((r) => /inbox|delivered/i.test(`${str(r.DeliveryLocation)} ${str(r.DeliveryAction)}`));
    const elsewhere = [
      ...new Set(threatRows.map((r) => str(r.DeliveryLocation)).filter((l) => l && !/inbox/i.test(l))),
    ];
    const senders = [...new Set(rows.flatMap((r) => list(r.Senders)))];
    return {
      weight: threat ? 30 : 0,
      title: threat ? 'Delivered in email flagged as a threat' : 'Delivered in email',
      tags: ['email', ...(inbox.length ? ['delivered'] : [])],
      clause: `${plural(messages, 'email')}${threat ? ' flagged as a threat' : ''}${inbox.length ? ' delivered to mailboxes' : ''}`,
      table: env.ctx.hasTable('EmailEvents') ? 'EmailUrlInfo, EmailEvents' : 'EmailUrlInfo',
      detail:
        `${plural(messages, 'message')} carried the URL${senders.length ? ` from ${some(senders)}` : ''}.` +
        (threat
          ? ` Defender for Office 365 classified them as ${some([...new Set(threatRows.map((r) => str(r.ThreatTypes)))])}${elsewhere.length ? ` (sent to ${some(elsewhere)}: the verdict counts even though the mail did not reach the inbox)` : ''}.`
          : '') +
        (inbox.length
          ? ` ${plural(
              inbox.reduce((s, r) => s + num(r.Messages), 0),
              'message',
            )} reached the inbox or another mailbox folder.`
          : ''),
    };
  },
};

const devices: UrlRule = {
  id: 'R5',
  title: 'Device connections',
  tables: ['DeviceNetworkEvents'],
  fires: 'connections to the host',
  weight: '0 (context: names the devices to investigate)',
  query: (env) =>
    [
      'DeviceNetworkEvents',
      `| where ${env.inWindow}`,
      `| where RemoteUrl has ${kqlString(env.host)}`,
      '| summarize Connections = count(), Devices = dcount(DeviceName), DeviceNames = make_set(DeviceName), Processes = make_set(InitiatingProcessFileName), FirstSeen = min(TimeGenerated) by ActionType',
      '| sort by FirstSeen asc, ActionType asc',
    ].join('\n'),
  score(rows, env) {
    env.facts.deviceRows = rows;
    if (!rows.length) return undefined;
    env.facts.everSeen = true;
    const names = [...new Set(rows.flatMap((r) => list(r.DeviceNames)))];
    const ok = rows.some((r) => /success/i.test(str(r.ActionType)));
    return {
      weight: 0,
      title: `Device connections to ${env.host}`,
      tags: ['devices'],
      clause: `${plural(names.length, 'device')} connected to ${env.host}`,
      detail: `${some(names, 5)} ${ok ? 'connected' : 'tried to connect'} to ${env.host} in the window. Connections alone say nothing about intent; they show which devices to check if the URL is bad.`,
    };
  },
};

const prevalence: UrlRule = {
  id: 'R6',
  title: 'Prevalence',
  tables: [],
  reads: 'UrlClickEvents (else DeviceNetworkEvents)',
  fires:
    '≥ 10 users, seen before the window, never blocked by a threat verdict, no TI / first seen in the window by ≤ 3',
  weight: '−15 / +5',
  query(env) {
    if (env.ctx.hasTable('UrlClickEvents')) {
      return [
        'UrlClickEvents',
        `| where ${kqlBetween('TimeGenerated', env.prevalenceStart, env.end)}`,
        `| where Url has ${kqlString(env.host)}`,
        '| summarize Clicks = count(), Users = dcount(AccountUpn), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), Blocked = countif(ActionType has "Blocked" and ActionType != "ClickBlockedByTenantPolicy")',
      ].join('\n');
    }
    if (env.ctx.hasTable('DeviceNetworkEvents')) {
      return [
        'DeviceNetworkEvents',
        `| where ${kqlBetween('TimeGenerated', env.prevalenceStart, env.end)}`,
        `| where RemoteUrl has ${kqlString(env.host)}`,
        '| summarize Connections = count(), Devices = dcount(DeviceName), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)',
      ].join('\n');
    }
    return undefined;
  },
  score(rows, env) {
    const clicksTable = env.ctx.hasTable('UrlClickEvents');
    const r = rows[0] ?? {};
    const population = num(clicksTable ? r.Users : r.Devices);
    const events = num(clicksTable ? r.Clicks : r.Connections);
    const first = Date.parse(str(r.FirstSeen));
    if (events <= 0) return undefined;
    env.facts.everSeen = true;
    const old = Number.isFinite(first) && first < env.start.getTime();
    const fresh = Number.isFinite(first) && first >= env.start.getTime();
    env.facts.established = population >= 10 && old && num(r.Blocked) === 0 && !env.facts.tiMatched;
    const who = clicksTable ? 'user' : 'device';
    return {
      weight: env.facts.established ? -15 : fresh && population <= 3 ? 5 : 0,
      title: `Prevalence of ${env.host} in the tenant`,
      table: clicksTable ? 'UrlClickEvents' : 'DeviceNetworkEvents',
      tags: env.facts.established ? ['established'] : fresh ? ['new'] : [],
      clause: env.facts.established
        ? `an established destination (${plural(population, who)}, seen before the window)`
        : fresh
          ? `first seen in the tenant on ${isoSeconds(new Date(first))}`
          : '',
      detail: env.facts.established
        ? `${plural(population, who)} reached ${env.host} ${plural(events, 'time')} since ${isoSeconds(new Date(first))} without a block: a well-established destination.`
        : fresh
          ? `${env.host} was first seen in the tenant inside the analysis window, by ${plural(population, who)}: new, rarely seen domains are riskier.`
          : `${env.host} was seen ${plural(events, 'time')} by ${plural(population, who)} in the last ${URL_PREVALENCE_DAYS} days.`,
    };
  },
};

/** Where the host shows up in the tenant (mail, clicks, devices) over the prevalence period. */
function sightingsQuery(env: UrlEnv): string | undefined {
  const parts: string[] = [];
  const span = kqlBetween('TimeGenerated', env.prevalenceStart, env.end);
  const h = kqlString(env.host);
  if (env.ctx.hasTable('EmailUrlInfo'))
    parts.push(`(EmailUrlInfo | where ${span} | where Url has ${h} | project TimeGenerated, Source = "email")`);
  if (env.ctx.hasTable('UrlClickEvents'))
    parts.push(`(UrlClickEvents | where ${span} | where Url has ${h} | project TimeGenerated, Source = "click")`);
  if (env.ctx.hasTable('DeviceNetworkEvents'))
    parts.push(
      `(DeviceNetworkEvents | where ${span} | where RemoteUrl has ${h} | project TimeGenerated, Source = "device")`,
    );
  if (!parts.length) return undefined;
  return [
    `union ${parts.join(', ')}`,
    `| summarize FirstSeen = min(TimeGenerated), Sightings = count(), InMailInWindow = countif(Source == "email" and TimeGenerated >= ${kqlDatetime(env.start)}) by Source`,
    '| sort by FirstSeen asc, Source asc',
  ].join('\n');
}

const sightings: UrlRule = {
  id: 'R0',
  title: 'Sightings of the host',
  tables: [],
  context: true,
  fires: 'context',
  weight: '0',
  query: sightingsQuery,
  score(rows, env) {
    const firsts = rows.map((r) => Date.parse(str(r.FirstSeen))).filter(Number.isFinite);
    if (firsts.length) env.facts.firstSeen = new Date(Math.min(...firsts));
    env.facts.inMail = rows.some((r) => num(r.InMailInWindow) > 0);
    return undefined;
  },
};

const tenantDomains: UrlRule = {
  id: 'R7d',
  title: 'Tenant domains',
  tables: ['IdentityInfo'],
  context: true,
  fires: 'context',
  weight: '0',
  query: () => TENANT_DOMAINS_QUERY,
  score(rows, env) {
    env.facts.tenantDomains = rows.map((r) => str(r.Domain)).filter(Boolean);
    env.facts.domainQuery = tenantDomains.query(env);
    return undefined;
  },
};

const lookalike: UrlRule = {
  id: 'R7',
  title: 'Look-alike / punycode',
  tables: [],
  reads: 'IdentityInfo (tenant domains) or where the host was seen',
  fires:
    'homoglyph of a tenant or well-known domain / punycode homoglyph / typosquat (one edit) / brand in the name / any other punycode (IDN) domain, shown decoded',
  weight:
    '+35 / +40 / +30 / +20 / +15; +5 more (+10 for the plain punycode case) when the host is first seen in the window and arrives in mail',
  benign: 'an IDN domain the tenant has used for weeks stays at +15, offset by prevalence',
  query(env) {
    const look = findLookAlike(env.host, [...env.facts.tenantDomains, ...WELL_KNOWN_DOMAINS]);
    env.facts.look = look;
    if (!look) return undefined;
    const f = env.facts;
    const pick = (table: string, q: string) => {
      f.lookTable = table;
      return q;
    };
    const own = f.tenantDomains.includes(look.imitates);
    if (own && f.domainQuery)
      return pick(
        'IdentityInfo',
        f.domainQuery.replace('| where isnotempty(Domain)', `| where Domain == ${kqlString(look.imitates)}`),
      );
    if (!look.imitates && f.inMail && env.ctx.hasTable('EmailUrlInfo')) {
      return pick(
        'EmailUrlInfo',
        [
          'EmailUrlInfo',
          `| where ${env.inWindow}`,
          `| where Url has ${kqlString(env.host)}`,
          '| summarize Messages = dcount(NetworkMessageId), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by UrlDomain',
        ].join('\n'),
      );
    }
    if (f.clickRows.length || f.emailRows.length || f.deviceRows.length || env.ctx.hasTable('UrlClickEvents')) {
      const t = env.ctx.hasTable('UrlClickEvents')
        ? 'UrlClickEvents'
        : env.ctx.hasTable('DeviceNetworkEvents')
          ? 'DeviceNetworkEvents'
          : 'EmailUrlInfo';
      const col = t === 'DeviceNetworkEvents' ? 'RemoteUrl' : 'Url';
      return pick(
        t,
        [
          t,
          `| where ${kqlBetween('TimeGenerated', env.prevalenceStart, env.end)}`,
          `| where ${col} has ${kqlString(env.host)}`,
          '| summarize Sightings = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)',
        ].join('\n'),
      );
    }
    return pick('IdentityInfo', f.domainQuery ?? 'IdentityInfo | summarize Accounts = count()');
  },
  score(_rows, env) {
    const look = env.facts.look!;
    const own = env.facts.tenantDomains.includes(look.imitates);
    const freshInMail = env.facts.inMail && isFresh(env);
    return {
      weight: look.weight + (freshInMail ? (look.imitates ? 5 : 10) : 0),
      title: look.imitates ? `Look-alike domain of ${look.imitates}` : `Punycode domain ${look.displayHost}`,
      table: env.facts.lookTable,
      tags: ['lookalike'],
      clause: `${look.imitates ? `a look-alike of ${look.imitates}` : `a punycode domain (${look.displayHost})`}${freshInMail ? ' new to the tenant and arriving in mail' : ''}`,
      detail:
        look.explanation +
        (own ? ` ${look.imitates} is this tenant's own domain (see rows).` : '') +
        (freshInMail
          ? ` ${env.host} was first seen in the tenant on ${isoSeconds(env.facts.firstSeen!)} and arrives in mail: a new ${look.imitates ? 'look-alike' : 'internationalised'} name sent to users is a common phishing device.`
          : ''),
    };
  },
};

const harvest: UrlRule = {
  id: 'R8',
  title: 'Credential-harvest shape on a fresh domain',
  tables: [],
  reads: 'EmailUrlInfo, UrlClickEvents, DeviceNetworkEvents (first sighting)',
  fires:
    'a login / sign-in / OAuth authorize / password path or a `.php?user=` style query on a host first seen in the tenant inside the window',
  weight: `+25; the URL-shape rules R7 and R8 together count at most +${LEXICAL_CAP}`,
  benign: 'the same paths on a host seen before the window (an established login page): 0',
  query: (env) => (credentialHarvestShape(env.url) && isFresh(env) ? sightingsQuery(env) : undefined),
  score(rows, env) {
    if (!rows.length) return undefined;
    const shape = credentialHarvestShape(env.url)!;
    const shown = env.host.includes('xn--') ? `${domainToUnicode(env.host) || env.host}` : env.host;
    return {
      weight: 25,
      title: `Credential-harvest shape on a fresh domain: ${shape}`,
      table: ['EmailUrlInfo', 'UrlClickEvents', 'DeviceNetworkEvents'].filter((t) => env.ctx.hasTable(t)).join(', '),
      tags: ['harvestShape'],
      clause: `a credential-harvest path ('${shape}') on a domain first seen on ${isoSeconds(env.facts.firstSeen!)}`,
      detail: `The URL's path '${shape}' is the shape of a sign-in or credential form, and ${shown} was first seen in the tenant on ${isoSeconds(env.facts.firstSeen!)}, inside the window: real sign-in pages live on domains users have visited for a long time.`,
    };
  },
  finalize(f, env) {
    const look = env.findings.items.find((x) => x.rule === 'R7');
    const other = look?.evidence.weight ?? 0;
    if (other + f.evidence.weight <= LEXICAL_CAP) return;
    f.evidence.weight = Math.max(0, LEXICAL_CAP - other);
    f.evidence.detail += ` Signals from the URL's shape alone (look-alike name and path) count at most +${LEXICAL_CAP} together, so this adds ${f.evidence.weight}.`;
  },
};

export const URL_RULES: readonly UrlRule[] = [
  threatIntel,
  watchlist,
  clicks,
  email,
  devices,
  prevalence,
  sightings,
  tenantDomains,
  lookalike,
  harvest,
];
