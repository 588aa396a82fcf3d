// `swb lake generate --out DIR [--force] [--seed N] [--users N] [--days N] [--now ISO]`: writes the demo tenant.
// A folder that already holds a lake is refused unless --force; with it, analysts' comments are kept.
import * as fs from 'fs';
import * as path from 'path';
import { echo } from '../../core/echo';
import { UserError } from '../../core/errors';
import { generateDemoLake } from '../../core/lake/generate';
import { holdsLake, regenerateDemoLake } from '../../core/lake/regenerate';
import { CliIO, parseFlags } from '../io';

function intFlag(name: string, value: string | boolean | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new UserError(`--${name} must be a whole number (got '${text}')`);
  return Number(text);
}

const USAGE = 'usage: swb lake generate --out DIR [--force] [--seed N] [--users N] [--days N] [--now ISO]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    out: { type: 'string', short: 'o' },
    seed: { type: 'string' },
    users: { type: 'string' },
    days: { type: 'string' },
    now: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (positionals.length) throw new UserError(`unexpected argument '${echo(positionals[0], 60)}' (${USAGE})`);
  if (typeof values.out !== 'string' || !values.out) throw new UserError(`missing --out DIR (${USAGE})`);
  const out = path.resolve(io.cwd, values.out);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(out, { throwIfNoEntry: false });
  } catch (e) {
    throw new UserError(
      `cannot use --out ${echo(values.out, 200)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (st && !st.isDirectory()) throw new UserError(`--out ${echo(values.out, 200)} is a file, not a folder`);
  const existing = st !== undefined && holdsLake(out);
  if (existing && !values.force) {
    throw new UserError(
      `${echo(values.out, 200)} already holds a lake; pass --force to generate the demo tenant over it ` +
        '(comments in IncidentComments.jsonl are kept, other tables are left as they are)',
    );
  }
  const options = {
    out,
    seed: intFlag('seed', values.seed),
    users: intFlag('users', values.users),
    days: intFlag('days', values.days),
    now: typeof values.now === 'string' ? values.now : undefined,
  };
  let summary;
  try {
    summary = existing ? await regenerateDemoLake(options) : { ...(await generateDemoLake(options)), keptComments: 0 };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && ['EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EROFS', 'ENOSPC', 'EEXIST'].includes(code)) {
      throw new UserError(`cannot write the demo lake to ${echo(values.out, 200)}: ${(e as Error).message}`);
    }
    throw e;
  }
  const width = Math.max(...summary.tables.map((t) => t.name.length));
  const lines = [
    `Generated the demo lake in ${summary.dir}`,
    `  seed ${summary.seed}, ${summary.users} users (+1 on-premises only), ${summary.days} days up to ${summary.now}`,
    ...summary.tables.map((t) => `  ${t.name.padEnd(width)}  ${String(t.rows).padStart(9)} rows`),
    `  ${'total'.padEnd(width)}  ${String(summary.totalRows).padStart(9)} rows in ${summary.elapsedMs} ms`,
  ];
  if (summary.keptComments)
    lines.push(
      `  kept ${summary.keptComments} analyst comment${summary.keptComments === 1 ? '' : 's'} from the previous IncidentComments.jsonl`,
    );
  io.stdout(lines.join('\n') + '\n');
  return 0;
}
