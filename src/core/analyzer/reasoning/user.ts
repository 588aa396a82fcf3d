// User analysis: resolves the user, runs the user rules (userSignInRules.ts, userActivityRules.ts), adds
// their weights into a verdict and explains it. The README's user table is generated from the rules.
import { UserError } from '../../errors';
import type { Confidence, UserVerdict } from '../types';
import { Finding, Findings, ReasoningContext, joinAnd, list, rowsOf, some, str } from './context';
import { isoSeconds, kqlString } from './kql';
import { Rule, runRules } from './rule';
import { USER_ACTIVITY_RULES, USER_THRESHOLDS, privilegedRoles } from './userActivityRules';
import { USER_BASELINE_DAYS, UserEnv, UserIdentity, userEnv } from './userEnv';
import { USER_SIGNIN_RULES } from './userSignInRules';

export { USER_BASELINE_DAYS };
export type { UserIdentity };
export { NOT_FAILURE_CODES, PASSWORD_FAILURE_CODES } from './userSignInRules';
export { USER_THRESHOLDS };

/** Every user rule in the order it runs (privileged roles run last: they read the score so far). */
export const USER_RULES: readonly Rule<UserEnv>[] = [...USER_SIGNIN_RULES, ...USER_ACTIVITY_RULES];
export const ALL_USER_RULES: readonly Rule<UserEnv>[] = [...USER_RULES, privilegedRoles];

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
    '| summarize LastSeen = max(TimeGenerated) by AccountUPN, AccountObjectId, AccountDisplayName, Roles = tostring(AssignedRoles), IsAccountEnabled, Country',
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
    country: str(latest.Country) || undefined,
    query,
    rows,
  };
}

/** The verdict a score gives: ≥ 60 Compromised, 25–59 Suspicious activity found, below 25 No evidence. */
export function userVerdictFor(score: number): UserVerdict {
  return score >= USER_THRESHOLDS.compromised
    ? 'Compromised'
    : score >= USER_THRESHOLDS.suspicious
      ? 'Suspicious activity found'
      : 'No evidence of compromise';
}

export async function reasonAboutUser(
  ctx: ReasoningContext,
  identity: UserIdentity,
  start: Date,
  end: Date,
): Promise<UserReasoning> {
  const f = new Findings();
  const env = userEnv({ ctx, start, end, findings: f, dropped: new Set() }, identity);
  await runRules(USER_RULES, env);
  await runRules([privilegedRoles], env);
  const u = identity.upn;
  const signIns = env.facts.signIns;

  const score = f.score();
  const verdict = userVerdictFor(score);
  const positive = f.positive();
  let confidence: Confidence;
  if (verdict === 'Compromised') confidence = score >= 80 && positive.length >= 3 ? 'High' : 'Medium';
  else if (verdict === 'Suspicious activity found') confidence = positive.length >= 2 ? 'Medium' : 'Low';
  else confidence = signIns === 0 ? 'Low' : positive.length === 0 ? 'High' : 'Medium';

  const clauses = positive
    .sort((a, b) => b.evidence.weight - a.evidence.weight)
    .map((x) => x.clause)
    .filter(Boolean);
  const name = identity.displayName ? `${identity.displayName} (${u})` : u;
  let summary: string;
  if (verdict === 'Compromised') summary = `${name} is likely compromised: ${joinAnd(clauses.slice(0, 4))}.`;
  else if (verdict === 'Suspicious activity found')
    summary = `Suspicious activity for ${name}: ${joinAnd(clauses.slice(0, 3))}. Not enough for a compromise verdict.`;
  else if (signIns === 0)
    summary = `No evidence of compromise for ${name}, but there were no sign-ins in the window to judge.`;
  else {
    const mitigated = f.items.some((x) => x.tags.includes('riskMitigated'));
    summary = `No evidence of compromise for ${name}${mitigated ? ': the risky sign-in was remediated with multi-factor authentication' : ''}.`;
    if (clauses.length)
      summary += ` Minor signals (${joinAnd(clauses.slice(0, 3))}) stay below the threshold (score ${score}; ${USER_THRESHOLDS.suspicious} needed for Suspicious activity found).`;
  }

  const narrative = buildNarrative(name, start, end, f, score, verdict);
  const sprayIps = [...env.facts.sprayIps];
  return {
    identity,
    verdict,
    confidence,
    score,
    findings: f.items,
    summary,
    narrative,
    recommendations: userRecommendations(verdict, f, identity, sprayIps),
  };
}

function buildNarrative(
  name: string,
  start: Date,
  end: Date,
  f: Findings,
  score: number,
  verdict: UserVerdict,
): string {
  const lines: string[] = [];
  lines.push(
    `The analysis looked at ${name} from ${isoSeconds(start)} to ${isoSeconds(end)} and compared sign-ins with the ${USER_BASELINE_DAYS} days before.`,
  );
  const activity = f.items.find((x) => x.rule === 'U0');
  if (activity?.evidence.detail) lines.push(activity.evidence.detail);
  for (const x of f.items) {
    if (x.rule === 'U0') continue;
    lines.push(
      `${x.evidence.title} (${x.evidence.weight >= 0 ? '+' : ''}${x.evidence.weight}): ${x.evidence.detail ?? ''}`.trim(),
    );
  }
  if (f.positive().length === 0) lines.push('None of the compromise rules fired.');
  lines.push(
    `Score ${score}: ${USER_THRESHOLDS.compromised} or more means Compromised, ${USER_THRESHOLDS.suspicious}–${USER_THRESHOLDS.compromised - 1} Suspicious activity found, below ${USER_THRESHOLDS.suspicious} No evidence of compromise. Verdict: ${verdict}.`,
  );
  return lines.join('\n\n');
}

function userRecommendations(verdict: UserVerdict, f: Findings, id: UserIdentity, sprayIps: string[]): string[] {
  const r: string[] = [];
  const u = id.upn;
  if (verdict === 'Compromised') {
    r.push(`Revoke all sessions and refresh tokens of ${u} (Entra ID: Revoke sessions / Revoke-MgUserSignInSession).`);
    r.push(`Reset the password of ${u} and require re-registration of multi-factor authentication methods.`);
  } else if (verdict === 'Suspicious activity found') {
    r.push(
      `Confirm the flagged sign-ins and changes with ${u}; if they do not recognise them, revoke sessions and reset credentials.`,
    );
  }
  if (f.has('forwarding') || f.has('inboxRule')) {
    r.push(`Remove the inbox rule created on the mailbox of ${u} and review which messages it forwarded or hid.`);
  }
  if (f.has('consent')) r.push('Review and revoke the OAuth consent grants the user gave in the window.');
  if (f.has('mailboxPermission')) r.push('Remove mailbox permissions that were added in the window.');
  if (f.has('spray') && sprayIps.length) {
    r.push(`Block the spraying IP addresses (${some(sprayIps, 5)}) and check the other accounts they targeted.`);
  }
  if (f.has('singleFactor'))
    r.push(
      `Require multi-factor authentication for ${u} with a Conditional Access policy; block legacy authentication.`,
    );
  if (f.has('alerts')) r.push('Investigate and resolve the related alerts and their incidents.');
  if (f.has('privileged'))
    r.push(
      `Review actions taken with the privileged roles of ${u} in the window and consider removing standing admin rights (PIM).`,
    );
  if (verdict === 'No evidence of compromise') {
    if (f.items.some((x) => x.tags.includes('riskMitigated')))
      r.push(
        'The risky sign-in was remediated by multi-factor authentication: no action needed beyond confirming it with the user.',
      );
    else r.push('No action needed. Re-run the analysis if new alerts involve this user.');
  }
  return r;
}

export { impossibleTravel, haversineKm } from './geo';
