// Opens the incident page: `{ incidentId, preserveFocus }` (a click in the tree), a tree node, or picked.
import { Commands } from '../../commandIds';
import { valueOf, type Command } from '../../command';
import type { TriageServices } from '../services';
import { incidentArg } from './arguments';

export const openIncident: Command<TriageServices> = {
  id: Commands.openIncident,
  title: 'Open Incident',
  async run(s, arg) {
    const { incidents, pages, backends } = s;
    const a = valueOf(arg) as { incidentId?: unknown; preserveFocus?: unknown } | undefined;
    const byId =
      typeof a?.incidentId === 'string'
        ? (incidents.findIncident(a.incidentId) ??
          (await backends.current().then((b) => b.getIncident(a.incidentId as string))).incident)
        : undefined;
    const incident = byId ?? (await incidentArg(s, arg, 'Open which incident?'));
    if (!incident) return;
    pages.show(incident, { preserveFocus: a?.preserveFocus === true });
  },
};
