// Shows the rows a detection test's query returned in its last run (the test message's context menu passes
// `{ test }`; the CodeLens passes the test id).
import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import { valueOf, type Command } from '../../command';
import type { DetectionTestController } from '../testController';

export const showDetectionTestRows: Command<DetectionTestController> = {
  id: Commands.showDetectionTestRows,
  title: 'Show Actual Rows',
  run(tests, arg) {
    const value = valueOf(arg);
    const id = typeof value === 'string' ? value : (value as { test?: vscode.TestItem } | undefined)?.test?.id;
    if (!id || !tests.showActualRows(id)) {
      void vscode.window.showInformationMessage('Run the test first: its rows are kept from the last run.');
    }
  },
};
