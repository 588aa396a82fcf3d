// Edit Parameters: new values for a block's `let Name = "value";` parameters, each written as one escaped KQL string literal.
import * as vscode from 'vscode';
import { findParameters, quoteKqlString, validateParameterValue } from '../../../core/kql/parameters';
import { Commands } from '../../commandIds';
import { valueOf, type Command } from '../../command';
import type { BlockArgs } from '../codeLens';
import type { AuthoringServices } from '../services';
import { blockFrom } from './queryArgument';

export const editParameters: Command<AuthoringServices> = {
  id: Commands.editParameters,
  title: 'Edit Parameters',
  async run(_s, arg) {
    const target = await blockFrom(valueOf(arg) as BlockArgs | undefined);
    if (!target) return;
    const { editor, block } = target;
    const params = findParameters(block.text, block.startLine);
    if (!params.length) {
      void vscode.window.showInformationMessage(
        'This query block declares no string parameters (let Name = "value";).',
      );
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const p of params) {
      const value = await vscode.window.showInputBox({
        title: `Parameter ${p.name}`,
        prompt: `New value for ${p.name} (written as an escaped KQL string literal)`,
        value: p.value,
        validateInput: (v) => validateParameterValue(p.shape, v),
        ignoreFocusOut: true,
      });
      if (value === undefined) return; // Escape cancels the whole edit: nothing half-applied.
      if (value === p.value) continue;
      edit.replace(editor.document.uri, new vscode.Range(p.line, p.start, p.line, p.end), quoteKqlString(value));
    }
    if (edit.size) await vscode.workspace.applyEdit(edit);
  },
};
