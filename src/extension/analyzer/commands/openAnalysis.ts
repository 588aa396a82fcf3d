import { UserError } from '../../../core/errors';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AnalyzerCommandServices } from '../services';
import { jobOf } from './job';

export const openAnalysis: Command<AnalyzerCommandServices> = {
  id: Commands.openAnalysis,
  title: 'Open Verdict',
  run(s, arg) {
    const job = jobOf(s.service, arg);
    if (job.result) return s.showVerdict(job);
    if (!job.done) return s.follow(job);
    throw new UserError(job.error ?? `The analysis of ${job.request.entity.id} has no verdict.`);
  },
};
