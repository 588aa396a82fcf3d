// Detection tests in the editor: the Testing view, CodeLens on rule files, lint diagnostics. Runs and
// lint happen in a child process (dist/detections-worker.js) so the engine never loads into the host.
import * as path from 'path';
import * as vscode from 'vscode';
import { scaffoldTest } from '../../core/detections/scaffold';
import { Commands } from '../commandIds';
import { FeatureContext, registerCommand } from '../features';
import type { ResultsPanels } from '../authoring/resultsPanel';
import { RULE_SELECTOR, RuleTestCodeLensProvider } from './ruleLens';
import { RuleLinter } from './ruleLint';
import { DetectionTestController } from './testController';
import { DetectionsWorker } from './worker';

export function registerDetections(ctx: FeatureContext, panels: ResultsPanels): void {
  const worker = new DetectionsWorker(ctx.extension.asAbsolutePath(path.join('dist', 'detections-worker.js')), ctx.logger);
  // The active lake's schema.json types tables without a built-in schema, for runs and lint alike.
  const schemaFile = () => {
    const dir = ctx.backends.lakeDir();
    return dir ? path.join(dir, 'schema.json') : undefined;
  };
  const tests = new DetectionTestController(worker, panels, schemaFile, ctx.logger);
  ctx.extension.subscriptions.push(
    worker,
    tests,
    new RuleLinter(worker, schemaFile, ctx.logger),
    vscode.languages.registerCodeLensProvider(RULE_SELECTOR, new RuleTestCodeLensProvider(tests)),
  );

  registerCommand(ctx, Commands.testRule, 'Test Rule', async (uri?: vscode.Uri) => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) return;
    await tests.discover();
    const items = tests.testsForRule(target);
    if (!items.length) {
      void vscode.window.showInformationMessage('No *.test.yaml names this rule yet. Use "Create test…" to scaffold one.');
      return;
    }
    await tests.runItems(items);
  });

  registerCommand(ctx, Commands.createDetectionTest, 'Create Detection Test', async (uri?: vscode.Uri) => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) return;
    const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    const scaffold = scaffoldTest(target.fsPath, text, { now: new Date() });
    const testUri = vscode.Uri.file(scaffold.testFile.path);
    if (await exists(testUri)) {
      await vscode.window.showTextDocument(testUri);
      void vscode.window.showInformationMessage(`${path.basename(scaffold.testFile.path)} already exists; it was left as it is.`);
      return;
    }
    for (const f of [...scaffold.fixtures, scaffold.testFile]) {
      const u = vscode.Uri.file(f.path);
      if (f !== scaffold.testFile && await exists(u)) continue; // keep fixtures someone already wrote
      await vscode.workspace.fs.writeFile(u, Buffer.from(f.text, 'utf8'));
    }
    await vscode.window.showTextDocument(testUri);
    const note = scaffold.unknownTables.length ? ` No schema is known for ${scaffold.unknownTables.join(', ')}.` : '';
    void vscode.window.showInformationMessage(`Created ${path.basename(scaffold.testFile.path)} with ${scaffold.fixtures.length} fixture file${scaffold.fixtures.length === 1 ? '' : 's'}.${note}`);
  });

  registerCommand(ctx, Commands.showDetectionTestRows, 'Show Actual Rows', (arg?: string | { test?: vscode.TestItem }) => {
    const id = typeof arg === 'string' ? arg : arg?.test?.id;
    if (!id || !tests.showActualRows(id)) {
      void vscode.window.showInformationMessage('Run the test first: its rows are kept from the last run.');
    }
  });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
