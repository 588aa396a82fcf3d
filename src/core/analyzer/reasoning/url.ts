// URL analysis: runs the URL rules (urlRules.ts), adds their weights into a verdict and explains it.
// The README's URL table is generated from the rules.
import type { Confidence, UrlVerdict } from '../types';
import { Findings, Finding, ReasoningContext, Row, joinAnd, list, some, str } from './context';
import { isoSeconds } from './kql';
import { runRules } from './rule';
import { URL_PREVALENCE_DAYS, URL_RULES, URL_THRESHOLDS, urlEnv } from './urlRules';

export { URL_PREVALENCE_DAYS, URL_THRESHOLDS, urlVariants, credentialHarvestShape } from './urlRules';

export interface UrlReasoning {
  verdict: UrlVerdict;
  confidence: Confidence;
  score: number;
  findings: Finding[];
  summary: string;
  narrative: string;
  recommendations: string[];
}

/** The verdict a score gives: ≥ 60 Malicious, 25–59 Suspicious, below 25 No evidence of malicious activity. */
export function urlVerdictFor(score: number): UrlVerdict {
  return score >= URL_THRESHOLDS.malicious
    ? 'Malicious'
    : score >= URL_THRESHOLDS.suspicious
      ? 'Suspicious'
      : 'No evidence of malicious activity';
}

export async function reasonAboutUrl(
  ctx: ReasoningContext,
  url: string,
  start: Date,
  end: Date,
): Promise<UrlReasoning> {
  const f = new Findings();
  const env = urlEnv({ ctx, start, end, findings: f, dropped: new Set() }, url);
  await runRules(URL_RULES, env);
  const { host } = env;
  const { tiMatched, everSeen, established, clickRows, emailRows, deviceRows } = env.facts;

  const score = f.score();
  const verdict = urlVerdictFor(score);
  const positive = f.positive();
  let confidence: Confidence;
  if (verdict === 'Malicious') confidence = tiMatched || score >= 90 ? 'High' : 'Medium';
  else if (verdict === 'Suspicious') confidence = positive.length >= 2 ? 'Medium' : 'Low';
  else confidence = !everSeen ? 'Low' : established && positive.length === 0 ? 'High' : 'Medium';

  const clauses = positive
    .sort((a, b) => b.evidence.weight - a.evidence.weight)
    .map((x) => x.clause)
    .filter(Boolean);
  let summary: string;
  if (verdict === 'Malicious') summary = `${url} is malicious: ${joinAnd(clauses.slice(0, 4))}.`;
  else if (verdict === 'Suspicious')
    summary = `${url} is suspicious: ${joinAnd(clauses.slice(0, 3))}.${tiMatched ? '' : ' No threat intelligence confirms it.'}`;
  else if (!everSeen)
    summary = `No evidence that ${url} is malicious; it was not seen in the tenant's email, clicks or device traffic.`;
  else
    summary = `No evidence that ${url} is malicious${established ? `: ${f.items.find((x) => x.rule === 'R6')?.clause}` : ''}.`;

  const narrative = [
    `The analysis looked at ${url} (host ${host}) from ${isoSeconds(start)} to ${isoSeconds(end)}, with ${URL_PREVALENCE_DAYS} days of history for prevalence.`,
    ...f.items.map(
      (x) =>
        `${x.evidence.title} (${x.evidence.weight >= 0 ? '+' : ''}${x.evidence.weight}): ${x.evidence.detail ?? ''}`,
    ),
    ...(f.items.length === 0 ? ['No rule found anything about this URL.'] : []),
    `Score ${score}: ${URL_THRESHOLDS.malicious} or more means Malicious, ${URL_THRESHOLDS.suspicious}–${URL_THRESHOLDS.malicious - 1} Suspicious, below ${URL_THRESHOLDS.suspicious} No evidence of malicious activity. Verdict: ${verdict}.`,
  ].join('\n\n');

  return {
    verdict,
    confidence,
    score,
    findings: f.items,
    summary,
    narrative,
    recommendations: urlRecommendations(verdict, f, url, host, clickRows, emailRows, deviceRows),
  };
}

function urlRecommendations(
  verdict: UrlVerdict,
  f: Findings,
  url: string,
  host: string,
  clicks: Row[],
  email: Row[],
  devices: Row[],
): string[] {
  const r: string[] = [];
  const clickers = [
    ...new Set(
      clicks
        .filter((x) => /allowed/i.test(str(x.ActionType)) || x.IsClickedThrough === true)
        .flatMap((x) => list(x.Accounts)),
    ),
  ];
  const deviceNames = [...new Set(devices.flatMap((x) => list(x.DeviceNames)))];
  if (verdict === 'Malicious') {
    r.push(`Block the URL and the domain ${host} (Tenant Allow/Block List and a Defender for Endpoint indicator).`);
    if (email.length)
      r.push(
        'Purge the emails that carried the URL from all mailboxes (Threat Explorer: soft delete) and block the sender.',
      );
    if (clickers.length)
      r.push(`Reset credentials and revoke sessions of the users who reached the page: ${some(clickers, 6)}.`);
    if (deviceNames.length) r.push(`Investigate the devices that connected: ${some(deviceNames, 6)}.`);
    if (!f.has('ti')) r.push('Add the URL and domain to threat intelligence so detections match them.');
  } else if (verdict === 'Suspicious') {
    if (f.has('lookalike'))
      r.push(`Block the look-alike domain ${host} proactively; it imitates a domain users trust.`);
    r.push('Detonate the URL in a sandbox or submit it to Microsoft for analysis before allowing it.');
    if (email.length) r.push('Warn the recipients of the emails that carried it and consider purging them.');
    if (clickers.length) r.push(`Ask the users who opened it whether they entered credentials: ${some(clickers, 6)}.`);
  } else {
    r.push('No action needed. Re-run the analysis if the URL appears in new alerts.');
  }
  return r;
}
