// The query a Run / Baseline / Parameters command is about: `{ query }`, a CodeLens block, the editor selection,
// or the block under the cursor.
import * as path from 'path';
import * as vscode from 'vscode';
import { blockAtLine, splitQueryBlocks } from '../../../core/kql/blocks';
import { valueOf, type CommandArgument } from '../../command';
import type { BlockArgs } from '../codeLens';
import type { RunRequest } from '../runner';

/** Builds a run request from a command argument: `{ query }`, a CodeLens block, or the editor (selection or block under the cursor). */
export async function requestFrom(arg: CommandArgument): Promise<RunRequest | undefined> {
  const value = valueOf(arg);
  if (value && typeof value === 'object' && typeof (value as { query?: unknown }).query === 'string') {
    const { query, title } = value as { query: string; title?: string };
    return { query, title: title ?? 'Query' };
  }
  if (arg.kind === 'selection') {
    const { editor } = arg;
    return {
      query: arg.text,
      title: `${path.basename(editor.document.fileName)} (selection)`,
      source: { uri: editor.document.uri, startLine: editor.selection.start.line },
    };
  }
  const target = await blockFrom(value as BlockArgs | undefined);
  if (!target) return undefined;
  const { editor: e, block } = target;
  return {
    query: block.text,
    title: `${path.basename(e.document.fileName)}:${block.firstCodeLine + 1}`,
    source: { uri: e.document.uri, startLine: block.startLine, block: true },
  };
}

/** The query block of a CodeLens argument, else the one under the active editor's cursor; says so when there is none. */
export async function blockFrom(arg: BlockArgs | undefined) {
  let editor = vscode.window.activeTextEditor;
  let line = editor?.selection.active.line ?? 0;
  if (arg?.uri) {
    const uri = vscode.Uri.parse(arg.uri);
    editor =
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === arg.uri) ??
      (await vscode.window.showTextDocument(uri, { preserveFocus: true }));
    line = arg.line;
  }
  if (!editor) {
    void vscode.window.showInformationMessage('Open a .kql file and put the cursor in a query to run it.');
    return undefined;
  }
  const block = blockAtLine(splitQueryBlocks(editor.document.getText()), line);
  if (!block) {
    void vscode.window.showInformationMessage('There is no query here to run.');
    return undefined;
  }
  return { editor, block };
}
