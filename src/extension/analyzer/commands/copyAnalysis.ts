import * as vscode from 'vscode';
import { verdictToMarkdown } from '../../../core/analyzer/markdown';
import { UserError } from '../../../core/errors';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { AnalyzerCommandServices } from '../services';
import { jobOf } from './job';

export const copyAnalysis: Command<AnalyzerCommandServices> = {
  id: Commands.copyAnalysis,
  title: 'Copy Analysis',
  async run(s, arg) {
    const job = jobOf(s.service, arg);
    if (!job.result) throw new UserError('This analysis has no verdict to copy yet.');
    await vscode.env.clipboard.writeText(verdictToMarkdown(job.result, { queries: true, now: Date.now() }));
    vscode.window.setStatusBarMessage('Copied the verdict as Markdown', 2500);
  },
};
