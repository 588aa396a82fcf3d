// Loads analytics and automation rules from files: YAML in the Azure-Sentinel repository format and
// ARM JSON (templates, portal exports, `alertRules` / `automationRules` list responses). Every rule
// keeps the file and 1-based line of its title so a finding can open the editor at the right place.
// Broken files become LoadErrors; loading never throws for bad input.
import type { AutomationRule } from '../rules/types';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, Scalar, YAMLMap } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { positionAt } from '../errors';
import { str, strList } from '../fields';
import {
  analyticsRuleFromArm,
  automationRuleFromArm,
  type ArmAnalyticsRule,
  type ArmAutomationRule,
} from '../rules/arm';

export interface RuleLocation {
  file: string;
  /** 1-based line of the rule's title (`name:` in YAML, `displayName` in JSON). */
  line: number;
}

export interface LoadedRule {
  id: string;
  title: string;
  severity?: string;
  tactics: string[];
  techniques: string[];
  kind?: string;
  enabled?: boolean;
  query?: string;
  /** The rule's own fields (YAML top level, ARM `properties`), for tools that need more than the title. */
  properties?: Record<string, unknown>;
  /** Where the rule came from; `file` is as the caller named it. */
  location: RuleLocation;
  /** 'yaml' | 'arm' | 'workspace' (a connected workspace's alertRules). */
  origin: 'yaml' | 'arm' | 'workspace';
}

/** An automation rule as the backends describe it, with where it was read from. */
export type LoadedAutomationRule = Omit<AutomationRule, 'source'> & { location?: RuleLocation };

export interface LoadError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

export interface LoadResult<T> {
  rules: T[];
  errors: LoadError[];
  /** False when the file parsed but holds nothing of the requested kind (not an error). */
  recognised: boolean;
}

const ALERT_RULE_TYPE = /(^|\/)alertRules$/i;
const AUTOMATION_RULE_TYPE = /(^|\/)automationRules$/i;

export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

export function isJsonFile(file: string): boolean {
  return /\.json$/i.test(file);
}

/** Loads analytics rules from one file's text. `file` is only used for locations and messages. */
export function loadAnalyticsRules(file: string, text: string): LoadResult<LoadedRule> {
  if (isJsonFile(file)) return loadArm(file, text, 'alert') as LoadResult<LoadedRule>;
  return loadYamlRules(file, text);
}

/** Loads automation rules from an ARM JSON template/export or an `automationRules` list response. */
export function loadAutomationRules(file: string, text: string): LoadResult<LoadedAutomationRule> {
  if (!isJsonFile(file)) {
    return { rules: [], errors: [], recognised: false };
  }
  return loadArm(file, text, 'automation') as LoadResult<LoadedAutomationRule>;
}

// ---------------------------------------------------------------------------------------------- YAML

function loadYamlRules(file: string, text: string): LoadResult<LoadedRule> {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  const rules: LoadedRule[] = [];
  const errors: LoadError[] = [];
  let recognised = false;
  for (const doc of list) {
    if (doc.errors.length) {
      const e = doc.errors[0];
      const pos = lineCounter.linePos(e.pos[0]);
      errors.push({
        file,
        line: pos.line || 1,
        column: pos.col || 1,
        message: `YAML: ${firstLine(e.message)}`,
      });
      recognised = true;
      continue;
    }
    const root = doc.contents;
    if (!isMap(root)) continue;
    const nameNode = pairValueNode(root, 'name') ?? pairValueNode(root, 'displayName');
    const hasRuleShape = ['query', 'severity', 'tactics', 'kind', 'queryFrequency', 'relevantTechniques'].some((k) =>
      root.has(k),
    );
    if (!nameNode && !hasRuleShape) continue;
    recognised = true;
    const js = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
    const keyNode = pairKeyNode(root, 'name') ?? pairKeyNode(root, 'displayName') ?? root;
    const offset = keyNode.range?.[0] ?? 0;
    const line = lineCounter.linePos(offset).line || positionAt(text, offset).line;
    const title = typeof js.name === 'string' ? js.name : typeof js.displayName === 'string' ? js.displayName : '';
    if (!title) {
      errors.push({ file, line, column: 1, message: 'rule has no `name`' });
      continue;
    }
    const id = typeof js.id === 'string' && js.id.trim() ? js.id.trim() : `${baseName(file)}:${line}`;
    rules.push({
      id,
      title,
      severity: str(js.severity),
      tactics: strList(js.tactics),
      techniques: strList(js.relevantTechniques ?? js.techniques),
      kind: str(js.kind),
      enabled: typeof js.enabled === 'boolean' ? js.enabled : undefined,
      query: str(js.query),
      properties: js,
      location: { file, line },
      origin: 'yaml',
    });
  }
  return { rules, errors, recognised };
}

function pairKeyNode(map: YAMLMap, key: string): YamlNode | undefined {
  for (const item of map.items) {
    if (isScalar(item.key) && (item.key as Scalar).value === key) return item.key as YamlNode;
  }
  return undefined;
}

function pairValueNode(map: YAMLMap, key: string): YamlNode | undefined {
  for (const item of map.items) {
    if (isScalar(item.key) && (item.key as Scalar).value === key && item.value) return item.value as YamlNode;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- ARM

type Kind = 'alert' | 'automation';

function loadArm(file: string, text: string, kind: Kind): LoadResult<LoadedRule | LoadedAutomationRule> {
  const body = text.replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    const message = (e as Error).message;
    const m = /position (\d+)/.exec(message);
    const pos = m ? positionAt(body, Number(m[1])) : { line: 1, column: 1 };
    return {
      rules: [],
      errors: [{ file, line: pos.line, column: pos.column, message: `JSON: ${message}` }],
      recognised: true,
    };
  }
  // The same text parsed as YAML (JSON is YAML) gives source offsets for line numbers.
  const lineCounter = new LineCounter();
  const doc = parseDocument(body, { lineCounter, uniqueKeys: false });
  const resources = collectResources(json, doc.contents as YamlNode | null, kind);
  if (!resources.length) return { rules: [], errors: [], recognised: false };
  const rules: (LoadedRule | LoadedAutomationRule)[] = [];
  const errors: LoadError[] = [];
  for (const { value, node } of resources) {
    const props = (value.properties ?? {}) as Record<string, unknown>;
    const propsNode = node && isMap(node) ? (pairValueNode(node, 'properties') as YamlNode | undefined) : undefined;
    const titleKey = propsNode && isMap(propsNode) ? pairKeyNode(propsNode, 'displayName') : undefined;
    const offset = (titleKey ?? node)?.range?.[0] ?? 0;
    const line = lineCounter.linePos(offset).line || 1;
    const rule = kind === 'alert' ? analyticsRuleFromArm(value) : automationRuleFromArm(value);
    if (!rule.displayName) {
      errors.push({
        file,
        line,
        column: 1,
        message: `${kind === 'alert' ? 'alert' : 'automation'} rule has no properties.displayName`,
      });
      continue;
    }
    const id = rule.id ?? `${baseName(file)}:${line}`;
    if (kind === 'alert') {
      const { displayName, tactics, techniques, ...rest } = rule as ArmAnalyticsRule;
      rules.push({
        ...rest,
        id,
        title: displayName!,
        tactics: tactics ?? [],
        techniques: techniques ?? [],
        properties: props,
        location: { file, line },
        origin: 'arm',
      });
    } else {
      rules.push({ ...(rule as ArmAutomationRule), id, displayName: rule.displayName, location: { file, line } });
    }
  }
  return { rules, errors, recognised: true };
}

interface Found {
  value: Record<string, unknown>;
  node: YamlNode | undefined;
}

/** Finds rule resources in a template (`resources`, also nested), an export, a list response or a single resource. */
function collectResources(json: unknown, node: YamlNode | null | undefined, kind: Kind): Found[] {
  const typeRe = kind === 'alert' ? ALERT_RULE_TYPE : AUTOMATION_RULE_TYPE;
  const out: Found[] = [];
  const visit = (value: unknown, n: YamlNode | null | undefined, depth: number, listOfKind: boolean): void => {
    if (depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, isSeq(n) ? (n.items[i] as YamlNode) : undefined, depth + 1, listOfKind));
      return;
    }
    const obj = value as Record<string, unknown>;
    const type = typeof obj.type === 'string' ? obj.type : '';
    const props = obj.properties as Record<string, unknown> | undefined;
    const looksLikeRule = typeRe.test(type) || (listOfKind && !type && props && typeof props.displayName === 'string');
    if (looksLikeRule && props && typeof props === 'object') {
      out.push({ value: obj, node: n ?? undefined });
      return;
    }
    for (const key of ['resources', 'value']) {
      if (Array.isArray(obj[key])) {
        const child = isMap(n) ? (pairValueNode(n, key) as YamlNode | undefined) : undefined;
        visit(obj[key], child, depth + 1, key === 'value');
      }
    }
    // Nested deployments: properties.template.resources
    if (props && typeof props === 'object' && props.template && typeof props.template === 'object') {
      const pn = isMap(n) ? (pairValueNode(n, 'properties') as YamlNode | undefined) : undefined;
      const tn = pn && isMap(pn) ? (pairValueNode(pn, 'template') as YamlNode | undefined) : undefined;
      visit(props.template, tn, depth + 1, false);
    }
  };
  visit(json, node, 0, false);
  return out;
}

// ---------------------------------------------------------------------------------------------- helpers

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
