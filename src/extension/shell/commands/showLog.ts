import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { FeatureContext } from '../../features';

export const showLog: Command<FeatureContext> = {
  id: Commands.showLog,
  title: 'Show Log',
  run: (ctx) => ctx.log.show(),
};
