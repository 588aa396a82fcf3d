// `swb lake generate --out DIR [--seed N] [--users N] [--days N] [--now ISO]`: writes the demo tenant.
import * as path from 'path';
import { UserError } from '../../core/errors';
import { generateDemoLake } from '../../core/lake/generate';
import { CliIO, parseFlags } from '../io';

function intFlag(name: string, value: string | boolean | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new UserError(`--${name} must be a whole number (got '${text}')`);
  return Number(text);
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    out: { type: 'string', short: 'o' },
    seed: { type: 'string' },
    users: { type: 'string' },
    days: { type: 'string' },
    now: { type: 'string' },
  });
  if (positionals.length) throw new UserError(`unexpected argument '${positionals[0]}'`);
  if (typeof values.out !== 'string' || !values.out) throw new UserError('missing --out DIR (usage: swb lake generate --out DIR [--seed N] [--users N] [--days N])');
  const summary = await generateDemoLake({
    out: path.resolve(io.cwd, values.out),
    seed: intFlag('seed', values.seed),
    users: intFlag('users', values.users),
    days: intFlag('days', values.days),
    now: typeof values.now === 'string' ? values.now : undefined,
  });
  const width = Math.max(...summary.tables.map((t) => t.name.length));
  const lines = [
    `Generated the demo lake in ${summary.dir}`,
    `  seed ${summary.seed}, ${summary.users} users (+1 on-premises only), ${summary.days} days up to ${summary.now}`,
    ...summary.tables.map((t) => `  ${t.name.padEnd(width)}  ${String(t.rows).padStart(9)} rows`),
    `  ${'total'.padEnd(width)}  ${String(summary.totalRows).padStart(9)} rows in ${summary.elapsedMs} ms`,
  ];
  io.stdout(lines.join('\n') + '\n');
  return 0;
}
