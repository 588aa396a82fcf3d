// Messages between the verdict panel host (src/extension/analyzer/verdictPanel.ts) and its page (verdict.ts).
import type { AnalysisResult } from '../core/analyzer/types';

export interface VerdictMeta {
  /** The Analyses view job this verdict belongs to, when it is still listed. */
  jobId?: string;
  /** Served from the cache instead of a new run. */
  fromCache: boolean;
  /** "local demo lake", "Azure", … */
  backendLabel: string;
  /** The incident the analysis was started from, preselected for "Add as incident comment". */
  incidentId?: string;
}

/** What the panel persists (getState/setState) and the serializer restores. */
export interface VerdictState {
  result: AnalysisResult;
  meta: VerdictMeta;
}

export type HostToVerdict =
  | { type: 'show'; result: AnalysisResult; meta: VerdictMeta }
  | { type: 'notice'; text: string; kind: 'info' | 'error' };

export type VerdictToHost =
  | { type: 'ready' }
  | { type: 'openQuery'; index: number }
  | { type: 'runQuery'; index: number }
  | { type: 'copyMarkdown' }
  | { type: 'addComment' }
  | { type: 'rerun' };
