// ARM `alertRules` and `automationRules` resources as the workbench's rule types: one mapping for a connected
// workspace's lists (the Azure backend, after its schema check) and for rule files (templates, portal exports
// and list answers saved to disk, read leniently). Fields of the wrong type read as absent.
import { obj, str, strList, type Obj } from '../fields';
import type { AnalyticsRule, AutomationRule } from './types';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** An analytics rule without a title yet: the caller decides what a rule without `displayName` is. */
export type ArmAnalyticsRule = Omit<AnalyticsRule, 'id' | 'displayName' | 'source'> & {
  id?: string;
  displayName?: string;
};
export type ArmAutomationRule = Omit<AutomationRule, 'id' | 'displayName' | 'source'> & {
  id?: string;
  displayName?: string;
};

/**
 * The rule's GUID (lower case) or name from its ARM `name` or `id`, also inside a template expression such as
 * `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/<guid>')]`; undefined when there is neither.
 */
export function armRuleId(resource: Obj): string | undefined {
  for (const key of ['name', 'id']) {
    const v = resource[key];
    if (typeof v !== 'string' || !v) continue;
    const guid = GUID.exec(v);
    if (guid) return guid[0].toLowerCase();
    if (!v.startsWith('[')) return v.split('/').filter(Boolean).pop();
  }
  return undefined;
}

export function analyticsRuleFromArm(resource: Obj): ArmAnalyticsRule {
  const p = obj(resource.properties);
  return {
    id: armRuleId(resource),
    displayName: str(p.displayName),
    kind: str(resource.kind),
    severity: str(p.severity),
    tactics: strList(p.tactics),
    techniques: strList(p.techniques ?? p.subTechniques),
    query: str(p.query),
    enabled: typeof p.enabled === 'boolean' ? p.enabled : undefined,
  };
}

export function automationRuleFromArm(resource: Obj): ArmAutomationRule {
  const p = obj(resource.properties);
  const logic = obj(p.triggeringLogic);
  return {
    id: armRuleId(resource),
    displayName: str(p.displayName),
    order: typeof p.order === 'number' ? p.order : undefined,
    enabled: typeof logic.isEnabled === 'boolean' ? logic.isEnabled : undefined,
    triggersOn: str(logic.triggersOn),
    triggersWhen: str(logic.triggersWhen),
    conditions: Array.isArray(logic.conditions) ? logic.conditions : [],
    actions: Array.isArray(p.actions) ? p.actions : [],
  };
}
