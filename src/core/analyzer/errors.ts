// Errors the analysis client understands. Backends throw these (or errors carrying `retryAfterMs` /
// `status`) so the job can tell a throttled or flaky call, worth retrying, from a final failure.
// The HTTP ones (transient, throttled, Retry-After) live in core/errors, where the Azure clients find them.
import { TransientError, ThrottledError, parseRetryAfter } from '../errors';

export { TransientError, ThrottledError, parseRetryAfter };

/** The analysis result is gone (results live one hour). */
export class AnalysisExpiredError extends Error {
  constructor(readonly analysisId: string) {
    super(`Analysis ${analysisId} has expired; results are kept for one hour. Run it again.`);
    this.name = 'AnalysisExpiredError';
  }
}

/** The overall time budget of one analysis ran out. */
export class AnalysisTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The analysis did not finish within ${Math.round(timeoutMs / 1000)} s.`);
    this.name = 'AnalysisTimeoutError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

function field(e: unknown, name: string): unknown {
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[name] : undefined;
}

function statusOf(e: unknown): number | undefined {
  const s = field(e, 'status') ?? field(e, 'statusCode') ?? field(field(e, 'response'), 'status');
  return typeof s === 'number' ? s : undefined;
}

/** How long to wait before retrying, when the error says so. */
export function retryAfterOf(e: unknown): number | undefined {
  const r = field(e, 'retryAfterMs');
  return typeof r === 'number' && Number.isFinite(r) && r >= 0 ? r : undefined;
}

export function isThrottled(e: unknown): boolean {
  return e instanceof ThrottledError || statusOf(e) === 429;
}

/** Errors worth retrying: our own transient/throttled errors, 429/5xx statuses, network resets, MCP request timeouts. */
export function isTransient(e: unknown): boolean {
  if (e instanceof TransientError) return true;
  if (retryAfterOf(e) !== undefined) return true;
  const status = statusOf(e);
  if (status !== undefined) return status === 429 || status === 408 || status >= 500;
  const code = field(e, 'code');
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  // MCP SDK: RequestTimeout (-32001) and ConnectionClosed (-32000).
  if (code === -32001 || code === -32000) return true;
  return false;
}
