// Schemas for what the Sentinel MCP server's tools answer. Nothing here fills in a value the service did not
// send: an answer that does not fit becomes an InvalidAnswerError carrying the (bounded) raw text.
//
// Where the shapes come from (Microsoft Learn, "Explore Microsoft Sentinel data lake with data exploration
// collection", articles/sentinel/datalake/sentinel-mcp-data-exploration-tool.md):
// - analyze_user_entity / analyze_url_entity "return an identifier value" for get_entity_analysis;
// - get_entity_analysis polls "for a few minutes until results are ready … You might need to run it multiple
//   times" — the "still running, call again" answer;
// - a user analysis without the required tables is an error that lists the missing tables; a URL analysis
//   without the recommended ones carries a disclaimer that lists them.
// Verdict sets per entity type are the ones the product documents (DESIGN.md, Entity Analyzer).
import { z } from 'zod';
import { redactSecrets } from '../secrets';
import type { AnalysisEntity, AnalysisEntityType, AnalysisPoll, AnalysisResult, Verdict } from '../analyzer/types';

/** Raw text shown to the user is cut here (the answer can be a whole narrative). */
export const RAW_TEXT_LIMIT = 2000;

/** The raw answer as shown: bounded, and without any token this process sent (a server may echo it). */
export function boundedRaw(text: string): string {
  const t = redactSecrets(text.trim());
  return t.length > RAW_TEXT_LIMIT
    ? `${t.slice(0, RAW_TEXT_LIMIT)}… (${t.length - RAW_TEXT_LIMIT} more characters)`
    : t;
}

/** A service answer that does not have the documented shape. `raw` is the answer as received (bounded). */
export class InvalidAnswerError extends Error {
  constructor(
    readonly what: string,
    readonly reason: string,
    readonly raw: string,
  ) {
    super(
      `${what}: the answer could not be read (${reason}).${raw ? `\nThe service answered:\n${boundedRaw(raw)}` : ' The service sent an empty answer.'}`,
    );
    this.name = 'InvalidAnswerError';
  }
}

export const USER_VERDICTS = ['Compromised', 'Suspicious activity found', 'No evidence of compromise'] as const;
export const URL_VERDICTS = ['Malicious', 'Suspicious', 'No evidence of malicious activity'] as const;

export function verdictsFor(type: AnalysisEntityType): readonly Verdict[] {
  return type === 'User' ? USER_VERDICTS : URL_VERDICTS;
}

/** The JSON object in a tool answer: structuredContent, else the whole text parsed as JSON. */
export function jsonOf(
  structured: Record<string, unknown> | undefined,
  text: string,
): Record<string, unknown> | undefined {
  if (structured) return structured;
  const t = text.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function issues(e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
    .join('; ');
}

/** Parses `value` with `schema` or throws InvalidAnswerError naming the first problems. */
export function parseAnswer<S extends z.ZodTypeAny>(schema: S, value: unknown, what: string, raw: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new InvalidAnswerError(what, issues(r.error), raw);
  return r.data;
}

// ---- start ------------------------------------------------------------------------------------------------

const StartAnswer = z.union([
  z.object({ analysisId: z.string().min(1) }).passthrough(),
  z
    .object({ id: z.string().min(1) })
    .passthrough()
    .transform((o) => ({ ...o, analysisId: o.id })),
]);

export function readStartAnswer(tool: string, structured: Record<string, unknown> | undefined, text: string): string {
  const json = jsonOf(structured, text);
  if (!json) throw new InvalidAnswerError(tool, 'not a JSON object with an analysis id', text);
  return parseAnswer(StartAnswer, json, tool, text).analysisId;
}

// ---- poll -------------------------------------------------------------------------------------------------

const RUNNING = /^(running|inprogress|in progress|in_progress|pending|queued|notstarted|not started|started)$/i;
const FAILED = /^(failed|failure|error)$/i;
const COMPLETED = /^(completed|complete|succeeded|success|done)$/i;
/** A plain-text "still running, call again" answer (the tool's own wait ran out). */
const STILL_RUNNING_TEXT =
  /\b(still (running|in progress|processing)|not (yet )?(complete|completed|ready|finished)|call (this tool|get_entity_analysis|it) again|try again (later|in))\b/i;

const Evidence = z
  .object({
    title: z.string().min(1),
    table: z.string().optional(),
    query: z.string().optional(),
    rows: z.array(z.record(z.unknown())).optional(),
    detail: z.string().optional(),
    description: z.string().optional(),
  })
  .passthrough();

const Completed = z
  .object({
    status: z.string().regex(COMPLETED, 'not a completed status').optional(),
    verdict: z.string().min(1),
    confidence: z.enum(['High', 'Medium', 'Low']).optional(),
    summary: z.string().min(1),
    narrative: z.string().optional(),
    evidence: z.array(Evidence).optional(),
    recommendations: z.array(z.string()).optional(),
    missingTables: z.array(z.string()).optional(),
    disclaimer: z.string().nullable().optional(),
    entity: z.object({ type: z.enum(['User', 'Url']), id: z.string().min(1) }).optional(),
    completedAt: z.string().datetime({ offset: true }).optional(),
    expiresAt: z.string().datetime({ offset: true }).optional(),
  })
  .passthrough();

type CompletedAnswer = z.infer<typeof Completed>;

export interface PollContext {
  analysisId: string;
  /** The question, when the caller knows it (the job always does): its entity fixes the allowed verdicts. */
  entity?: AnalysisEntity;
  window?: { startTime: string; endTime: string };
  /** When the answer arrived. */
  receivedAt: Date;
}

/**
 * Reads a get_entity_analysis answer from Microsoft's service: running, expired, failed or a validated result.
 * A result that does not fit (unknown verdict for the entity type, missing summary, not JSON) is a failed
 * analysis whose error shows the raw answer.
 */
export function readPollAnswer(
  ctx: PollContext,
  structured: Record<string, unknown> | undefined,
  text: string,
  isError: boolean,
): AnalysisPoll {
  const { analysisId } = ctx;
  const json = jsonOf(structured, text);
  if (isError) {
    const message =
      (json &&
        (typeof json.error === 'string' ? json.error : typeof json.message === 'string' ? json.message : undefined)) ??
      text;
    if (/\bexpired\b/i.test(message)) return { status: 'expired', analysisId };
    return {
      status: 'failed',
      analysisId,
      error: boundedRaw(message) || 'The analysis failed (the service gave no reason).',
    };
  }
  if (!json) {
    if (STILL_RUNNING_TEXT.test(text)) return { status: 'running', analysisId, message: boundedRaw(text) };
    return {
      status: 'failed',
      analysisId,
      error: new InvalidAnswerError('get_entity_analysis', 'not JSON', text).message,
    };
  }
  const status =
    typeof json.status === 'string' ? json.status.trim() : typeof json.state === 'string' ? json.state.trim() : '';
  if (RUNNING.test(status))
    return { status: 'running', analysisId, message: typeof json.message === 'string' ? json.message : undefined };
  if (/^expired$/i.test(status)) return { status: 'expired', analysisId };
  if (FAILED.test(status)) {
    const reason =
      typeof json.error === 'string' ? json.error : typeof json.message === 'string' ? json.message : undefined;
    return {
      status: 'failed',
      analysisId,
      error: reason
        ? boundedRaw(reason)
        : new InvalidAnswerError('get_entity_analysis', 'failed without a reason', text).message,
    };
  }
  const body =
    json.result && typeof json.result === 'object' && !Array.isArray(json.result)
      ? { status: json.status, ...(json.result as object) }
      : json;
  try {
    const answer = parseAnswer(Completed, body, 'get_entity_analysis', text || JSON.stringify(json));
    return { status: 'completed', analysisId, result: toResult(ctx, answer, text || JSON.stringify(json)) };
  } catch (e) {
    if (e instanceof InvalidAnswerError) return { status: 'failed', analysisId, error: e.message };
    throw e;
  }
}

function toResult(ctx: PollContext, a: CompletedAnswer, raw: string): AnalysisResult {
  const entity = ctx.entity ?? a.entity ?? entityFromVerdict(a.verdict, raw);
  if (ctx.entity && a.entity && a.entity.type !== ctx.entity.type) {
    throw new InvalidAnswerError(
      'get_entity_analysis',
      `the answer is about a ${a.entity.type}, the analysis was started for a ${ctx.entity.type}`,
      raw,
    );
  }
  const allowed = verdictsFor(entity.type);
  if (!(allowed as readonly string[]).includes(a.verdict)) {
    throw new InvalidAnswerError(
      'get_entity_analysis',
      `'${a.verdict}' is not a ${entity.type === 'User' ? 'user' : 'URL'} verdict (expected ${allowed.join(', ')})`,
      raw,
    );
  }
  const window = ctx.window ?? windowOf(a);
  if (!window) throw new InvalidAnswerError('get_entity_analysis', 'the analysis window is unknown', raw);
  return {
    analysisId: ctx.analysisId,
    entity,
    verdict: a.verdict as Verdict,
    confidence: a.confidence,
    summary: a.summary,
    narrative: a.narrative,
    evidence: (a.evidence ?? []).map((e) => ({
      title: e.title,
      table: e.table ?? '',
      query: e.query ?? '',
      rows: e.rows ?? [],
      detail: e.detail ?? e.description,
    })),
    recommendations: a.recommendations ?? [],
    missingTables: a.missingTables ?? [],
    disclaimer: a.disclaimer ?? null,
    window,
    source: 'sentinel',
    // When the answer arrived here; the cache applies the documented one-hour lifetime unless the service says when.
    completedAt: a.completedAt ?? ctx.receivedAt.toISOString(),
    expiresAt: a.expiresAt,
  };
}

function windowOf(a: CompletedAnswer): { startTime: string; endTime: string } | undefined {
  const o = a as Record<string, unknown>;
  const w = o.window as Record<string, unknown> | undefined;
  const start = w?.startTime ?? o.startTime;
  const end = w?.endTime ?? o.endTime;
  return typeof start === 'string' && typeof end === 'string' ? { startTime: start, endTime: end } : undefined;
}

/** Only when neither the caller nor the answer names the entity: the two verdict sets do not overlap. */
function entityFromVerdict(verdict: string, raw: string): AnalysisEntity {
  const type: AnalysisEntityType | undefined = (USER_VERDICTS as readonly string[]).includes(verdict)
    ? 'User'
    : (URL_VERDICTS as readonly string[]).includes(verdict)
      ? 'Url'
      : undefined;
  if (!type)
    throw new InvalidAnswerError('get_entity_analysis', `'${verdict}' is not a verdict of the Entity Analyzer`, raw);
  throw new InvalidAnswerError(
    'get_entity_analysis',
    `the answer does not say which ${type === 'User' ? 'user' : 'URL'} it is about`,
    raw,
  );
}

// ---- data exploration tools ------------------------------------------------------------------------------

export const WorkspacesAnswer = z.union([
  z.array(
    z
      .object({
        id: z.string().optional(),
        workspaceId: z.string().optional(),
        name: z.string().optional(),
        workspaceName: z.string().optional(),
      })
      .passthrough(),
  ),
  z
    .object({ workspaces: z.array(z.record(z.unknown())) })
    .passthrough()
    .transform((o) => o.workspaces),
  z
    .object({ value: z.array(z.record(z.unknown())) })
    .passthrough()
    .transform((o) => o.value),
]);

const Column = z
  .object({
    name: z.string().optional(),
    ColumnName: z.string().optional(),
    type: z.string().optional(),
    ColumnType: z.string().optional(),
  })
  .passthrough()
  .refine((c) => typeof (c.name ?? c.ColumnName) === 'string', 'a column without a name');

/** query_lake: `{tables:[{columns,rows}]}` (Log Analytics form), `{columns,rows}`, or row objects. */
export const QueryAnswer = z.union([
  z
    .object({
      tables: z.array(z.object({ columns: z.array(Column), rows: z.array(z.array(z.unknown())) }).passthrough()).min(1),
    })
    .passthrough(),
  z
    .object({ columns: z.array(Column), rows: z.array(z.union([z.array(z.unknown()), z.record(z.unknown())])) })
    .passthrough(),
  z.object({ results: z.array(z.record(z.unknown())) }).passthrough(),
  z.object({ rows: z.array(z.record(z.unknown())) }).passthrough(),
]);
