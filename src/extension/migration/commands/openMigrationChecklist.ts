import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { ChecklistPanel } from '../checklistPanel';

export interface MigrationServices {
  /** The checklist panel, loaded from its own bundle on first use. */
  panel(): Promise<ChecklistPanel>;
}

export const openMigrationChecklist: Command<MigrationServices> = {
  id: Commands.openMigrationChecklist,
  title: 'Open Migration Checklist',
  async run(s) {
    (await s.panel()).show();
  },
};
