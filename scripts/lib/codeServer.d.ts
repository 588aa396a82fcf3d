import type { ChildProcess } from 'child_process';

export const ROOT: string;
export const CACHE_DIR: string;
export const CODE_SERVER_VERSION: string;
export const VSIX: string;
export const QUIET_SETTINGS: Record<string, unknown>;
export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export function codeServerBin(): string | undefined;
export function ensureCodeServer(opts?: { chromium?: boolean }): string;
export function packageVsix(opts?: { force?: boolean; log?: (message: string) => void }): string;
export function freePort(): Promise<number>;
export function writeUserSettings(userDataDir: string, extra?: Record<string, unknown>): void;
export function installExtension(opts: {
  bin: string;
  vsix: string;
  userDataDir: string;
  extensionsDir: string;
}): string;
export interface RunningCodeServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}
export function startCodeServer(opts: {
  bin: string;
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  port?: number;
  env?: Record<string, string>;
  logFile?: string;
  timeoutMs?: number;
}): Promise<RunningCodeServer>;
export function stopGroup(child: ChildProcess): Promise<void>;
