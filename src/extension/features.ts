// What a feature module receives from activate(): the shared services and a way to register commands.
import * as vscode from 'vscode';
import type { Logger } from '../core/types';
import type { CommandId } from './commandIds';
import { guarded } from './errors';
import type { BackendManager } from './backendManager';

export interface FeatureContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** The log as the core's Logger. */
  readonly logger: Logger;
  /** The active backend (local lake through the MCP child process, or Azure). */
  readonly backends: BackendManager;
}

/** Registers one command through the shared error wrapper; `title` names the action in error messages. */
export function registerCommand(
  ctx: FeatureContext,
  id: CommandId,
  title: string,
  // Command arguments come from VS Code untyped (tree nodes, URIs, palette); each handler narrows its own.
  handler: (...args: never[]) => unknown,
): void {
  ctx.extension.subscriptions.push(vscode.commands.registerCommand(id, guarded(title, handler)));
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
