// Run Baseline…: the query (as Run Query takes it) over a picked time range of the backend's clock.
import * as vscode from 'vscode';
import { parseCustomRange, RANGE_PRESETS } from '../../../core/timeRange';
import type { TimeRange } from '../../../core/types';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AuthoringServices } from '../services';
import { requestFrom } from './queryArgument';

export const runBaseline: Command<AuthoringServices> = {
  id: Commands.runBaseline,
  title: 'Run Baseline',
  async run(s, arg) {
    const { runner } = s;
    const request = await requestFrom(arg);
    if (!request) return;
    const range = await pickRange();
    if (!range) return;
    await runner.run({ ...request, range, title: `${request.title} (${range.label})` });
  },
};

type RangeChoice = ({ lastHours: number } | TimeRange) & { label: string };

async function pickRange(): Promise<RangeChoice | undefined> {
  const custom = { label: 'Custom…', detail: 'e.g. 3d, 12h, or 2026-11-01 .. 2026-11-08T12:00 (UTC)' };
  const pick = await vscode.window.showQuickPick(
    [...RANGE_PRESETS.map((p) => ({ label: p.label, preset: p })), custom],
    {
      title: 'Run baseline over',
      placeHolder: 'Time range (relative to the backend clock)',
    },
  );
  if (!pick) return undefined;
  if ('preset' in pick) return { lastHours: pick.preset.hours, label: pick.preset.label.toLowerCase() };
  const text = await vscode.window.showInputBox({
    title: 'Custom time range',
    prompt: custom.detail,
    validateInput: (v) => {
      try {
        parseCustomRange(v, new Date());
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  if (!text) return undefined;
  if (/^\s*\d+(\.\d+)?\s*[hd]\s*$/i.test(text)) {
    const r = parseCustomRange(text, new Date(0));
    return { lastHours: (r.end.getTime() - r.start.getTime()) / 3600_000, label: `last ${text.trim()}` };
  }
  const r = parseCustomRange(text, new Date());
  return { ...r, label: text.trim() };
}
