// The analysis a command is about: an Analyses view node, `{ jobId }` (the row's click), `{ job }`, or its id.
import type { AnalysisJob } from '../../../core/analyzer/job';
import type { AnalyzerService } from '../../../core/analyzer/service';
import { UserError } from '../../../core/errors';
import { valueOf, type CommandArgument } from '../../command';
import { AnalysisNode } from '../analysesView';

export function jobOf(service: AnalyzerService, arg: CommandArgument): AnalysisJob {
  const value = valueOf(arg);
  const id =
    arg.kind === 'node' && arg.node instanceof AnalysisNode
      ? arg.node.job.id
      : typeof value === 'string'
        ? value
        : ((value as { job?: { id?: string } })?.job?.id ?? (value as { jobId?: string })?.jobId);
  const job = id ? service.get(id) : undefined;
  if (!job) throw new UserError('Pick an analysis in the Analyses view.');
  return job;
}
