import * as vscode from 'vscode';
import { UserError } from '../../../core/errors';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';
import { incidentArg } from './arguments';

export const openIncidentInPortal: Command<TriageServices> = {
  id: Commands.openIncidentInPortal,
  title: 'Open Incident in Portal',
  async run(s, arg) {
    const incident = await incidentArg(s, arg, 'Open which incident in the portal?');
    if (!incident) return;
    if (!incident.url || !/^https:\/\//i.test(incident.url))
      throw new UserError(`Incident #${incident.number} has no portal link.`);
    await vscode.env.openExternal(vscode.Uri.parse(incident.url, true));
  },
};
