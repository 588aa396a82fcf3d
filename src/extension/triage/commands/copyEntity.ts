import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';
import { entityArg } from './arguments';

export const copyEntity: Command<TriageServices> = {
  id: Commands.copyEntity,
  title: 'Copy Entity',
  async run(s, arg) {
    const { entity } = entityArg(s, arg);
    await vscode.env.clipboard.writeText(entity.displayName);
    vscode.window.setStatusBarMessage(`Copied ${entity.displayName}`, 3000);
  },
};
