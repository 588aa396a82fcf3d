// URL rules: threat intelligence, watchlists, clicks, email delivery, device connections, prevalence,
// look-alike domains. Each is a KQL query over the lake; its rows are the evidence. See README.md.
import type { Confidence, UrlVerdict } from '../types';
import { Findings, Finding, ReasoningContext, Row, joinAnd, list, num, plural, runRows, some, str } from './context';
import { isoSeconds, kqlBetween, kqlDatetime, kqlList, kqlString } from './kql';
import { WELL_KNOWN_DOMAINS, findLookAlike } from './lookalike';

export const URL_PREVALENCE_DAYS = 30;
export const URL_THRESHOLDS = { malicious: 60, suspicious: 25 } as const;
const DAY = 86_400_000;
/** Verdicts that say the URL itself is bad (spam says little about a URL). */
const THREAT = /phish|malware|malicious/i;

export interface UrlReasoning {
  verdict: UrlVerdict;
  confidence: Confidence;
  score: number;
  findings: Finding[];
  summary: string;
  narrative: string;
  recommendations: string[];
}

/** Spellings a table may hold for the same URL (with and without a trailing slash). */
export function urlVariants(url: string): string[] {
  const v = new Set([url]);
  if (url.endsWith('/')) v.add(url.slice(0, -1));
  else v.add(url + '/');
  return [...v];
}

export async function reasonAboutUrl(ctx: ReasoningContext, url: string, start: Date, end: Date): Promise<UrlReasoning> {
  const f = new Findings();
  const host = new URL(url).hostname.toLowerCase();
  const bareHost = host.replace(/^www\./, '');
  const variants = kqlList(urlVariants(url));
  const hosts = kqlList([...new Set([host, bareHost])]);
  const inWindow = kqlBetween('TimeGenerated', start, end);
  const prevalenceStart = new Date(start.getTime() - URL_PREVALENCE_DAYS * DAY);
  const seenBy = new Set<string>();
  let tiMatched = false;
  let everSeen = false;
  let established = false;

  // R1 threat intelligence: URL and domain indicators.
  if (ctx.hasTable('ThreatIntelIndicators')) {
    const q = [
      'ThreatIntelIndicators',
      `| where TimeGenerated <= ${kqlDatetime(end)}`,
      `| where (ObservableKey has "url" and ObservableValue in~ ${variants}) or (ObservableKey has "domain" and ObservableValue in~ ${hosts})`,
      '| summarize LastUpdated = max(TimeGenerated), Confidence = max(Confidence), ValidUntil = max(ValidUntil) by ObservableKey, ObservableValue, IsActive',
      '| sort by ObservableKey desc, LastUpdated desc',
    ].join('\n');
    const rows = await runRows(ctx, q);
    if (rows.length) {
      const active = rows.filter((r) => r.IsActive !== false && !(r.ValidUntil && Date.parse(str(r.ValidUntil)) < start.getTime()));
      const urlHit = active.some((r) => /url/i.test(str(r.ObservableKey)));
      const conf = Math.max(0, ...active.map((r) => num(r.Confidence)));
      const weight = active.length === 0 ? 10 : urlHit ? 60 : 45;
      tiMatched = active.length > 0;
      f.add({
        rule: 'R1',
        tags: active.length ? ['ti'] : [],
        clause: active.length ? `a threat-intelligence ${urlHit ? 'URL' : 'domain'} indicator (confidence ${conf})` : 'an expired threat-intelligence indicator',
        evidence: {
          title: active.length ? `Threat intelligence: ${urlHit ? 'URL' : 'domain'} indicator match` : 'Threat intelligence: expired indicator',
          table: 'ThreatIntelIndicators',
          query: q,
          rows,
          weight,
          detail: active.length
            ? `The ${urlHit ? 'URL' : `domain ${host}`} is an active threat-intelligence indicator (confidence ${conf}).`
            : 'The URL or domain was a threat-intelligence indicator that is no longer active.',
        },
      });
    }
  }

  // R2 watchlists: allow-lists lower the score, block-lists raise it.
  if (ctx.hasTable('Watchlist')) {
    const q = [
      'Watchlist',
      `| where SearchKey in~ ${kqlList([...urlVariants(url), host, bareHost])}`,
      '| summarize LastUpdated = max(TimeGenerated) by WatchlistAlias, SearchKey, Item = tostring(WatchlistItem)',
      '| sort by WatchlistAlias asc, SearchKey asc',
    ].join('\n');
    const rows = await runRows(ctx, q);
    if (rows.length) {
      const aliases = [...new Set(rows.map((r) => str(r.WatchlistAlias)))];
      const bad = aliases.filter((a) => /block|malicious|ioc|threat|phish|deny|bad|risk/i.test(a));
      const good = aliases.filter((a) => /allow|trust|approved|safe|benign|sanction|vip|known/i.test(a));
      const weight = bad.length ? 30 : good.length ? -15 : 5;
      f.add({
        rule: 'R2',
        tags: bad.length ? ['watchlistBad'] : good.length ? ['watchlistGood'] : ['watchlist'],
        clause: `listed on the ${some(aliases)} watchlist`,
        evidence: {
          title: `Watchlist: ${some(aliases)}`,
          table: 'Watchlist',
          query: q,
          rows,
          weight,
          detail: bad.length
            ? `The URL or domain is on ${some(bad)}, a list of known-bad indicators.`
            : good.length
              ? `The URL or domain is on ${some(good)}, a list of approved destinations.`
              : `The URL or domain is on ${some(aliases)}; review why it was listed.`,
        },
      });
    }
  }

  // R3 clicks: Safe Links verdicts, blocked clicks, users who clicked through a warning.
  let clickRows: Row[] = [];
  if (ctx.hasTable('UrlClickEvents')) {
    const q = [
      'UrlClickEvents',
      `| where ${inWindow}`,
      `| where Url in~ ${variants}`,
      '| summarize Clicks = count(), Users = dcount(AccountUpn), Accounts = make_set(AccountUpn), FirstClick = min(TimeGenerated), LastClick = max(TimeGenerated) by ActionType, IsClickedThrough, ThreatTypes',
      '| sort by FirstClick asc, ActionType asc',
    ].join('\n');
    clickRows = await runRows(ctx, q);
    if (clickRows.length) {
      everSeen = true;
      for (const r of clickRows) list(r.Accounts).forEach((a) => seenBy.add(a.toLowerCase()));
      const threat = clickRows.some((r) => THREAT.test(str(r.ThreatTypes)));
      const blocked = clickRows.some((r) => /block/i.test(str(r.ActionType)));
      const through = clickRows.filter((r) => r.IsClickedThrough === true || str(r.IsClickedThrough).toLowerCase() === 'true');
      const allowed = clickRows.filter((r) => /allowed/i.test(str(r.ActionType)));
      const throughUsers = [...new Set(through.flatMap((r) => list(r.Accounts)))];
      const reached = [...new Set([...through, ...allowed].flatMap((r) => list(r.Accounts)))];
      let weight = (threat ? 25 : blocked ? 15 : 0) + (through.length && (threat || blocked) ? 10 : 0);
      weight = Math.min(35, weight);
      const clicks = clickRows.reduce((s, r) => s + num(r.Clicks), 0);
      f.add({
        rule: 'R3',
        tags: ['clicked', ...(throughUsers.length ? ['clickedThrough'] : [])],
        clause: threat || blocked
          ? `Safe Links ${threat ? 'flagged it as a threat' : 'blocked it'}${throughUsers.length ? ` and ${plural(throughUsers.length, 'user')} clicked through` : ''}`
          : `${plural(clicks, 'click')} by ${plural(seenBy.size, 'user')}`,
        evidence: {
          title: threat || blocked ? 'Clicks flagged by Safe Links' : 'Clicks on the URL',
          table: 'UrlClickEvents',
          query: q,
          rows: clickRows,
          weight,
          detail:
            `${plural(clicks, 'click')} by ${plural(seenBy.size, 'user')} in the window.` +
            (threat ? ` Safe Links recorded threat types ${some([...new Set(clickRows.map((r) => str(r.ThreatTypes)).filter(Boolean))])}.` : blocked ? ' Some clicks were blocked.' : '') +
            (reached.length && (threat || blocked) ? ` Reached the page (allowed or clicked through): ${some(reached, 5)}.` : ''),
        },
      });
    }
  }

  // R4 delivery in email.
  let emailRows: Row[] = [];
  if (ctx.hasTable('EmailUrlInfo')) {
    const joined = ctx.hasTable('EmailEvents');
    const q = joined
      ? [
          'EmailUrlInfo',
          `| where ${inWindow}`,
          `| where Url in~ ${variants}`,
          `| join kind=inner (EmailEvents | where ${kqlBetween('TimeGenerated', new Date(start.getTime() - DAY), end)} | project NetworkMessageId, SenderFromAddress, RecipientEmailAddress, Subject, DeliveryAction, DeliveryLocation, ThreatTypes) on NetworkMessageId`,
          '| summarize Messages = dcount(NetworkMessageId), Recipients = dcount(RecipientEmailAddress), FirstSeen = min(TimeGenerated), Senders = make_set(SenderFromAddress), Subjects = make_set(Subject) by DeliveryAction, DeliveryLocation, ThreatTypes',
          '| sort by FirstSeen asc, DeliveryLocation asc',
        ].join('\n')
      : [
          'EmailUrlInfo',
          `| where ${inWindow}`,
          `| where Url in~ ${variants}`,
          '| summarize Messages = dcount(NetworkMessageId), FirstSeen = min(TimeGenerated) by UrlLocation',
          '| sort by FirstSeen asc',
        ].join('\n');
    emailRows = await runRows(ctx, q);
    if (emailRows.length) {
      everSeen = true;
      const messages = emailRows.reduce((s, r) => s + num(r.Messages), 0);
      const threat = emailRows.some((r) => THREAT.test(str(r.ThreatTypes)));
      const inbox = emailRows.filter((r) => /inbox|delivered/i.test(`${str(r.DeliveryLocation)} ${str(r.DeliveryAction)}`));
      const senders = [...new Set(emailRows.flatMap((r) => list(r.Senders)))];
      f.add({
        rule: 'R4',
        tags: ['email', ...(inbox.length ? ['delivered'] : [])],
        clause: `${plural(messages, 'email')}${threat ? ' flagged as a threat' : ''}${inbox.length ? ' delivered to mailboxes' : ''}`,
        evidence: {
          title: threat ? 'Delivered in email flagged as a threat' : 'Delivered in email',
          table: joined ? 'EmailUrlInfo, EmailEvents' : 'EmailUrlInfo',
          query: q,
          rows: emailRows,
          weight: threat ? 20 : 0,
          detail:
            `${plural(messages, 'message')} carried the URL${senders.length ? ` from ${some(senders)}` : ''}.` +
            (threat ? ` Defender for Office 365 classified them as ${some([...new Set(emailRows.map((r) => str(r.ThreatTypes)).filter(Boolean))])}.` : '') +
            (inbox.length ? ` ${plural(inbox.reduce((s, r) => s + num(r.Messages), 0), 'message')} reached the inbox or another mailbox folder.` : ''),
        },
      });
    }
  }

  // R5 device connections to the host.
  let deviceRows: Row[] = [];
  if (ctx.hasTable('DeviceNetworkEvents')) {
    const q = [
      'DeviceNetworkEvents',
      `| where ${inWindow}`,
      `| where RemoteUrl has ${kqlString(host)}`,
      '| summarize Connections = count(), Devices = dcount(DeviceName), DeviceNames = make_set(DeviceName), Processes = make_set(InitiatingProcessFileName), FirstSeen = min(TimeGenerated) by ActionType',
      '| sort by FirstSeen asc, ActionType asc',
    ].join('\n');
    deviceRows = await runRows(ctx, q);
    if (deviceRows.length) {
      everSeen = true;
      const devices = [...new Set(deviceRows.flatMap((r) => list(r.DeviceNames)))];
      const ok = deviceRows.some((r) => /success/i.test(str(r.ActionType)));
      f.add({
        rule: 'R5',
        tags: ['devices'],
        clause: `${plural(devices.length, 'device')} connected to ${host}`,
        evidence: {
          title: `Device connections to ${host}`,
          table: 'DeviceNetworkEvents',
          query: q,
          rows: deviceRows,
          weight: 0,
          detail: `${some(devices, 5)} ${ok ? 'connected' : 'tried to connect'} to ${host} in the window. Connections alone say nothing about intent; they show which devices to check if the URL is bad.`,
        },
      });
    }
  }

  // R6 prevalence across the tenant: long-established, widely used destinations are rarely malicious.
  if (ctx.hasTable('UrlClickEvents') || ctx.hasTable('DeviceNetworkEvents')) {
    const clicks = ctx.hasTable('UrlClickEvents');
    const q = clicks
      ? [
          'UrlClickEvents',
          `| where ${kqlBetween('TimeGenerated', prevalenceStart, end)}`,
          `| where Url has ${kqlString(host)}`,
          '| summarize Clicks = count(), Users = dcount(AccountUpn), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), Blocked = countif(ActionType has "Blocked")',
        ].join('\n')
      : [
          'DeviceNetworkEvents',
          `| where ${kqlBetween('TimeGenerated', prevalenceStart, end)}`,
          `| where RemoteUrl has ${kqlString(host)}`,
          '| summarize Connections = count(), Devices = dcount(DeviceName), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)',
        ].join('\n');
    const rows = await runRows(ctx, q);
    const r = rows[0] ?? {};
    const population = num(clicks ? r.Users : r.Devices);
    const events = num(clicks ? r.Clicks : r.Connections);
    const first = Date.parse(str(r.FirstSeen));
    if (events > 0) {
      everSeen = true;
      const old = Number.isFinite(first) && first < start.getTime();
      const fresh = Number.isFinite(first) && first >= start.getTime();
      established = population >= 10 && old && num(r.Blocked) === 0 && !tiMatched;
      const weight = established ? -15 : fresh && population <= 3 ? 5 : 0;
      f.add({
        rule: 'R6',
        tags: established ? ['established'] : fresh ? ['new'] : [],
        clause: established
          ? `an established destination (${plural(population, clicks ? 'user' : 'device')}, seen before the window)`
          : fresh ? `first seen in the tenant on ${isoSeconds(new Date(first))}` : '',
        evidence: {
          title: `Prevalence of ${host} in the tenant`,
          table: clicks ? 'UrlClickEvents' : 'DeviceNetworkEvents',
          query: q,
          rows,
          weight,
          detail: established
            ? `${plural(population, clicks ? 'user' : 'device')} reached ${host} ${plural(events, 'time')} since ${isoSeconds(new Date(first))} without a block: a well-established destination.`
            : fresh
              ? `${host} was first seen in the tenant inside the analysis window, by ${plural(population, clicks ? 'user' : 'device')}: new, rarely seen domains are riskier.`
              : `${host} was seen ${plural(events, 'time')} by ${plural(population, clicks ? 'user' : 'device')} in the last ${URL_PREVALENCE_DAYS} days.`,
        },
      });
    }
  }

  // R7 look-alike / punycode domains against the tenant's domains and well-known brands.
  let tenantDomains: string[] = [];
  let domainQuery: string | undefined;
  if (ctx.hasTable('IdentityInfo')) {
    domainQuery = [
      'IdentityInfo',
      '| extend Domain = tolower(tostring(split(AccountUPN, "@")[1]))',
      '| where isnotempty(Domain)',
      '| summarize Accounts = dcount(AccountUPN) by Domain',
      '| sort by Accounts desc, Domain asc',
    ].join('\n');
    tenantDomains = (await runRows(ctx, domainQuery)).map((r) => str(r.Domain)).filter(Boolean);
  }
  const look = findLookAlike(host, [...tenantDomains, ...WELL_KNOWN_DOMAINS]);
  if (look) {
    const ownDomain = tenantDomains.includes(look.imitates);
    let q: string;
    let table: string;
    if (ownDomain && domainQuery) {
      q = domainQuery.replace('| where isnotempty(Domain)', `| where Domain == ${kqlString(look.imitates)}`);
      table = 'IdentityInfo';
    } else if (clickRows.length || emailRows.length || deviceRows.length || ctx.hasTable('UrlClickEvents')) {
      // Where the look-alike domain shows up in the tenant.
      const t = ctx.hasTable('UrlClickEvents') ? 'UrlClickEvents' : ctx.hasTable('DeviceNetworkEvents') ? 'DeviceNetworkEvents' : 'EmailUrlInfo';
      const col = t === 'DeviceNetworkEvents' ? 'RemoteUrl' : 'Url';
      q = [t, `| where ${kqlBetween('TimeGenerated', prevalenceStart, end)}`, `| where ${col} has ${kqlString(host)}`, '| summarize Sightings = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated)'].join('\n');
      table = t;
    } else {
      q = domainQuery ?? 'IdentityInfo | summarize Accounts = count()';
      table = 'IdentityInfo';
    }
    const rows = await runRows(ctx, q);
    f.add({
      rule: 'R7',
      tags: ['lookalike'],
      clause: look.imitates ? `a look-alike of ${look.imitates}` : 'a punycode domain',
      evidence: {
        title: look.imitates ? `Look-alike domain of ${look.imitates}` : 'Punycode domain',
        table,
        query: q,
        rows,
        weight: ownDomain ? look.weight : look.weight,
        detail: look.explanation + (ownDomain ? ` ${look.imitates} is this tenant's own domain (see rows).` : ''),
      },
    });
  }

  const score = f.score();
  const verdict: UrlVerdict =
    score >= URL_THRESHOLDS.malicious ? 'Malicious' : score >= URL_THRESHOLDS.suspicious ? 'Suspicious' : 'No evidence of malicious activity';
  const positive = f.positive();
  let confidence: Confidence;
  if (verdict === 'Malicious') confidence = tiMatched || score >= 90 ? 'High' : 'Medium';
  else if (verdict === 'Suspicious') confidence = positive.length >= 2 ? 'Medium' : 'Low';
  else confidence = !everSeen ? 'Low' : established && positive.length === 0 ? 'High' : 'Medium';

  const clauses = positive.sort((a, b) => b.evidence.weight - a.evidence.weight).map((x) => x.clause).filter(Boolean);
  let summary: string;
  if (verdict === 'Malicious') summary = `${url} is malicious: ${joinAnd(clauses.slice(0, 4))}.`;
  else if (verdict === 'Suspicious') summary = `${url} is suspicious: ${joinAnd(clauses.slice(0, 3))}. No threat intelligence confirms it.`;
  else if (!everSeen) summary = `No evidence that ${url} is malicious; it was not seen in the tenant's email, clicks or device traffic.`;
  else summary = `No evidence that ${url} is malicious${established ? `: ${f.items.find((x) => x.rule === 'R6')?.clause}` : ''}.`;

  const narrative = [
    `The analysis looked at ${url} (host ${host}) from ${isoSeconds(start)} to ${isoSeconds(end)}, with ${URL_PREVALENCE_DAYS} days of history for prevalence.`,
    ...f.items.map((x) => `${x.evidence.title} (${x.evidence.weight >= 0 ? '+' : ''}${x.evidence.weight}): ${x.evidence.detail ?? ''}`),
    ...(f.items.length === 0 ? ['No rule found anything about this URL.'] : []),
    `Score ${score}: ${URL_THRESHOLDS.malicious} or more means Malicious, ${URL_THRESHOLDS.suspicious}–${URL_THRESHOLDS.malicious - 1} Suspicious, below ${URL_THRESHOLDS.suspicious} No evidence of malicious activity. Verdict: ${verdict}.`,
  ].join('\n\n');

  return { verdict, confidence, score, findings: f.items, summary, narrative, recommendations: urlRecommendations(verdict, f, url, host, clickRows, emailRows, deviceRows) };
}

function urlRecommendations(verdict: UrlVerdict, f: Findings, url: string, host: string, clicks: Row[], email: Row[], devices: Row[]): string[] {
  const r: string[] = [];
  const clickers = [...new Set(clicks.filter((x) => /allowed/i.test(str(x.ActionType)) || x.IsClickedThrough === true).flatMap((x) => list(x.Accounts)))];
  const deviceNames = [...new Set(devices.flatMap((x) => list(x.DeviceNames)))];
  if (verdict === 'Malicious') {
    r.push(`Block the URL and the domain ${host} (Tenant Allow/Block List and a Defender for Endpoint indicator).`);
    if (email.length) r.push('Purge the emails that carried the URL from all mailboxes (Threat Explorer: soft delete) and block the sender.');
    if (clickers.length) r.push(`Reset credentials and revoke sessions of the users who reached the page: ${some(clickers, 6)}.`);
    if (deviceNames.length) r.push(`Investigate the devices that connected: ${some(deviceNames, 6)}.`);
    if (!f.has('ti')) r.push('Add the URL and domain to threat intelligence so detections match them.');
  } else if (verdict === 'Suspicious') {
    if (f.has('lookalike')) r.push(`Block the look-alike domain ${host} proactively; it imitates a domain users trust.`);
    r.push('Detonate the URL in a sandbox or submit it to Microsoft for analysis before allowing it.');
    if (email.length) r.push('Warn the recipients of the emails that carried it and consider purging them.');
    if (clickers.length) r.push(`Ask the users who opened it whether they entered credentials: ${some(clickers, 6)}.`);
  } else {
    r.push('No action needed. Re-run the analysis if the URL appears in new alerts.');
  }
  return r;
}
