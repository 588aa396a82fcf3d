// Scaffolds a detection test (and its fixture files) next to a rule file; existing files are left as they are.
import * as path from 'path';
import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import { documentUriOf, type Command } from '../../command';
import type { DetectionTestController } from '../testController';

export const createDetectionTest: Command<DetectionTestController> = {
  id: Commands.createDetectionTest,
  title: 'Create Detection Test',
  async run(tests, arg) {
    const target = documentUriOf(arg);
    if (!target) return;
    const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    const scaffold = tests.testFiles().scaffoldTest(target.fsPath, text, { now: new Date() });
    const testUri = vscode.Uri.file(scaffold.testFile.path);
    if (await exists(testUri)) {
      await vscode.window.showTextDocument(testUri);
      void vscode.window.showInformationMessage(
        `${path.basename(scaffold.testFile.path)} already exists; it was left as it is.`,
      );
      return;
    }
    for (const f of [...scaffold.fixtures, scaffold.testFile]) {
      const u = vscode.Uri.file(f.path);
      if (f !== scaffold.testFile && (await exists(u))) continue; // keep fixtures someone already wrote
      await vscode.workspace.fs.writeFile(u, Buffer.from(f.text, 'utf8'));
    }
    await vscode.window.showTextDocument(testUri);
    const note = scaffold.unknownTables.length ? ` No schema is known for ${scaffold.unknownTables.join(', ')}.` : '';
    void vscode.window.showInformationMessage(
      `Created ${path.basename(scaffold.testFile.path)} with ${scaffold.fixtures.length} fixture file${scaffold.fixtures.length === 1 ? '' : 's'}.${note}`,
    );
  },
};

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
