// What the Incidents and Entities views show, as plain data: grouping, labels, descriptions, tooltips and
// the entity index across incidents. No 'vscode' here, so the logic is unit-tested without an editor.
import { ENTITY_KIND_ORDER } from '../../core/backends/entities';
import { compareNewestFirst, formatAge, SEVERITIES, STATUSES } from '../../core/backends/incidents';
import { ENTITY_KIND_NAMES } from '../../core/entities/kindNames';
import { formatTime, TimeFormat } from '../../core/timeFormat';
import type { Entity, EntityKind, Incident, IncidentDetails } from '../../core/backends/types';

export type GroupBy = 'severity' | 'status' | 'none';

export interface IncidentGroup {
  key: string;
  label: string;
  incidents: Incident[];
}

/** Groups in a fixed order (High → Informational, New → Closed); empty groups are left out; newest first inside. */
export function groupIncidents(incidents: Incident[], groupBy: GroupBy): IncidentGroup[] {
  const sorted = [...incidents].sort(compareNewestFirst);
  if (groupBy === 'none') return [{ key: 'all', label: 'All', incidents: sorted }];
  const order: string[] = groupBy === 'severity' ? SEVERITIES : STATUSES;
  return order
    .map((key) => ({
      key,
      label: key,
      incidents: sorted.filter((i) => (groupBy === 'severity' ? i.severity : i.status) === key),
    }))
    .filter((g) => g.incidents.length > 0);
}

export function countNew(incidents: Incident[]): number {
  return incidents.filter((i) => i.status === 'New').length;
}

export function incidentLabel(i: Incident): string {
  return `#${i.number} ${i.title}`;
}

/** "New · alice@contoso.com · 3h" (owner left out when unassigned). */
export function incidentDescription(i: Incident, now = new Date()): string {
  return [i.status, i.owner, formatAge(i.createdTime, now)].filter(Boolean).join(' · ');
}

/** Escapes text for Markdown so titles and descriptions from a server stay text (no links, no HTML). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`).replace(/\r?\n/g, '  \n');
}

function when(iso: string | undefined, format: TimeFormat): string {
  if (!iso) return '—';
  return Number.isNaN(Date.parse(iso)) ? escapeMarkdown(iso) : formatTime(iso, format);
}

export function incidentTooltip(i: Incident, format: TimeFormat = 'utc'): string {
  const lines = [
    `**${escapeMarkdown(incidentLabel(i))}**`,
    '',
    `| | |`,
    `|---|---|`,
    `| Severity | ${i.severity} |`,
    `| Status | ${i.status} |`,
    `| Classification | ${i.classification ? escapeMarkdown(i.classification) : '—'} |`,
    `| Owner | ${i.owner ? escapeMarkdown(i.owner) : 'unassigned'} |`,
    `| Alerts | ${i.alertsCount} |`,
    `| Tactics | ${i.tactics.length ? escapeMarkdown(i.tactics.join(', ')) : '—'} |`,
    `| Created | ${when(i.createdTime, format)} |`,
    `| First activity | ${when(i.firstActivityTime, format)} |`,
    `| Last activity | ${when(i.lastActivityTime, format)} |`,
  ];
  if (i.description)
    lines.push('', escapeMarkdown(i.description.length > 600 ? `${i.description.slice(0, 600)}…` : i.description));
  return lines.join('\n');
}

/** Group labels of the Entities view; an entity under an incident shows the singular of the same name. */
export const KIND_LABELS = Object.fromEntries(Object.entries(ENTITY_KIND_NAMES).map(([k, v]) => [k, v.many])) as Record<
  EntityKind,
  string
>;

/**
 * A comment as one line of plain text for a tree label: the first line with words, without Markdown
 * markers ("### Entity Analyzer: Compromised (High confidence)").
 */
export function commentPreview(message: string): string {
  const line =
    message
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => /[\p{L}\p{N}]/u.test(l)) ?? '';
  const plain = line
    .replace(/^#{1,6}\s+/, '')
    .replace(/^[-*+>]\s+/, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|\*|`)(.+?)\1/g, '$2')
    .replace(/\\([\\`*_[\]|#+\-.!{}()<>~&])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 120 ? `${plain.slice(0, 119)}…` : plain;
}

/** Codicon per entity kind. */
export const KIND_ICONS: Record<EntityKind, string> = {
  Account: 'account',
  Url: 'link',
  Ip: 'globe',
  Host: 'vm',
  Mailbox: 'mail',
  FileHash: 'symbol-key',
  File: 'file',
  Process: 'server-process',
  CloudApplication: 'cloud',
  MailMessage: 'mail-read',
  Other: 'symbol-misc',
};

/** Codicon + theme color per severity. */
export const SEVERITY_ICONS: Record<string, { icon: string; color: string }> = {
  High: { icon: 'error', color: 'errorForeground' },
  Medium: { icon: 'warning', color: 'list.warningForeground' },
  Low: { icon: 'info', color: 'charts.blue' },
  Informational: { icon: 'circle-outline', color: 'descriptionForeground' },
};

export function entityContextValue(kind: EntityKind): string {
  return `sentinelWorkbench:entity:${kind.toLowerCase()}`;
}

export interface IndexedEntity {
  entity: Entity;
  /** Ids of the incidents the entity appears in, newest incident first. */
  incidentIds: string[];
}

export interface EntityKindGroup {
  kind: EntityKind;
  entities: IndexedEntity[];
}

/** Entities across incidents, grouped by kind (fixed kind order), most widespread entity first. */
export function indexEntities(details: IncidentDetails[]): EntityKindGroup[] {
  const byKey = new Map<string, IndexedEntity>();
  const incidentsNewestFirst = [...details].sort((a, b) => compareNewestFirst(a.incident, b.incident));
  for (const d of incidentsNewestFirst) {
    for (const e of d.entities) {
      const hit = byKey.get(e.key);
      if (!hit) byKey.set(e.key, { entity: e, incidentIds: [d.incident.id] });
      else if (!hit.incidentIds.includes(d.incident.id)) hit.incidentIds.push(d.incident.id);
    }
  }
  const groups: EntityKindGroup[] = [];
  for (const kind of ENTITY_KIND_ORDER) {
    const entities = [...byKey.values()]
      .filter((x) => x.entity.kind === kind)
      .sort(
        (a, b) =>
          b.incidentIds.length - a.incidentIds.length || a.entity.displayName.localeCompare(b.entity.displayName),
      );
    if (entities.length) groups.push({ kind, entities });
  }
  return groups;
}

export function entityTooltip(e: Entity, incidentTitles: string[]): string {
  const props = Object.entries(e.properties)
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && typeof v !== 'object')
    .slice(0, 12)
    .map(([k, v]) => `| ${escapeMarkdown(k)} | ${escapeMarkdown(String(v)).slice(0, 200)} |`);
  const lines = [`**${escapeMarkdown(e.displayName)}** (${e.kind})`];
  if (props.length) lines.push('', '| | |', '|---|---|', ...props);
  if (incidentTitles.length) {
    lines.push('', `In ${incidentTitles.length} incident${incidentTitles.length === 1 ? '' : 's'}:`);
    for (const t of incidentTitles.slice(0, 10)) lines.push(`- ${escapeMarkdown(t)}`);
    if (incidentTitles.length > 10) lines.push(`- … ${incidentTitles.length - 10} more`);
  }
  return lines.join('\n');
}

/** The value a baseline template needs for an entity, and which kind of template fits. */
export function baselineValue(e: Entity): { value: string; shape: 'upn' | 'url' | 'ip' | 'guid' | 'text' } {
  switch (e.kind) {
    case 'Account':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(e.displayName)
        ? { value: e.displayName, shape: 'guid' }
        : { value: e.displayName, shape: e.displayName.includes('@') ? 'upn' : 'text' };
    case 'Url':
      return { value: e.displayName, shape: 'url' };
    case 'Ip':
      return { value: e.displayName, shape: 'ip' };
    case 'Mailbox':
      return { value: e.displayName, shape: 'upn' };
    default:
      return { value: e.displayName, shape: 'text' };
  }
}
