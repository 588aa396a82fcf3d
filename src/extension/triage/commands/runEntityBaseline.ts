// Opens a baseline query for an entity: the templates that fit its kind, else a search for the value.
import * as vscode from 'vscode';
import { renderTemplate, templatesFor, type BaselineTemplate } from '../../../core/kql/templates';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';
import { baselineValue } from '../model';
import { entityArg } from './arguments';

/** A fallback baseline for entity kinds the template library has no template for. */
const GENERIC_BASELINE: BaselineTemplate = {
  id: 'entity-search',
  title: 'Where does this value appear?',
  description: 'Rows per table and day that mention the value, over the last 7 days.',
  entity: 'text',
  text: `// Where does this value appear? Rows per table and day over the last 7 days.
let Value = "value";
search Value
| where TimeGenerated > ago(7d)
| summarize Rows=count() by $table, Day=bin(TimeGenerated, 1d)
| order by Day desc, Rows desc`,
};

export const runEntityBaseline: Command<TriageServices> = {
  id: Commands.runEntityBaseline,
  title: 'Run Baseline for Entity',
  async run(s, arg) {
    const { entity } = entityArg(s, arg);
    const { value, shape } = baselineValue(entity);
    const fitting = templatesFor(shape);
    const candidates = fitting.length ? fitting : [GENERIC_BASELINE];
    const template =
      candidates.length === 1
        ? candidates[0]
        : (
            await vscode.window.showQuickPick(
              candidates.map((t) => ({ label: t.title, detail: t.description, template: t })),
              { title: `Baseline for ${entity.displayName}`, placeHolder: 'Which baseline?' },
            )
          )?.template;
    if (!template) return;
    const doc = await vscode.workspace.openTextDocument({ language: 'kql', content: renderTemplate(template, value) });
    await vscode.window.showTextDocument(doc);
  },
};
