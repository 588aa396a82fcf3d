import { Commands } from '../commandIds';
import { FeatureContext, notAvailableYet, registerCommand } from '../features';

export function registerAnalyzer(ctx: FeatureContext): void {
  registerCommand(ctx, Commands.analyzeEntity, 'Analyze Entity', notAvailableYet('The Entity Analyzer'));
}
