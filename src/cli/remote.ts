// What the subcommands share for the remote targets: opening the Azure backend for `--azure RESOURCE_ID`,
// the Defender XDR and Azure Data Explorer query targets, and turning a service's answer into one line on
// stderr with exit code 1 (bad input stays exit 2 through UserError).
import type { TokenCredential } from '@azure/core-auth';
import type { AzureBackend } from '../core/backends/azure/backend';
import { UserError } from '../core/errors';
import { redactSecrets } from '../core/secrets';
import { stderrLogger, type Logger } from '../core/types';
import type { CliIO } from './io';

/** Errors that are the service's answer (rights, throttling, timeouts, malformed answers), not a bug here. */
const SERVICE_ERRORS =
  /^(AzureRequestError|ThrottledError|TransientError|InvalidAnswerError|McpToolError|StreamableHTTPError|AnalysisExpiredError|AnalysisTimeoutError|ServiceQueryError)$/;

export function isServiceError(e: unknown): e is Error {
  return e instanceof Error && SERVICE_ERRORS.test(e.name);
}

/** Prints a service error as `error: …` (multi-line raw answers indented) and returns exit code 1. */
export function reportServiceError(e: Error, io: CliIO): number {
  const [first, ...rest] = redactSecrets(e.message).split('\n');
  io.stderr(`error: ${first}\n${rest.map((l) => `  ${l}\n`).join('')}`);
  return 1;
}

/** The CLI credential: SWB_ACCESS_TOKEN as is, else Azure CLI, then device code (prompt on stderr). */
export function cliCredentialFor(io: CliIO, logger: Logger, tenantId?: string): TokenCredential {
  const { cliCredential } =
    require('../core/backends/azure/credentials') as typeof import('../core/backends/azure/credentials');
  const env = tenantId ? { ...io.env, AZURE_TENANT_ID: tenantId } : io.env;
  return cliCredential(env, logger, (m) => io.stderr(`${m}\n`));
}

/** `--tenant ID` (else AZURE_TENANT_ID): an Entra tenant id or domain. */
export function tenantOf(values: Record<string, unknown>, io: CliIO): string | undefined {
  const t = (values.tenant as string | undefined)?.trim() || io.env.AZURE_TENANT_ID?.trim() || undefined;
  if (
    t !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t) &&
    !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(t)
  ) {
    throw new UserError(`--tenant must be an Entra tenant id (GUID) or domain, got '${t}'`);
  }
  return t;
}

/** The Azure backend for `--azure RESOURCE_ID` (Log Analytics, Sentinel ARM, Sentinel MCP). */
export function openAzureBackend(resourceId: string, io: CliIO, tenantId?: string): AzureBackend {
  const logger = stderrLogger('warn');
  // Loaded only for --azure: the Azure SDKs stay out of lake runs.
  const { AzureBackend } = require('../core/backends/azure/backend') as typeof import('../core/backends/azure/backend');
  const { endpointsFromEnv } =
    require('../core/backends/azure/config') as typeof import('../core/backends/azure/config');
  return new AzureBackend({
    workspaceResourceId: resourceId,
    endpoints: endpointsFromEnv(io.env),
    credential: cliCredentialFor(io, logger, tenantId),
    apiVersion: io.env.SWB_API_VERSION,
    tenantId,
    logger,
  });
}

/** An AbortSignal for Ctrl+C while `fn` runs. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  try {
    return await fn(ac.signal);
  } finally {
    process.removeListener('SIGINT', onSig);
  }
}
