// Incident helpers shared by the backends and the UI: normalising severities/statuses, filtering,
// newest-first ordering and keyset page tokens (stable when incidents arrive between two pages).
import { UserError } from '../errors';
import type { Incident, IncidentFilter, IncidentStatus, Severity } from './types';

export const SEVERITIES: Severity[] = ['High', 'Medium', 'Low', 'Informational'];
export const STATUSES: IncidentStatus[] = ['New', 'Active', 'Closed'];

export function normaliseSeverity(value: unknown): Severity {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return SEVERITIES.find((s) => s.toLowerCase() === v) ?? (v === 'info' ? 'Informational' : 'Informational');
}

export function normaliseStatus(value: unknown): IncidentStatus {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return STATUSES.find((s) => s.toLowerCase() === v) ?? 'New';
}

/** Parses a user-typed severity (case-insensitive). Throws UserError naming the allowed values. */
export function parseSeverity(value: string): Severity {
  const v = value.trim().toLowerCase();
  const found = SEVERITIES.find((s) => s.toLowerCase() === v);
  if (!found) throw new UserError(`unknown severity '${value}' (expected ${SEVERITIES.join(', ')})`);
  return found;
}

export function parseStatus(value: string): IncidentStatus {
  const v = value.trim().toLowerCase();
  const found = STATUSES.find((s) => s.toLowerCase() === v);
  if (!found) throw new UserError(`unknown status '${value}' (expected ${STATUSES.join(', ')})`);
  return found;
}

/** Comma-separated lists: `--severity High,Medium`. */
export function parseList<T>(value: string | undefined, parse: (v: string) => T): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items.map(parse) : undefined;
}

function time(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

/** Newest first by creation time, then by number (highest first). */
export function compareNewestFirst(a: Incident, b: Incident): number {
  return time(b.createdTime) - time(a.createdTime) || b.number - a.number || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function matchesFilter(incident: Incident, filter: IncidentFilter): boolean {
  if (filter.status?.length && !filter.status.includes(incident.status)) return false;
  if (filter.severity?.length && !filter.severity.includes(incident.severity)) return false;
  if (filter.createdAfter && time(incident.createdTime) < filter.createdAfter.getTime()) return false;
  if (filter.owner) {
    const owner = (incident.owner ?? '').toLowerCase();
    const wanted = filter.owner.trim().toLowerCase();
    if (wanted === 'unassigned' ? owner !== '' : !owner.includes(wanted)) return false;
  }
  if (filter.text) {
    const text = filter.text.trim().toLowerCase().replace(/^#/, '');
    if (text && !incident.title.toLowerCase().includes(text) && String(incident.number) !== text) return false;
  }
  return true;
}

/** One-line summary of a filter, for a view description or a CLI header. Empty when nothing filters. */
export function describeFilter(filter: IncidentFilter, now = new Date()): string {
  const parts: string[] = [];
  if (filter.severity?.length) parts.push(filter.severity.join('/'));
  if (filter.status?.length) parts.push(filter.status.join('/'));
  if (filter.createdAfter) {
    const hours = Math.round((now.getTime() - filter.createdAfter.getTime()) / 3_600_000);
    parts.push(hours % 24 === 0 && hours >= 24 ? `last ${hours / 24}d` : `last ${hours}h`);
  }
  if (filter.owner) parts.push(`owner: ${filter.owner}`);
  if (filter.text) parts.push(`"${filter.text}"`);
  return parts.join(' · ');
}

interface PageKey {
  /** createdTime (ms) of the last incident of the previous page. */
  t: number | null;
  n: number;
  id: string;
}

export function encodePageToken(last: Incident): string {
  const t = time(last.createdTime);
  const key: PageKey = { t: Number.isFinite(t) ? t : null, n: last.number, id: last.id };
  return Buffer.from(JSON.stringify({ v: 1, ...key }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string): PageKey {
  try {
    const o = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (o.v === 1 && (typeof o.t === 'number' || o.t === null) && typeof o.n === 'number' && typeof o.id === 'string') {
      return { t: o.t as number | null, n: o.n, id: o.id };
    }
  } catch {
    // fall through
  }
  throw new UserError('invalid page token (it comes from a different listing; start again from the first page)');
}

/** Sorts, filters and cuts one page out of a full incident list. */
export function pageIncidents(
  all: Incident[],
  filter: IncidentFilter,
  page: { top: number; pageToken?: string },
): { incidents: Incident[]; nextPageToken?: string } {
  const top = Math.max(1, Math.floor(page.top));
  let list = all.filter((i) => matchesFilter(i, filter)).sort(compareNewestFirst);
  if (page.pageToken) {
    const key = decodePageToken(page.pageToken);
    const pivot: Incident = {
      id: key.id,
      number: key.n,
      title: '',
      severity: 'Informational',
      status: 'New',
      alertsCount: 0,
      tactics: [],
      relatedAnalyticRuleIds: [],
      createdTime: key.t === null ? '' : new Date(key.t).toISOString(),
    };
    list = list.filter((i) => compareNewestFirst(pivot, i) < 0);
  }
  const incidents = list.slice(0, top);
  return list.length > top
    ? { incidents, nextPageToken: encodePageToken(incidents[incidents.length - 1]) }
    : { incidents };
}

/** Age of an ISO time relative to `now`, as people say it: "5m", "3h", "2d", "6w". */
export function formatAge(iso: string | undefined, now = new Date()): string {
  const t = time(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, (now.getTime() - t) / 1000);
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  if (s < 86400 * 14) return `${Math.floor(s / 86400)}d`;
  return `${Math.floor(s / (86400 * 7))}w`;
}

/**
 * KQL that lists the incidents (IncidentName) whose alerts name a value — the same query on the lake and
 * on Log Analytics. The value is embedded as an escaped string literal.
 */
export function incidentsWithEntityQuery(value: string, lookbackDays = 90): string {
  const literal = `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
  return [
    'SecurityAlert',
    `| where TimeGenerated > ago(${Math.max(1, Math.floor(lookbackDays))}d)`,
    `| where Entities has ${literal}`,
    '| distinct SystemAlertId',
    '| join kind=inner (',
    `    SecurityIncident | where TimeGenerated > ago(${Math.max(1, Math.floor(lookbackDays))}d)`,
    '    | summarize arg_max(TimeGenerated, AlertIds) by IncidentName',
    '    | mv-expand AlertId = AlertIds to typeof(string)',
    '  ) on $left.SystemAlertId == $right.AlertId',
    '| distinct IncidentName',
  ].join('\n');
}
