// What Sentinel makes of a rule's result: whether it fires (trigger operator and threshold on the row
// count), how many alerts (one per row with AlertPerResult, else one), and each alert's entities, custom
// details and overridden name/description/severity/tactics. A mapped column the result lacks is an error
// that names it: the rule would fail to map in Sentinel too.
import { UserError } from '../errors';
import type { QueryResult } from '../types';
import type { DetectionRule, TriggerOperator } from './rule';

export interface Entity {
  type: string;
  [identifier: string]: string;
}

export interface Alert {
  displayName: string;
  description?: string;
  severity?: string;
  tactics: string[];
  entities: Entity[];
  /** Custom detail key → distinct values from the alert's rows. */
  customDetails: Record<string, string[]>;
  /** Indices of the result rows the alert was raised from. */
  rows: number[];
}

export interface RuleOutcome {
  fired: boolean;
  rowCount: number;
  alerts: Alert[];
}

export class MappingError extends UserError {
  constructor(message: string) {
    super(message, 'MappingError');
    this.name = 'MappingError';
  }
}

export function triggers(op: TriggerOperator, count: number, threshold: number): boolean {
  switch (op) {
    case 'gt':
      return count > threshold;
    case 'lt':
      return count < threshold;
    case 'eq':
      return count === threshold;
    case 'ne':
      return count !== threshold;
  }
}

/** Every column a rule's alert shaping reads, with where it is used (for errors and lint). */
export function mappedColumns(rule: DetectionRule): { column: string; usedBy: string }[] {
  const out: { column: string; usedBy: string }[] = [];
  for (const m of rule.entityMappings) {
    for (const f of m.fieldMappings)
      out.push({ column: f.columnName, usedBy: `entity mapping ${m.entityType}.${f.identifier}` });
  }
  for (const [key, column] of Object.entries(rule.customDetails)) out.push({ column, usedBy: `custom detail ${key}` });
  const o = rule.alertDetailsOverride;
  if (o) {
    for (const [field, format] of [
      ['alertDisplayNameFormat', o.alertDisplayNameFormat],
      ['alertDescriptionFormat', o.alertDescriptionFormat],
    ] as const) {
      for (const column of placeholders(format)) out.push({ column, usedBy: `alertDetailsOverride.${field}` });
    }
    if (o.alertSeverityColumnName)
      out.push({ column: o.alertSeverityColumnName, usedBy: 'alertDetailsOverride.alertSeverityColumnName' });
    if (o.alertTacticsColumnName)
      out.push({ column: o.alertTacticsColumnName, usedBy: 'alertDetailsOverride.alertTacticsColumnName' });
    for (const d of o.alertDynamicProperties ?? []) {
      if (d && typeof d.value === 'string')
        out.push({ column: d.value, usedBy: `alertDetailsOverride.alertDynamicProperties.${d.alertProperty}` });
    }
  }
  return out;
}

export function placeholders(format: string | undefined): string[] {
  if (typeof format !== 'string') return [];
  return [...format.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1]);
}

/** Cell text as Sentinel puts it in an alert: strings as they are, dynamic values as JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function evaluateRule(rule: DetectionRule, result: QueryResult): RuleOutcome {
  const index = new Map(result.columns.map((c, i) => [c.name, i]));
  const missing = mappedColumns(rule).filter((m) => !index.has(m.column));
  if (missing.length) {
    const list = missing.map((m) => `'${m.column}' (${m.usedBy})`).join(', ');
    throw new MappingError(
      `the query does not produce the column${missing.length > 1 ? 's' : ''} ${list}; it produces ${listSome(result.columns.map((c) => c.name))}`,
    );
  }
  const rowCount = result.rows.length;
  const fired = triggers(rule.triggerOperator, rowCount, rule.triggerThreshold);
  if (!fired) return { fired, rowCount, alerts: [] };
  const groups = rule.alertPerResult ? result.rows.map((_, i) => [i]) : [result.rows.map((_, i) => i)];
  const cell = (row: number, column: string) => cellText(result.rows[row]?.[index.get(column)!]);
  const alerts = groups.map((rows) => buildAlert(rule, rows, cell));
  return { fired, rowCount, alerts };
}

function buildAlert(rule: DetectionRule, rows: number[], cell: (row: number, column: string) => string): Alert {
  const first = rows[0];
  const o = rule.alertDetailsOverride ?? {};
  const fill = (format: string) =>
    format.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, c: string) =>
      first === undefined ? '' : cell(first, c),
    );
  const severityCell = o.alertSeverityColumnName && first !== undefined ? cell(first, o.alertSeverityColumnName) : '';
  const tacticsCell = o.alertTacticsColumnName && first !== undefined ? cell(first, o.alertTacticsColumnName) : '';
  const entities: Entity[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const m of rule.entityMappings) {
      const e: Entity = { type: m.entityType };
      let any = false;
      for (const f of m.fieldMappings) {
        const v = cell(r, f.columnName);
        if (v !== '') {
          e[f.identifier] = v;
          any = true;
        }
      }
      const key = JSON.stringify(e);
      if (any && !seen.has(key)) {
        seen.add(key);
        entities.push(e);
      }
    }
  }
  const customDetails: Record<string, string[]> = {};
  for (const [key, column] of Object.entries(rule.customDetails)) {
    customDetails[key] = [...new Set(rows.map((r) => cell(r, column)).filter((v) => v !== ''))];
  }
  return {
    displayName: o.alertDisplayNameFormat ? fill(o.alertDisplayNameFormat) : rule.title,
    description: o.alertDescriptionFormat ? fill(o.alertDescriptionFormat) : undefined,
    severity: severityCell || rule.severity,
    tactics: tacticsCell
      ? tacticsCell
          .replace(/^\[|\]$/g, '')
          .split(',')
          .map((t) => t.replace(/"/g, '').trim())
          .filter(Boolean)
      : rule.tactics,
    entities,
    customDetails,
    rows,
  };
}

/** A list of names for a message, cut after a dozen. */
export function listSome(names: string[]): string {
  return names.length > 12
    ? `${names.slice(0, 12).join(', ')}, … ${names.length - 12} more`
    : names.join(', ') || 'no columns';
}
