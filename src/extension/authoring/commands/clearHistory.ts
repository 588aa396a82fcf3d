import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AuthoringServices } from '../services';

export const clearHistory: Command<AuthoringServices> = {
  id: Commands.clearHistory,
  title: 'Clear Query History',
  async run(s) {
    const { history, historyTree } = s;
    const yes = await vscode.window.showWarningMessage(
      'Clear the query history and its saved results?',
      { modal: true },
      'Clear',
    );
    if (yes !== 'Clear') return;
    await history.clear();
    historyTree.refresh();
  },
};
