// activate() is short and explicit: construct, wire, push to subscriptions. Every command is
// registered synchronously before any await; heavy work lives in child processes.
import * as vscode from 'vscode';
import { BackendManager } from './backendManager';
import { setErrorLog } from './errors';
import { FeatureContext, loggerFromChannel } from './features';
import { registerShell } from './shell/register';
import { registerAuthoring } from './authoring/register';
import { registerAnalyzer } from './analyzer/register';
import { registerTriage } from './triage/register';
import { registerMigration } from './migration/register';
import { registerDetections } from './detections/register';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Sentinel Workbench', { log: true });
  context.subscriptions.push(log);
  setErrorLog(log);
  const logger = loggerFromChannel(log);
  const backends = new BackendManager(context, logger);
  context.subscriptions.push(backends);
  const ctx: FeatureContext = { extension: context, log, logger, backends };

  registerShell(ctx);
  const panels = registerAuthoring(ctx);
  registerAnalyzer(ctx);
  registerTriage(ctx);
  registerMigration(ctx);
  registerDetections(ctx, panels);

  log.info(`Sentinel Workbench activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {}
