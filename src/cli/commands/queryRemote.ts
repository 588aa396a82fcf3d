// `swb query` on a remote target: Log Analytics (--azure), Defender XDR advanced hunting (--defender),
// Azure Data Explorer (--kusto). Same output contract as the lake; bad KQL is exit 2 with FILE:LINE:COL.
import { UserError } from '../../core/errors';
import { stderrLogger, type QueryResult } from '../../core/types';
import type { CliIO } from '../io';
import {
  cliCredentialFor,
  isServiceError,
  openAzureBackend,
  reportServiceError,
  tenantOf,
  withInterrupt,
} from '../remote';
import { printResult } from './query';

export type RemoteTarget =
  { kind: 'azure'; resourceId: string } | { kind: 'defender' } | { kind: 'kusto'; url: string };

interface QueryRunner {
  runQuery(
    query: string,
    o: { maxRows?: number; timeRange?: { start: Date; end: Date }; signal?: AbortSignal },
  ): Promise<QueryResult>;
  dispose(): void | Promise<void>;
}

function openTarget(target: RemoteTarget, io: CliIO, tenant: string | undefined): QueryRunner {
  if (target.kind === 'azure') return openAzureBackend(target.resourceId, io, tenant);
  const logger = stderrLogger('warn');
  if (target.kind === 'kusto') {
    const { AdxDatabase, parseKustoTarget } =
      require('../../core/backends/kusto/adx') as typeof import('../../core/backends/kusto/adx');
    return new AdxDatabase({
      target: parseKustoTarget(target.url),
      credential: cliCredentialFor(io, logger, tenant),
      logger,
    });
  }
  const { DefenderHunting } =
    require('../../core/backends/defender/hunting') as typeof import('../../core/backends/defender/hunting');
  return new DefenderHunting({
    credential: cliCredentialFor(io, logger, tenant),
    endpoint: io.env.SWB_GRAPH_ENDPOINT,
    scope: io.env.SWB_GRAPH_SCOPE,
    logger,
  });
}

export interface RemoteQueryOptions {
  format: string;
  maxRows?: number;
  values: Record<string, unknown>;
}

/** `--timespan P7D` → a time range ending now (Log Analytics applies it on top of the query's own filters). */
function timeRangeOf(value: unknown): { start: Date; end: Date } | undefined {
  if (value === undefined) return undefined;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(String(value));
  if (!m || String(value) === 'P' || String(value) === 'PT')
    throw new UserError(`--timespan must be an ISO-8601 duration such as P7D or PT12H, got '${value}'`);
  const ms = ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000;
  if (ms <= 0) throw new UserError('--timespan must be longer than zero');
  const end = new Date();
  return { start: new Date(end.getTime() - ms), end };
}

export async function runRemoteQuery(
  target: RemoteTarget,
  query: string,
  file: string,
  o: RemoteQueryOptions,
  io: CliIO,
): Promise<number> {
  const tenant = tenantOf(o.values, io);
  const timeRange = timeRangeOf(o.values.timespan);
  if (timeRange && target.kind === 'kusto')
    throw new UserError('--timespan is not used by Azure Data Explorer: filter on time in the query');
  const backend = openTarget(target, io, tenant);
  let result: QueryResult;
  try {
    result = await withInterrupt((signal) => backend.runQuery(query, { maxRows: o.maxRows, timeRange, signal }));
  } catch (e) {
    if (e instanceof UserError) {
      io.stderr(e.format(file) + '\n');
      return 2;
    }
    if (isServiceError(e)) return reportServiceError(e, io);
    throw e;
  } finally {
    await backend.dispose();
  }
  printResult(result, o.format, io);
  return 0;
}
