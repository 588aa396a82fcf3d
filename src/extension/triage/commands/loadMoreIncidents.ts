import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';

export const loadMoreIncidents: Command<TriageServices> = {
  id: Commands.loadMoreIncidents,
  title: 'Load More Incidents',
  run: (s) => s.incidents.loadMore(),
};
