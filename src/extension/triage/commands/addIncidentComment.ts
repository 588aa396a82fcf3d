// Add Incident Comment: persisted on the backend (the lake's IncidentComments table, or an ARM incident comment).
import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';
import { incidentArg } from './arguments';
import { characters, MAX_COMMENT_CHARS } from '../../../core/backends/limits';

export const addIncidentComment: Command<TriageServices> = {
  id: Commands.addIncidentComment,
  title: 'Add Incident Comment',
  async run(s, arg) {
    const { backends } = s;
    const incident = await incidentArg(s, arg, 'Comment on which incident?');
    if (!incident) return;
    const message = await vscode.window.showInputBox({
      title: `Comment on incident #${incident.number}`,
      prompt: incident.title,
      placeHolder: 'What you found or did',
      ignoreFocusOut: true,
      validateInput: (v) =>
        v.trim()
          ? v.length > MAX_COMMENT_CHARS
            ? `At most ${characters(MAX_COMMENT_CHARS)}.`
            : undefined
          : 'Type a comment.',
    });
    if (!message?.trim()) return;
    const backend = await backends.current();
    await backend.addIncidentComment(incident.id, message);
    backends.incidentChanged({ incidentId: incident.id, comments: true });
    void vscode.window.showInformationMessage(`Comment added to incident #${incident.number}.`);
  },
};
