// Follows one analysis with a cancellable progress notification and live status
// ("Queued — 2 ahead", "Running — polled 4×, 1m 12s"), then shows the outcome.
import * as vscode from 'vscode';
import { AnalysisJob, describeJob } from '../../core/analyzer/job';

export interface FollowHandlers {
  onCompleted(job: AnalysisJob): void;
  onRerun(job: AnalysisJob): void;
  showLog(): void;
}

export async function followJob(job: AnalysisJob, handlers: FollowHandlers): Promise<void> {
  const what = `${job.request.entity.type === 'User' ? 'user' : 'URL'} ${job.request.entity.id}`;
  if (!job.done) {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Analyzing ${what}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let last = '';
          const report = () => {
            const text = describeJob(job.snapshot(), Date.now());
            if (text !== last) {
              last = text;
              progress.report({ message: text });
            }
          };
          report();
          const unsubscribe = job.onDidChange(report);
          // Elapsed time ticks between polls.
          const timer = setInterval(report, 1000);
          const cancel = token.onCancellationRequested(() => job.cancel());
          void job.whenDone().then(() => {
            clearInterval(timer);
            unsubscribe();
            cancel.dispose();
            resolve();
          });
        }),
    );
  }
  switch (job.state) {
    case 'completed':
      handlers.onCompleted(job);
      break;
    case 'failed': {
      const choice = await vscode.window.showErrorMessage(
        `Analysis of ${what} failed: ${job.error ?? 'unknown error'}`,
        'Re-run',
        'Show Log',
      );
      if (choice === 'Re-run') handlers.onRerun(job);
      else if (choice === 'Show Log') handlers.showLog();
      break;
    }
    case 'expired': {
      const choice = await vscode.window.showWarningMessage(
        `The analysis of ${what} expired before its result was read.`,
        'Re-run',
      );
      if (choice === 'Re-run') handlers.onRerun(job);
      break;
    }
    default:
      break;
  }
}
