// The Entity Analyzer's data model, shared by the local MCP server, the client and the UI.

// The kinds of entity the analyzer takes are defined with the entity parsers (src/core/entities).
import type { AnalysisEntityType } from '../entities';
export type { AnalysisEntityType };

export interface AnalysisEntity {
  type: AnalysisEntityType;
  /** UPN or Entra object id for users; the (refanged) URL for URLs. */
  id: string;
}

export type UserVerdict = 'Compromised' | 'Suspicious activity found' | 'No evidence of compromise';
export type UrlVerdict = 'Malicious' | 'Suspicious' | 'No evidence of malicious activity';
export type Verdict = UserVerdict | UrlVerdict;
export type Confidence = 'High' | 'Medium' | 'Low';

export interface AnalysisRequest {
  entity: AnalysisEntity;
  /** ISO-8601. */
  startTime: string;
  /** ISO-8601. */
  endTime: string;
  workspaceId?: string;
}

export interface EvidenceItem {
  title: string;
  /** The table the evidence comes from. */
  table: string;
  /** The exact KQL that produced `rows` (runnable with `swb query` on the same lake). */
  query: string;
  /** Rows as objects keyed by column name (wire form). */
  rows: Record<string, unknown>[];
  /** Plain-language explanation of why this matters. */
  detail?: string;
  /** The rule's contribution to the score. */
  weight?: number;
  /** The local analyzer's rule id (README tables), e.g. "U13". */
  rule?: string;
}

export interface AnalysisResult {
  analysisId?: string;
  entity: AnalysisEntity;
  verdict: Verdict;
  /** Absent when the service did not state one. */
  confidence?: Confidence;
  summary: string;
  narrative?: string;
  evidence: EvidenceItem[];
  recommendations: string[];
  missingTables: string[];
  disclaimer: string | null;
  window: { startTime: string; endTime: string };
  /** 'local' for the embedded analyzer; 'sentinel' for Microsoft's service (AI output, may be wrong). */
  source: 'local' | 'sentinel';
  completedAt: string;
  /** When the service said the result expires; absent → the documented lifetime after completedAt applies. */
  expiresAt?: string;
}

export type AnalysisPoll =
  | { status: 'running'; analysisId: string; message?: string }
  | { status: 'completed'; analysisId: string; result: AnalysisResult }
  | { status: 'failed'; analysisId: string; error: string }
  | { status: 'expired'; analysisId: string };

/** Documented service limits; all are settings with these defaults. */
export const ANALYZER_DEFAULTS = {
  maxUserWindowDays: 7,
  resultLifetimeMs: 60 * 60 * 1000,
  runsPerHour: 200,
  runsPerDay: 500,
  maxConcurrent: 5,
  pollWaitSeconds: 20,
} as const;

export const USER_REQUIRED_TABLES = ['AlertEvidence', 'SigninLogs', 'CloudAppEvents', 'IdentityInfo'] as const;
export const USER_RECOMMENDED_TABLES = ['AADNonInteractiveUserSignInLogs', 'BehaviorAnalytics'] as const;
/** Optional tables the local analyzer's user rules read besides the service's recommended ones. */
export const LOCAL_USER_OPTIONAL_TABLES = [
  ...USER_RECOMMENDED_TABLES,
  'AuditLogs',
  'ThreatIntelIndicators',
  'UrlClickEvents',
] as const;
export const URL_RECOMMENDED_TABLES = [
  'EmailUrlInfo',
  'UrlClickEvents',
  'ThreatIntelIndicators',
  'Watchlist',
  'DeviceNetworkEvents',
] as const;
