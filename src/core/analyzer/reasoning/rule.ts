// One analyzer rule = one small object: an id, what it needs, the KQL it runs (entity as an escaped
// literal, window as datetime literals) and how it scores the rows. The verdict is the sum of the scores,
// so every point is one rule's rows, and the README's rule tables are generated from these objects.
import { Finding, Findings, ReasoningContext, Row, runRows } from './context';

/** What a rule concluded from its rows. */
export interface Scored {
  weight: number;
  title: string;
  detail: string;
  /** One short clause for the summary ("" when the finding adds nothing to it). */
  clause?: string;
  tags?: string[];
  /** The table named on the evidence card when it is not the rule's first table (e.g. a join). */
  table?: string;
}

export interface RuleEnv {
  ctx: ReasoningContext;
  start: Date;
  end: Date;
  findings: Findings;
  /** Optional tables whose absence dropped at least one rule (named in the disclaimer). */
  dropped: Set<string>;
}

export interface Rule<E extends RuleEnv> {
  /** Stable id shown in the README, e.g. "U13". */
  id: string;
  title: string;
  /** Tables the rule reads; the rule is dropped (and the missing tables reported) when one is absent. */
  tables: readonly string[];
  /** README: what the rule reads when that is not simply `tables` (rules that pick among tables). */
  reads?: string;
  /** README: when the rule fires. */
  fires: string;
  /** README: what it adds to the score. */
  weight: string;
  /** README: what the rule treats as benign, the look-alike an analyst would not flag. */
  benign?: string;
  /** Context rules feed later rules and add no evidence of their own (not listed as scoring rules). */
  context?: boolean;
  /** The KQL to run, or undefined when the rule does not apply to this entity. */
  query(env: E): string | undefined;
  /** Scores the rows (and may record facts for later rules); undefined adds no evidence. */
  score(rows: Row[], env: E): Scored | undefined;
  /** Runs after every rule of the set: lets a rule revise its weight from what later rules found. */
  finalize?(finding: Finding, env: E): void;
}

/** Runs the rules in order, adds their findings, then lets them revise themselves. */
export async function runRules<E extends RuleEnv>(rules: readonly Rule<E>[], env: E): Promise<void> {
  const added: [Rule<E>, Finding][] = [];
  for (const rule of rules) {
    const missing = rule.tables.filter((t) => !env.ctx.hasTable(t));
    if (missing.length) {
      missing.forEach((t) => env.dropped.add(t));
      continue;
    }
    const kql = rule.query(env);
    if (kql === undefined) continue;
    const rows = await runRows(env.ctx, kql);
    const s = rule.score(rows, env);
    if (!s || rows.length === 0) continue;
    const finding: Finding = {
      rule: rule.id,
      tags: s.tags ?? [],
      clause: s.clause ?? '',
      evidence: {
        title: s.title,
        table: s.table ?? rule.tables[0] ?? '',
        query: kql,
        rows,
        weight: s.weight,
        detail: s.detail,
        rule: rule.id,
      },
    };
    env.findings.add(finding);
    added.push([rule, finding]);
  }
  for (const [rule, finding] of added) rule.finalize?.(finding, env);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README table of a rule set (context rules are left out: they score nothing). */
export function rulesMarkdown(rules: readonly Rule<never>[]): string {
  const lines = ['| rule | tables | fires when | weight | benign look-alike |', '|---|---|---|---|---|'];
  for (const r of rules) {
    if (r.context) continue;
    lines.push(
      `| ${cell(`${r.id} ${r.title}`)} | ${cell(r.reads ?? r.tables.join(', '))} | ${cell(r.fires)} | ${cell(r.weight)} | ${cell(r.benign ?? '')} |`,
    );
  }
  return lines.join('\n');
}
