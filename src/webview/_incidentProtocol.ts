// Messages between the incident page host (src/extension/triage/incidentPage.ts) and its page (incident.ts).
import type { VerdictMention } from '../core/analyzer/markdown';
import type { IncidentDetails } from '../core/backends/types';
import type { TimeFormat } from '../core/timeFormat';

export interface IncidentView {
  details: IncidentDetails;
  /** Verdicts stored as comments, newest first. */
  verdicts: VerdictMention[];
  backendLabel: string;
  timeFormat: TimeFormat;
  /** The signed-in user (owner value of "Assign to me"), when known. */
  me?: string;
}

/** What the page persists; the data itself is fetched again after a reload. */
export interface IncidentState {
  incidentId: string;
  title?: string;
}

export type IncidentAction =
  'assignToMe' | 'assign' | 'status' | 'severity' | 'close' | 'reopen' | 'portal' | 'refresh';
export type EntityAction = 'analyze' | 'baseline' | 'copy';

export type HostToIncident =
  | { type: 'loading'; title: string }
  | { type: 'show'; view: IncidentView }
  | { type: 'notice'; text: string; kind: 'info' | 'error' }
  | { type: 'busy'; busy: boolean }
  | { type: 'commentAdded' };

export type IncidentToHost =
  | { type: 'ready' }
  | { type: 'action'; action: IncidentAction }
  | { type: 'entity'; action: EntityAction; key: string }
  | { type: 'comment'; text: string };
