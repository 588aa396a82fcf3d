// Entry point of the local MCP server child process: `node dist/mcp-server.js [--lake DIR] [--query-timeout S] …`.
// stdout belongs to the MCP protocol; logs go to stderr only.
import { parseFlags } from '../core/flags';
import { UserError } from '../core/errors';
import { stderrLogger } from '../core/types';
import { budgetFlags, MCP_USAGE, QUERY_BUDGET_FLAGS, runStdioServer } from '../core/mcp/localServices';

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(process.argv.slice(2), {
    lake: { type: 'string' },
    verbose: { type: 'boolean' },
    ...QUERY_BUDGET_FLAGS,
  });
  if (positionals.length)
    throw new UserError(`unexpected argument '${positionals[0]}' (usage: mcp-server ${MCP_USAGE})`);
  const logger = stderrLogger(values.verbose || process.env.SWB_LOG_LEVEL === 'debug' ? 'debug' : 'info');
  await runStdioServer(values.lake as string | undefined, {
    logger,
    version: process.env.SWB_VERSION,
    budgets: budgetFlags(values),
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(
      e instanceof UserError
        ? `${e.format()}\n`
        : `[error] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(e instanceof UserError ? 2 : 1);
  },
);
