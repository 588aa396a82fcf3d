// Errors that carry their meaning. Bad input (UserError) → exit code 2 and a one-line message,
// never a stack trace. Anything else is an internal failure (exit code 1).

export interface SourcePosition {
  file?: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Length of the offending text, when known. */
  length?: number;
}

export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'BadInput',
    readonly position?: SourcePosition,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** `FILE:LINE:COL: error: message` where a position exists. */
  format(file?: string): string {
    const p = this.position;
    if (!p) return `error: ${this.message}`;
    return `${file ?? p.file ?? '<query>'}:${p.line}:${p.column}: error: ${this.message}`;
  }
}

/** A KQL syntax/semantic error or an unsupported construct, with its position. */
export class KqlError extends UserError {
  constructor(
    message: string,
    position?: SourcePosition,
    code: 'KqlSyntax' | 'KqlSemantic' | 'KqlUnsupported' | 'KqlRuntime' | 'ExternalDataUnmapped' = 'KqlSyntax',
  ) {
    super(message, code, position);
    this.name = 'KqlError';
  }
}

export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

// The extension loads parts of the core from separate bundles, each with its own copy of these classes,
// so errors are recognised by name as well as by class.
export function isCancellation(e: unknown): boolean {
  return (
    e instanceof CancelledError || (e instanceof Error && (e.name === 'AbortError' || e.name === 'CancelledError'))
  );
}

/** Bad input (shown without a stack trace), also when thrown by another bundle's copy of UserError. */
export function isUserError(e: unknown): e is UserError {
  return (
    e instanceof UserError ||
    (e instanceof Error &&
      typeof (e as Partial<UserError>).format === 'function' &&
      typeof (e as Partial<UserError>).code === 'string')
  );
}

/** Throws CancelledError when the signal is aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Converts an offset in `text` to a 1-based line/column. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// HTTP outcomes every client shares: worth retrying (transient, throttled) or not.

/** A failure that may succeed when retried (network reset, 5xx, server restarting). */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

/** HTTP 429 / tenant throttling. `retryAfterMs` comes from the `Retry-After` header when the server sent one. */
export class ThrottledError extends TransientError {
  constructor(message = 'The service is throttling requests (429).', retryAfterMs?: number) {
    super(message, retryAfterMs);
    this.name = 'ThrottledError';
  }
}

/** Parses a `Retry-After` header value (seconds or an HTTP date) to milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(parseFloat(text) * 1000);
  const date = Date.parse(text);
  if (!Number.isNaN(date)) return Math.max(0, date - now);
  return undefined;
}
