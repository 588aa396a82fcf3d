// Reveals the loaded incidents that contain an entity (picked when there are several).
import * as vscode from 'vscode';
import { UserError } from '../../../core/errors';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';
import { INCIDENTS_VIEW } from '../incidentsTree';
import { entityArg } from './arguments';

export const revealEntityIncidents: Command<TriageServices> = {
  id: Commands.revealEntityIncidents,
  title: 'Reveal Related Incidents',
  async run(s, arg) {
    const { incidents } = s;
    const target = entityArg(s, arg);
    let ids = target.incidentIds ?? [];
    if (!ids.length) {
      // An entity under an incident: look through the loaded incidents' details.
      for (const i of incidents.incidents) {
        const d = await incidents.details(i.id).catch(() => undefined);
        if (d?.entities.some((e) => e.key === target.entity.key)) ids.push(i.id);
      }
    }
    ids = ids.filter((id) => incidents.findIncident(id));
    if (!ids.length) throw new UserError(`No loaded incident contains ${target.entity.displayName}.`);
    let id = ids[0];
    if (ids.length > 1) {
      const pick = await vscode.window.showQuickPick(
        ids
          .map((x) => incidents.findIncident(x)!)
          .map((i) => ({ label: `#${i.number} ${i.title}`, description: `${i.severity} · ${i.status}`, id: i.id })),
        { title: `Incidents with ${target.entity.displayName}`, placeHolder: `${ids.length} incidents; reveal which?` },
      );
      if (!pick) return;
      id = pick.id;
    }
    await vscode.commands.executeCommand(`${INCIDENTS_VIEW}.focus`);
    await incidents.reveal(id);
  },
};
