// What a CLI subcommand needs from the process; tests pass their own.
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

export { parseFlags } from '../core/flags';
