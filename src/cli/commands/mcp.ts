// `swb mcp [--lake DIR]`: runs the local MCP server on stdio (the same server as dist/mcp-server.js).
import * as path from 'path';
import { UserError } from '../../core/errors';
import { stderrLogger } from '../../core/types';
import { CliIO, parseFlags } from '../io';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, { lake: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout('usage: swb mcp [--lake DIR]   (MCP over stdin/stdout; logs on stderr)\n');
    return 0;
  }
  if (positionals.length) throw new UserError(`unexpected argument '${positionals[0]}' (usage: swb mcp [--lake DIR])`);
  const { runStdioServer } = require('../../core/mcp/localServices') as typeof import('../../core/mcp/localServices');
  const logger = stderrLogger(values.verbose ? 'debug' : 'info');
  await runStdioServer(values.lake ? path.resolve(io.cwd, String(values.lake)) : undefined, { logger, env: io.env });
  return 0;
}
