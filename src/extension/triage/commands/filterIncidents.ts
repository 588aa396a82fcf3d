// Filter Incidents…: a filter object (scripts, tests) applies as is; otherwise the filter picker.
import { Commands } from '../../commandIds';
import { valueOf, type Command } from '../../command';
import { pickFilter } from '../filter';
import type { IncidentsTree } from '../incidentsTree';
import type { TriageServices } from '../services';

export const filterIncidents: Command<TriageServices> = {
  id: Commands.filterIncidents,
  title: 'Filter Incidents',
  async run(s, arg) {
    const { incidents } = s;
    const value = valueOf(arg);
    if (value && typeof value === 'object') {
      await incidents.setFilter(value as Parameters<IncidentsTree['setFilter']>[0]);
      return;
    }
    await incidents.whenLoaded();
    const next = await pickFilter(incidents.filter, incidents.now());
    if (next) await incidents.setFilter(next);
  },
};
