// `swb mcp [--lake DIR] [--query-timeout SECONDS] [--query-memory MB] [--query-workers N]`: runs the local MCP
// server on stdio (the same server as dist/mcp-server.js).
import * as path from 'path';
import { UserError } from '../../core/errors';
import { stderrLogger } from '../../core/types';
import { budgetFlags, MCP_USAGE, QUERY_BUDGET_FLAGS } from '../../core/mcp/localServices';
import { CliIO, parseFlags } from '../io';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    lake: { type: 'string' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...QUERY_BUDGET_FLAGS,
  });
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
  await runStdioServer(values.lake ? path.resolve(io.cwd, String(values.lake)) : undefined, {
    logger,
    env: io.env,
    budgets: budgetFlags(values),
  });
  return 0;
}
