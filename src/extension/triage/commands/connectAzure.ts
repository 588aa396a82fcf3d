import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { TriageServices } from '../services';
import { connectAzure as connect } from '../connect';

export const connectAzure: Command<TriageServices> = {
  id: Commands.connectAzure,
  title: 'Connect to Azure',
  async run(s) {
    const { backends, ctx } = s;
    await connect(ctx.extension.extensionPath, backends);
    s.backendSettingsApplied();
  },
};
