import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';

export const showAllEntities: Command<TriageServices> = {
  id: Commands.showAllEntities,
  title: 'Show Entities of All Loaded Incidents',
  run: (s) => s.entities.setScope('all'),
};
