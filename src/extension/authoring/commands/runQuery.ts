// Run Query: `{ query, title }` (evidence, scripts), a CodeLens block, the editor selection, or the block under the cursor.
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AuthoringServices } from '../services';
import { requestFrom } from './queryArgument';

export const runQuery: Command<AuthoringServices> = {
  id: Commands.runQuery,
  title: 'Run Query',
  async run(s, arg) {
    const { runner } = s;
    const request = await requestFrom(arg);
    if (request) await runner.run(request);
  },
};
