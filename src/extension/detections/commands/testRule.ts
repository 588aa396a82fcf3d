// Runs the detection tests that name a rule file (explorer or editor menu, the rule's CodeLens, the palette).
import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import { documentUriOf, type Command } from '../../command';
import type { DetectionTestController } from '../testController';

export const testRule: Command<DetectionTestController> = {
  id: Commands.testRule,
  title: 'Test Rule',
  async run(tests, arg) {
    const target = documentUriOf(arg);
    if (!target) return;
    await tests.discover();
    const items = tests.testsForRule(target);
    if (!items.length) {
      void vscode.window.showInformationMessage(
        'No *.test.yaml names this rule yet. Use "Create test…" to scaffold one.',
      );
      return;
    }
    await tests.runItems(items);
  },
};
