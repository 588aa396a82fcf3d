// The five commands that change an incident (assign to me, assign, status, severity, close) differ only in
// what they ask; each sends the change on the version the user sees and lets every view follow.
import type { CommandId } from '../../commandIds';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import { askForChange, ChangeKind, sendChange } from '../incidentActions';
import type { TriageServices } from '../services';
import { incidentArg } from './arguments';

function changeIncident(id: CommandId, title: string, kind: ChangeKind): Command<TriageServices> {
  return {
    id,
    title,
    async run(s, arg) {
      const picked = await incidentArg(s, arg, `${title}: which incident?`);
      if (!picked) return;
      // Work on the version the user sees (the open page may be newer than the tree).
      const seen = s.pages.get(picked.id)?.incident ?? picked;
      const backend = await s.backends.current();
      const change = await askForChange(kind, seen, backend);
      if (!change) return;
      const { incident } = await sendChange(backend, seen, change);
      s.backends.incidentChanged({ incidentId: incident.id, incident });
    },
  };
}

export const assignIncidentToMe = changeIncident(Commands.assignIncidentToMe, 'Assign to Me', 'assignToMe');
export const assignIncident = changeIncident(Commands.assignIncident, 'Assign Incident', 'assign');
export const changeIncidentStatus = changeIncident(Commands.changeIncidentStatus, 'Change Incident Status', 'status');
export const changeIncidentSeverity = changeIncident(
  Commands.changeIncidentSeverity,
  'Change Incident Severity',
  'severity',
);
export const closeIncident = changeIncident(Commands.closeIncident, 'Close Incident', 'close');
