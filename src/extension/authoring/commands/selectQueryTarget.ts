// Select Query Target…: where a KQL file runs (the file given, else the active editor's).
import { Commands } from '../../commandIds';
import { documentUriOf, type Command } from '../../command';
import type { AuthoringServices } from '../services';

export const selectQueryTarget: Command<AuthoringServices> = {
  id: Commands.selectQueryTarget,
  title: 'Select Query Target',
  async run(s, arg) {
    await s.targets.pick(documentUriOf(arg));
  },
};
