// What the user rules share: the entity as KQL literals, the window and baseline, and the facts earlier
// rules established (usual IPs, spraying IPs, unfamiliar sign-ins …) that later rules build on.
import type { RuleEnv } from './rule';
import { isoSeconds, kqlBetween, kqlString } from './kql';
import type { Row } from './context';

export const USER_BASELINE_DAYS = 30;
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
/** An IP this many colleagues signed in from on this many days of the baseline is shared infrastructure. */
export const SHARED_IP = { users: 5, days: 3 } as const;

export interface UserIdentity {
  upn: string;
  objectId: string;
  displayName: string;
  roles: string[];
  enabled?: boolean;
  /** Country from IdentityInfo (where the user normally is), when known. */
  country?: string;
  query: string;
  rows: Row[];
}

/** A successful sign-in that an analyst would look at twice, by IP. */
export interface UnfamiliarSignIn {
  ip: string;
  country: string;
  at: Date;
  why: string;
}

export interface UserFacts {
  signIns: number;
  windowSuccesses: number;
  baselineSignIns: number;
  /** IPs the user signed in from successfully in the baseline. */
  knownIps: Set<string>;
  /** IPs many colleagues use daily (a corporate egress or proxy): never "new" for anyone. */
  sharedIps: Set<string>;
  /** Device ids of the user's successful baseline sign-ins. */
  knownDevices: Set<string>;
  tenantDomains: string[];
  firstBurst?: Date;
  burstIps: Set<string>;
  burstDevices: Set<string>;
  sprayIps: Set<string>;
  newCountries: Set<string>;
  newCountryIps: Set<string>;
  singleFactorNewCountries: Set<string>;
  /** Why the failures are benign (usual IP and device, then MFA; a self-service reset), when they are. */
  failuresExplained?: string;
  guessWorked: boolean;
  trip?: { a: Row; b: Row; km: number; hours: number; kmh: number };
  /** Successful sign-ins from places an attacker would sign in from, by IP. */
  unfamiliar: Map<string, UnfamiliarSignIn>;
  /** The user's clicks on URLs that threat intelligence or Safe Links call malicious. */
  badClicks: { url: string; at: Date; reached: boolean }[];
  /** All the user's clicks that reached a page (for consent phishing: the click before a consent). */
  clicks: { url: string; at: Date }[];
  /** U9's weight without OAuth consent (the consent rule scores consent when AuditLogs has it). */
  mailboxWeightWithoutConsent?: number;
}

export interface UserEnv extends RuleEnv {
  identity: UserIdentity;
  baselineStart: Date;
  /** The user's UPN and object id as KQL literals. */
  upn: string;
  oid: string;
  /** `UserPrincipalName =~ … or UserId =~ …` */
  who: string;
  inWindow: string;
  /** The plain lower-case UPN for prose. */
  u: string;
  facts: UserFacts;
}

export function newUserFacts(): UserFacts {
  return {
    signIns: 0,
    windowSuccesses: 0,
    baselineSignIns: 0,
    knownIps: new Set(),
    sharedIps: new Set(),
    knownDevices: new Set(),
    tenantDomains: [],
    burstIps: new Set(),
    burstDevices: new Set(),
    sprayIps: new Set(),
    newCountries: new Set(),
    newCountryIps: new Set(),
    singleFactorNewCountries: new Set(),
    guessWorked: false,
    unfamiliar: new Map(),
    badClicks: [],
    clicks: [],
  };
}

export function userEnv(base: RuleEnv, identity: UserIdentity): UserEnv {
  const upn = kqlString(identity.upn);
  const oid = kqlString(identity.objectId);
  return {
    ...base,
    identity,
    baselineStart: new Date(base.start.getTime() - USER_BASELINE_DAYS * DAY),
    upn,
    oid,
    who: `UserPrincipalName =~ ${upn} or UserId =~ ${oid}`,
    inWindow: kqlBetween('TimeGenerated', base.start, base.end),
    u: identity.upn,
    facts: newUserFacts(),
  };
}

/** The user's own or a shared corporate IP: failures and changes from it are what the user does daily. */
export function isUsualIp(env: UserEnv, ip: string): boolean {
  return env.facts.knownIps.has(ip) || env.facts.sharedIps.has(ip);
}

export function markUnfamiliar(env: UserEnv, ip: string, country: string, at: Date, why: string): void {
  if (!ip || isUsualIp(env, ip)) return;
  const had = env.facts.unfamiliar.get(ip);
  if (!had || at < had.at) env.facts.unfamiliar.set(ip, { ip, country, at, why: had ? `${had.why}; ${why}` : why });
  else if (!had.why.includes(why)) had.why += `; ${why}`;
}

export function describeUnfamiliar(s: UnfamiliarSignIn): string {
  return `${s.ip}${s.country ? ` (${s.country})` : ''}, ${s.why}, first at ${isoSeconds(s.at)}`;
}
