import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AuthoringServices } from '../services';
import { historyEntryOf } from './historyEntry';

export const copyHistoryQuery: Command<AuthoringServices> = {
  id: Commands.copyHistoryQuery,
  title: 'Copy Query',
  async run(s, arg) {
    const entry = await historyEntryOf(s.history, arg);
    await vscode.env.clipboard.writeText(entry.query);
    vscode.window.setStatusBarMessage(`Copied the query of ${entry.title}`, 2500);
  },
};
