// `swb mcp [--lake DIR] [--query-timeout SECONDS] [--query-memory MB] [--query-workers N]`: runs the local MCP
// server on stdio (the same server as dist/mcp-server.js).
import * as path from 'path';
import { UserError } from '../../core/errors';
import { stderrLogger } from '../../core/types';
import { CliIO, parseFlags } from '../io';

export const MCP_USAGE = '[--lake DIR] [--query-timeout SECONDS] [--query-memory MB] [--query-workers N]';

/** Budget flags shared by `swb mcp` and dist/mcp-server.js (defaults: 120 s, 2048 MB, 2 workers). */
export const QUERY_BUDGET_FLAGS = {
  'query-timeout': { type: 'string' },
  'query-memory': { type: 'string' },
  'query-workers': { type: 'string' },
} as const;

export function budgetFlags(values: Record<string, unknown>): { timeoutSeconds?: string; memoryMb?: string; workers?: string } {
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { timeoutSeconds: s(values['query-timeout']), memoryMb: s(values['query-memory']), workers: s(values['query-workers']) };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, { lake: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...QUERY_BUDGET_FLAGS });
  if (values.help) {
    io.stdout(
      `usage: swb mcp ${MCP_USAGE}   (MCP over stdin/stdout; logs on stderr)\n` +
        '  --query-timeout  time budget of one query in seconds (default 120; env SWB_QUERY_TIMEOUT_SECONDS)\n' +
        '  --query-memory   memory budget of one query worker in MB (default 2048; env SWB_QUERY_MEMORY_MB)\n' +
        '  --query-workers  most queries running at once, one worker thread each (default 2; env SWB_QUERY_WORKERS)\n',
    );
    return 0;
  }
  if (positionals.length) throw new UserError(`unexpected argument '${positionals[0]}' (usage: swb mcp ${MCP_USAGE})`);
  const { runStdioServer } = require('../../core/mcp/localServices') as typeof import('../../core/mcp/localServices');
  const logger = stderrLogger(values.verbose ? 'debug' : 'info');
  await runStdioServer(values.lake ? path.resolve(io.cwd, String(values.lake)) : undefined, { logger, env: io.env, budgets: budgetFlags(values) });
  return 0;
}
