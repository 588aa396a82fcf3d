import { Commands } from '../commandIds';
import { FeatureContext, notAvailableYet, registerCommand } from '../features';

export function registerAuthoring(ctx: FeatureContext): void {
  registerCommand(ctx, Commands.runQuery, 'Run Query', notAvailableYet('Running queries'));
  registerCommand(ctx, Commands.runBaseline, 'Run Baseline', notAvailableYet('Running baselines'));
  registerCommand(ctx, Commands.newBaselineFromTemplate, 'New Baseline from Template', notAvailableYet('Baseline templates'));
}
