// Messages between the migration checklist host (src/extension/migration/checklistPanel.ts) and its
// page (checklist.ts). The state itself lives in the host (workspaceState); the page renders it.
import type { ChecklistModel, CheckId } from '../core/migration/checklist';
import type { ChecklistState } from '../core/migration/state';
import type { TimeFormat } from '../core/timeFormat';

export interface ChecklistSnapshot {
  model: ChecklistModel;
  state: ChecklistState;
  /** Label of the active backend. */
  backend: string;
  /** Checks currently running. */
  running: CheckId[];
  /** How times are shown (setting sentinelWorkbench.timeFormat). */
  timeFormat?: TimeFormat;
}

export type HostToChecklist =
  | { type: 'state'; snapshot: ChecklistSnapshot }
  | { type: 'running'; checkId: CheckId; running: boolean }
  | { type: 'notice'; kind: 'info' | 'error'; text: string };

export type ChecklistToHost =
  | { type: 'ready' }
  | { type: 'setDone'; itemId: string; done: boolean }
  | { type: 'setNote'; itemId: string; note: string }
  /** ISO-8601, or null to clear. */
  | { type: 'setCutover'; cutover: string | null }
  | { type: 'setRbac'; mappingId: string; done: boolean }
  | { type: 'runCheck'; checkId: CheckId }
  /** Opens the text in an untitled KQL editor (never runs it). */
  | { type: 'openQuery'; query: string }
  /** Opens a rule file (as shown in results: relative to the workspace folder) at a 1-based line. */
  | { type: 'openFile'; file: string; line?: number }
  | { type: 'exportRunbook' }
  | { type: 'exportTitleMap' }
  | { type: 'exportAutomation' }
  | { type: 'captureInventory' };

/** What the page keeps with setState (UI only; the checklist state is the host's). */
export interface ChecklistPageState {
  scrollY?: number;
}
