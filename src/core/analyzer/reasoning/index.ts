// The local Entity Analyzer: checks a request against the service's documented rules, runs the user or
// URL rules and assembles the verdict. Deterministic: same lake, same request → same result.
import { UserError } from '../../errors';
import { validateAnalysisTarget } from '../../entities';
import {
  ANALYZER_DEFAULTS,
  AnalysisRequest,
  AnalysisResult,
  EvidenceItem,
  LOCAL_USER_OPTIONAL_TABLES,
  URL_RECOMMENDED_TABLES,
  USER_REQUIRED_TABLES,
} from '../types';
import type { Finding, ReasoningContext } from './context';
import { isoSeconds } from './kql';
import { reasonAboutUrl } from './url';
import { reasonAboutUser, resolveUser } from './user';

export type { ReasoningContext } from './context';

export interface CheckedRequest {
  request: AnalysisRequest;
  start: Date;
  end: Date;
  missingTables: string[];
}

export interface CheckOptions {
  maxUserWindowDays?: number;
}

function parseTime(name: string, value: string): Date {
  const d =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? new Date(value.trim()) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw new UserError(
      `${name} '${value}' is not an ISO-8601 date and time (e.g. 2026-01-02T03:04:05Z).`,
      'BadWindow',
    );
  return d;
}

/**
 * Validates entity and window and the tables the service requires. Throws UserError (bad entity, window
 * too long, missing required tables); returns the normalised request and the recommended tables that are missing.
 */
export function checkAnalysisRequest(
  request: AnalysisRequest,
  hasTable: (t: string) => boolean,
  options: CheckOptions = {},
): CheckedRequest {
  const type = request?.entity?.type;
  if (type !== 'User' && type !== 'Url')
    throw new UserError(`Unknown entity type '${String(type)}': use User or Url.`, 'BadEntity');
  const id = validateAnalysisTarget(type, request.entity.id);
  const start = parseTime('startTime', request.startTime);
  const end = parseTime('endTime', request.endTime);
  if (start.getTime() >= end.getTime())
    throw new UserError(`startTime (${request.startTime}) must be before endTime (${request.endTime}).`, 'BadWindow');
  if (type === 'User') {
    const maxDays = options.maxUserWindowDays ?? ANALYZER_DEFAULTS.maxUserWindowDays;
    const days = (end.getTime() - start.getTime()) / 86_400_000;
    if (days > maxDays + 1e-9) {
      throw new UserError(
        `The analysis window is ${Math.round(days * 10) / 10} days; user analysis allows at most ${maxDays} days.`,
        'WindowTooLong',
      );
    }
    const missingRequired = USER_REQUIRED_TABLES.filter((t) => !hasTable(t));
    if (missingRequired.length) {
      throw new UserError(
        `User analysis needs the tables ${USER_REQUIRED_TABLES.join(', ')}; missing: ${missingRequired.join(', ')}.`,
        'MissingTables',
      );
    }
  }
  const recommended: readonly string[] = type === 'User' ? LOCAL_USER_OPTIONAL_TABLES : URL_RECOMMENDED_TABLES;
  return {
    request: {
      entity: { type, id },
      startTime: isoSeconds(start),
      endTime: isoSeconds(end),
      workspaceId: request.workspaceId,
    },
    start,
    end,
    missingTables: recommended.filter((t) => !hasTable(t)),
  };
}

export interface RunOptions extends CheckOptions {
  /** Clock for completedAt/expiresAt. */
  now?: () => Date;
  resultLifetimeMs?: number;
  analysisId?: string;
}

/** Runs one analysis to completion (no job machinery: the CLI calls this directly). */
export async function analyzeEntity(
  context: ReasoningContext,
  request: AnalysisRequest,
  options: RunOptions = {},
): Promise<AnalysisResult> {
  const ctx: ReasoningContext = { ...context, skipped: [] };
  const checked = checkAnalysisRequest(request, (t) => ctx.hasTable(t), options);
  const { start, end, missingTables } = checked;
  const entity = checked.request.entity;
  let reasoning: {
    verdict: AnalysisResult['verdict'];
    confidence: AnalysisResult['confidence'];
    findings: Finding[];
    summary: string;
    narrative: string;
    recommendations: string[];
  };
  let disclaimer: string | null = null;
  if (entity.type === 'User') {
    const identity = await resolveUser(ctx, entity.id);
    reasoning = await reasonAboutUser(ctx, identity, start, end);
    if (missingTables.length) {
      disclaimer = `User analysis works better with ${missingTables.join(' and ')}, which ${missingTables.length === 1 ? 'is' : 'are'} missing from this workspace: signals from ${missingTables.length === 1 ? 'it' : 'them'} could not be considered.`;
    }
  } else {
    reasoning = await reasonAboutUrl(ctx, entity.id, start, end);
    if (missingTables.length) {
      disclaimer = `This analysis ran without ${missingTables.join(', ')}: signals from ${missingTables.length === 1 ? 'that table' : 'those tables'} are missing, so the verdict may understate the risk.`;
    }
  }
  if (ctx.skipped?.length) {
    const note = `Some rules could not run on this lake and were skipped (${ctx.skipped.join('; ')}).`;
    disclaimer = disclaimer ? `${disclaimer} ${note}` : note;
  }
  const now = (options.now ?? (() => new Date()))();
  const evidence: EvidenceItem[] = reasoning.findings.map((f) => f.evidence);
  return {
    analysisId: options.analysisId,
    entity,
    verdict: reasoning.verdict,
    confidence: reasoning.confidence,
    summary: reasoning.summary,
    narrative: reasoning.narrative,
    evidence,
    recommendations: reasoning.recommendations,
    missingTables,
    disclaimer,
    window: { startTime: checked.request.startTime, endTime: checked.request.endTime },
    source: 'local',
    completedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (options.resultLifetimeMs ?? ANALYZER_DEFAULTS.resultLifetimeMs)).toISOString(),
  };
}
