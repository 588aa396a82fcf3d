// User rules: each one is a KQL query over the lake (entity as an escaped literal, window as datetime
// literals) whose rows are the evidence, scored by a fixed weight. See README.md for the table.
import { UserError } from '../../errors';
import type { Confidence, UserVerdict } from '../types';
import { Finding, Findings, ReasoningContext, Row, joinAnd, list, num, plural, rowsOf, runRows, some, str } from './context';
import { isoSeconds, kqlBetween, kqlDatetime, kqlList, kqlString } from './kql';

export const USER_BASELINE_DAYS = 30;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Result codes that are not failures: success and interrupts that ask for more (MFA, KMSI…). */
export const NOT_FAILURE_CODES = ['0', '50074', '50076', '50079', '50072', '50140', '50158', '50125', '50097', '50199'];
/** Wrong password, locked by smart lockout, bad credentials, unknown user: what a spray produces. */
export const PASSWORD_FAILURE_CODES = ['50126', '50053', '50056', '50055', '50034', '50057'];
const MAILBOX_ACTIONS = [
  'New-InboxRule', 'Set-InboxRule', 'UpdateInboxRules', 'Set-Mailbox', 'Add-MailboxPermission',
  'Add-RecipientPermission', 'Set-OwaMailboxPolicy', 'Set-CASMailbox', 'Consent to application.',
  'Add delegated permission grant.', 'Add app role assignment grant to user.', 'Add OAuth2PermissionGrant.',
];
/** Inbox-rule parameters attackers use to hide mail: delete, mark as read, move to rarely opened folders. */
const HIDING_RULE = /DeleteMessage|SoftDeleteMessage|MarkAsRead|"(RSS Feeds|RSS Subscriptions|Conversation History|Archive|Deleted Items|Junk Email)"/i;
const PRIVILEGED_ROLE = /admin|administrator|privileged|security operator|exchange|global reader/i;

export const USER_THRESHOLDS = { compromised: 60, suspicious: 25 } as const;

export interface UserIdentity {
  upn: string;
  objectId: string;
  displayName: string;
  roles: string[];
  enabled?: boolean;
  query: string;
  rows: Row[];
}

export interface UserReasoning {
  identity: UserIdentity;
  verdict: UserVerdict;
  confidence: Confidence;
  score: number;
  findings: Finding[];
  summary: string;
  narrative: string;
  recommendations: string[];
}

/** Finds the user in IdentityInfo by UPN or object id; refuses users without an Entra object id. */
export async function resolveUser(ctx: ReasoningContext, userId: string): Promise<UserIdentity> {
  const id = kqlString(userId);
  const query = [
    'IdentityInfo',
    `| where AccountUPN =~ ${id} or AccountObjectId =~ ${id}`,
    '| summarize LastSeen = max(TimeGenerated) by AccountUPN, AccountObjectId, AccountDisplayName, Roles = tostring(AssignedRoles), IsAccountEnabled',
    '| sort by LastSeen desc',
  ].join('\n');
  // Not runRows: a failing identity lookup must fail the analysis, not read as "user not found".
  const rows = rowsOf(await ctx.query(query, ctx.signal));
  if (rows.length === 0) {
    throw new UserError(
      `User '${userId}' was not found in IdentityInfo. The Entity Analyzer supports cloud users (Microsoft Entra ID) only.`,
      'UnknownUser',
    );
  }
  const withId = rows.find((r) => str(r.AccountObjectId).trim());
  if (!withId) {
    throw new UserError(
      `User '${userId}' has no Microsoft Entra object id in IdentityInfo (an on-premises-only account?). The Entity Analyzer supports cloud users only.`,
      'NotCloudUser',
    );
  }
  const latest = rows[0];
  const roles = list(latest.Roles ?? withId.Roles);
  return {
    upn: str(withId.AccountUPN || userId).toLowerCase(),
    objectId: str(withId.AccountObjectId).toLowerCase(),
    displayName: str(withId.AccountDisplayName),
    roles,
    enabled: typeof latest.IsAccountEnabled === 'boolean' ? latest.IsAccountEnabled : undefined,
    query,
    rows,
  };
}

export async function reasonAboutUser(
  ctx: ReasoningContext,
  identity: UserIdentity,
  start: Date,
  end: Date,
): Promise<UserReasoning> {
  const f = new Findings();
  const upn = kqlString(identity.upn);
  const oid = kqlString(identity.objectId);
  const who = `UserPrincipalName =~ ${upn} or UserId =~ ${oid}`;
  const inWindow = kqlBetween('TimeGenerated', start, end);
  const baselineStart = new Date(start.getTime() - USER_BASELINE_DAYS * DAY);
  const u = identity.upn;

  // Context: how much sign-in activity there is at all (weight 0).
  const activityQuery = [
    'SigninLogs',
    `| where ${inWindow}`,
    `| where ${who}`,
    '| summarize SignIns = count(), Successes = countif(ResultType == "0"), Failures = countif(ResultType !in ' +
      `${kqlList(NOT_FAILURE_CODES)}), Countries = dcount(Location), IPAddresses = dcount(IPAddress)`,
  ].join('\n');
  const activity = await runRows(ctx, activityQuery);
  const signIns = num(activity[0]?.SignIns);
  f.add({
    rule: 'activity',
    tags: [],
    clause: '',
    evidence: {
      title: 'Sign-in activity in the window',
      table: 'SigninLogs',
      query: activityQuery,
      rows: activity,
      weight: 0,
      detail: signIns
        ? `${plural(signIns, 'sign-in')} (${num(activity[0]?.Successes)} successful, ${num(activity[0]?.Failures)} failed) from ${plural(num(activity[0]?.IPAddresses), 'IP address', 'IP addresses')} in ${plural(num(activity[0]?.Countries), 'country', 'countries')}.`
        : 'No interactive sign-ins in the window.',
    },
  });

  // U1 failure bursts.
  const burstQuery = [
    'SigninLogs',
    `| where ${inWindow}`,
    `| where ${who}`,
    `| where ResultType !in ${kqlList(NOT_FAILURE_CODES)}`,
    '| summarize Failures = count(), IPAddresses = dcount(IPAddress), ResultTypes = make_set(ResultType) by Hour = bin(TimeGenerated, 1h)',
    '| where Failures >= 5',
    '| sort by Hour asc',
  ].join('\n');
  const bursts = await runRows(ctx, burstQuery);
  let firstBurst: Date | undefined;
  if (bursts.length) {
    const total = bursts.reduce((s, r) => s + num(r.Failures), 0);
    const peak = Math.max(...bursts.map((r) => num(r.Failures)));
    firstBurst = new Date(str(bursts[0].Hour));
    f.add({
      rule: 'U1',
      tags: ['failures'],
      clause: `${plural(total, 'failed sign-in')} in ${plural(bursts.length, 'burst')}`,
      evidence: {
        title: 'Bursts of failed sign-ins',
        table: 'SigninLogs',
        query: burstQuery,
        rows: bursts,
        weight: peak >= 20 ? 20 : 15,
        detail: `${plural(total, 'failed sign-in')} in ${plural(bursts.length, 'hour')} with at least 5 failures (peak ${peak} in one hour). Bursts of failures are what password guessing looks like.`,
      },
    });
  }

  // U2 password-spray shape: IPs that failed against this user and many other accounts.
  const sprayQuery = [
    'SigninLogs',
    `| where ${inWindow}`,
    `| where ResultType in ${kqlList(PASSWORD_FAILURE_CODES)}`,
    `| summarize Attempts = count(), TargetedAccounts = dcount(UserPrincipalName), AttemptsOnUser = countif(${who}) by IPAddress`,
    '| where AttemptsOnUser > 0 and TargetedAccounts >= 5',
    '| sort by IPAddress asc',
  ].join('\n');
  const spray = await runRows(ctx, sprayQuery);
  const sprayIps = new Set(spray.map((r) => str(r.IPAddress)));
  if (spray.length) {
    const maxTargets = Math.max(...spray.map((r) => num(r.TargetedAccounts)));
    f.add({
      rule: 'U2',
      tags: ['spray'],
      clause: `a password spray from ${plural(spray.length, 'IP address', 'IP addresses')} that targeted up to ${maxTargets} accounts`,
      evidence: {
        title: 'Password-spray pattern',
        table: 'SigninLogs',
        query: sprayQuery,
        rows: spray,
        weight: 20,
        detail: `${some([...sprayIps])} failed passwords against ${u} and at least ${maxTargets} accounts in the tenant: one password tried on many accounts is a password spray.`,
      },
    });
  }

  // U4 new countries against the user's own baseline (successful sign-ins in the lookback before the window).
  const baselineQuery = [
    'SigninLogs',
    `| where ${kqlBetween('TimeGenerated', baselineStart, start)}`,
    `| where ${who}`,
    '| where ResultType == "0"',
    '| summarize SignIns = count()',
  ].join('\n');
  const baselineSignIns = num((await runRows(ctx, baselineQuery))[0]?.SignIns);
  const newCountryQuery = [
    'SigninLogs',
    `| where ${kqlBetween('TimeGenerated', baselineStart, end)}`,
    `| where ${who}`,
    '| where ResultType == "0"',
    '| summarize FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), SignIns = count(), IPAddresses = make_set(IPAddress), AuthenticationRequirements = make_set(AuthenticationRequirement) by Location',
    `| where FirstSeen >= ${kqlDatetime(start)}`,
    '| sort by FirstSeen asc',
  ].join('\n');
  const newCountries = await runRows(ctx, newCountryQuery);
  const newCountrySet = new Set(newCountries.map((r) => str(r.Location)));
  const newIps = new Set(newCountries.flatMap((r) => list(r.IPAddresses)));
  let singleFactorNewCountry = false;
  if (newCountries.length) {
    const countries = newCountries.map((r) => str(r.Location) || '(unknown)');
    if (baselineSignIns === 0) {
      f.add({
        rule: 'U4',
        tags: [],
        clause: '',
        evidence: {
          title: 'Sign-in countries (no baseline to compare)',
          table: 'SigninLogs',
          query: newCountryQuery,
          rows: newCountries,
          weight: 0,
          detail: `There are no successful sign-ins in the ${USER_BASELINE_DAYS} days before the window, so the countries (${some(countries)}) cannot be compared with the user's habits.`,
        },
      });
    } else {
      singleFactorNewCountry = newCountries.some((r) => list(r.AuthenticationRequirements).some((a) => /single/i.test(a)));
      const mfaOnly = !singleFactorNewCountry;
      f.add({
        rule: 'U4',
        tags: ['newCountry'],
        clause: `successful sign-ins from ${plural(countries.length, 'new country', 'new countries')} (${some(countries)})`,
        evidence: {
          title: `Sign-in from ${plural(countries.length, 'new country', 'new countries')}: ${some(countries)}`,
          table: 'SigninLogs',
          query: newCountryQuery,
          rows: newCountries,
          weight: Math.min(20, 10 * countries.length),
          detail:
            `${u} signed in successfully from ${some(countries)} for the first time in ${USER_BASELINE_DAYS} days (baseline: ${plural(baselineSignIns, 'successful sign-in')} before the window).` +
            (mfaOnly ? ' Multi-factor authentication was satisfied on these sign-ins, which lowers the risk.' : ''),
        },
      });
    }
  }

  // U4b new network (ASN) inside a known country, with password-only sign-ins.
  if (baselineSignIns > 0) {
    const asnQuery = [
      'SigninLogs',
      `| where ${kqlBetween('TimeGenerated', baselineStart, end)}`,
      `| where ${who}`,
      '| where ResultType == "0" and isnotempty(AutonomousSystemNumber)',
      '| summarize FirstSeen = min(TimeGenerated), SignIns = count(), Countries = make_set(Location), IPAddresses = make_set(IPAddress), AuthenticationRequirements = make_set(AuthenticationRequirement) by AutonomousSystemNumber',
      `| where FirstSeen >= ${kqlDatetime(start)}`,
      '| sort by FirstSeen asc, AutonomousSystemNumber asc',
    ].join('\n');
    const asns = await runRows(ctx, asnQuery);
    const inKnownCountry = asns.filter((r) => list(r.Countries).every((c) => !newCountrySet.has(c)));
    const passwordOnly = inKnownCountry.filter((r) => list(r.AuthenticationRequirements).some((a) => /single/i.test(a)));
    if (passwordOnly.length) {
      const nets = passwordOnly.map((r) => `AS${str(r.AutonomousSystemNumber)}`);
      f.add({
        rule: 'U4b',
        tags: ['newNetwork'],
        clause: `password-only sign-ins from ${plural(nets.length, 'new network')} (${some(nets)})`,
        evidence: {
          title: `Sign-in from ${plural(nets.length, 'new network')}: ${some(nets)}`,
          table: 'SigninLogs',
          query: asnQuery,
          rows: asns,
          weight: 5,
          detail: `${u} signed in with a password only from ${some(nets)}, networks (ASNs) not seen in the ${USER_BASELINE_DAYS} days before, inside countries the user already signs in from.`,
        },
      });
    }
  }

  // U3 success after failures: successful sign-ins within 24 hours after the first burst of failures.
  if (firstBurst) {
    const until = new Date(Math.min(firstBurst.getTime() + DAY, end.getTime()));
    const afterQuery = [
      'SigninLogs',
      `| where ${kqlBetween('TimeGenerated', firstBurst, until)}`,
      `| where ${who}`,
      '| where ResultType == "0"',
      '| summarize SignIns = count(), FirstSuccess = min(TimeGenerated) by IPAddress, Location, AuthenticationRequirement',
      '| sort by FirstSuccess asc, IPAddress asc',
    ].join('\n');
    const after = await runRows(ctx, afterQuery);
    if (after.length) {
      const fromNew = after.filter((r) => sprayIps.has(str(r.IPAddress)) || (baselineSignIns > 0 && newCountrySet.has(str(r.Location))));
      f.add({
        rule: 'U3',
        tags: ['successAfterFailures'],
        clause: `a successful sign-in after the failures${fromNew.length ? ` from ${some(fromNew.map((r) => `${str(r.IPAddress)} (${str(r.Location)})`))}` : ''}`,
        evidence: {
          title: 'Successful sign-in after failed attempts',
          table: 'SigninLogs',
          query: afterQuery,
          rows: after,
          weight: fromNew.length ? 25 : 10,
          detail:
            `Within 24 hours of the failures that began at ${isoSeconds(firstBurst)}, ${u} signed in successfully ${plural(after.reduce((s, r) => s + num(r.SignIns), 0), 'time')}.` +
            (fromNew.length ? ' The success came from a spraying IP address or a country new for this user: the guess likely worked.' : ''),
        },
      });
    }
  }

  // A spray that was followed by no successful sign-in means the user was targeted, not that the guess worked.
  const sprayFinding = f.items.find((x) => x.rule === 'U2');
  const guessWorked = f.items.some((x) => x.rule === 'U3' && x.evidence.weight >= 25);
  if (sprayFinding && !guessWorked) {
    sprayFinding.evidence.weight = 5;
    sprayFinding.clause = `targeting by a password spray (no successful sign-in followed)`;
    sprayFinding.evidence.detail += ' No successful sign-in from a spraying IP address or a new country followed, so the account was targeted but the guess did not visibly work.';
  }

  // U5 impossible travel between consecutive successful sign-in locations.
  const travelBase = [
    'SigninLogs',
    `| where ${inWindow}`,
    `| where ${who}`,
    '| where ResultType == "0"',
  ];
  const travelTail = [
    '| extend Latitude = todouble(LocationDetails.geoCoordinates.latitude), Longitude = todouble(LocationDetails.geoCoordinates.longitude)',
    '| where isnotempty(Latitude) and isnotempty(Longitude)',
  ];
  const travelRows = await runRows(ctx, [
    ...travelBase, ...travelTail,
    '| summarize SignIns = count() by Location, Latitude, Longitude, Hour = bin(TimeGenerated, 1h)',
    '| sort by Hour asc',
  ].join('\n'));
  const trip = impossibleTravel(travelRows);
  if (trip) {
    const [a, b] = trip.pair;
    const hourA = new Date(str(a.Hour));
    const hourB = new Date(str(b.Hour));
    const q = [
      ...travelBase,
      `| where (TimeGenerated >= ${kqlDatetime(hourA)} and TimeGenerated < ${kqlDatetime(new Date(hourA.getTime() + HOUR))}) or (TimeGenerated >= ${kqlDatetime(hourB)} and TimeGenerated < ${kqlDatetime(new Date(hourB.getTime() + HOUR))})`,
      ...travelTail,
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), IPAddresses = make_set(IPAddress), AuthenticationRequirements = make_set(AuthenticationRequirement) by Location, Latitude, Longitude',
      '| sort by FirstSeen asc',
    ].join('\n');
    const rows = await runRows(ctx, q);
    // Multi-factor authentication at the far end lowers the risk (a traveller, or a VPN, who passed MFA).
    const destination = rows.filter((r) => str(r.Location) === str(b.Location));
    const mfaAtDestination = destination.length > 0 && destination.every((r) => list(r.AuthenticationRequirements).every((x) => /multi/i.test(x)));
    f.add({
      rule: 'U5',
      tags: ['impossibleTravel'],
      clause: `impossible travel from ${str(a.Location)} to ${str(b.Location)}`,
      evidence: {
        title: `Impossible travel: ${str(a.Location)} → ${str(b.Location)}`,
        table: 'SigninLogs',
        query: q,
        rows,
        weight: mfaAtDestination ? 10 : 20,
        detail:
          `Successful sign-ins ${Math.round(trip.km)} km apart within ${trip.hours} h (at least ${Math.round(trip.kmh)} km/h): one person cannot travel that fast.` +
          (mfaAtDestination ? ` Multi-factor authentication was satisfied in ${str(b.Location)}, which points to a VPN or a traveller rather than an attacker.` : ''),
      },
    });
  }

  // U6 risky sign-ins (Entra ID Protection), mitigated when remediated/dismissed.
  const riskQuery = [
    'SigninLogs',
    `| where ${inWindow}`,
    `| where ${who}`,
    '| where RiskLevelDuringSignIn in~ ("medium", "high") or RiskState in~ ("atRisk", "confirmedCompromised")',
    '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), IPAddresses = make_set(IPAddress) by RiskLevelDuringSignIn, RiskState, ResultType, AuthenticationRequirement, Location',
    '| sort by FirstSeen asc, RiskState asc',
  ].join('\n');
  const risky = await runRows(ctx, riskQuery);
  if (risky.length) {
    let weight = 0;
    for (const r of risky) {
      const state = str(r.RiskState).toLowerCase();
      const ok = str(r.ResultType) === '0';
      const mfa = /multi/i.test(str(r.AuthenticationRequirement));
      let w = 0;
      if (state === 'confirmedcompromised') w = 30;
      else if (state === 'atrisk') w = ok ? (mfa ? 10 : 20) : 5;
      weight = Math.max(weight, w);
    }
    const mitigated = weight === 0;
    const levels = [...new Set(risky.map((r) => str(r.RiskLevelDuringSignIn)).filter(Boolean))];
    const states = [...new Set(risky.map((r) => str(r.RiskState)).filter(Boolean))];
    f.add({
      rule: 'U6',
      tags: mitigated ? ['riskMitigated'] : ['risky'],
      clause: mitigated
        ? `a risky sign-in that was ${some(states)} (multi-factor authentication satisfied)`
        : `${plural(risky.reduce((s, r) => s + num(r.SignIns), 0), 'risky sign-in')} (${some(levels)} risk, ${some(states)})`,
      evidence: {
        title: mitigated ? 'Risky sign-in, remediated' : 'Risky sign-ins',
        table: 'SigninLogs',
        query: riskQuery,
        rows: risky,
        weight,
        detail: mitigated
          ? `Entra ID Protection rated ${plural(risky.length, 'sign-in group')} ${some(levels)} risk, and the risk state is ${some(states)}: the user satisfied multi-factor authentication or the risk was cleared, so this counts as benign.`
          : `Entra ID Protection rated sign-ins ${some(levels)} risk with risk state ${some(states)}.`,
      },
    });
  }

  // U7 single-factor or legacy-protocol successes from a new country or a spraying IP.
  const sfQuery = [
    'SigninLogs',
    `| where ${inWindow}`,
    `| where ${who}`,
    '| where ResultType == "0" and AuthenticationRequirement =~ "singleFactorAuthentication"',
    '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), IPAddresses = make_set(IPAddress) by Location, AppDisplayName, ClientAppUsed',
    '| sort by FirstSeen asc, Location asc',
  ].join('\n');
  const sf = await runRows(ctx, sfQuery);
  const sfRisky = sf.filter(
    (r) => (baselineSignIns > 0 && newCountrySet.has(str(r.Location))) || list(r.IPAddresses).some((ip) => sprayIps.has(ip) || (baselineSignIns > 0 && newIps.has(ip))),
  );
  if (sfRisky.length) {
    const where = [...new Set(sfRisky.map((r) => str(r.Location)))];
    f.add({
      rule: 'U7',
      tags: ['singleFactor'],
      clause: `single-factor authentication from ${some(where)}`,
      evidence: {
        title: 'Single-factor success from a new location',
        table: 'SigninLogs',
        query: sfQuery,
        rows: sf,
        weight: 15,
        detail: `Password-only sign-ins succeeded from ${some(where)}, a location new for ${u} or used by a spraying IP address: no second factor stood in the way.`,
      },
    });
  }

  // U12 token use: non-interactive sign-ins from a password-only new country or a spraying IP (a stolen
  // session or refresh token being replayed).
  if (ctx.hasTable('AADNonInteractiveUserSignInLogs')) {
    const singleFactorCountries = new Set(
      baselineSignIns > 0 ? newCountries.filter((r) => list(r.AuthenticationRequirements).some((a) => /single/i.test(a))).map((r) => str(r.Location)) : [],
    );
    const niQuery = [
      'AADNonInteractiveUserSignInLogs',
      `| where ${inWindow}`,
      `| where ${who}`,
      '| where ResultType == "0"',
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), IPAddresses = make_set(IPAddress), Apps = make_set(AppDisplayName) by Location',
      '| sort by FirstSeen asc, Location asc',
    ].join('\n');
    const ni = await runRows(ctx, niQuery);
    const hits = ni.filter((r) => singleFactorCountries.has(str(r.Location)) || list(r.IPAddresses).some((ip) => sprayIps.has(ip)));
    if (hits.length) {
      const where = hits.map((r) => str(r.Location));
      const count = hits.reduce((n, r) => n + num(r.SignIns), 0);
      f.add({
        rule: 'U12',
        tags: ['tokenUse'],
        clause: `${plural(count, 'non-interactive sign-in')} from ${some(where)}`,
        evidence: {
          title: `Token use from ${some(where)}`,
          table: 'AADNonInteractiveUserSignInLogs',
          query: niQuery,
          rows: ni,
          weight: 10,
          detail: `${plural(count, 'non-interactive sign-in')} (apps refreshing tokens) came from ${some(where)}, where the suspicious password-only sign-in happened: the session is being used, not just opened.`,
        },
      });
    }
  }

  // U8 alerts with the user as evidence.
  const alertQuery = [
    'AlertEvidence',
    `| where ${inWindow}`,
    `| where AccountUpn =~ ${upn} or AccountObjectId =~ ${oid}`,
    '| summarize FirstSeen = min(TimeGenerated), EvidenceRows = count() by AlertId, Title, Severity, ServiceSource',
    '| sort by FirstSeen asc, AlertId asc',
  ].join('\n');
  const alerts = await runRows(ctx, alertQuery);
  if (alerts.length) {
    const sevWeight = (s: string) => ({ high: 30, medium: 20, low: 10 } as Record<string, number>)[s.toLowerCase()] ?? 0;
    const top = Math.max(...alerts.map((r) => sevWeight(str(r.Severity))));
    // The same alert raised by two products (e.g. Defender and a Sentinel rule) counts once.
    const titles = [...new Set(alerts.map((r) => `'${str(r.Title)}'`))];
    const weight = Math.min(40, top + 5 * (titles.length - 1));
    f.add({
      rule: 'U8',
      tags: ['alerts'],
      clause: `${plural(alerts.length, 'alert')} naming the user (${some(titles, 2)})`,
      evidence: {
        title: `${plural(alerts.length, 'alert')} with the user as evidence`,
        table: 'AlertEvidence',
        query: alertQuery,
        rows: alerts,
        weight,
        detail: `Security products raised ${some(titles)} with ${u} as evidence.`,
      },
    });
  }

  // U9 suspicious mailbox or consent actions.
  const mailQuery = [
    'CloudAppEvents',
    `| where ${inWindow}`,
    `| where AccountObjectId =~ ${oid} or AccountId =~ ${upn} or AccountId =~ ${oid}`,
    `| where ActionType in~ ${kqlList(MAILBOX_ACTIONS)}`,
    '| project TimeGenerated, ActionType, Application, IPAddress, CountryCode, Details = tostring(RawEventData)',
    '| sort by TimeGenerated asc',
  ].join('\n');
  const mail = await runRows(ctx, mailQuery);
  if (mail.length) {
    const kinds = new Set<string>();
    let weight = 0;
    for (const r of mail) {
      const action = str(r.ActionType);
      const details = str(r.Details);
      if (/inboxrule/i.test(action)) {
        const forwards = /ForwardTo|RedirectTo|ForwardAsAttachmentTo|ForwardingSmtpAddress|ForwardingAddress/i.test(details);
        const hides = HIDING_RULE.test(details) || /"Name"\s*:\s*"Name"\s*,\s*"Value"\s*:\s*"[^A-Za-z0-9"]{0,3}"/.test(details);
        if (forwards || hides) {
          kinds.add(forwards ? 'forwarding' : 'inboxRule');
          weight = Math.max(weight, forwards ? 30 : 20);
        } else {
          kinds.add('filingRule');
        }
      } else if (/consent|permission grant|app role/i.test(action)) {
        kinds.add('consent');
        weight = Math.max(weight, 20);
      } else if (/Forwarding/i.test(details) && /Set-Mailbox/i.test(action)) {
        kinds.add('forwarding');
        weight = Math.max(weight, 30);
      } else {
        kinds.add('mailboxPermission');
        weight = Math.max(weight, 15);
      }
    }
    const scored = [...kinds].filter((k) => k !== 'filingRule');
    weight = scored.length ? Math.min(35, weight + 5 * (scored.length - 1)) : 0;
    const actions = [...new Set(mail.map((r) => str(r.ActionType)))];
    const forwarding = kinds.has('forwarding');
    const filingOnly = scored.length === 0;
    f.add({
      rule: 'U9',
      tags: ['mailbox', ...kinds],
      clause: forwarding ? 'an inbox rule that forwards mail' : filingOnly ? '' : `mailbox or consent changes (${some(actions)})`,
      evidence: {
        title: forwarding ? 'Inbox rule forwarding mail' : filingOnly ? 'Inbox rule (ordinary filing rule)' : 'Mailbox or consent changes',
        table: 'CloudAppEvents',
        query: mailQuery,
        rows: mail,
        weight,
        detail: forwarding
          ? `${u} (or someone holding the session) created an inbox rule that forwards or redirects mail: attackers do this to keep reading mail and hide replies.`
          : filingOnly
            ? `${u} created an inbox rule that only files mail into a named folder; it neither forwards, deletes nor hides mail, so it counts as benign.`
            : `${some(actions)} by ${u}: persistence steps attackers take after a takeover.`,
      },
    });
  }

  // U10 UEBA investigation priority.
  if (ctx.hasTable('BehaviorAnalytics')) {
    const uebaQuery = [
      'BehaviorAnalytics',
      `| where ${inWindow}`,
      `| where UserPrincipalName =~ ${upn}`,
      '| where InvestigationPriority > 0',
      '| summarize Events = count(), MaxPriority = max(InvestigationPriority), FirstSeen = min(TimeGenerated) by ActivityType, ActionType, SourceIPLocation',
      '| sort by MaxPriority desc, FirstSeen asc, ActionType asc',
    ].join('\n');
    const ueba = await runRows(ctx, uebaQuery);
    const max = Math.max(0, ...ueba.map((r) => num(r.MaxPriority)));
    if (max >= 4) {
      f.add({
        rule: 'U10',
        tags: ['ueba'],
        clause: `UEBA investigation priority ${max}`,
        evidence: {
          title: `UEBA investigation priority ${max}`,
          table: 'BehaviorAnalytics',
          query: uebaQuery,
          rows: ueba,
          weight: max >= 7 ? 15 : 8,
          detail: `User and entity behavior analytics scored ${plural(ueba.length, 'activity', 'activities')} as unusual for ${u} (priority up to ${max} of 10).`,
        },
      });
    }
  }

  // U11 privileged roles raise the impact of any compromise signal.
  const privileged = identity.roles.filter((r) => PRIVILEGED_ROLE.test(r));
  if (privileged.length) {
    const raises = f.score() >= USER_THRESHOLDS.suspicious;
    f.add({
      rule: 'U11',
      tags: ['privileged'],
      clause: raises ? `privileged roles (${some(privileged)})` : '',
      evidence: {
        title: `Privileged roles: ${some(privileged)}`,
        table: 'IdentityInfo',
        query: identity.query,
        rows: identity.rows,
        weight: raises ? 10 : 0,
        detail: raises
          ? `${u} holds ${some(privileged)}: a takeover of this account reaches far, so the signals above weigh more.`
          : `${u} holds ${some(privileged)}; no compromise signal to amplify.`,
      },
    });
  }

  const score = f.score();
  const verdict: UserVerdict =
    score >= USER_THRESHOLDS.compromised ? 'Compromised' : score >= USER_THRESHOLDS.suspicious ? 'Suspicious activity found' : 'No evidence of compromise';
  const positive = f.positive();
  let confidence: Confidence;
  if (verdict === 'Compromised') confidence = score >= 80 && positive.length >= 3 ? 'High' : 'Medium';
  else if (verdict === 'Suspicious activity found') confidence = positive.length >= 2 ? 'Medium' : 'Low';
  else confidence = signIns === 0 ? 'Low' : positive.length === 0 ? 'High' : 'Medium';

  const clauses = positive.sort((a, b) => b.evidence.weight - a.evidence.weight).map((x) => x.clause).filter(Boolean);
  const name = identity.displayName ? `${identity.displayName} (${u})` : u;
  let summary: string;
  if (verdict === 'Compromised') summary = `${name} is likely compromised: ${joinAnd(clauses.slice(0, 4))}.`;
  else if (verdict === 'Suspicious activity found') summary = `Suspicious activity for ${name}: ${joinAnd(clauses.slice(0, 3))}. Not enough for a compromise verdict.`;
  else if (signIns === 0) summary = `No evidence of compromise for ${name}, but there were no sign-ins in the window to judge.`;
  else {
    const mitigated = f.items.some((x) => x.tags.includes('riskMitigated'));
    summary = `No evidence of compromise for ${name}${mitigated ? ': the risky sign-in was remediated with multi-factor authentication' : ''}.`;
    if (clauses.length) summary += ` Minor signals (${joinAnd(clauses.slice(0, 3))}) stay below the threshold (score ${score}; ${USER_THRESHOLDS.suspicious} needed for Suspicious activity found).`;
  }

  const narrative = buildNarrative(name, start, end, f, score, verdict);
  return { identity, verdict, confidence, score, findings: f.items, summary, narrative, recommendations: userRecommendations(verdict, f, identity, spray) };
}

function buildNarrative(name: string, start: Date, end: Date, f: Findings, score: number, verdict: UserVerdict): string {
  const lines: string[] = [];
  lines.push(`The analysis looked at ${name} from ${isoSeconds(start)} to ${isoSeconds(end)} and compared sign-ins with the ${USER_BASELINE_DAYS} days before.`);
  const activity = f.items.find((x) => x.rule === 'activity');
  if (activity?.evidence.detail) lines.push(activity.evidence.detail);
  for (const x of f.items) {
    if (x.rule === 'activity') continue;
    lines.push(`${x.evidence.title} (${x.evidence.weight >= 0 ? '+' : ''}${x.evidence.weight}): ${x.evidence.detail ?? ''}`.trim());
  }
  if (f.positive().length === 0) lines.push('None of the compromise rules fired.');
  lines.push(
    `Score ${score}: ${USER_THRESHOLDS.compromised} or more means Compromised, ${USER_THRESHOLDS.suspicious}–${USER_THRESHOLDS.compromised - 1} Suspicious activity found, below ${USER_THRESHOLDS.suspicious} No evidence of compromise. Verdict: ${verdict}.`,
  );
  return lines.join('\n\n');
}

function userRecommendations(verdict: UserVerdict, f: Findings, id: UserIdentity, spray: Row[]): string[] {
  const r: string[] = [];
  const u = id.upn;
  if (verdict === 'Compromised') {
    r.push(`Revoke all sessions and refresh tokens of ${u} (Entra ID: Revoke sessions / Revoke-MgUserSignInSession).`);
    r.push(`Reset the password of ${u} and require re-registration of multi-factor authentication methods.`);
  } else if (verdict === 'Suspicious activity found') {
    r.push(`Confirm the flagged sign-ins and changes with ${u}; if they do not recognise them, revoke sessions and reset credentials.`);
  }
  if (f.has('forwarding') || f.has('inboxRule')) {
    r.push(`Remove the inbox rule created on the mailbox of ${u} and review which messages it forwarded or hid.`);
  }
  if (f.has('consent')) r.push('Review and revoke the OAuth consent grants the user gave in the window.');
  if (f.has('mailboxPermission')) r.push('Remove mailbox permissions that were added in the window.');
  if (f.has('spray') && spray.length) {
    r.push(`Block the spraying IP addresses (${some(spray.map((x) => str(x.IPAddress)), 5)}) and check the other accounts they targeted.`);
  }
  if (f.has('singleFactor')) r.push(`Require multi-factor authentication for ${u} with a Conditional Access policy; block legacy authentication.`);
  if (f.has('alerts')) r.push('Investigate and resolve the related alerts and their incidents.');
  if (f.has('privileged')) r.push(`Review actions taken with the privileged roles of ${u} in the window and consider removing standing admin rights (PIM).`);
  if (verdict === 'No evidence of compromise') {
    if (f.items.some((x) => x.tags.includes('riskMitigated'))) r.push('The risky sign-in was remediated by multi-factor authentication: no action needed beyond confirming it with the user.');
    else r.push('No action needed. Re-run the analysis if new alerts involve this user.');
  }
  return r;
}

/** Consecutive successful sign-in locations too far apart for the time between them (> 900 km/h over > 500 km). */
export function impossibleTravel(rows: Row[]): { pair: [Row, Row]; km: number; hours: number; kmh: number } | undefined {
  const pts = rows
    .map((r) => ({ r, t: Date.parse(str(r.Hour)), lat: num(r.Latitude), lon: num(r.Longitude) }))
    .filter((p) => Number.isFinite(p.t) && (p.lat !== 0 || p.lon !== 0))
    .sort((a, b) => a.t - b.t);
  let best: { pair: [Row, Row]; km: number; hours: number; kmh: number } | undefined;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const km = haversineKm(a.lat, a.lon, b.lat, b.lon);
    if (km < 500) continue;
    // Hour bins: the real gap is at most (difference + 1 h); using the upper bound keeps false positives out.
    const hours = (b.t - a.t) / HOUR + 1;
    const kmh = km / hours;
    if (kmh > 900 && (!best || kmh > best.kmh)) best = { pair: [a.r, b.r], km, hours, kmh };
  }
  return best;
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}
