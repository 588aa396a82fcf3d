// CodeLens on analytics rule files: "▶ Test" when test files name the rule, and "Create test…".
import * as vscode from 'vscode';
import { isTestFile, looksLikeRule } from '../../core/detections/fileKinds';
import { Commands } from '../commandIds';
import type { DetectionTestController } from './testController';

export const RULE_SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', scheme: 'file' },
  { language: 'json', scheme: 'file' },
];

/** 0-based line of the rule's title (`name:` / `"displayName":`), else 0. */
export function titleLine(text: string): number {
  const m = /^(?:name|\s*"displayName")\s*:/m.exec(text);
  return m ? text.slice(0, m.index).split('\n').length - 1 : 0;
}

export class RuleTestCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly tests: DetectionTestController) {
    this.onDidChangeCodeLenses = tests.onDidChangeTests;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (isTestFile(doc.uri.fsPath)) return [];
    const text = doc.getText();
    if (!looksLikeRule(text)) return [];
    // the first rule file shown finds the workspace's tests (not activation); lenses refresh when it is done
    void this.tests.discover();
    const range = new vscode.Range(titleLine(text), 0, titleLine(text), 0);
    const lenses: vscode.CodeLens[] = [];
    const count = this.tests.testsForRule(doc.uri).length;
    if (count) {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '▶ Test',
          command: Commands.testRule,
          arguments: [doc.uri],
          tooltip: `Run the ${count} test file${count === 1 ? '' : 's'} of this rule`,
        }),
      );
    }
    lenses.push(
      new vscode.CodeLens(range, {
        title: 'Create test…',
        command: Commands.createDetectionTest,
        arguments: [doc.uri],
        tooltip: 'Scaffold a *.test.yaml with fixtures for the tables this rule reads',
      }),
    );
    return lenses;
  }
}
