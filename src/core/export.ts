// Export of query results (CSV as Log Analytics writes it, and JSON in the CLI's wire shape).
import { toJsonText } from './json';
import type { QueryResult } from './types';

/** One cell as text: strings as is, dynamic as compact JSON, null as empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return toJsonText(value);
  return String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  const lines = [result.columns.map((c) => csvField(c.name)).join(',')];
  for (const row of result.rows) lines.push(row.map((v) => csvField(cellText(v))).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function toJson(result: QueryResult): string {
  const doc = { columns: result.columns, rows: result.rows, stats: result.stats };
  try {
    return JSON.stringify(doc, null, 2) + '\n';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return toJsonText(doc) + '\n'; // nested too deep to indent: compact, nothing left out
  }
}

/** Tab-separated text for the clipboard (pastes into spreadsheets). */
export function toTsv(columns: string[], rows: unknown[][]): string {
  const clean = (t: string) => t.replace(/[\t\r\n]+/g, ' ');
  return [columns.map(clean).join('\t'), ...rows.map((r) => r.map((v) => clean(cellText(v))).join('\t'))].join('\n');
}
