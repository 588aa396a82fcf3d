// Gotcha 5: automation rules must be recreated or re-validated after the cutover. Describe each rule's
// conditions and actions in words and export the inventory as Markdown, with the parallel-run reminder.
import type { LoadedAutomationRule } from './ruleFiles';
import { obj } from '../fields';

export interface AutomationSummary {
  id: string;
  displayName: string;
  order?: number;
  enabled?: boolean;
  trigger: string;
  conditions: string[];
  actions: string[];
  file?: string;
  line?: number;
}

export const PARALLEL_RUN_REMINDER =
  'Run the legacy automation and its Defender portal replacement in parallel for at least a week and compare outcomes incident by incident; retire the legacy rules only after a week of stability.';

const OPERATORS: Record<string, string> = {
  Equals: 'equals',
  NotEquals: 'does not equal',
  Contains: 'contains',
  NotContains: 'does not contain',
  StartsWith: 'starts with',
  NotStartsWith: 'does not start with',
  EndsWith: 'ends with',
  NotEndsWith: 'does not end with',
};

/** Rule id (GUID, lower case) → title, to name analytics rules that conditions refer to by ARM id. */
export type RuleTitles = ReadonlyMap<string, string>;

function list(v: unknown, titles?: RuleTitles): string {
  const one = (x: unknown) => {
    if (typeof x !== 'string') return JSON.stringify(x);
    const id = /\/alertRules\/([^/]+)$/i.exec(x)?.[1];
    const title = id ? titles?.get(id.toLowerCase()) : undefined;
    return title ? `rule "${title}" (${id})` : `"${x}"`;
  };
  if (Array.isArray(v)) return v.map(one).join(', ');
  return v === undefined || v === null ? '' : one(v);
}

export function describeCondition(condition: unknown, titles?: RuleTitles): string {
  const c = obj(condition);
  const p = obj(c.conditionProperties);
  const type = String(c.conditionType ?? '');
  if (type === 'Property' || p.propertyName) {
    const op = OPERATORS[String(p.operator)] ?? String(p.operator ?? 'matches');
    return `${String(p.propertyName ?? '?')} ${op} ${list(p.propertyValues, titles)}`.trim();
  }
  if (type === 'PropertyArray' || type === 'PropertyArrayChanged' || type === 'PropertyChanged') {
    const parts = [p.arrayType, p.propertyName, p.changeType, p.operator].filter((x) => x !== undefined).map(String);
    const inner = Array.isArray(p.itemConditions)
      ? ` (${p.itemConditions.map((x) => describeCondition(x, titles)).join('; ')})`
      : '';
    return `${type}: ${parts.join(' ')}${p.propertyValues ? ` ${list(p.propertyValues)}` : ''}${inner}`;
  }
  if (type === 'Boolean') {
    const inner = Array.isArray(p.innerConditions) ? p.innerConditions.map((x) => describeCondition(x, titles)) : [];
    return `(${inner.join(` ${String(p.operator ?? 'And').toUpperCase()} `)})`;
  }
  return JSON.stringify(condition);
}

export function describeAction(action: unknown): string {
  const a = obj(action);
  const cfg = obj(a.actionConfiguration);
  const type = String(a.actionType ?? '');
  if (type === 'ModifyProperties') {
    const parts: string[] = [];
    if (cfg.severity) parts.push(`severity → ${String(cfg.severity)}`);
    if (cfg.status) parts.push(`status → ${String(cfg.status)}`);
    if (cfg.classification)
      parts.push(
        `classification → ${String(cfg.classification)}${cfg.classificationReason ? ` (${String(cfg.classificationReason)})` : ''}`,
      );
    const owner = obj(cfg.owner);
    if (owner.userPrincipalName || owner.email || owner.objectId)
      parts.push(`owner → ${String(owner.userPrincipalName ?? owner.email ?? owner.objectId)}`);
    if (Array.isArray(cfg.labels) && cfg.labels.length)
      parts.push(`add tags ${cfg.labels.map((l) => `"${String(obj(l).labelName ?? l)}"`).join(', ')}`);
    return `Change incident: ${parts.join('; ') || 'no change'}`;
  }
  if (type === 'RunPlaybook') {
    const id = String(cfg.logicAppResourceId ?? '');
    return `Run playbook ${id.split('/').pop() || '?'}${id ? ` (${id})` : ''}`;
  }
  if (type === 'AddIncidentTask') return `Add task "${String(cfg.title ?? '')}"`;
  return `${type || 'Action'}: ${JSON.stringify(cfg)}`;
}

export function summariseAutomationRule(rule: LoadedAutomationRule, titles?: RuleTitles): AutomationSummary {
  const trigger = [rule.triggersOn ?? 'Incidents', rule.triggersWhen ? `when ${rule.triggersWhen.toLowerCase()}` : '']
    .filter(Boolean)
    .join(' ');
  const actions = [...rule.actions].sort((a, b) => Number(obj(a).order ?? 0) - Number(obj(b).order ?? 0));
  return {
    id: rule.id,
    displayName: rule.displayName,
    order: rule.order,
    enabled: rule.enabled,
    trigger,
    conditions: rule.conditions.map((c) => describeCondition(c, titles)),
    actions: actions.map(describeAction),
    file: rule.location?.file,
    line: rule.location?.line,
  };
}

/** Escapes text for a Markdown table cell or inline text (no HTML gets through). */
export function mdText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/([`*_[\]<>|#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

export function automationMarkdown(rules: AutomationSummary[], generatedAt: Date): string {
  const out: string[] = [];
  out.push('# Automation rules inventory', '');
  out.push(`Generated ${generatedAt.toISOString()} — ${rules.length} rule${rules.length === 1 ? '' : 's'}.`, '');
  out.push(`> ${PARALLEL_RUN_REMINDER}`, '');
  const sorted = [...rules].sort(
    (a, b) => (a.order ?? 1e9) - (b.order ?? 1e9) || a.displayName.localeCompare(b.displayName),
  );
  for (const r of sorted) {
    out.push(`## ${mdText(r.displayName)}`, '');
    out.push(`- Id: \`${r.id.replace(/`/g, '')}\``);
    if (r.order !== undefined) out.push(`- Order: ${r.order}`);
    out.push(`- Enabled: ${r.enabled === undefined ? 'unknown' : r.enabled ? 'yes' : 'no'}`);
    out.push(`- Trigger: ${mdText(r.trigger)}`);
    if (r.file) out.push(`- Source: ${mdText(r.file)}${r.line ? `:${r.line}` : ''}`);
    out.push('', '**Conditions**', '');
    if (r.conditions.length) r.conditions.forEach((c) => out.push(`- ${mdText(c)}`));
    else out.push('- (none: runs on every incident)');
    out.push('', '**Actions**', '');
    if (r.actions.length) r.actions.forEach((a, i) => out.push(`${i + 1}. ${mdText(a)}`));
    else out.push('- (none)');
    out.push('', '- [ ] Recreated / validated in the Defender portal', '');
  }
  return out.join('\n');
}
