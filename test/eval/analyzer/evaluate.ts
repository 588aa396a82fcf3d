// Runs the labelled scenario suite: builds each scenario into a temporary lake, analyzes its entity with
// the local analyzer and compares the verdict with the accepted ones.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeEntity } from '../../../src/core/analyzer/reasoning';
import type { AnalysisResult } from '../../../src/core/analyzer/types';
import { openLocalServices } from '../../../src/core/mcp/localServices';
import { silentLogger } from '../../../src/core/types';
import { EVAL_NOW, Scenario, buildScenarioLake } from './scenario';
import { SCENARIOS } from './suite';

export interface ScenarioOutcome {
  scenario: Scenario;
  result: AnalysisResult;
  lake: string;
  ok: boolean;
  /** A Compromised/Malicious verdict the analyst would not accept. */
  falseAlarm: boolean;
}

export interface EvalReport {
  outcomes: ScenarioOutcome[];
  correct: number;
  total: number;
  accuracy: number;
  falseAlarms: ScenarioOutcome[];
  misses: ScenarioOutcome[];
}

const ALARMS = new Set(['Compromised', 'Malicious']);

export async function evaluateScenario(s: Scenario, root: string): Promise<ScenarioOutcome> {
  const lake = buildScenarioLake(s, path.join(root, s.id));
  const { context } = openLocalServices(lake, { logger: silentLogger, env: {}, persistAnalyses: false });
  const end = new Date(EVAL_NOW);
  const start = new Date(EVAL_NOW - 7 * 86_400_000);
  const result = await analyzeEntity(context, {
    entity: s.entity,
    startTime: start.toISOString(),
    endTime: end.toISOString(),
  });
  const ok = s.accept.includes(result.verdict);
  return { scenario: s, result, lake, ok, falseAlarm: !ok && ALARMS.has(result.verdict) };
}

export async function evaluateSuite(scenarios: Scenario[] = SCENARIOS, keep = false): Promise<EvalReport> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-eval-'));
  try {
    const outcomes: ScenarioOutcome[] = [];
    for (const s of scenarios) outcomes.push(await evaluateScenario(s, root));
    const correct = outcomes.filter((o) => o.ok).length;
    return {
      outcomes,
      correct,
      total: outcomes.length,
      accuracy: outcomes.length ? correct / outcomes.length : 0,
      falseAlarms: outcomes.filter((o) => o.falseAlarm),
      misses: outcomes.filter((o) => !o.ok),
    };
  } finally {
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The score breakdown of a result: every evidence item with its weight. */
export function breakdown(r: AnalysisResult): string[] {
  return r.evidence.map((e) => `${(e.weight ?? 0) >= 0 ? '+' : ''}${e.weight ?? 0}  ${e.title} [${e.table}]`);
}

export function formatReport(report: EvalReport): string {
  const lines: string[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  lines.push(`Analyzer scenario suite: ${report.correct}/${report.total} accepted (${pct(report.accuracy)})`);
  const users = report.outcomes.filter((o) => o.scenario.entity.type === 'User');
  const urls = report.outcomes.filter((o) => o.scenario.entity.type === 'Url');
  lines.push(
    `  users ${users.filter((o) => o.ok).length}/${users.length}, URLs ${urls.filter((o) => o.ok).length}/${urls.length}`,
  );
  lines.push(
    `False "Compromised"/"Malicious" calls: ${report.falseAlarms.length}${report.falseAlarms.length ? ` (${report.falseAlarms.map((o) => o.scenario.id).join(', ')})` : ''}`,
  );
  for (const o of report.misses) {
    const score = (o.result.evidence ?? []).reduce((s, e) => s + (e.weight ?? 0), 0);
    lines.push('');
    lines.push(
      `MISS ${o.scenario.id}: got "${o.result.verdict}" (score ${score}), accepted ${o.scenario.accept.map((v) => `"${v}"`).join(' or ')}`,
    );
    lines.push(`  ${o.scenario.story}`);
    for (const b of breakdown(o.result)) lines.push(`    ${b}`);
    if (o.result.disclaimer) lines.push(`  disclaimer: ${o.result.disclaimer}`);
  }
  return lines.join('\n');
}
