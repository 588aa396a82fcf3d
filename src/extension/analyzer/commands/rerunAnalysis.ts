import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AnalyzerCommandServices } from '../services';
import { jobOf } from './job';

export const rerunAnalysis: Command<AnalyzerCommandServices> = {
  id: Commands.rerunAnalysis,
  title: 'Re-run Analysis',
  async run(s, arg) {
    const job = jobOf(s.service, arg);
    await s.run(() => s.service.rerun(job.id).job);
  },
};
