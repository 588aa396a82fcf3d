import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AnalyzerCommandServices } from '../services';
import { jobOf } from './job';

export const cancelAnalysis: Command<AnalyzerCommandServices> = {
  id: Commands.cancelAnalysis,
  title: 'Cancel Analysis',
  run(s, arg) {
    s.service.cancel(jobOf(s.service, arg).id);
  },
};
