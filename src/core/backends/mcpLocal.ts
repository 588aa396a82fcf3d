// CONTRACT STUB — the local MCP server work replaces the body; the exported names and signatures are fixed.
// The extension's local backend: every call goes to the local MCP server child process over stdio
// (query_lake, ListIncidents, GetIncidentById, analyze_*, get_entity_analysis, …), so the Kusto
// parser and the engine never load in the extension host. A dead child is restarted on the next call.
import type { Logger } from '../types';
import type { SentinelBackend } from './types';

export interface McpLocalBackendOptions {
  /** Node executable to run the server with (the extension host's process.execPath). */
  nodePath: string;
  /** Path of dist/mcp-server.js. */
  serverPath: string;
  /** Lake folder; undefined = the demo lake (generated if missing). */
  lakeDir?: string;
  logger: Logger;
  env?: Record<string, string>;
}

export function createMcpLocalBackend(_options: McpLocalBackendOptions): SentinelBackend {
  throw new Error('createMcpLocalBackend: not implemented yet');
}
