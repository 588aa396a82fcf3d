// A small Azure Resource Manager client on @azure/core-rest-pipeline: bearer auth, JSON bodies, `nextLink`
// paging (followed as is, same origin only), 429 + Retry-After retries, and errors that say what to do.
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  HttpClient,
  Pipeline,
  PipelinePolicy,
} from '@azure/core-rest-pipeline';
import { parseRetryAfter, ThrottledError, TransientError } from '../../errors';
import { CancelledError, isUserError, UserError } from '../../errors';
import { echo } from '../../echo';
import { redactSecrets } from '../../secrets';
import { ListPage, parseArm } from './armSchemas';
import { silentLogger, type Logger } from '../../types';
import { isInsecureLoopback } from './config';

export interface ArmClientOptions {
  endpoint: string;
  credential: TokenCredential;
  scope: string;
  logger?: Logger;
  /** Per request; default 60 s. */
  timeoutMs?: number;
  /** Retries after 429 / 5xx / network failures; default 3. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the call fails with ThrottledError at once. Default 60 s. */
  maxRetryWaitMs?: number;
  /** Tests inject a client; default the SDK's Node client. */
  httpClient?: HttpClient;
  /** How errors name the target, e.g. the workspace name. */
  targetName?: string;
}

export interface ArmRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path below the endpoint (`/subscriptions/…`) or an absolute URL (a nextLink). */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Names the operation in errors, e.g. "list incidents". */
  what: string;
  /** The role a 403 asks for; default "Microsoft Sentinel Reader". */
  role?: string;
  /** Sent as If-Match: the server refuses the write (412) when the resource changed since. */
  ifMatch?: string;
}

/** An ARM call that failed with an HTTP status; `message` is written for the user. */
export class AzureRequestError extends Error {
  /** The service's own message from the error body, when it sent one. */
  readonly serverMessage?: string;

  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    options?: { cause?: unknown; serverMessage?: string },
  ) {
    super(message, options);
    this.serverMessage = options?.serverMessage;
    this.name = 'AzureRequestError';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Sets `Authorization: Bearer` from the credential over plain http (loopback test servers only). */
export function loopbackBearerPolicy(credential: TokenCredential, scopes: string[]): PipelinePolicy {
  return {
    name: 'swbLoopbackBearerPolicy',
    async sendRequest(request, next) {
      const token = await credential.getToken(scopes, { abortSignal: request.abortSignal });
      if (!token) throw new Error('No access token available.');
      request.headers.set('Authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}

/** The server's own error message from an ARM / Log Analytics error body, if any. */
export function serverMessage(body: string | undefined): { code?: string; message?: string } {
  if (!body) return {};
  try {
    const o = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (o && typeof o === 'object' && o.error && typeof o.error === 'object') {
      return {
        code: typeof o.error.code === 'string' ? echo(redactSecrets(o.error.code), 100) : undefined,
        message: typeof o.error.message === 'string' ? echo(redactSecrets(o.error.message), 1000) : undefined,
      };
    }
  } catch {
    // not JSON
  }
  return { message: bodyExcerpt(body) };
}

/** At most 300 characters of a server's raw answer, on one line, with tokens this process sent redacted. */
export function bodyExcerpt(body: string): string {
  return echo(redactSecrets(body).replace(/\s+/g, ' ').trim(), 300);
}

export class ArmClient {
  private readonly pipeline: Pipeline;
  private readonly http: HttpClient;
  private readonly logger: Logger;
  private readonly origin: string;

  constructor(private readonly options: ArmClientOptions) {
    this.logger = options.logger ?? silentLogger;
    this.origin = new URL(options.endpoint).origin;
    this.http = options.httpClient ?? createDefaultHttpClient();
    // Retries are ours (below) so a long Retry-After fails fast instead of stalling the UI.
    this.pipeline = createPipelineFromOptions({
      retryOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: 'sentinel-workbench' },
    });
    this.pipeline.addPolicy(
      isInsecureLoopback(options.endpoint)
        ? loopbackBearerPolicy(options.credential, [options.scope])
        : bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }),
      { phase: 'Sign' },
    );
  }

  private url(req: ArmRequest): string {
    if (/^https?:\/\//i.test(req.path)) {
      const u = new URL(req.path);
      // A nextLink is followed as is, but never to another host: the bearer token must not leave ARM.
      if (u.origin !== this.origin)
        throw new Error(`Refusing to follow a link to ${u.origin} (expected ${this.origin}).`);
      return u.toString();
    }
    const u = new URL(this.options.endpoint.replace(/\/+$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u.toString();
  }

  /** Sends one request (with retries) and returns the parsed JSON body (undefined for an empty body). */
  async request<T = unknown>(req: ArmRequest): Promise<T> {
    const url = this.url(req);
    const maxRetries = this.options.maxRetries ?? 3;
    const maxWait = this.options.maxRetryWaitMs ?? 60_000;
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    for (let attempt = 0; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError();
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      const onAbort = () => timeout.abort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      let status: number;
      let text: string | undefined;
      let retryAfter: string | undefined;
      try {
        const request = createPipelineRequest({
          url,
          method: req.method,
          headers: createHttpHeaders({
            accept: 'application/json',
            ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(req.ifMatch ? { 'if-match': req.ifMatch } : {}),
          }),
          body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
          abortSignal: timeout.signal,
          allowInsecureConnection: isInsecureLoopback(url),
        });
        const response = await this.pipeline.sendRequest(this.http, request);
        status = response.status;
        text = response.bodyAsText ?? undefined;
        retryAfter = response.headers.get('retry-after') ?? undefined;
        const retryAfterMs = response.headers.get('retry-after-ms') ?? response.headers.get('x-ms-retry-after-ms');
        if (retryAfterMs && !retryAfter) retryAfter = String(Number(retryAfterMs) / 1000);
      } catch (e) {
        if (req.signal?.aborted) throw new CancelledError();
        // The credential's own answer (not signed in, sign-in declined) is no network failure: said as it is, never retried.
        if (isUserError(e)) throw e;
        if (timeout.signal.aborted) {
          throw new TransientError(`Azure did not answer within ${Math.round(timeoutMs / 1000)} s (${req.what}).`);
        }
        if (attempt < maxRetries) {
          this.logger.warn(`${req.what}: ${(e as Error).message}; retrying`);
          await sleep(Math.min(8000, 500 * 2 ** attempt), req.signal);
          continue;
        }
        throw new TransientError(`Could not reach ${new URL(url).host} (${req.what}): ${(e as Error).message}`);
      } finally {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      }

      if (status >= 200 && status < 300) {
        if (!text) return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          // usually a proxy or a wrong endpoint setting answering with a page: say what came back
          throw new UserError(
            `Azure returned a response that is not JSON (${req.what}, HTTP ${status}): ${bodyExcerpt(text)}`,
            'NotJson',
          );
        }
      }
      const server = serverMessage(text);
      if (status === 429 || status === 503 || status >= 500) {
        const waitMs = parseRetryAfter(retryAfter) ?? (status === 429 ? undefined : Math.min(8000, 500 * 2 ** attempt));
        if (attempt < maxRetries && waitMs !== undefined && waitMs <= maxWait) {
          this.logger.warn(`${req.what}: HTTP ${status}; retrying in ${Math.ceil(waitMs / 1000)} s`);
          await sleep(waitMs, req.signal);
          continue;
        }
        if (status === 429 && attempt < maxRetries && waitMs === undefined) {
          await sleep(Math.min(8000, 1000 * 2 ** attempt), req.signal);
          continue;
        }
        if (status === 429) {
          const after = waitMs !== undefined ? ` Try again in ${Math.ceil(waitMs / 1000)} s.` : '';
          throw new ThrottledError(
            `Azure is throttling requests (429) for ${req.what}.${after}${server.message ? ` (${server.message})` : ''}`,
            waitMs,
          );
        }
        throw new TransientError(
          `Azure failed with HTTP ${status} (${req.what})${server.message ? `: ${server.message}` : ''}`,
          waitMs,
        );
      }
      throw this.statusError(status, server, req);
    }
  }

  private statusError(status: number, server: { code?: string; message?: string }, req: ArmRequest): AzureRequestError {
    const target = this.options.targetName ? ` on ${this.options.targetName}` : '';
    const detail = server.message ? ` (${server.code ? `${server.code}: ` : ''}${server.message})` : '';
    const o = { serverMessage: server.message };
    if (status === 401) {
      return new AzureRequestError(
        `Azure rejected the sign-in (401) for ${req.what}. Sign in again or check the tenant.${detail}`,
        status,
        server.code,
        o,
      );
    }
    if (status === 403) {
      return new AzureRequestError(
        `You need the ${req.role ?? 'Microsoft Sentinel Reader'} role${target} to ${req.what} (403).${detail}`,
        status,
        server.code,
        o,
      );
    }
    if (status === 404) {
      return new AzureRequestError(
        `Not found (404) when trying to ${req.what}${target}.${detail}`,
        status,
        server.code,
        o,
      );
    }
    return new AzureRequestError(`Azure answered HTTP ${status} to ${req.what}.${detail}`, status, server.code, o);
  }

  /** GETs a list and follows `nextLink`; `limit` stops early. */
  async list<T = unknown>(req: Omit<ArmRequest, 'method'>, limit = Infinity): Promise<T[]> {
    const out: T[] = [];
    const read = async (r: ArmRequest) => parseArm(ListPage, await this.request<unknown>(r), req.what);
    let page = await read({ ...req, method: 'GET' });
    for (;;) {
      out.push(...(page.value as T[]));
      if (!page.nextLink || out.length >= limit) break;
      page = await read({ ...req, method: 'GET', path: page.nextLink, query: undefined });
    }
    return out.slice(0, limit);
  }
}
