// Azure Data Explorer (Kusto) through the official client, azure-kusto-data (loaded lazily; it lives in the
// Azure bundle). The client signs and sends; we ask it for the raw v2 frames so a partial failure keeps its
// rows (the client's own parser throws them away) and every frame is checked against the documented shapes
// (Kusto "Query V2 HTTP response": DataSetHeader, DataTable {TableKind, Columns, Rows}, DataSetCompletion
// {HasErrors, OneApiErrors}; rows may carry in-band errors as OneApiErrors objects).
import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { ThrottledError, TransientError } from '../../errors';
import { CancelledError, KqlError, UserError } from '../../errors';
import { InvalidAnswerError, parseAnswer } from '../answers';
import type { KqlType, Logger, QueryResult, ResultColumn } from '../../types';
import { KQL_TYPES, silentLogger } from '../../types';
import { AzureRequestError } from '../azure/arm';
import { checkEndpoint } from '../azure/config';
import { positionOf } from '../azure/logs';

export interface KustoTargetRef {
  /** https://CLUSTER (no path). */
  clusterUrl: string;
  database: string;
}

/** `https://CLUSTER/DATABASE` → cluster and database; plain http only for loopback hosts. */
export function parseKustoTarget(value: string): KustoTargetRef {
  const url = new URL(checkEndpoint(value.trim(), 'Kusto cluster URL'));
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts.length !== 1)
    throw new UserError(`'${value}' should be https://CLUSTER/DATABASE (one database name after the cluster)`);
  return { clusterUrl: url.origin, database: decodeURIComponent(parts[0]) };
}

const Column = z.object({ ColumnName: z.string(), ColumnType: z.string() }).passthrough();
const Frame = z.object({ FrameType: z.string() }).passthrough();
const DataTable = z
  .object({
    FrameType: z.literal('DataTable'),
    TableKind: z.string(),
    TableName: z.string().optional(),
    Columns: z.array(Column),
    Rows: z.array(z.union([z.array(z.unknown()), z.record(z.unknown())])),
  })
  .passthrough();
const Completion = z
  .object({
    FrameType: z.literal('DataSetCompletion'),
    HasErrors: z.boolean(),
    Cancelled: z.boolean().optional(),
    OneApiErrors: z
      .array(
        z
          .object({
            error: z.object({ '@message': z.string().optional(), message: z.string().optional() }).passthrough(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();
const V1Answer = z
  .object({
    Tables: z
      .array(
        z.object({
          TableName: z.string().optional(),
          Columns: z.array(z.object({ ColumnName: z.string() }).passthrough()),
          Rows: z.array(z.array(z.unknown())),
        }),
      )
      .min(1),
  })
  .passthrough();

function kqlType(t: string): KqlType {
  const v = t.toLowerCase();
  if (v === 'boolean') return 'bool';
  if (v === 'double' || v === 'float') return 'real';
  if (v === 'date') return 'datetime';
  return (KQL_TYPES as readonly string[]).includes(v) ? (v as KqlType) : 'dynamic';
}

export interface AdxOptions {
  target: KustoTargetRef;
  credential: TokenCredential;
  logger?: Logger;
  /** Server-side limit for a query (servertimeout); default 4 minutes, as the service's own default. */
  serverTimeoutMs?: number;
  /** For tests: how the client is made (default azure-kusto-data). */
  scope?: string;
}

export interface AdxQueryOptions {
  maxRows?: number;
  signal?: AbortSignal;
}

type KustoModule = typeof import('azure-kusto-data');

export class AdxDatabase {
  readonly kind = 'kusto' as const;
  readonly label: string;
  private readonly logger: Logger;

  constructor(private readonly options: AdxOptions) {
    this.logger = options.logger ?? silentLogger;
    this.label = `${options.target.database} on ${new URL(options.target.clusterUrl).host}`;
  }

  private async client(kusto: KustoModule) {
    const { clusterUrl } = this.options.target;
    const scope = this.options.scope ?? `${clusterUrl}/.default`;
    const kcsb = kusto.KustoConnectionStringBuilder.withTokenProvider(clusterUrl, async () => {
      const token = await this.options.credential.getToken(scope);
      if (!token) throw new Error('No access token for Azure Data Explorer.');
      return token.token;
    });
    return new kusto.Client(kcsb);
  }

  /** Runs one request with cancel and the server timeout; returns the raw answer of the service. */
  private async send(kind: 'query' | 'mgmt', text: string, signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) throw new CancelledError();
    // require, not import(): the package is ESM-only, and Node 20 loads it synchronously (require(esm)); a native
    // import() here would route later extensionless dynamic imports of the test runner through the ESM loader.
    const kusto = require('azure-kusto-data') as KustoModule;
    const client = await this.client(kusto);
    const props = new kusto.ClientRequestProperties();
    props.raw = true;
    props.setTimeout(this.options.serverTimeoutMs ?? 240_000);
    props.application = 'sentinel-workbench';
    const onAbort = () => client.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const db = this.options.target.database;
      return kind === 'query' ? await client.executeQuery(db, text, props) : await client.executeMgmt(db, text, props);
    } catch (e) {
      if (signal?.aborted) throw new CancelledError();
      throw this.explain(e);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      client.close();
    }
  }

  async runQuery(query: string, o: AdxQueryOptions = {}): Promise<QueryResult> {
    if (!query.trim()) throw new UserError('the query is empty');
    const started = Date.now();
    const raw = await this.send('query', query, o.signal);
    const what = `Azure Data Explorer (${this.label})`;
    const rawText = () => JSON.stringify(raw) ?? '';
    const frames = parseAnswer(z.array(Frame), raw, what, rawText());
    const primary = frames.find((f) => f.FrameType === 'DataTable' && f.TableKind === 'PrimaryResult');
    if (!primary) throw new InvalidAnswerError(what, 'no PrimaryResult table', rawText());
    const table = parseAnswer(DataTable, primary, what, rawText());
    const columns: ResultColumn[] = table.Columns.map((c) => ({ name: c.ColumnName, type: kqlType(c.ColumnType) }));
    const warnings: string[] = [];
    // In-band errors: a row that is an object (OneApiErrors) instead of an array ends the table early.
    let rows = table.Rows.filter((r): r is unknown[] => {
      if (Array.isArray(r)) return true;
      warnings.push(`Partial result: ${messageOf(r)}`);
      return false;
    });
    const completion = frames.find((f) => f.FrameType === 'DataSetCompletion');
    if (completion) {
      const c = parseAnswer(Completion, completion, what, rawText());
      if (c.HasErrors) {
        for (const err of c.OneApiErrors ?? [])
          warnings.push(`Partial result: ${err.error['@message'] ?? err.error.message ?? 'part of the query failed'}`);
        if (!c.OneApiErrors?.length)
          warnings.push('Partial result: the service reports errors — the rows shown may be incomplete.');
      }
      if (c.Cancelled)
        warnings.push('The service cancelled the query before it finished; the rows shown may be incomplete.');
    } else {
      warnings.push('The answer ended without its completion frame; the rows shown may be incomplete.');
    }
    const total = rows.length;
    const truncated = o.maxRows !== undefined && rows.length > o.maxRows;
    if (truncated) rows = rows.slice(0, o.maxRows);
    for (const w of warnings) this.logger.warn(w);
    const result: QueryResult = {
      columns,
      rows: rows.map((r) => r.map((v) => (v === undefined ? null : v))),
      stats: {
        rowsScanned: total,
        rowsReturned: rows.length,
        elapsedMs: Date.now() - started,
        truncated,
        backend: `Azure Data Explorer: ${this.label}`,
      },
    };
    if (warnings.length) result.warnings = [...new Set(warnings)];
    return result;
  }

  /** Tables and columns for the language server, from `.show database schema as json`. */
  async schema(signal?: AbortSignal): Promise<Record<string, Record<string, KqlType>>> {
    const raw = await this.send('mgmt', '.show database schema as json', signal);
    const what = `Azure Data Explorer schema (${this.label})`;
    const answer = parseAnswer(V1Answer, raw, what, JSON.stringify(raw) ?? '');
    const cell = answer.Tables[0].Rows[0]?.[0];
    if (typeof cell !== 'string')
      throw new InvalidAnswerError(what, 'no schema document in the first cell', JSON.stringify(raw));
    const Doc = z
      .object({
        Databases: z.record(
          z
            .object({
              Tables: z
                .record(
                  z
                    .object({
                      OrderedColumns: z.array(z.object({ Name: z.string(), CslType: z.string() }).passthrough()),
                    })
                    .passthrough(),
                )
                .optional(),
            })
            .passthrough(),
        ),
      })
      .passthrough();
    let parsed: unknown;
    try {
      parsed = JSON.parse(cell);
    } catch {
      throw new InvalidAnswerError(what, 'the schema document is not JSON', cell);
    }
    const doc = parseAnswer(Doc, parsed, what, cell);
    const db = doc.Databases[this.options.target.database] ?? Object.values(doc.Databases)[0];
    const out: Record<string, Record<string, KqlType>> = {};
    for (const [table, t] of Object.entries(db?.Tables ?? {})) {
      out[table] = Object.fromEntries(t.OrderedColumns.map((c) => [c.Name, kqlType(c.CslType)]));
    }
    return out;
  }

  private explain(e: unknown): unknown {
    const err = e as {
      name?: string;
      message?: string;
      response?: { status?: number; data?: unknown; headers?: Record<string, string> };
      code?: string;
    };
    if (err?.name === 'ThrottlingError' || err?.response?.status === 429) {
      return new ThrottledError(
        `Azure Data Explorer is throttling requests (429) on ${this.label}. Try again shortly.`,
      );
    }
    const status = err?.response?.status;
    const body = err?.response?.data as
      { error?: { code?: string; message?: string; '@message'?: string } } | undefined;
    const message = body?.error?.['@message'] ?? body?.error?.message ?? err?.message ?? String(e);
    if (status === 400)
      return new KqlError(`Azure Data Explorer rejected the query: ${message}`, positionOf({ message }), 'KqlSemantic');
    if (status === 401)
      return new AzureRequestError(
        `Azure Data Explorer rejected the sign-in (401) on ${this.label}. Sign in again or check the tenant.`,
        401,
      );
    if (status === 403) {
      return new AzureRequestError(
        `You need the Viewer role (or higher) on database ${this.options.target.database} of ${new URL(this.options.target.clusterUrl).host} to run queries (403). (${message})`,
        403,
      );
    }
    if (status !== undefined && status >= 500)
      return new TransientError(`Azure Data Explorer failed with HTTP ${status}: ${message}`);
    if (err?.code === 'ECONNABORTED' || /timeout/i.test(err?.message ?? ''))
      return new TransientError(`Azure Data Explorer did not answer in time (${this.label}).`);
    if (/^Failed to get cloud info for cluster/.test(err?.message ?? '')) {
      return new TransientError(
        `Could not reach ${new URL(this.options.target.clusterUrl).host}: ${(err.message ?? '').replace(/^.* - /, '')}`,
      );
    }
    if (err?.code === 'ECONNREFUSED' || err?.code === 'ENOTFOUND')
      return new TransientError(`Could not reach ${new URL(this.options.target.clusterUrl).host}: ${err.message}`);
    return e;
  }

  dispose(): void {
    // Each request opens and closes its own client.
  }
}

function messageOf(r: Record<string, unknown>): string {
  const errors = (r as { OneApiErrors?: { error?: { '@message'?: string; message?: string } }[] }).OneApiErrors;
  return errors?.[0]?.error?.['@message'] ?? errors?.[0]?.error?.message ?? 'an error inside the result';
}
