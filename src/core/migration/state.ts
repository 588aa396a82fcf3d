// The checklist's state: ticks, notes, cutover time, last check results and a timeline. Plain JSON so
// the extension can keep it in workspaceState; every change goes through `applyChange`, which also
// writes the timeline.
import { CHECKLIST, CheckId, isCheckId } from './checklist';
import type { AuditReport } from './titleAudit';
import type { AutomationSummary } from './automation';
import type { ConnectorDiff, ConnectorRow } from './connectors';
import type { RbacMapping } from './rbac';

export type CheckStatus = 'ok' | 'findings' | 'error';

interface RunBase {
  ranAt: string;
  status: CheckStatus;
  /** One line, e.g. "3 titles raised more than once". */
  summary: string;
  /** Where the data came from, e.g. "local demo lake" or the workspace name. */
  source?: string;
  error?: string;
}

export interface DuplicateIncidentsData {
  query: string;
  rows: { title: string; count: number }[];
  cause: string;
  fix: string;
  /** Microsoft incident creation rules found in the rule files / workspace (the ones to turn off). */
  incidentCreationRules?: { id: string; title: string; file: string; line: number; enabled?: boolean }[];
}

export interface RuleTitlesData {
  report: AuditReport;
  /** The title → rule id map (for the CSV export). */
  rules: { id: string; title: string; severity?: string; file: string; line: number }[];
  sources: string[];
}

export interface ConnectorsData extends ConnectorDiff {
  beforeSource: string;
  currentSource: string;
  queries?: { before?: string; current?: string };
}

export interface AutomationData {
  rules: AutomationSummary[];
  errors: { file: string; message: string; line?: number }[];
  sources: string[];
  reminder: string;
}

export type CheckRun =
  | (RunBase & { checkId: 'connectors'; data?: ConnectorsData })
  | (RunBase & { checkId: 'duplicateIncidents'; data?: DuplicateIncidentsData })
  | (RunBase & { checkId: 'ruleTitles'; data?: RuleTitlesData })
  | (RunBase & { checkId: 'rbac'; data?: { mappings: RbacMapping[] } })
  | (RunBase & { checkId: 'automation'; data?: AutomationData });

export interface ItemState {
  done: boolean;
  doneAt?: string;
  note?: string;
}

export interface TimelineEntry {
  at: string;
  event: string;
}

export interface ChecklistState {
  version: 1;
  /** ISO-8601. */
  cutover?: string;
  items: Record<string, ItemState>;
  rbac: Record<string, { done: boolean; doneAt?: string }>;
  checks: Partial<Record<CheckId, CheckRun>>;
  connectorSnapshot?: { capturedAt: string; source: string; rows: ConnectorRow[] };
  timeline: TimelineEntry[];
}

export const MAX_TIMELINE = 500;
export const MAX_NOTE_LENGTH = 10_000;

export function emptyState(): ChecklistState {
  return { version: 1, items: {}, rbac: {}, checks: {}, timeline: [] };
}

export type StateChange =
  | { kind: 'setDone'; itemId: string; done: boolean }
  | { kind: 'setNote'; itemId: string; note: string }
  | { kind: 'setCutover'; cutover: string | null }
  | { kind: 'setRbac'; mappingId: string; done: boolean }
  | { kind: 'recordCheck'; run: CheckRun }
  | { kind: 'captureSnapshot'; source: string; rows: ConnectorRow[] };

const itemTitle = (id: string) => CHECKLIST.items.find((i) => i.id === id)?.title;

/** Returns the new state (the input is not modified). Unknown item ids are ignored. */
export function applyChange(state: ChecklistState, change: StateChange, now: Date): ChecklistState {
  const at = now.toISOString();
  const next: ChecklistState = {
    ...state,
    items: { ...state.items },
    rbac: { ...state.rbac },
    checks: { ...state.checks },
    timeline: [...state.timeline],
  };
  const log = (event: string) => {
    next.timeline.push({ at, event });
    if (next.timeline.length > MAX_TIMELINE) next.timeline.splice(0, next.timeline.length - MAX_TIMELINE);
  };
  switch (change.kind) {
    case 'setDone': {
      const title = itemTitle(change.itemId);
      if (!title) return state;
      const prev = next.items[change.itemId] ?? { done: false };
      if (prev.done === change.done) return state;
      next.items[change.itemId] = { ...prev, done: change.done, doneAt: change.done ? at : undefined };
      log(`${change.done ? 'Ticked' : 'Unticked'} "${title}"`);
      break;
    }
    case 'setNote': {
      const title = itemTitle(change.itemId);
      if (!title) return state;
      const note = change.note.slice(0, MAX_NOTE_LENGTH);
      const prev = next.items[change.itemId] ?? { done: false };
      if ((prev.note ?? '') === note) return state;
      next.items[change.itemId] = { ...prev, note: note || undefined };
      log(`Note on "${title}" ${note ? 'updated' : 'cleared'}`);
      break;
    }
    case 'setCutover': {
      const value = change.cutover ? new Date(change.cutover) : undefined;
      if (value && Number.isNaN(value.getTime())) return state;
      const iso = value?.toISOString();
      if (iso === next.cutover) return state;
      next.cutover = iso;
      log(iso ? `Cutover set to ${iso}` : 'Cutover time cleared');
      break;
    }
    case 'setRbac': {
      const prev = next.rbac[change.mappingId];
      if ((prev?.done ?? false) === change.done) return state;
      next.rbac[change.mappingId] = { done: change.done, doneAt: change.done ? at : undefined };
      log(`RBAC mapping "${change.mappingId}" ${change.done ? 'confirmed' : 'reopened'}`);
      break;
    }
    case 'recordCheck': {
      next.checks[change.run.checkId] = change.run as never;
      log(
        `Check "${change.run.checkId}" ran: ${change.run.status === 'error' ? `failed (${change.run.error ?? change.run.summary})` : change.run.summary}`,
      );
      break;
    }
    case 'captureSnapshot': {
      next.connectorSnapshot = { capturedAt: at, source: change.source, rows: change.rows };
      log(`Connector inventory captured from ${change.source} (${change.rows.length} connectors)`);
      break;
    }
  }
  return next;
}

/** Accepts whatever was stored (older versions, hand edits, nothing) and returns a valid state. */
export function sanitizeState(raw: unknown): ChecklistState {
  const s = emptyState();
  if (!raw || typeof raw !== 'object') return s;
  const r = raw as Record<string, unknown>;
  if (typeof r.cutover === 'string' && !Number.isNaN(new Date(r.cutover).getTime())) s.cutover = r.cutover;
  if (r.items && typeof r.items === 'object') {
    for (const [id, v] of Object.entries(r.items as Record<string, unknown>)) {
      if (!v || typeof v !== 'object') continue;
      const it = v as Record<string, unknown>;
      s.items[id] = {
        done: it.done === true,
        doneAt: typeof it.doneAt === 'string' ? it.doneAt : undefined,
        note: typeof it.note === 'string' ? it.note.slice(0, MAX_NOTE_LENGTH) : undefined,
      };
    }
  }
  if (r.rbac && typeof r.rbac === 'object') {
    for (const [id, v] of Object.entries(r.rbac as Record<string, unknown>)) {
      const it = (v ?? {}) as Record<string, unknown>;
      s.rbac[id] = { done: it.done === true, doneAt: typeof it.doneAt === 'string' ? it.doneAt : undefined };
    }
  }
  if (r.checks && typeof r.checks === 'object') {
    for (const [id, v] of Object.entries(r.checks as Record<string, unknown>)) {
      if (
        isCheckId(id) &&
        v &&
        typeof v === 'object' &&
        (v as CheckRun).checkId === id &&
        typeof (v as CheckRun).ranAt === 'string'
      ) {
        s.checks[id] = v as never;
      }
    }
  }
  if (r.connectorSnapshot && typeof r.connectorSnapshot === 'object') {
    const snap = r.connectorSnapshot as Record<string, unknown>;
    if (Array.isArray(snap.rows) && typeof snap.capturedAt === 'string') {
      s.connectorSnapshot = {
        capturedAt: snap.capturedAt,
        source: String(snap.source ?? ''),
        rows: snap.rows as ConnectorRow[],
      };
    }
  }
  if (Array.isArray(r.timeline)) {
    s.timeline = r.timeline
      .filter(
        (e): e is TimelineEntry =>
          !!e &&
          typeof e === 'object' &&
          typeof (e as TimelineEntry).at === 'string' &&
          typeof (e as TimelineEntry).event === 'string',
      )
      .slice(-MAX_TIMELINE);
  }
  return s;
}

export function progress(state: ChecklistState): { done: number; total: number } {
  const total = CHECKLIST.items.length;
  const done = CHECKLIST.items.filter((i) => state.items[i.id]?.done).length;
  return { done, total };
}
