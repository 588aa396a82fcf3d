// Shared by the in-host suites: the workspace folder, waiting for the extension and for conditions.
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'sentinel-workbench.sentinel-workbench';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the in-host tests need the sample folder open as the workspace');
  return folder.uri.fsPath;
}

export function workspaceFile(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), ...parts));
}

export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  await ext.activate();
  return ext;
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves with `work`, or with undefined after `ms` (a hook must not hang on a command that waits for a dialog). */
async function bounded<T>(work: Thenable<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * Closes every editor without a save prompt: untitled documents the suites made are reverted first, so closing
 * them asks nothing. Each step is bounded, so a stuck editor cannot hang the suite's hooks.
 */
export async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 50 && vscode.window.activeTextEditor; i++) {
    const before = vscode.window.activeTextEditor;
    await bounded(vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'), 5000);
    if (vscode.window.activeTextEditor === before) break;
  }
  await bounded(vscode.commands.executeCommand('workbench.action.closeAllEditors'), 5000);
}
