import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';
import { incidentArg } from './arguments';

export const copyIncidentId: Command<TriageServices> = {
  id: Commands.copyIncidentId,
  title: 'Copy Incident Id',
  async run(s, arg) {
    const incident = await incidentArg(s, arg, 'Copy the id of which incident?');
    if (!incident) return;
    await vscode.env.clipboard.writeText(incident.id);
    vscode.window.setStatusBarMessage(`Copied the id of incident #${incident.number}`, 3000);
  },
};
