// `swb lake generate|info|cache`: the demo tenant generator, the lake inspector and the snapshot cache.
import { UserError } from '../../core/errors';
import type { CliIO, Subcommand } from '../io';

const USAGE =
  'usage: swb lake generate --out DIR [--seed N] [--users N] [--days N] | swb lake info [--lake DIR] | swb lake cache info|clear';

const SUB_USAGE: Record<string, string> = {
  generate:
    'usage: swb lake generate --out DIR [--seed N] [--users N] [--days N] [--now ISO]\n  Writes the deterministic demo tenant (same seed, same lake).',
  info: 'usage: swb lake info [--lake DIR] [--format json|text]\n  Tables, row counts, time ranges and skipped rows of a lake.',
};

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub && SUB_USAGE[sub] && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout(SUB_USAGE[sub] + '\n');
    return 0;
  }
  let command: Subcommand;
  switch (sub) {
    case 'generate':
      command = require('./lakeGenerate').run;
      break;
    case 'info':
      try {
        command = require('./lakeInfo').run;
      } catch {
        throw new UserError('swb lake info is not available in this build');
      }
      break;
    case 'cache':
      command = require('./lakeCache').run;
      break;
    case undefined:
    case '--help':
    case '-h':
      io.stdout(USAGE + '\n');
      return sub ? 0 : 2;
    default:
      throw new UserError(`unknown lake command '${sub}' (${USAGE})`);
  }
  return command(rest, io);
}
