// What a CLI subcommand needs from the process; tests pass their own.
import { UserError } from '../core/errors';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
};

/** A subcommand: parses its own arguments, returns the exit code. */
export type Subcommand = (argv: string[], io: CliIO) => Promise<number>;

/** Parses `--flag value` / `--flag=value` / booleans with node's util.parseArgs, turning its errors into UserErrors. */
export function parseFlags<T extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>>(
  argv: string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { parseArgs } = require('node:util') as typeof import('node:util');
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UserError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}
