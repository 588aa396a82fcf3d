// Analyze Entity: a user or URL from an entity node, a CodeLens ({ type, id }), the editor selection, or typed
// into the palette; then the lookback window (preset by the argument or picked).
import * as vscode from 'vscode';
import type { AnalysisEntity } from '../../../core/analyzer/types';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import { read, readAnalyzerSettings, Settings } from '../../settings';
import type { AnalyzerCommandServices } from '../services';
import { parseAnalyzeArgument, ParsedArgument, targetFromText, validateInput } from '../targets';

export const analyzeEntity: Command<AnalyzerCommandServices> = {
  id: Commands.analyzeEntity,
  title: 'Analyze Entity',
  async run(s, arg) {
    const parsed: ParsedArgument =
      arg.kind === 'node'
        ? parseAnalyzeArgument(arg.node)
        : arg.kind === 'value'
          ? parseAnalyzeArgument(arg.value)
          : { useSelection: true };
    let target = parsed.target ?? (arg.kind === 'selection' ? targetFromText(arg.text) : undefined);
    if (!target && parsed.useSelection && arg.kind === 'value') {
      const editor = vscode.window.activeTextEditor;
      if (editor && !editor.selection.isEmpty) target = targetFromText(editor.document.getText(editor.selection));
    }
    if (!target) {
      const text = await vscode.window.showInputBox({
        title: 'Analyze Entity',
        prompt: 'A user (UPN or Entra object id) or a URL; defanged indicators such as hxxps://evil[.]com are fine',
        placeHolder: 'megan.bowen@contoso.com',
        validateInput,
        ignoreFocusOut: true,
      });
      if (!text) return;
      target = targetFromText(text);
    }
    const days = parsed.lookbackDays ?? (await pickLookback(target.type));
    if (!days) return;
    await s.analyze(target, days, { incidentId: parsed.incidentId });
  },
};

async function pickLookback(type: AnalysisEntity['type']): Promise<number | undefined> {
  const settings = readAnalyzerSettings();
  const preferred = read(Settings.analyzerDefaultLookbackDays);
  const options =
    type === 'User' ? Array.from({ length: settings.maxUserWindowDays }, (_, i) => i + 1) : [1, 3, 7, 14, 30];
  const items = options.map((d) => ({ label: `Last ${d} day${d === 1 ? '' : 's'}`, days: d, picked: d === preferred }));
  const pick = vscode.window.createQuickPick<(typeof items)[number]>();
  pick.title = `Analysis window for this ${type === 'User' ? 'user' : 'URL'}`;
  pick.placeholder =
    type === 'User'
      ? `The service analyzes at most ${settings.maxUserWindowDays} days of a user's activity`
      : 'How far back to look';
  pick.items = items;
  const initial = items.find((i) => i.days === preferred) ?? items[items.length - 1];
  pick.activeItems = [initial];
  return new Promise<number | undefined>((resolve) => {
    let value: number | undefined;
    pick.onDidAccept(() => {
      value = pick.selectedItems[0]?.days ?? pick.activeItems[0]?.days;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(value);
    });
    pick.show();
  });
}
