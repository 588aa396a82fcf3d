// Analyze Incident Entities: queues an analysis for every account and URL of an incident (its tree node,
// `{ incident }`, an incident, its id, or picked), and says what was queued, cached or refused.
import * as vscode from 'vscode';
import type { AnalysisEntity } from '../../../core/analyzer/types';
import type { Incident } from '../../../core/backends/types';
import { Commands } from '../../commandIds';
import { valueOf, type Command } from '../../command';
import { read, readAnalyzerSettings, Settings } from '../../settings';
import { AnalysisNode } from '../analysesView';
import { backendNow, pickIncident, type AnalyzerCommandServices } from '../services';
import { targetFromEntity, windowFor } from '../targets';

export const analyzeIncidentEntities: Command<AnalyzerCommandServices> = {
  id: Commands.analyzeIncidentEntities,
  title: 'Analyze Incident Entities',
  async run(s, arg) {
    const { ctx, service, incidentOf, view, tree } = s;
    const given = arg.kind === 'node' ? arg.node : valueOf(arg);
    const backend = await ctx.backends.current();
    let incidentId =
      typeof given === 'string'
        ? given
        : ((given as { incident?: Incident })?.incident?.id ??
          (typeof (given as Incident)?.id === 'string' && typeof (given as Incident)?.number === 'number'
            ? (given as Incident).id
            : undefined));
    if (!incidentId)
      incidentId = (await pickIncident(backend, undefined, 'Analyze the accounts and URLs of which incident?'))?.id;
    if (!incidentId) return;
    const details = await backend.getIncident(incidentId);
    const seen = new Set<string>();
    const targets: AnalysisEntity[] = [];
    for (const entity of details.entities) {
      const t = targetFromEntity(entity);
      if (!t) continue;
      const key = `${t.type}:${t.id}`;
      if (!seen.has(key)) {
        seen.add(key);
        targets.push(t);
      }
    }
    const label = `incident #${details.incident.number}`;
    if (!targets.length) {
      void vscode.window.showInformationMessage(`No accounts or URLs to analyze in ${label}.`);
      return;
    }
    const preferred = read(Settings.analyzerDefaultLookbackDays);
    const end = await backendNow(backend, ctx.logger);
    const counts = { queued: 0, cached: 0, joined: 0, refused: [] as string[] };
    for (const t of targets) {
      const days = t.type === 'User' ? Math.min(preferred, readAnalyzerSettings().maxUserWindowDays) : preferred;
      try {
        const outcome = service.request({ entity: t, ...windowFor(end, days) });
        incidentOf.set(outcome.job.id, details.incident.id);
        if (outcome.cached) counts.cached++;
        else if (outcome.joined) counts.joined++;
        else counts.queued++;
      } catch (e) {
        counts.refused.push(`${t.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const usage = service.scheduler.usage();
    const parts = [`${counts.queued} queued`];
    if (counts.cached) parts.push(`${counts.cached} answered from the cache`);
    if (counts.joined) parts.push(`${counts.joined} already running`);
    if (counts.refused.length) parts.push(`${counts.refused.length} refused`);
    const remainingHour = Math.max(0, usage.limits.runsPerHour - usage.lastHour);
    const quotaNote =
      usage.queued > 0 && remainingHour === 0
        ? ` The hourly quota (${usage.limits.runsPerHour}) is used up; queued analyses start as it frees.`
        : '';
    for (const r of counts.refused) ctx.logger.warn(`analyze ${label}: ${r}`);
    // Neither the summary nor revealing the view holds the command (a menu invoking it waits for it).
    void vscode.window
      .showInformationMessage(
        `Entity Analyzer, ${label}: ${targets.length} entit${targets.length === 1 ? 'y' : 'ies'} — ${parts.join(', ')}.${quotaNote}`,
        ...(counts.refused.length ? ['Show Log'] : []),
      )
      .then((choice) => choice === 'Show Log' && ctx.log.show(true));
    if (counts.queued || counts.joined) {
      const first = service.list().find((j) => !j.done);
      if (first)
        void view
          .reveal(tree.nodeFor(first.id) ?? new AnalysisNode(first), { select: false, focus: false })
          .then(undefined, () => undefined);
    }
  },
};
