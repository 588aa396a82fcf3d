// New Baseline from Template…: a template picked (or `{ templateId, value }`) opened as a new KQL document.
import * as vscode from 'vscode';
import { BASELINE_TEMPLATES, renderTemplate } from '../../../core/kql/templates';
import { Commands } from '../../commandIds';
import { valueOf, type Command } from '../../command';
import type { AuthoringServices } from '../services';

export const newBaselineFromTemplate: Command<AuthoringServices> = {
  id: Commands.newBaselineFromTemplate,
  title: 'New Baseline from Template',
  async run(_s, given) {
    const arg = valueOf(given) as { value?: string; templateId?: string } | undefined;
    const template = arg?.templateId
      ? BASELINE_TEMPLATES.find((t) => t.id === arg.templateId)
      : (
          await vscode.window.showQuickPick(
            BASELINE_TEMPLATES.map((t) => ({ label: t.title, detail: t.description, template: t })),
            { title: 'New baseline from template', matchOnDetail: true },
          )
        )?.template;
    if (!template) return;
    const content = renderTemplate(template, arg?.value);
    const document = await vscode.workspace.openTextDocument({ language: 'kql', content });
    await vscode.window.showTextDocument(document);
  },
};
