// Detection tests in the editor: the Testing view, CodeLens on rule files, lint diagnostics. Runs and
// lint happen in a child process (dist/detections-worker.js) so the engine never loads into the host.
import * as path from 'path';
import * as vscode from 'vscode';
import { registerCommands } from '../command';
import type { FeatureContext } from '../features';
import { requireBundle } from '../lazyBundle';
import type { ResultsPanels } from '../authoring/resultsPanel';
import { RULE_SELECTOR, RuleTestCodeLensProvider } from './ruleLens';
import { RuleLinter } from './ruleLint';
import { DetectionTestController } from './testController';
import { DetectionsWorker } from './worker';
import { createDetectionTest } from './commands/createDetectionTest';
import { showDetectionTestRows } from './commands/showDetectionTestRows';
import { testRule } from './commands/testRule';

export function registerDetections(ctx: FeatureContext, panels: ResultsPanels): void {
  const worker = new DetectionsWorker(
    ctx.extension.asAbsolutePath(path.join('dist', 'detections-worker.js')),
    ctx.logger,
  );
  // The active lake's schema.json types tables without a built-in schema, for runs and lint alike.
  const schemaFile = () => {
    const dir = ctx.backends.lakeDir();
    return dir ? path.join(dir, 'schema.json') : undefined;
  };
  // The YAML library loads with the first test file outlined or scaffolded, not at activation.
  const files = () => requireBundle<typeof import('./detectionFiles')>(ctx.extension.extensionPath, 'detection-files');
  const tests = new DetectionTestController(worker, panels, schemaFile, ctx.logger, files);
  ctx.extension.subscriptions.push(
    worker,
    tests,
    new RuleLinter(worker, schemaFile, ctx.logger),
    vscode.languages.registerCodeLensProvider(RULE_SELECTOR, new RuleTestCodeLensProvider(tests)),
  );

  registerCommands(ctx, tests, [testRule, createDetectionTest, showDetectionTestRows]);
}
