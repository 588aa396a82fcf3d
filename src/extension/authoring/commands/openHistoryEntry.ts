// Reopens a History entry's saved result without running the query again.
import * as vscode from 'vscode';
import { formatTime } from '../../../core/timeFormat';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import { read, Settings } from '../../settings';
import type { AuthoringServices } from '../services';
import { historyEntryOf } from './historyEntry';

export const openHistoryEntry: Command<AuthoringServices> = {
  id: Commands.openHistoryEntry,
  title: 'Reopen Result',
  async run(s, arg) {
    const { history, panels, runner } = s;
    const entry = await historyEntryOf(s.history, arg);
    const result = await history.result(entry.id);
    if (!result) {
      void vscode.window.showInformationMessage(
        `No saved result for ${entry.title}${entry.error ? ' (the run failed)' : ''}. Use Run Again from the History view to run it.`,
      );
      return;
    }
    const panel = panels.show(`history:${entry.id}`, entry.title);
    panel.rerun = () => void runner.run({ query: entry.query, title: entry.title });
    panel.showResult(result, {
      title: entry.title,
      backend: entry.backend,
      timeRange: entry.timeRange,
      ranAt: entry.ranAt,
      note: `Saved result from ${formatTime(entry.ranAt, read(Settings.timeFormat), { seconds: true })}: not run again.`,
    });
  },
};
