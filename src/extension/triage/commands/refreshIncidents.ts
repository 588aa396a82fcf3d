import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';

export const refreshIncidents: Command<TriageServices> = {
  id: Commands.refreshIncidents,
  title: 'Refresh Incidents',
  run: (s) => s.incidents.refresh(),
};
