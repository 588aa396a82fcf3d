// Command-line flags for every entry point (the swb CLI and the child-process servers).
import { parseArgs } from 'node:util';
import { UserError } from './errors';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Parses `--flag value` / `--flag=value` / booleans with node's util.parseArgs, turning its errors into UserErrors. */
export function parseFlags<T extends FlagSpec>(
  argv: string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UserError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}
