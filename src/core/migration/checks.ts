// The five live checks. Each takes what it needs as parameters (a runQuery function, rule lists,
// connector inventories), so the CLI, the extension and tests can feed them plain data or the engine.
import { isCancellation, throwIfAborted } from '../errors';
import type { QueryResult } from '../types';
import { PARALLEL_RUN_REMINDER, summariseAutomationRule } from './automation';
import { CheckId, DUPLICATE_INCIDENTS_QUERY } from './checklist';
import { ConnectorRow, diffConnectors } from './connectors';
import { RBAC_MAPPINGS } from './rbac';
import type { LoadedAutomationRule, LoadedRule, LoadError } from './ruleFiles';
import type { CheckRun, ConnectorsData, DuplicateIncidentsData } from './state';
import { auditRuleTitles } from './titleAudit';

export type RunQuery = (query: string, signal?: AbortSignal) => Promise<QueryResult>;

export const CONNECTORS_BEFORE_QUERY =
  'DataConnectorsBeforeCutover | project TimeGenerated, ConnectorId, Kind, Name, State';
export const CONNECTORS_CURRENT_QUERY = 'DataConnectors | project TimeGenerated, ConnectorId, Kind, Name, State';

export const DUPLICATE_CAUSE =
  'Microsoft incident creation rules in Sentinel ("Create incidents based on Microsoft Defender … alerts") still create an incident for every alert from a Microsoft security product, while Defender XDR correlates the same alerts into its own incidents. Each alert then shows up twice, under the same title.';
export const DUPLICATE_FIX =
  'Turn off the Microsoft incident creation rules (Sentinel → Analytics, rule type "Microsoft Security") for the products connected through Defender XDR, and let Defender XDR create the incidents. Keep scheduled and NRT rules; re-run this check after a day.';

export interface ConnectorInventory {
  rows: ConnectorRow[];
  /** Where it came from, e.g. "DataConnectorsBeforeCutover (local demo lake)". */
  source: string;
  query?: string;
}

export interface RuleSet<T> {
  rules: T[];
  errors: LoadError[];
  sources: string[];
}

export interface CheckInputs {
  now: () => Date;
  /** Label of the active backend, recorded with each result. */
  source?: string;
  signal?: AbortSignal;
  runQuery?: RunQuery;
  connectorsBefore?: () => Promise<ConnectorInventory>;
  connectorsCurrent?: () => Promise<ConnectorInventory>;
  analyticsRules?: () => Promise<RuleSet<LoadedRule>>;
  automationRules?: () => Promise<RuleSet<LoadedAutomationRule>>;
  namingConvention?: string;
}

/** Runs one check. Failures are returned as an `error` result (so they show and get recorded); cancellation throws. */
export async function runCheck(id: CheckId, inputs: CheckInputs): Promise<CheckRun> {
  const ranAt = () => inputs.now().toISOString();
  try {
    throwIfAborted(inputs.signal);
    switch (id) {
      case 'connectors':
        return { checkId: id, ranAt: ranAt(), source: inputs.source, ...(await connectorCheck(inputs)) };
      case 'duplicateIncidents':
        return { checkId: id, ranAt: ranAt(), source: inputs.source, ...(await duplicateIncidentsCheck(inputs)) };
      case 'ruleTitles': {
        const set = await need(inputs.analyticsRules, 'analytics rules')();
        throwIfAborted(inputs.signal);
        const report = auditRuleTitles(set.rules, set.errors, { namingConvention: inputs.namingConvention });
        const findings =
          report.duplicateTitles.length + report.nearDuplicateTitles.length + report.namingViolations.length;
        const parts = [
          `${report.rules} rules`,
          `${report.duplicateTitles.length} duplicate title${report.duplicateTitles.length === 1 ? '' : 's'}`,
          `${report.nearDuplicateTitles.length} near-duplicate group${report.nearDuplicateTitles.length === 1 ? '' : 's'}`,
          `${report.namingViolations.length} naming violation${report.namingViolations.length === 1 ? '' : 's'}`,
        ];
        if (report.errors.length)
          parts.push(`${report.errors.length} file error${report.errors.length === 1 ? '' : 's'}`);
        return {
          checkId: id,
          ranAt: ranAt(),
          source: inputs.source,
          status: findings || report.errors.length ? 'findings' : 'ok',
          summary: parts.join(', '),
          data: {
            report,
            rules: set.rules.map((r) => ({
              id: r.id,
              title: r.title,
              severity: r.severity,
              file: r.location.file,
              line: r.location.line,
            })),
            sources: set.sources,
          },
        };
      }
      case 'rbac':
        return {
          checkId: id,
          ranAt: ranAt(),
          status: 'findings',
          summary: `${RBAC_MAPPINGS.length} roles to map, ${RBAC_MAPPINGS.filter((m) => m.gap !== 'none').length} with a gap`,
          data: { mappings: RBAC_MAPPINGS },
        };
      case 'automation': {
        const set = await need(inputs.automationRules, 'automation rules')();
        // Conditions refer to analytics rules by ARM id; name them when the rules are known.
        const titles = new Map<string, string>();
        if (inputs.analyticsRules) {
          try {
            for (const r of (await inputs.analyticsRules()).rules) titles.set(r.id.toLowerCase(), r.title);
          } catch (e) {
            if (isCancellation(e)) throw e;
          }
        }
        const rules = set.rules.map((r) => summariseAutomationRule(r, titles));
        return {
          checkId: id,
          ranAt: ranAt(),
          source: inputs.source,
          status: set.errors.length ? 'findings' : 'ok',
          summary: `${rules.length} automation rule${rules.length === 1 ? '' : 's'} to recreate or validate${set.errors.length ? `, ${set.errors.length} file error${set.errors.length === 1 ? '' : 's'}` : ''}`,
          data: {
            rules,
            errors: set.errors.map((e) => ({ file: e.file, message: e.message, line: e.line })),
            sources: set.sources,
            reminder: PARALLEL_RUN_REMINDER,
          },
        };
      }
    }
  } catch (e) {
    if (isCancellation(e)) throw e;
    return {
      checkId: id,
      ranAt: ranAt(),
      source: inputs.source,
      status: 'error',
      summary: 'check failed',
      error: (e as Error).message ?? String(e),
    } as CheckRun;
  }
}

async function connectorCheck(
  inputs: CheckInputs,
): Promise<{ status: CheckRun['status']; summary: string; data: ConnectorsData }> {
  const before = await need(inputs.connectorsBefore, 'a connector inventory from before the cutover')();
  throwIfAborted(inputs.signal);
  const current = await need(inputs.connectorsCurrent, 'the current connector inventory')();
  const diff = diffConnectors(before.rows, current.rows);
  const unexpected = diff.appeared.filter((a) => a.autoEnable === 'no' || a.autoEnable === 'unknown').length;
  const summary = diff.appeared.length
    ? `${diff.appeared.length} connector${diff.appeared.length === 1 ? '' : 's'} appeared (${diff.appeared.map((a) => a.product ?? (a.name || a.connectorId)).join(', ')})${unexpected ? `, ${unexpected} not expected` : ''}`
    : 'no connector appeared';
  return {
    status: diff.appeared.length || diff.disappeared.length ? 'findings' : 'ok',
    summary,
    data: {
      ...diff,
      beforeSource: before.source,
      currentSource: current.source,
      queries: { before: before.query, current: current.query },
    },
  };
}

async function duplicateIncidentsCheck(
  inputs: CheckInputs,
): Promise<{ status: CheckRun['status']; summary: string; data: DuplicateIncidentsData }> {
  const runQuery = need(inputs.runQuery, 'a backend to run queries on');
  const result = await runQuery(DUPLICATE_INCIDENTS_QUERY, inputs.signal);
  const iTitle = result.columns.findIndex((c) => c.name === 'Title');
  const iCount = result.columns.findIndex((c) => c.name === 'IncidentCount');
  if (iTitle < 0 || iCount < 0)
    throw new Error(`unexpected result columns: ${result.columns.map((c) => c.name).join(', ')}`);
  const rows = result.rows.map((r) => ({ title: String(r[iTitle] ?? ''), count: Number(r[iCount] ?? 0) }));
  const extra = rows.reduce((n, r) => n + r.count - 1, 0);
  // The fix names the rules to turn off: Microsoft incident creation rules among the known rules.
  let incidentCreationRules: DuplicateIncidentsData['incidentCreationRules'];
  if (inputs.analyticsRules) {
    try {
      const set = await inputs.analyticsRules();
      incidentCreationRules = set.rules
        .filter((r) => r.kind === 'MicrosoftSecurityIncidentCreation')
        .map((r) => ({ id: r.id, title: r.title, file: r.location.file, line: r.location.line, enabled: r.enabled }));
    } catch (e) {
      if (isCancellation(e)) throw e;
      // The rules are a hint for the fix; the check stands without them.
    }
  }
  return {
    status: rows.length ? 'findings' : 'ok',
    summary: rows.length
      ? `${rows.length} title${rows.length === 1 ? '' : 's'} raised more than once in 7 days (${extra} extra incident${extra === 1 ? '' : 's'})`
      : 'no incident title repeated in the last 7 days',
    data: { query: DUPLICATE_INCIDENTS_QUERY, rows, cause: DUPLICATE_CAUSE, fix: DUPLICATE_FIX, incidentCreationRules },
  };
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`this check needs ${what}, which is not available here`);
  return value;
}
