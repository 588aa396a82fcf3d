import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { FeatureContext, notAvailableYet, registerCommand } from '../features';

export function registerTriage(ctx: FeatureContext): void {
  const status = vscode.window.createStatusBarItem('sentinelWorkbench.backend', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Sentinel Workbench backend';
  status.text = '$(shield) Sentinel: local demo lake';
  status.tooltip = 'Sentinel Workbench is using the local demo lake. Click to switch.';
  status.command = Commands.switchBackend;
  status.show();
  ctx.extension.subscriptions.push(status);

  registerCommand(ctx, Commands.refreshIncidents, 'Refresh Incidents', notAvailableYet('The Incidents view'));
  registerCommand(ctx, Commands.filterIncidents, 'Filter Incidents', notAvailableYet('Filtering incidents'));
  registerCommand(ctx, Commands.connectAzure, 'Connect to Azure', notAvailableYet('Connecting to Azure'));
  registerCommand(ctx, Commands.useLocalLake, 'Use Local Demo Lake', notAvailableYet('Switching backends'));
  registerCommand(ctx, Commands.switchBackend, 'Switch Backend', notAvailableYet('Switching backends'));
}
