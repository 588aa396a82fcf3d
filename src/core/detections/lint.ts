// `swb test --lint` and the editor's diagnostics on rule files: what the content repository's CI checks,
// offline. Each rule's query is analysed by the official Kusto analyzer against the built-in schemas (and
// any given schema.json): unknown tables and columns, syntax errors. Then the rule's own fields: entity
// mappings, custom details and alert details that name a column the query does not produce, the
// schedule (queryPeriod < queryFrequency, out-of-range values), trigger and severity.
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { positionAt } from '../errors';
import { identifiersIn, kustoLanguage, makeGlobals, tableColumns } from '../kql/kusto';
import { isJsonFile, loadAnalyticsRules, LoadedRule } from '../migration/ruleFiles';
import type { ResultColumn } from '../types';
import { listSome, mappedColumns } from './alerts';
import { parseRuleDuration } from './duration';
import { SchemaMap, schemaOf } from './schema';
import { queryPositionMap } from './queryPosition';
import { toDetectionRule, triggerOperatorOf } from './rule';

export { looksLikeRule } from './rule';

export interface LintDiagnostic {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  /** Characters the problem spans on its line (at least 1). */
  length: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface LintOptions {
  /** Column types of tables without a built-in schema (lake schema.json shape). */
  schema?: SchemaMap;
}

const SEVERITIES = ['high', 'medium', 'low', 'informational'];
const ENTITY_TYPES = new Set([
  'account',
  'host',
  'ip',
  'url',
  'filehash',
  'file',
  'process',
  'cloudapplication',
  'dns',
  'azureresource',
  'registrykey',
  'registryvalue',
  'securitygroup',
  'mailbox',
  'mailcluster',
  'mailmessage',
  'submissionmail',
  'malware',
  'iotdevice',
]);
const MIN_FREQUENCY_MS = 5 * 60_000;
const MAX_PERIOD_MS = 14 * 86_400_000;
const MAX_ENTITY_MAPPINGS = 10;
const MAX_FIELD_MAPPINGS = 3;
const SCHEDULED = new Set(['scheduled', 'nrt']);

export function lintRuleText(file: string, text: string, options: LintOptions = {}): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  const loaded = loadAnalyticsRules(file, text);
  for (const e of loaded.errors) {
    out.push({ file, line: e.line ?? 1, column: e.column ?? 1, length: 1, severity: 'error', message: e.message });
  }
  if (!loaded.rules.length) return out;
  const yaml = isJsonFile(file) ? undefined : yamlIndex(text);
  const mapQuery = queryPositionMap(file, text);
  for (const rule of loaded.rules) {
    const kind = (rule.kind ?? 'Scheduled').toLowerCase();
    if (!SCHEDULED.has(kind)) continue;
    const at = (path: (string | number)[], fallbackLine = rule.location.line) =>
      yaml?.position(path) ?? { line: fallbackLine, column: 1, length: 1 };
    const push = (
      severity: LintDiagnostic['severity'],
      message: string,
      pos: { line: number; column: number; length: number },
    ) => out.push({ file, ...pos, severity, message });
    if (!rule.query || !rule.query.trim()) {
      push('error', `rule "${rule.title}" has no query`, at(['name']));
      continue;
    }
    const columns = lintQuery(rule, options.schema ?? {}, (line, column, length, message) => {
      const p = mapQuery(line, column);
      push('error', message, { ...p, length });
    });
    lintFields(rule, kind, columns, at, push);
  }
  return out;
}

/** Analyses the query; reports its errors; returns its output columns when the analyzer knows them. */
function lintQuery(
  rule: LoadedRule,
  schema: SchemaMap,
  report: (line: number, column: number, length: number, message: string) => void,
): ResultColumn[] | undefined {
  const K = kustoLanguage();
  const query = rule.query!;
  const tables = new Map<string, ResultColumn[]>();
  for (const name of identifiersIn(query)) {
    const s = schemaOf(name, schema);
    if (s)
      tables.set(
        name,
        Object.entries(s).map(([n, type]) => ({ name: n, type })),
      );
  }
  const code = K.KustoCode.ParseAndAnalyze(query, makeGlobals(tables));
  const diags = code.GetDiagnostics();
  let errors = 0;
  const seen = new Set<string>();
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (String(d.Severity).toLowerCase() !== 'error') continue;
    const { line, column } = positionAt(query, d.Start);
    const message = String(d.Message);
    const key = `${line}:${column}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors++;
    report(line, column, Math.max(1, Number(d.Length) || 1), message);
  }
  return errors ? undefined : tableColumns(code);
}

type At = (path: (string | number)[], fallbackLine?: number) => { line: number; column: number; length: number };
type Push = (
  severity: LintDiagnostic['severity'],
  message: string,
  pos: { line: number; column: number; length: number },
) => void;

function lintFields(rule: LoadedRule, kind: string, columns: ResultColumn[] | undefined, at: At, push: Push): void {
  const p = rule.properties ?? {};
  const detection = toDetectionRule(rule);
  if (kind === 'scheduled') {
    const freq = parseRuleDuration(p.queryFrequency);
    const period = parseRuleDuration(p.queryPeriod);
    if (p.queryFrequency === undefined) push('error', 'a scheduled rule needs queryFrequency', at(['name']));
    else if (freq === undefined)
      push(
        'error',
        `queryFrequency '${String(p.queryFrequency)}' is not a duration (e.g. 1h, 5m, PT1H)`,
        at(['queryFrequency']),
      );
    else if (freq < MIN_FREQUENCY_MS || freq > MAX_PERIOD_MS)
      push(
        'error',
        `queryFrequency must be between 5 minutes and 14 days (got ${String(p.queryFrequency)})`,
        at(['queryFrequency']),
      );
    if (p.queryPeriod === undefined) push('error', 'a scheduled rule needs queryPeriod', at(['name']));
    else if (period === undefined)
      push(
        'error',
        `queryPeriod '${String(p.queryPeriod)}' is not a duration (e.g. 1d, 14d, P1D)`,
        at(['queryPeriod']),
      );
    else if (period < MIN_FREQUENCY_MS || period > MAX_PERIOD_MS)
      push(
        'error',
        `queryPeriod must be between 5 minutes and 14 days (got ${String(p.queryPeriod)})`,
        at(['queryPeriod']),
      );
    if (freq !== undefined && period !== undefined && period < freq) {
      push(
        'error',
        `queryPeriod (${String(p.queryPeriod)}) is shorter than queryFrequency (${String(p.queryFrequency)}): events between runs are never looked at`,
        at(['queryPeriod']),
      );
    }
    if (p.triggerOperator !== undefined && !triggerOperatorOf(p.triggerOperator)) {
      push(
        'error',
        `triggerOperator must be gt, lt, eq or ne (got ${String(p.triggerOperator)})`,
        at(['triggerOperator']),
      );
    }
    if (p.triggerThreshold !== undefined && !Number.isFinite(Number(p.triggerThreshold))) {
      push('error', `triggerThreshold must be a number (got ${String(p.triggerThreshold)})`, at(['triggerThreshold']));
    }
  }
  if (!rule.severity) push('error', 'the rule has no severity', at(['name']));
  else if (!SEVERITIES.includes(rule.severity.toLowerCase()))
    push('error', `severity must be High, Medium, Low or Informational (got ${rule.severity})`, at(['severity']));

  const mappings = Array.isArray(p.entityMappings) ? p.entityMappings : [];
  if (mappings.length > MAX_ENTITY_MAPPINGS)
    push('error', `at most ${MAX_ENTITY_MAPPINGS} entity mappings (found ${mappings.length})`, at(['entityMappings']));
  detection.entityMappings.forEach((m, i) => {
    if (!ENTITY_TYPES.has(m.entityType.toLowerCase()))
      push('warning', `unknown entity type '${m.entityType}'`, at(['entityMappings', i, 'entityType']));
    if (m.fieldMappings.length > MAX_FIELD_MAPPINGS)
      push(
        'error',
        `at most ${MAX_FIELD_MAPPINGS} identifiers per entity (found ${m.fieldMappings.length})`,
        at(['entityMappings', i, 'fieldMappings']),
      );
  });
  if (!columns) return;
  const produced = new Set(columns.map((c) => c.name));
  const paths = columnPaths(detection);
  mappedColumns(detection).forEach((m, i) => {
    if (produced.has(m.column)) return;
    push(
      'error',
      `${m.usedBy} uses the column '${m.column}', which the query does not produce (it produces ${listSome([...produced])})`,
      at(paths[i] ?? ['query']),
    );
  });
}

/** YAML paths of the columns mappedColumns() lists, in the same order. */
function columnPaths(rule: ReturnType<typeof toDetectionRule>): (string | number)[][] {
  const out: (string | number)[][] = [];
  rule.entityMappings.forEach((m, i) =>
    m.fieldMappings.forEach((_, j) => out.push(['entityMappings', i, 'fieldMappings', j, 'columnName'])),
  );
  for (const key of Object.keys(rule.customDetails)) out.push(['customDetails', key]);
  const o = rule.alertDetailsOverride;
  if (o) {
    for (const field of ['alertDisplayNameFormat', 'alertDescriptionFormat'] as const) {
      const n = [...(o[field] ?? '').matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].length;
      for (let k = 0; k < n; k++) out.push(['alertDetailsOverride', field]);
    }
    if (o.alertSeverityColumnName) out.push(['alertDetailsOverride', 'alertSeverityColumnName']);
    if (o.alertTacticsColumnName) out.push(['alertDetailsOverride', 'alertTacticsColumnName']);
    (o.alertDynamicProperties ?? []).forEach((d, k) => {
      if (d && typeof d.value === 'string') out.push(['alertDetailsOverride', 'alertDynamicProperties', k, 'value']);
    });
  }
  return out;
}

function yamlIndex(text: string): {
  position(path: (string | number)[]): { line: number; column: number; length: number } | undefined;
} {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  return {
    position(path) {
      let node: unknown = doc.contents;
      for (const key of path) {
        if (isMap(node)) node = node.get(key, true);
        else if (isSeq(node) && typeof key === 'number') node = node.items[key];
        else return undefined;
        if (!node) return undefined;
      }
      const range = (node as YamlNode).range;
      if (!range) return undefined;
      const p = lc.linePos(range[0]);
      const end = lc.linePos(range[1]);
      return { line: p.line, column: p.col, length: end.line === p.line ? Math.max(1, end.col - p.col) : 1 };
    },
  };
}
