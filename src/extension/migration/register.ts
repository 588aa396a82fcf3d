import { Commands } from '../commandIds';
import { FeatureContext, notAvailableYet, registerCommand } from '../features';

export function registerMigration(ctx: FeatureContext): void {
  registerCommand(ctx, Commands.openMigrationChecklist, 'Open Migration Checklist', notAvailableYet('The migration checklist'));
}
