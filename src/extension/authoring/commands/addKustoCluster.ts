// Add Kusto Cluster…: remembers a cluster/database and makes it the active KQL file's target.
import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AuthoringServices } from '../services';

export const addKustoCluster: Command<AuthoringServices> = {
  id: Commands.addKustoCluster,
  title: 'Add Kusto Cluster',
  async run(s) {
    const { targets } = s;
    const id = await targets.addKustoCluster();
    const editor = vscode.window.activeTextEditor;
    if (id && editor?.document.languageId === 'kql') await targets.set(editor.document.uri, id);
  },
};
