// One command, one small module: its id, the title that names it in error messages, and a handler that
// receives the argument already parsed. VS Code hands commands untyped arguments — a tree node from a view's
// context menu, the document URI from an editor or explorer menu, nothing from the palette or a keybinding,
// or an object from a CodeLens, a webview or another command — and parseArgument tells them apart once.
import * as vscode from 'vscode';
import type { CommandId } from './commandIds';
import { guarded } from './errors';
import type { FeatureContext } from './features';
import { ViewNode } from './viewNode';

export type CommandArgument =
  /** A node of one of the extension's views (context menu, inline action, click). */
  | { readonly kind: 'node'; readonly node: ViewNode }
  /** A resource: the explorer, the editor title or the editor context menu (without a selection in it). */
  | { readonly kind: 'uri'; readonly uri: vscode.Uri }
  /** Text selected in the active editor (palette, keybinding, or the editor context menu of that document). */
  | { readonly kind: 'selection'; readonly editor: vscode.TextEditor; readonly text: string }
  /** Nothing: the palette or a keybinding; the command asks, or uses the active editor. */
  | { readonly kind: 'palette'; readonly editor?: vscode.TextEditor }
  /** A value from a CodeLens, a webview, a test or another command (an object or a string), to be narrowed. */
  | { readonly kind: 'value'; readonly value: unknown };

export function parseArgument(
  arg: unknown,
  editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor,
): CommandArgument {
  if (arg instanceof ViewNode) return { kind: 'node', node: arg };
  const selected = editor && !editor.selection.isEmpty ? editor : undefined;
  if (arg instanceof vscode.Uri) {
    // The editor context menu passes the document's URI; its selection is what the user pointed at.
    if (selected && selected.document.uri.toString() === arg.toString()) return selectionOf(selected);
    return { kind: 'uri', uri: arg };
  }
  if (arg === undefined || arg === null) return selected ? selectionOf(selected) : { kind: 'palette', editor };
  return { kind: 'value', value: arg };
}

function selectionOf(editor: vscode.TextEditor): CommandArgument {
  return { kind: 'selection', editor, text: editor.document.getText(editor.selection) };
}

/** The argument's value when a CodeLens, webview or another command passed one. */
export function valueOf(arg: CommandArgument): unknown {
  return arg.kind === 'value' ? arg.value : undefined;
}

/** The document the command is about: the URI it was given, else the active editor's document. */
export function documentUriOf(arg: CommandArgument): vscode.Uri | undefined {
  if (arg.kind === 'uri') return arg.uri;
  if (arg.kind === 'selection' || arg.kind === 'palette') return arg.editor?.document.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

export interface Command<Services> {
  readonly id: CommandId;
  /** Names the action in error messages ("Run Query: …"). */
  readonly title: string;
  run(services: Services, arg: CommandArgument): unknown;
}

/** Registers a feature's commands through the shared error wrapper, each with its argument parsed. */
export function registerCommands<Services>(
  ctx: FeatureContext,
  services: Services,
  commands: readonly Command<Services>[],
): void {
  for (const c of commands) {
    const handler = guarded(c.title, (arg?: unknown) => c.run(services, parseArgument(arg)));
    ctx.extension.subscriptions.push(vscode.commands.registerCommand(c.id, handler));
  }
}
