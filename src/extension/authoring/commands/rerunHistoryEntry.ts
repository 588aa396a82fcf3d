import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AuthoringServices } from '../services';
import { historyEntryOf } from './historyEntry';

export const rerunHistoryEntry: Command<AuthoringServices> = {
  id: Commands.rerunHistoryEntry,
  title: 'Run Again',
  async run(s, arg) {
    const { runner } = s;
    const entry = await historyEntryOf(s.history, arg);
    await runner.run({ query: entry.query, title: entry.title });
  },
};
