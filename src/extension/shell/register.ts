// The shell: log, demo README, lake snapshots. Backend switching lives with the triage feature.
import { registerCommands } from '../command';
import type { FeatureContext } from '../features';
import { clearLakeSnapshots } from './commands/clearLakeSnapshots';
import { openDemoReadme } from './commands/openDemoReadme';
import { showLog } from './commands/showLog';

export function registerShell(ctx: FeatureContext): void {
  registerCommands(ctx, ctx, [showLog, openDemoReadme, clearLakeSnapshots]);
}
