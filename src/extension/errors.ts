// Errors surface through one wrapper: cancellation is silent; anything else is logged with detail
// and shown briefly with a "Show Log" action. The core never shows UI.
import * as vscode from 'vscode';
import { isCancellation, isUserError } from '../core/errors';

let log: vscode.LogOutputChannel | undefined;

export function setErrorLog(channel: vscode.LogOutputChannel): void {
  log = channel;
}

export async function reportError(error: unknown, context: string): Promise<void> {
  if (isCancellation(error) || error instanceof vscode.CancellationError) return;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && !isUserError(error)) log?.error(`${context}: ${error.stack ?? message}`);
  else log?.warn(`${context}: ${message}`);
  const choice = await vscode.window.showErrorMessage(`${context}: ${message}`, 'Show Log');
  if (choice === 'Show Log') log?.show(true);
}

/** Wraps a command handler so failures reach the user once, through reportError. */
export function guarded<A extends unknown[]>(
  context: string,
  handler: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await handler(...args);
    } catch (e) {
      await reportError(e, context);
    }
  };
}

/** Converts a VS Code cancellation token to the core's AbortSignal. */
export function toAbortSignal(token: vscode.CancellationToken | undefined): AbortSignal {
  const controller = new AbortController();
  if (token?.isCancellationRequested) controller.abort();
  token?.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
