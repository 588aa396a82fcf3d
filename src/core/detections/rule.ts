// What running an analytics rule needs from its file: the query, the schedule, the trigger and the alert
// shaping (entities, custom details, alert details). Reads the rules that ruleFiles.ts loads, in both the
// Azure-Sentinel YAML and the ARM property spellings.
import { UserError } from '../errors';
import { loadAnalyticsRules, LoadedRule } from '../migration/ruleFiles';
import { parseRuleDuration } from './duration';

export type TriggerOperator = 'gt' | 'lt' | 'eq' | 'ne';

export interface FieldMapping {
  identifier: string;
  columnName: string;
}

export interface EntityMapping {
  entityType: string;
  fieldMappings: FieldMapping[];
}

export interface AlertDetailsOverride {
  alertDisplayNameFormat?: string;
  alertDescriptionFormat?: string;
  alertSeverityColumnName?: string;
  alertTacticsColumnName?: string;
  alertDynamicProperties?: { alertProperty: string; value: string }[];
}

export interface DetectionRule {
  id: string;
  title: string;
  file: string;
  line: number;
  kind: 'Scheduled' | 'NRT' | string;
  query: string;
  severity?: string;
  tactics: string[];
  /** Milliseconds; undefined when absent or unreadable (lint says which). */
  queryFrequencyMs?: number;
  queryPeriodMs?: number;
  triggerOperator: TriggerOperator;
  triggerThreshold: number;
  alertPerResult: boolean;
  entityMappings: EntityMapping[];
  /** Custom detail key → column. */
  customDetails: Record<string, string>;
  alertDetailsOverride?: AlertDetailsOverride;
  /** The raw fields, for lint. */
  properties: Record<string, unknown>;
}

export { looksLikeRule } from './fileKinds';

/** NRT rules run every minute over the minute before. */
export const NRT_PERIOD_MS = 60_000;

const OPERATORS: Record<string, TriggerOperator> = {
  gt: 'gt',
  greaterthan: 'gt',
  lt: 'lt',
  lessthan: 'lt',
  eq: 'eq',
  equal: 'eq',
  ne: 'ne',
  notequal: 'ne',
};

export function triggerOperatorOf(v: unknown): TriggerOperator | undefined {
  return typeof v === 'string' ? OPERATORS[v.toLowerCase()] : undefined;
}

/** Picks the rule a test names from a rule file's text. Throws UserError when it cannot. */
export function detectionRuleFromText(file: string, text: string, ruleId?: string): DetectionRule {
  const loaded = loadAnalyticsRules(file, text);
  if (loaded.errors.length && !loaded.rules.length) {
    const e = loaded.errors[0];
    throw new UserError(`${file}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.message}`, 'BadRule');
  }
  if (!loaded.rules.length) throw new UserError(`${file} holds no analytics rule`, 'BadRule');
  let rule: LoadedRule | undefined;
  if (ruleId) {
    rule = loaded.rules.find((r) => r.id.toLowerCase() === ruleId.toLowerCase() || r.title === ruleId);
    if (!rule)
      throw new UserError(
        `${file} has no rule with id or title "${ruleId}" (it has ${loaded.rules.map((r) => r.id).join(', ')})`,
        'BadRule',
      );
  } else if (loaded.rules.length > 1) {
    throw new UserError(
      `${file} holds ${loaded.rules.length} rules; pick one with ruleId: (${loaded.rules.map((r) => r.id).join(', ')})`,
      'BadRule',
    );
  } else rule = loaded.rules[0];
  return toDetectionRule(rule);
}

export function toDetectionRule(rule: LoadedRule): DetectionRule {
  const p = rule.properties ?? {};
  if (!rule.query || !rule.query.trim())
    throw new UserError(`${rule.location.file}:${rule.location.line}: rule "${rule.title}" has no query`, 'BadRule');
  const grouping = (p.eventGroupingSettings ?? {}) as Record<string, unknown>;
  const threshold = Number(p.triggerThreshold ?? 0);
  return {
    id: rule.id,
    title: rule.title,
    file: rule.location.file,
    line: rule.location.line,
    kind: rule.kind ?? 'Scheduled',
    query: rule.query,
    severity: rule.severity,
    tactics: rule.tactics,
    queryFrequencyMs: parseRuleDuration(p.queryFrequency),
    queryPeriodMs: parseRuleDuration(p.queryPeriod),
    triggerOperator: triggerOperatorOf(p.triggerOperator) ?? 'gt',
    triggerThreshold: Number.isFinite(threshold) ? threshold : 0,
    alertPerResult: String(grouping.aggregationKind ?? '').toLowerCase() === 'alertperresult',
    entityMappings: entityMappingsOf(p.entityMappings),
    customDetails: customDetailsOf(p.customDetails),
    alertDetailsOverride:
      p.alertDetailsOverride && typeof p.alertDetailsOverride === 'object'
        ? (p.alertDetailsOverride as AlertDetailsOverride)
        : undefined,
    properties: p,
  };
}

/** The time the rule's query looks back from `now`. */
export function lookbackMs(rule: DetectionRule): number {
  if (rule.kind.toLowerCase() === 'nrt') return NRT_PERIOD_MS;
  return rule.queryPeriodMs ?? rule.queryFrequencyMs ?? 5 * 3_600_000;
}

function entityMappingsOf(v: unknown): EntityMapping[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((m) => {
    if (!m || typeof m !== 'object') return [];
    const o = m as Record<string, unknown>;
    const fields = Array.isArray(o.fieldMappings) ? o.fieldMappings : [];
    return [
      {
        entityType: String(o.entityType ?? ''),
        fieldMappings: fields.flatMap((f) => {
          const fo = (f ?? {}) as Record<string, unknown>;
          return typeof fo.columnName === 'string'
            ? [{ identifier: String(fo.identifier ?? ''), columnName: fo.columnName }]
            : [];
        }),
      },
    ];
  });
}

function customDetailsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, col] of Object.entries(v as Record<string, unknown>)) if (typeof col === 'string') out[k] = col;
  }
  return out;
}
