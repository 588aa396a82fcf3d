// `swb`: the workbench core for scripts and CI. Exit 2 = bad input (one line on stderr), 1 = internal failure.
import { UserError } from '../core/errors';
import { redactSecrets } from '../core/secrets';
import { CliIO, processIO, Subcommand } from './io';

const USAGE = `Sentinel Workbench CLI

Usage:
  swb query   [--lake DIR] [--now ISO] [--format json|table|csv] (-e QUERY | FILE)
  swb analyze [--lake DIR] [--now ISO] [--days N] [--format json|text] (user UPN-OR-OBJECTID | url URL)
  swb lake generate --out DIR [--seed N] [--users N] [--days N]
  swb lake info [--lake DIR] [--format json|text]
  swb lake cache info|clear
  swb audit rules [--format json|text|csv] [--naming REGEX] PATH...
  swb incidents [--lake DIR | --azure RESOURCE_ID] [--status S] [--severity S] [--owner X] [--text X]
                [--top N] [--page-token T] [--id ID] [--format json|table]
  swb mcp [--lake DIR]
  swb test [PATH...] [--format text|json|junit] [--changed-since GITREF] [--filter TEXT] [--lint]
  swb query   --azure RESOURCE_ID [--tenant ID] (-e QUERY | FILE)     Log Analytics
  swb analyze --azure RESOURCE_ID [--tenant ID] (user ID | url URL)   Sentinel Entity Analyzer

Without --lake, commands use the demo lake (generated on first use). --azure takes a workspace resource id
(/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}) and signs in
with SWB_ACCESS_TOKEN, else the Azure CLI, else a device code. Every command answers --help.
Exit codes: 0 ok, 2 bad input (bad KQL, entity, window), 1 internal error or a failed service call.
`;

/** Subcommands load lazily so `swb --help` stays instant and each pulls only what it needs. */
const subcommands: Record<string, () => Subcommand> = {
  query: () => require('./commands/query').run,
  analyze: () => require('./commands/analyze').run,
  lake: () => require('./commands/lake').run,
  audit: () => require('./commands/audit').run,
  incidents: () => require('./commands/incidents').run,
  mcp: () => require('./commands/mcp').run,
  test: () => require('./commands/test').run,
};

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(`${require('../../package.json').version}\n`);
    return 0;
  }
  const load = subcommands[name];
  if (!load) {
    io.stderr(`error: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    return await load()(rest, io);
  } catch (e) {
    // Messages may quote what a server answered: never with a token this process sent.
    if (e instanceof UserError) {
      io.stderr(redactSecrets(e.format()) + '\n');
      return 2;
    }
    io.stderr(redactSecrets(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`) + '\n');
    return 1;
  }
}

/** Runs `swb` with these arguments and sets the process exit code. */
export function runMain(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`internal error: ${e}\n`);
      process.exitCode = 1;
    },
  );
}

// (a start-up snapshot, which bundles this file, has no `module`)
if (typeof module !== 'undefined' && require.main === module) runMain(process.argv.slice(2));
