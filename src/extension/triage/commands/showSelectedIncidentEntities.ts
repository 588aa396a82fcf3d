import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';

export const showSelectedIncidentEntities: Command<TriageServices> = {
  id: Commands.showSelectedIncidentEntities,
  title: 'Show Entities of the Selected Incident',
  run: (s) => s.entities.setScope('selected'),
};
