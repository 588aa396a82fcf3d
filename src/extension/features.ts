// What a feature module receives from activate(): the shared services (commands register through command.ts).
import * as vscode from 'vscode';
import type { Logger } from '../core/types';
import type { BackendManager } from './backendManager';

export interface FeatureContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** The log as the core's Logger. */
  readonly logger: Logger;
  /** The active backend (local lake through the MCP child process, or Azure). */
  readonly backends: BackendManager;
}

export function loggerFromChannel(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m, ...a) => channel.trace(m, ...a),
    debug: (m, ...a) => channel.debug(m, ...a),
    info: (m, ...a) => channel.info(m, ...a),
    warn: (m, ...a) => channel.warn(m, ...a),
    error: (m, ...a) => channel.error(m, ...a),
  };
}
