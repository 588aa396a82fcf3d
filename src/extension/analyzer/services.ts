// What the analyzer's commands and verdict actions share: the governed service, the Analyses view, and the
// helpers that start, follow and show analyses.
import * as vscode from 'vscode';
import type { AnalysisJob } from '../../core/analyzer/job';
import type { AnalyzerService } from '../../core/analyzer/service';
import type { AnalysisEntity } from '../../core/analyzer/types';
import type { Incident, SentinelBackend } from '../../core/backends/types';
import { incidentsWithEntityQuery } from '../../core/backends/incidents';
import { UserError } from '../../core/errors';
import type { Logger } from '../../core/types';
import { formatTime, TimeFormat } from '../../core/timeFormat';
import type { VerdictMeta } from '../../webview/_verdictProtocol';
import type { FeatureContext } from '../features';
import type { AnalysesTree, AnalysisNode } from './analysesView';

export interface AnalyzerCommandServices {
  readonly ctx: FeatureContext;
  readonly service: AnalyzerService;
  readonly tree: AnalysesTree;
  readonly view: vscode.TreeView<AnalysisNode>;
  /** The incident each job was started from (preselected for "Add as incident comment"). */
  readonly incidentOf: Map<string, string>;
  /** Analyzes an entity over the last `days` of the backend's clock: the cached verdict, or a run followed with progress. */
  analyze(target: AnalysisEntity, days: number, extra?: Partial<VerdictMeta>): Promise<void>;
  /** Starts (or joins) a run and follows it with a progress notification. */
  run(start: () => AnalysisJob, extra?: Partial<VerdictMeta>): Promise<void>;
  follow(job: AnalysisJob, extra?: Partial<VerdictMeta>): Promise<void>;
  showVerdict(job: AnalysisJob, extra?: Partial<VerdictMeta>): void;
}

/**
 * The backend's notion of "now": the local lake may pin its clock (lake.json `now`), so the window must end
 * there, not at the wall clock. Azure uses the wall clock.
 */
export async function backendNow(backend: SentinelBackend, logger: Logger): Promise<number> {
  if (backend.kind !== 'local') return Date.now();
  try {
    return (await backend.now(AbortSignal.timeout(15_000))).getTime();
  } catch (e) {
    logger.warn(`could not read the lake's clock, using the wall clock: ${e instanceof Error ? e.message : String(e)}`);
  }
  return Date.now();
}

/** Ids of the incidents whose alerts name the entity; empty when the backend cannot say (never fatal). */
async function incidentsNaming(backend: SentinelBackend, entity: string, logger: Logger): Promise<Set<string>> {
  try {
    const r = await backend.runQuery(incidentsWithEntityQuery(entity), {
      maxRows: 500,
      signal: AbortSignal.timeout(20_000),
    });
    const col = r.columns.findIndex((c) => c.name === 'IncidentName');
    return new Set(r.rows.map((row) => String(row[col] ?? '')).filter(Boolean));
  } catch (e) {
    logger.warn(`Could not find the incidents that contain ${entity}: ${(e as Error).message}`);
    return new Set();
  }
}

/** The incident picker: the one the analysis came from, then the incidents containing the entity, then the rest. */
export async function pickIncident(
  backend: SentinelBackend,
  preferId: string | undefined,
  placeHolder: string,
  options: { entity?: string; logger?: Logger; format?: TimeFormat } = {},
): Promise<Incident | undefined> {
  const { entity, logger, format = 'utc' } = options;
  const [page, containing] = await Promise.all([
    backend.listIncidents({}, { top: 50 }),
    entity && logger ? incidentsNaming(backend, entity, logger) : Promise.resolve(new Set<string>()),
  ]);
  const rank = (i: Incident) => (i.id === preferId ? 0 : containing.has(i.id) ? 1 : 2);
  const incidents = page.incidents
    .map((incident, index) => ({ incident, index }))
    .sort((a, b) => rank(a.incident) - rank(b.incident) || a.index - b.index)
    .map((x) => x.incident);
  if (!incidents.length) throw new UserError(`No incidents found on the ${backend.label}.`);
  const pick = await vscode.window.showQuickPick(
    incidents.map((incident) => ({
      label: `#${incident.number} ${incident.title}`,
      description: `${incident.severity} · ${incident.status}${containing.has(incident.id) ? ` · contains ${entity}` : ''}`,
      detail: `Created ${formatTime(incident.createdTime, format)}${incident.owner ? ` · ${incident.owner}` : ''}`,
      incident,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return pick?.incident;
}
