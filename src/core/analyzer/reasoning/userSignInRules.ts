// User rules over sign-ins: failures, sprays, new places, travel, risk, single factor, threat
// intelligence on sign-in IPs, token use and replay, dormant accounts. One object per rule (see rule.ts).
import { list, num, plural, some, str } from './context';
import type { Rule } from './rule';
import { isoSeconds, kqlBetween, kqlDatetime, kqlList } from './kql';
import { DAY, HOUR, SHARED_IP, USER_BASELINE_DAYS, UserEnv, isUsualIp, markUnfamiliar } from './userEnv';
import { impossibleTravel } from './geo';

/** Result codes that are not failures: success and interrupts that ask for more (MFA, KMSI…). */
export const NOT_FAILURE_CODES = ['0', '50074', '50076', '50079', '50072', '50140', '50158', '50125', '50097', '50199'];
/** Wrong password, locked by smart lockout, bad credentials, unknown user, disabled: what a spray produces. */
export const PASSWORD_FAILURE_CODES = ['50126', '50053', '50056', '50055', '50034', '50057'];

type UserRule = Rule<UserEnv>;
const singleFactor = (v: unknown) => list(v).some((a) => /single/i.test(a));
const knownDevice = (env: UserEnv, id: string) => id !== '' && env.facts.knownDevices.has(id);

const usualNetworks: UserRule = {
  id: 'U0n',
  title: 'Usual and shared networks',
  tables: ['SigninLogs'],
  context: true,
  fires: 'context',
  weight: '0',
  query: (env) =>
    [
      'SigninLogs',
      `| where ${kqlBetween('TimeGenerated', env.baselineStart, env.end)}`,
      '| where ResultType == "0"',
      `| extend Mine = ${env.who}`,
      `| summarize UserBaseline = countif(Mine and TimeGenerated < ${kqlDatetime(env.start)}), UserWindow = countif(Mine and TimeGenerated >= ${kqlDatetime(env.start)}),` +
        ` Colleagues = dcountif(UserPrincipalName, not(Mine) and TimeGenerated < ${kqlDatetime(env.start)}), ColleagueDays = dcountif(bin(TimeGenerated, 1d), not(Mine) and TimeGenerated < ${kqlDatetime(env.start)}) by IPAddress`,
      // The user's own IPs, and the few IPs many people share (an egress any of the user's sign-ins may come through).
      `| where UserBaseline > 0 or UserWindow > 0 or (Colleagues >= ${SHARED_IP.users} and ColleagueDays >= ${SHARED_IP.days})`,
      '| sort by IPAddress asc',
    ].join('\n'),
  score(rows, env) {
    for (const r of rows) {
      const ip = str(r.IPAddress);
      if (num(r.UserBaseline) > 0) env.facts.knownIps.add(ip);
      if (num(r.Colleagues) >= SHARED_IP.users && num(r.ColleagueDays) >= SHARED_IP.days) env.facts.sharedIps.add(ip);
    }
    return undefined;
  },
};

const usualDevices: UserRule = {
  id: 'U0d',
  title: 'Usual devices',
  tables: ['SigninLogs'],
  context: true,
  fires: 'context',
  weight: '0',
  query: (env) =>
    [
      'SigninLogs',
      `| where ${kqlBetween('TimeGenerated', env.baselineStart, env.start)}`,
      `| where ${env.who}`,
      '| where ResultType == "0"',
      '| extend DeviceId = tostring(DeviceDetail.deviceId)',
      '| where isnotempty(DeviceId)',
      '| summarize SignIns = count() by DeviceId',
    ].join('\n'),
  score(rows, env) {
    rows.forEach((r) => env.facts.knownDevices.add(str(r.DeviceId)));
    return undefined;
  },
};

const activity: UserRule = {
  id: 'U0',
  title: 'Sign-in activity',
  tables: ['SigninLogs'],
  fires: 'always (context: sign-ins, successes, failures, IPs, countries)',
  weight: '0',
  query: (env) =>
    [
      'SigninLogs',
      `| where ${env.inWindow}`,
      `| where ${env.who}`,
      '| summarize SignIns = count(), Successes = countif(ResultType == "0"), Failures = countif(ResultType !in ' +
        `${kqlList(NOT_FAILURE_CODES)}), Countries = dcount(Location), IPAddresses = dcount(IPAddress)`,
    ].join('\n'),
  score(rows, env) {
    const r = rows[0] ?? {};
    env.facts.signIns = num(r.SignIns);
    env.facts.windowSuccesses = num(r.Successes);
    return {
      weight: 0,
      title: 'Sign-in activity in the window',
      detail: env.facts.signIns
        ? `${plural(env.facts.signIns, 'sign-in')} (${num(r.Successes)} successful, ${num(r.Failures)} failed) from ${plural(num(r.IPAddresses), 'IP address', 'IP addresses')} in ${plural(num(r.Countries), 'country', 'countries')}.`
        : 'No interactive sign-ins in the window.',
    };
  },
};

const failureBursts: UserRule = {
  id: 'U1',
  title: 'Bursts of failed sign-ins',
  tables: ['SigninLogs'],
  fires: 'an hour with ≥ 5 failures (MFA interrupts are not failures)',
  weight: '+15 (+20 if ≥ 20 in an hour)',
  benign:
    "failures from the user's usual IP and device followed by an MFA success, or explained by a self-service password reset from a usual IP: 0; a disabled account whose attempts were all refused: +5",
  query: (env) =>
    [
      'SigninLogs',
      `| where ${env.inWindow}`,
      `| where ${env.who}`,
      `| where ResultType !in ${kqlList(NOT_FAILURE_CODES)}`,
      '| summarize Failures = count(), IPAddresses = make_set(IPAddress), Devices = make_set(tostring(DeviceDetail.deviceId)), ResultTypes = make_set(ResultType) by Hour = bin(TimeGenerated, 1h)',
      '| where Failures >= 5',
      '| sort by Hour asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    const total = rows.reduce((s, r) => s + num(r.Failures), 0);
    const peak = Math.max(...rows.map((r) => num(r.Failures)));
    env.facts.firstBurst = new Date(str(rows[0].Hour));
    for (const r of rows) {
      list(r.IPAddresses).forEach((ip) => env.facts.burstIps.add(ip));
      const devices = Array.isArray(r.Devices) ? r.Devices.map(str) : list(r.Devices);
      devices.forEach((d) => env.facts.burstDevices.add(d));
    }
    return {
      weight: peak >= 20 ? 20 : 15,
      title: 'Bursts of failed sign-ins',
      tags: ['failures'],
      clause: `${plural(total, 'failed sign-in')} in ${plural(rows.length, 'burst')}`,
      detail: `${plural(total, 'failed sign-in')} in ${plural(rows.length, 'hour')} with at least 5 failures (peak ${peak} in one hour). Bursts of failures are what password guessing looks like.`,
    };
  },
  finalize(f, env) {
    if (env.facts.failuresExplained) {
      f.evidence.weight = 0;
      f.tags = [];
      f.clause = '';
      f.evidence.title = 'Failed sign-ins, explained';
      f.evidence.detail += ` ${env.facts.failuresExplained}: this counts as benign.`;
    } else if (env.identity.enabled === false && env.facts.windowSuccesses === 0) {
      f.evidence.weight = Math.min(f.evidence.weight, 5);
      f.clause = 'refused attempts on a disabled account';
      f.evidence.detail +=
        ' The account is disabled and every attempt was refused: someone is trying, but nobody got in.';
    }
  },
};

const spray: UserRule = {
  id: 'U2',
  title: 'Password-spray pattern',
  tables: ['SigninLogs'],
  fires: 'an IP failed passwords (50126, 50053, …) against the user and ≥ 5 accounts',
  weight: '+20 when U3 shows the guess worked, else +5 (targeted only)',
  query: (env) =>
    [
      'SigninLogs',
      `| where ${env.inWindow}`,
      `| where ResultType in ${kqlList(PASSWORD_FAILURE_CODES)}`,
      `| summarize Attempts = count(), TargetedAccounts = dcount(UserPrincipalName), AttemptsOnUser = countif(${env.who}) by IPAddress`,
      '| where AttemptsOnUser > 0 and TargetedAccounts >= 5',
      '| sort by IPAddress asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    rows.forEach((r) => env.facts.sprayIps.add(str(r.IPAddress)));
    const maxTargets = Math.max(...rows.map((r) => num(r.TargetedAccounts)));
    return {
      weight: 20,
      title: 'Password-spray pattern',
      tags: ['spray'],
      clause: `a password spray from ${plural(rows.length, 'IP address', 'IP addresses')} that targeted up to ${maxTargets} accounts`,
      detail: `${some([...env.facts.sprayIps])} failed passwords against ${env.u} and at least ${maxTargets} accounts in the tenant: one password tried on many accounts is a password spray.`,
    };
  },
  finalize(f, env) {
    if (env.facts.guessWorked) return;
    f.evidence.weight = 5;
    f.clause = 'targeting by a password spray (no successful sign-in followed)';
    f.evidence.detail +=
      ' No successful sign-in from a spraying IP address or a new country followed, so the account was targeted but the guess did not visibly work.';
  },
};

const baseline: UserRule = {
  id: 'U4a',
  title: 'Sign-in baseline',
  tables: ['SigninLogs'],
  context: true,
  fires: 'context',
  weight: '0',
  query: (env) =>
    [
      'SigninLogs',
      `| where ${kqlBetween('TimeGenerated', env.baselineStart, env.start)}`,
      `| where ${env.who}`,
      '| where ResultType == "0"',
      '| summarize SignIns = count()',
    ].join('\n'),
  score(rows, env) {
    env.facts.baselineSignIns = num(rows[0]?.SignIns);
    return undefined;
  },
};

const newCountry: UserRule = {
  id: 'U4',
  title: 'New country',
  tables: ['SigninLogs'],
  fires: 'a country first seen in the window against a non-empty baseline (shared corporate egress IPs excluded)',
  weight: '+10 per country (max +20); 0 without a baseline',
  benign: 'an IP many colleagues use daily (VPN egress, proxy) is not a new place',
  query: (env) =>
    [
      'SigninLogs',
      `| where ${kqlBetween('TimeGenerated', env.baselineStart, env.end)}`,
      `| where ${env.who}`,
      '| where ResultType == "0"',
      ...(env.facts.sharedIps.size ? [`| where IPAddress !in ${kqlList([...env.facts.sharedIps].sort())}`] : []),
      '| summarize FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), SignIns = count(), IPAddresses = make_set(IPAddress), AuthenticationRequirements = make_set(AuthenticationRequirement), Devices = make_set(tostring(DeviceDetail.deviceId)), RiskStates = make_set(RiskState) by Location',
      `| where FirstSeen >= ${kqlDatetime(env.start)}`,
      '| sort by FirstSeen asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    const countries = rows.map((r) => str(r.Location) || '(unknown)');
    if (env.facts.baselineSignIns === 0) {
      return {
        weight: 0,
        title: 'Sign-in countries (no baseline to compare)',
        detail: `There are no successful sign-ins in the ${USER_BASELINE_DAYS} days before the window, so the countries (${some(countries)}) cannot be compared with the user's habits.`,
      };
    }
    for (const r of rows) {
      const c = str(r.Location);
      env.facts.newCountries.add(c);
      list(r.IPAddresses).forEach((ip) => env.facts.newCountryIps.add(ip));
      const sf = singleFactor(r.AuthenticationRequirements);
      if (sf) env.facts.singleFactorNewCountries.add(c);
      const devices = Array.isArray(r.Devices) ? r.Devices.map(str) : list(r.Devices);
      const strangeDevice = devices.some((d) => !knownDevice(env, d));
      const atRisk = list(r.RiskStates).some((s) => /atRisk|confirmedCompromised/i.test(s));
      if (sf || strangeDevice || atRisk) {
        const why = `new country ${c}${sf ? ', password only' : ''}${strangeDevice ? ', unfamiliar device' : ''}${atRisk ? ', at risk' : ''}`;
        list(r.IPAddresses).forEach((ip) => markUnfamiliar(env, ip, c, new Date(str(r.FirstSeen)), why));
      }
    }
    const mfaOnly = env.facts.singleFactorNewCountries.size === 0;
    return {
      weight: Math.min(20, 10 * countries.length),
      title: `Sign-in from ${plural(countries.length, 'new country', 'new countries')}: ${some(countries)}`,
      tags: ['newCountry'],
      clause: `successful sign-ins from ${plural(countries.length, 'new country', 'new countries')} (${some(countries)})`,
      detail:
        `${env.u} signed in successfully from ${some(countries)} for the first time in ${USER_BASELINE_DAYS} days (baseline: ${plural(env.facts.baselineSignIns, 'successful sign-in')} before the window).` +
        (mfaOnly ? ' Multi-factor authentication was satisfied on these sign-ins, which lowers the risk.' : ''),
    };
  },
};

const sharedEgress: UserRule = {
  id: 'U4s',
  title: 'Shared corporate egress',
  tables: ['SigninLogs'],
  fires: 'the user signed in through an IP that many colleagues use daily but the user did not use in the baseline',
  weight: '0 (benign context: not a new place, not travel)',
  benign: 'this is the benign look-alike of U4 and U5 itself',
  query(env) {
    const shared = [...env.facts.sharedIps].filter((ip) => !env.facts.knownIps.has(ip)).sort();
    if (!shared.length) return undefined;
    return [
      'SigninLogs',
      `| where ${env.inWindow}`,
      `| where ${env.who}`,
      '| where ResultType == "0"',
      `| where IPAddress in ${kqlList(shared)}`,
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated) by IPAddress, Location',
      '| sort by FirstSeen asc, IPAddress asc',
    ].join('\n');
  },
  score(rows, env) {
    if (!rows.length) return undefined;
    const where = rows.map((r) => `${str(r.IPAddress)} (${str(r.Location)})`);
    return {
      weight: 0,
      title: `Shared corporate egress: ${some(where, 2)}`,
      detail: `${env.u} signed in through ${some(where)}, which at least ${SHARED_IP.users} colleagues used on at least ${SHARED_IP.days} days of the baseline (a VPN egress or proxy): not a new place and not travel, so it counts as benign.`,
    };
  },
};

const newNetwork: UserRule = {
  id: 'U4b',
  title: 'New network (ASN)',
  tables: ['SigninLogs'],
  fires: 'a password-only success from an ASN first seen in the window, in a country already known',
  weight: '+5',
  query: (env) =>
    env.facts.baselineSignIns > 0
      ? [
          'SigninLogs',
          `| where ${kqlBetween('TimeGenerated', env.baselineStart, env.end)}`,
          `| where ${env.who}`,
          '| where ResultType == "0" and isnotempty(AutonomousSystemNumber)',
          '| summarize FirstSeen = min(TimeGenerated), SignIns = count(), Countries = make_set(Location), IPAddresses = make_set(IPAddress), AuthenticationRequirements = make_set(AuthenticationRequirement) by AutonomousSystemNumber',
          `| where FirstSeen >= ${kqlDatetime(env.start)}`,
          '| sort by FirstSeen asc, AutonomousSystemNumber asc',
        ].join('\n')
      : undefined,
  score(rows, env) {
    const inKnownCountry = rows.filter((r) => list(r.Countries).every((c) => !env.facts.newCountries.has(c)));
    const passwordOnly = inKnownCountry.filter(
      (r) =>
        singleFactor(r.AuthenticationRequirements) && !list(r.IPAddresses).every((ip) => env.facts.sharedIps.has(ip)),
    );
    if (!passwordOnly.length) return undefined;
    const nets = passwordOnly.map((r) => `AS${str(r.AutonomousSystemNumber)}`);
    return {
      weight: 5,
      title: `Sign-in from ${plural(nets.length, 'new network')}: ${some(nets)}`,
      tags: ['newNetwork'],
      clause: `password-only sign-ins from ${plural(nets.length, 'new network')} (${some(nets)})`,
      detail: `${env.u} signed in with a password only from ${some(nets)}, networks (ASNs) not seen in the ${USER_BASELINE_DAYS} days before, inside countries the user already signs in from.`,
    };
  },
};

const successAfterFailures: UserRule = {
  id: 'U3',
  title: 'Success after failures',
  tables: ['SigninLogs'],
  fires: 'a success within 24 h after the first burst',
  weight: '+25 from a spraying IP or new country, else +10',
  benign: 'failures from the usual IP and device, then an MFA success from a usual IP: 0',
  query(env) {
    if (!env.facts.firstBurst) return undefined;
    const until = new Date(Math.min(env.facts.firstBurst.getTime() + DAY, env.end.getTime()));
    return [
      'SigninLogs',
      `| where ${kqlBetween('TimeGenerated', env.facts.firstBurst, until)}`,
      `| where ${env.who}`,
      '| where ResultType == "0"',
      '| summarize SignIns = count(), FirstSuccess = min(TimeGenerated) by IPAddress, Location, AuthenticationRequirement',
      '| sort by FirstSuccess asc, IPAddress asc',
    ].join('\n');
  },
  score(rows, env) {
    if (!rows.length) return undefined;
    const fromNew = rows.filter(
      (r) =>
        env.facts.sprayIps.has(str(r.IPAddress)) ||
        (env.facts.baselineSignIns > 0 && env.facts.newCountries.has(str(r.Location))),
    );
    for (const r of fromNew)
      markUnfamiliar(
        env,
        str(r.IPAddress),
        str(r.Location),
        new Date(str(r.FirstSuccess)),
        'success after failed attempts',
      );
    env.facts.guessWorked = fromNew.length > 0;
    const usual =
      [...env.facts.burstIps].every((ip) => isUsualIp(env, ip)) &&
      [...env.facts.burstDevices].every((d) => knownDevice(env, d));
    const mfaFromUsual = rows.every(
      (r) => /multi/i.test(str(r.AuthenticationRequirement)) && isUsualIp(env, str(r.IPAddress)),
    );
    if (!fromNew.length && usual && mfaFromUsual && !env.facts.failuresExplained) {
      env.facts.failuresExplained =
        "The failures came from the user's usual IP address and device, and the next success from there passed multi-factor authentication (mistyped passwords)";
    }
    const at = env.facts.firstBurst ? isoSeconds(env.facts.firstBurst) : '';
    return {
      weight: fromNew.length ? 25 : 10,
      title: 'Successful sign-in after failed attempts',
      tags: ['successAfterFailures'],
      clause: `a successful sign-in after the failures${fromNew.length ? ` from ${some(fromNew.map((r) => `${str(r.IPAddress)} (${str(r.Location)})`))}` : ''}`,
      detail:
        `Within 24 hours of the failures that began at ${at}, ${env.u} signed in successfully ${plural(
          rows.reduce((s, r) => s + num(r.SignIns), 0),
          'time',
        )}.` +
        (fromNew.length
          ? ' The success came from a spraying IP address or a country new for this user: the guess likely worked.'
          : ''),
    };
  },
  finalize(f, env) {
    if (!env.facts.failuresExplained || env.facts.guessWorked) return;
    f.evidence.weight = 0;
    f.tags = [];
    f.clause = '';
    f.evidence.detail += ` ${env.facts.failuresExplained}.`;
  },
};

const travelCandidates: UserRule = {
  id: 'U5a',
  title: 'Sign-in locations by hour',
  tables: ['SigninLogs'],
  context: true,
  fires: 'context',
  weight: '0',
  query: (env) =>
    [
      ...travelBase(env),
      ...TRAVEL_TAIL,
      '| summarize SignIns = count() by Location, Latitude, Longitude, Hour = bin(TimeGenerated, 1h)',
      '| sort by Hour asc',
    ].join('\n'),
  score(rows, env) {
    const trip = impossibleTravel(rows);
    if (trip) env.facts.trip = { a: trip.pair[0], b: trip.pair[1], km: trip.km, hours: trip.hours, kmh: trip.kmh };
    return undefined;
  },
};

function travelBase(env: UserEnv): string[] {
  return [
    'SigninLogs',
    `| where ${env.inWindow}`,
    `| where ${env.who}`,
    '| where ResultType == "0"',
    // A shared corporate egress is where many people appear at once: it says nothing about travel.
    ...(env.facts.sharedIps.size ? [`| where IPAddress !in ${kqlList([...env.facts.sharedIps].sort())}`] : []),
  ];
}
const TRAVEL_TAIL = [
  '| extend Latitude = todouble(LocationDetails.geoCoordinates.latitude), Longitude = todouble(LocationDetails.geoCoordinates.longitude)',
  '| where isnotempty(Latitude) and isnotempty(Longitude)',
];

const travel: UserRule = {
  id: 'U5',
  title: 'Impossible travel',
  tables: ['SigninLogs'],
  fires: 'consecutive success locations > 500 km apart at > 900 km/h (hour bins, upper-bound time)',
  weight: '+20; +10 if MFA was satisfied at the destination',
  benign: 'sign-ins through a shared corporate egress are left out',
  query(env) {
    const trip = env.facts.trip;
    if (!trip) return undefined;
    const hourA = new Date(str(trip.a.Hour));
    const hourB = new Date(str(trip.b.Hour));
    return [
      ...travelBase(env),
      `| where (TimeGenerated >= ${kqlDatetime(hourA)} and TimeGenerated < ${kqlDatetime(new Date(hourA.getTime() + HOUR))}) or (TimeGenerated >= ${kqlDatetime(hourB)} and TimeGenerated < ${kqlDatetime(new Date(hourB.getTime() + HOUR))})`,
      ...TRAVEL_TAIL,
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), IPAddresses = make_set(IPAddress), AuthenticationRequirements = make_set(AuthenticationRequirement) by Location, Latitude, Longitude',
      '| sort by FirstSeen asc',
    ].join('\n');
  },
  score(rows, env) {
    const trip = env.facts.trip!;
    const from = str(trip.a.Location);
    const to = str(trip.b.Location);
    // Multi-factor authentication at the far end lowers the risk (a traveller, or a VPN, who passed MFA).
    const destination = rows.filter((r) => str(r.Location) === to);
    const mfaAtDestination =
      destination.length > 0 &&
      destination.every((r) => list(r.AuthenticationRequirements).every((x) => /multi/i.test(x)));
    return {
      weight: mfaAtDestination ? 10 : 20,
      title: `Impossible travel: ${from} → ${to}`,
      tags: ['impossibleTravel'],
      clause: `impossible travel from ${from} to ${to}`,
      detail:
        `Successful sign-ins ${Math.round(trip.km)} km apart within ${trip.hours} h (at least ${Math.round(trip.kmh)} km/h): one person cannot travel that fast.` +
        (mfaAtDestination
          ? ` Multi-factor authentication was satisfied in ${to}, which points to a VPN or a traveller rather than an attacker.`
          : ''),
    };
  },
};

const risky: UserRule = {
  id: 'U6',
  title: 'Risky sign-ins',
  tables: ['SigninLogs'],
  fires: 'medium/high risk or atRisk/confirmedCompromised',
  weight: 'confirmedCompromised +30; atRisk success +20 (+10 with MFA); failed +5',
  benign: 'remediated/dismissed risk: 0 (shown as benign)',
  query: (env) =>
    [
      'SigninLogs',
      `| where ${env.inWindow}`,
      `| where ${env.who}`,
      '| where RiskLevelDuringSignIn in~ ("medium", "high") or RiskState in~ ("atRisk", "confirmedCompromised")',
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), IPAddresses = make_set(IPAddress) by RiskLevelDuringSignIn, RiskState, ResultType, AuthenticationRequirement, Location',
      '| sort by FirstSeen asc, RiskState asc',
    ].join('\n'),
  score(rows, env) {
    if (!rows.length) return undefined;
    let weight = 0;
    for (const r of rows) {
      const state = str(r.RiskState).toLowerCase();
      const ok = str(r.ResultType) === '0';
      const mfa = /multi/i.test(str(r.AuthenticationRequirement));
      let w = 0;
      if (state === 'confirmedcompromised') w = 30;
      else if (state === 'atrisk') w = ok ? (mfa ? 10 : 20) : 5;
      if (w > 0 && ok)
        list(r.IPAddresses).forEach((ip) =>
          markUnfamiliar(env, ip, str(r.Location), new Date(str(r.FirstSeen)), `risky sign-in (${state})`),
        );
      weight = Math.max(weight, w);
    }
    const mitigated = weight === 0;
    const levels = [...new Set(rows.map((r) => str(r.RiskLevelDuringSignIn)).filter(Boolean))];
    const states = [...new Set(rows.map((r) => str(r.RiskState)).filter(Boolean))];
    return {
      weight,
      title: mitigated ? 'Risky sign-in, remediated' : 'Risky sign-ins',
      tags: mitigated ? ['riskMitigated'] : ['risky'],
      clause: mitigated
        ? `a risky sign-in that was ${some(states)} (multi-factor authentication satisfied)`
        : `${plural(
            rows.reduce((s, r) => s + num(r.SignIns), 0),
            'risky sign-in',
          )} (${some(levels)} risk, ${some(states)})`,
      detail: mitigated
        ? `Entra ID Protection rated ${plural(rows.length, 'sign-in group')} ${some(levels)} risk, and the risk state is ${some(states)}: the user satisfied multi-factor authentication or the risk was cleared, so this counts as benign.`
        : `Entra ID Protection rated sign-ins ${some(levels)} risk with risk state ${some(states)}.`,
    };
  },
};

const singleFactorNewPlace: UserRule = {
  id: 'U7',
  title: 'Single-factor success from a new place',
  tables: ['SigninLogs'],
  fires: 'password-only success from a new country/IP or a spraying IP',
  weight: '+15',
  query: (env) =>
    [
      'SigninLogs',
      `| where ${env.inWindow}`,
      `| where ${env.who}`,
      '| where ResultType == "0" and AuthenticationRequirement =~ "singleFactorAuthentication"',
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), IPAddresses = make_set(IPAddress) by Location, AppDisplayName, ClientAppUsed',
      '| sort by FirstSeen asc, Location asc',
    ].join('\n'),
  score(rows, env) {
    const known = env.facts.baselineSignIns > 0;
    const risky = rows.filter(
      (r) =>
        (known && env.facts.newCountries.has(str(r.Location))) ||
        list(r.IPAddresses).some((ip) => env.facts.sprayIps.has(ip) || (known && env.facts.newCountryIps.has(ip))),
    );
    if (!risky.length) return undefined;
    for (const r of risky)
      list(r.IPAddresses).forEach((ip) =>
        markUnfamiliar(env, ip, str(r.Location), new Date(str(r.FirstSeen)), 'password-only sign-in from a new place'),
      );
    const where = [...new Set(risky.map((r) => str(r.Location)))];
    return {
      weight: 15,
      title: 'Single-factor success from a new location',
      tags: ['singleFactor'],
      clause: `single-factor authentication from ${some(where)}`,
      detail: `Password-only sign-ins succeeded from ${some(where)}, a location new for ${env.u} or used by a spraying IP address: no second factor stood in the way.`,
    };
  },
};

const tokenUse: UserRule = {
  id: 'U12',
  title: 'Token use',
  tables: ['AADNonInteractiveUserSignInLogs'],
  fires: 'non-interactive successes from a password-only new country or a spraying IP',
  weight: '+10',
  query: (env) =>
    [
      'AADNonInteractiveUserSignInLogs',
      `| where ${env.inWindow}`,
      `| where ${env.who}`,
      '| where ResultType == "0"',
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), IPAddresses = make_set(IPAddress), Apps = make_set(AppDisplayName) by Location',
      '| sort by FirstSeen asc, Location asc',
    ].join('\n'),
  score(rows, env) {
    const sfCountries = env.facts.baselineSignIns > 0 ? env.facts.singleFactorNewCountries : new Set<string>();
    const hits = rows.filter(
      (r) => sfCountries.has(str(r.Location)) || list(r.IPAddresses).some((ip) => env.facts.sprayIps.has(ip)),
    );
    if (!hits.length) return undefined;
    const where = hits.map((r) => str(r.Location));
    const count = hits.reduce((n, r) => n + num(r.SignIns), 0);
    return {
      weight: 10,
      title: `Token use from ${some(where)}`,
      tags: ['tokenUse'],
      clause: `${plural(count, 'non-interactive sign-in')} from ${some(where)}`,
      detail: `${plural(count, 'non-interactive sign-in')} (apps refreshing tokens) came from ${some(where)}, where the suspicious password-only sign-in happened: the session is being used, not just opened.`,
    };
  },
};

const tiSignInIps: UserRule = {
  id: 'U13',
  title: 'Threat intelligence on sign-in IPs',
  tables: ['SigninLogs', 'ThreatIntelIndicators'],
  fires: 'a sign-in IP (interactive or non-interactive) is an active ipv4/ipv6 indicator',
  weight: 'success: +30 (confidence ≥ 80), +20 (≥ 50), +10 (lower); failures only: +5; max +35',
  benign: 'expired or inactive indicators are ignored; failures from an IP the spray rule already counts add 0',
  query(env) {
    const part = (t: string, kind: string) =>
      `(${t} | where ${env.inWindow} | where ${env.who} | extend Kind = "${kind}")`;
    const sources = env.ctx.hasTable('AADNonInteractiveUserSignInLogs')
      ? `union ${part('SigninLogs', 'interactive')}, ${part('AADNonInteractiveUserSignInLogs', 'non-interactive')}`
      : `union ${part('SigninLogs', 'interactive')}`;
    return [
      sources,
      '| summarize SignIns = count(), Successes = countif(ResultType == "0"), FirstSeen = min(TimeGenerated) by IPAddress, Location, Kind',
      `| join kind=inner (ThreatIntelIndicators | where TimeGenerated <= ${kqlDatetime(env.end)} | where ObservableKey startswith "ipv4-addr" or ObservableKey startswith "ipv6-addr" | where IsActive == true and (isnull(ValidUntil) or ValidUntil >= ${kqlDatetime(env.start)}) | summarize Confidence = max(Confidence), Indicator = take_any(Id) by IPAddress = ObservableValue) on IPAddress`,
      '| project IPAddress, Location, Kind, SignIns, Successes, FirstSeen, Confidence, Indicator',
      '| sort by FirstSeen asc, Kind asc',
    ].join('\n');
  },
  score(rows, env) {
    if (!rows.length) return undefined;
    let weight = 0;
    const ok: string[] = [];
    for (const r of rows) {
      const conf = num(r.Confidence);
      const ip = str(r.IPAddress);
      if (num(r.Successes) > 0) {
        weight = Math.max(weight, conf >= 80 ? 30 : conf >= 50 ? 20 : 10);
        ok.push(`${ip} (${str(r.Kind)}, confidence ${conf})`);
        markUnfamiliar(env, ip, str(r.Location), new Date(str(r.FirstSeen)), 'threat-intelligence IP');
      } else if (!env.facts.sprayIps.has(ip)) {
        weight = Math.max(weight, 5);
      }
    }
    weight = Math.min(35, weight);
    const ips = [...new Set(rows.map((r) => str(r.IPAddress)))];
    return {
      weight,
      title: ok.length
        ? `Sign-in from a threat-intelligence IP: ${some(ips)}`
        : `Attempts from a threat-intelligence IP: ${some(ips)}`,
      tags: ok.length ? ['tiIp'] : [],
      clause: ok.length
        ? `successful sign-ins from threat-intelligence IPs (${some(ok, 2)})`
        : weight
          ? `failed attempts from a threat-intelligence IP`
          : '',
      detail: ok.length
        ? `${env.u} signed in successfully from ${some(ok)}, listed as active threat-intelligence indicators: the credentials or session are in the hands of known-bad infrastructure.`
        : `Only failed attempts came from ${some(ips)}, active threat-intelligence indicators${weight ? '' : ' already counted as a password spray'}: nobody got in from there.`,
      table: 'SigninLogs, ThreatIntelIndicators',
    };
  },
};

const tokenReplay: UserRule = {
  id: 'U14',
  title: 'Token replay from an unfamiliar IP',
  tables: ['AADNonInteractiveUserSignInLogs', 'SigninLogs'],
  fires:
    "non-interactive successes from an IP that never appears in the user's interactive sign-ins (baseline or window), in a country the user never signs in from interactively",
  weight: '+25',
  benign:
    "token refreshes from the user's usual or a shared corporate IP, or from a country of their interactive sign-ins: 0",
  query: (env) =>
    [
      'AADNonInteractiveUserSignInLogs',
      `| where ${env.inWindow}`,
      `| where ${env.who}`,
      '| where ResultType == "0"',
      '| summarize SignIns = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), Apps = make_set(AppDisplayName) by IPAddress, Location',
      `| join kind=leftanti (SigninLogs | where ${kqlBetween('TimeGenerated', env.baselineStart, env.end)} | where ${env.who} | summarize by IPAddress) on IPAddress`,
      `| join kind=leftanti (SigninLogs | where ${kqlBetween('TimeGenerated', env.baselineStart, env.end)} | where ${env.who} | where ResultType == "0" | summarize by Location) on Location`,
      '| sort by FirstSeen asc, IPAddress asc',
    ].join('\n'),
  score(rows, env) {
    const hits = rows.filter((r) => !isUsualIp(env, str(r.IPAddress)));
    if (!hits.length) return undefined;
    for (const r of hits)
      markUnfamiliar(
        env,
        str(r.IPAddress),
        str(r.Location),
        new Date(str(r.FirstSeen)),
        'token replay (non-interactive only)',
      );
    const where = hits.map((r) => `${str(r.IPAddress)} (${str(r.Location)})`);
    const count = hits.reduce((n, r) => n + num(r.SignIns), 0);
    return {
      weight: 25,
      title: `Token replay from ${some(where, 2)}`,
      tags: ['tokenReplay'],
      clause: `tokens replayed from ${some(where, 2)}`,
      detail: `${plural(count, 'non-interactive sign-in')} came from ${some(where)}, an IP and country that never appear in ${env.u}'s interactive sign-ins: a session or refresh token is being used from somewhere the user never signs in.`,
    };
  },
};

const dormant: UserRule = {
  id: 'U15',
  title: 'Dormant account wakes up',
  tables: ['SigninLogs'],
  fires:
    'successful sign-ins in the window, none (interactive or not) in the baseline while the tenant has baseline sign-ins',
  weight: "+15; +10 password only; +10 from a country other than the user's (IdentityInfo)",
  benign: 'a returning user signing in with MFA from home: +15 alone stays below Suspicious',
  query(env) {
    const part = (t: string) => `(${t} | where ${kqlBetween('TimeGenerated', env.baselineStart, env.end)})`;
    const sources = env.ctx.hasTable('AADNonInteractiveUserSignInLogs')
      ? `union ${part('SigninLogs')}, ${part('AADNonInteractiveUserSignInLogs')}`
      : `union ${part('SigninLogs')}`;
    const before = `TimeGenerated < ${kqlDatetime(env.start)}`;
    const ok = `TimeGenerated >= ${kqlDatetime(env.start)} and ResultType == "0"`;
    return [
      sources,
      `| extend Mine = ${env.who}`,
      `| summarize TenantBaseline = countif(${before}), UserBaseline = countif(Mine and ${before}), WindowSuccesses = countif(Mine and ${ok}),` +
        ` SingleFactor = countif(Mine and ${ok} and AuthenticationRequirement =~ "singleFactorAuthentication"), FirstSuccess = minif(TimeGenerated, Mine and ${ok}),` +
        ` Countries = make_set_if(Location, Mine and ${ok}), IPAddresses = make_set_if(IPAddress, Mine and ${ok})`,
      '| where TenantBaseline > 0 and UserBaseline == 0 and WindowSuccesses > 0',
    ].join('\n');
  },
  score(rows, env) {
    const r = rows[0];
    if (!r) return undefined;
    const home = (env.identity.country ?? '').toUpperCase();
    const countries = list(r.Countries);
    const abroad = home ? countries.filter((c) => c.toUpperCase() !== home) : [];
    const sf = num(r.SingleFactor) > 0;
    const weight = 15 + (sf ? 10 : 0) + (abroad.length ? 10 : 0);
    if (sf || abroad.length) {
      for (const ip of list(r.IPAddresses))
        markUnfamiliar(
          env,
          ip,
          abroad[0] ?? countries[0] ?? '',
          new Date(str(r.FirstSuccess)),
          'dormant account waking up',
        );
    }
    return {
      weight,
      title: 'Dormant account signs in',
      tags: ['dormant'],
      clause: `a dormant account signing in${abroad.length ? ` from ${some(abroad)}` : ''}${sf ? ' with a password only' : ''}`,
      detail:
        `${env.u} had no sign-ins at all in the ${USER_BASELINE_DAYS} days before the window and now signed in ${plural(num(r.WindowSuccesses), 'time')} from ${some(countries)}` +
        `${sf ? ', with a password only' : ''}${abroad.length ? `, outside the user's country (${home})` : ''}. Dormant accounts are a favourite target: nobody notices their use.`,
    };
  },
};

export const USER_SIGNIN_RULES: readonly UserRule[] = [
  usualNetworks,
  usualDevices,
  activity,
  failureBursts,
  spray,
  baseline,
  newCountry,
  sharedEgress,
  newNetwork,
  successAfterFailures,
  travelCandidates,
  travel,
  risky,
  singleFactorNewPlace,
  tokenUse,
  tiSignInIps,
  tokenReplay,
  dormant,
];
