// Shared by the reliability suites: the built MCP server over stdio, a CLI run with captured output, temp folders.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'mcp-server.js');

const made: string[] = [];
process.once('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `swb-rel-${prefix}-`));
  made.push(d);
  return d;
}

export interface ServerHandle {
  client: Client;
  stderr: string[];
  call(name: string, args?: Record<string, unknown>): Promise<{ ms: number; result: CallToolResult }>;
  close(): Promise<void>;
}

/** Starts dist/mcp-server.js (built by the test runner) on a lake, with extra flags. */
export async function startServer(
  lake: string,
  flags: string[],
  env: Record<string, string> = {},
): Promise<ServerHandle> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run node esbuild.js first`);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SERVER, '--lake', lake, ...flags],
    env: { ...(process.env as Record<string, string>), SWB_ANALYSIS_STORE: tempDir('store'), ...env },
    stderr: 'pipe',
  });
  const stderr: string[] = [];
  transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
  const client = new Client({ name: 'reliability', version: '1' });
  await client.connect(transport);
  return {
    client,
    stderr,
    async call(name, args = {}) {
      const t0 = Date.now();
      const result = (await client.callTool({ name, arguments: args }, undefined, {
        timeout: 110_000,
      })) as CallToolResult;
      return { ms: Date.now() - t0, result };
    },
    close: () => client.close(),
  };
}

export function text(r: CallToolResult): string {
  const c = r.content?.[0];
  return c && c.type === 'text' ? c.text : '';
}

/** Runs `swb …` in this process with captured stdout/stderr. */
export async function swb(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env, cwd };
  const code = await main(args, io);
  return { code, ...out };
}

/** One line, no stack trace: what a user must see for bad input. */
export function assertOneLineError(stderr: string): void {
  const lines = stderr.trim().split('\n');
  if (lines.length !== 1)
    throw new Error(`expected one line on stderr, got ${lines.length}:\n${stderr.slice(0, 2000)}`);
  if (/\n\s+at /.test(stderr) || /internal error/.test(stderr))
    throw new Error(`stack trace or internal error on stderr:\n${stderr.slice(0, 2000)}`);
}
