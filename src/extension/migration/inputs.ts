// Gathers what the live checks need from VS Code: the active backend, the workspace's rule files,
// the stored connector snapshot and the settings. The checks themselves live in the core.
import * as path from 'path';
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import type { SentinelBackend } from '../../core/backends/types';
import {
  CheckInputs,
  CONNECTORS_BEFORE_QUERY,
  CONNECTORS_CURRENT_QUERY,
  ConnectorInventory,
  RuleSet,
} from '../../core/migration/checks';
import { ConnectorRow, connectorRowsFromResult } from '../../core/migration/connectors';
import type { LoadedAutomationRule, LoadedRule } from '../../core/migration/ruleFiles';
import { loadRuleFiles } from '../../core/migration/ruleSources';
import { DEFAULT_NAMING_CONVENTION } from '../../core/migration/titleAudit';
import type { FeatureContext } from '../features';
import type { ChecklistStore } from './store';

const RULE_FILE_EXCLUDE =
  '{**/node_modules/**,**/.git/**,**/lake/**,**/dist/**,**/out/**,**/.vscode/**,**/.vscode-test/**,**/package.json,**/package-lock.json,**/tsconfig*.json,**/*.tmLanguage.json}';
const MAX_RULE_FILES = 5000;

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function namingConvention(): string {
  return read(Settings.migrationNamingConvention) || DEFAULT_NAMING_CONVENTION;
}

/** The workspace's analytics and automation rule files (YAML and ARM JSON), loaded; broken files become errors. */
export async function loadWorkspaceRules(
  signal?: AbortSignal,
): Promise<{ analytics: RuleSet<LoadedRule>; automation: RuleSet<LoadedAutomationRule> }> {
  if (!vscode.workspace.isTrusted)
    throw new Error('rule files are not read in an untrusted workspace; trust the workspace to audit them');
  const root = workspaceRoot();
  const glob = read(Settings.migrationRuleFiles) || Settings.migrationRuleFiles.default;
  const uris = await vscode.workspace.findFiles(glob, RULE_FILE_EXCLUDE, MAX_RULE_FILES);
  const files = uris
    .filter((u) => u.scheme === 'file')
    .map((u) => u.fsPath)
    .sort();
  const set = await loadRuleFiles(files, { cwd: root, signal });
  const dirs = (files: string[]) => [...new Set(files.map((f) => path.posix.dirname(f)))].sort();
  return {
    analytics: {
      rules: set.rules,
      errors: set.errors,
      sources: dirs([...set.rules.map((r) => r.location.file), ...set.errors.map((e) => e.file)]),
    },
    automation: {
      rules: set.automationRules,
      errors: [],
      sources: dirs(set.automationRules.flatMap((r) => (r.location ? [r.location.file] : []))),
    },
  };
}

/** Builds the inputs of the live checks for the active backend. */
export async function checkInputs(
  ctx: FeatureContext,
  store: ChecklistStore,
  signal: AbortSignal,
): Promise<CheckInputs> {
  const label = ctx.backends.label;
  let backendPromise: Promise<SentinelBackend> | undefined;
  const backend = () => (backendPromise ??= ctx.backends.current());
  let rulesPromise: ReturnType<typeof loadWorkspaceRules> | undefined;
  const rules = () => (rulesPromise ??= loadWorkspaceRules(signal));

  const query = async (q: string, s?: AbortSignal) => (await backend()).runQuery(q, { signal: s ?? signal });
  const inventoryFromQuery = async (q: string, table: string): Promise<ConnectorInventory> => ({
    rows: connectorRowsFromResult(await query(q)),
    source: `${table} (${label})`,
    query: q,
  });
  const snapshot = (): ConnectorInventory | undefined => {
    const s = store.current.connectorSnapshot;
    return s ? { rows: s.rows, source: `inventory captured ${s.capturedAt} from ${s.source}` } : undefined;
  };

  return {
    now: () => new Date(),
    source: label,
    signal,
    runQuery: query,
    namingConvention: namingConvention(),
    connectorsBefore: async () => {
      const b = await backend();
      if (b.kind === 'local') {
        try {
          return await inventoryFromQuery(CONNECTORS_BEFORE_QUERY, 'DataConnectorsBeforeCutover');
        } catch (e) {
          const snap = snapshot();
          if (snap) return snap;
          throw new Error(
            `no inventory from before the cutover: the lake has no readable DataConnectorsBeforeCutover table (${(e as Error).message}) and none was captured`,
            { cause: e },
          );
        }
      }
      const snap = snapshot();
      if (!snap)
        throw new Error(
          'no inventory from before the cutover: use "Capture current inventory" before connecting the workspace to the Defender portal',
        );
      return snap;
    },
    connectorsCurrent: async () => {
      const b = await backend();
      if (b.kind === 'local') return inventoryFromQuery(CONNECTORS_CURRENT_QUERY, 'DataConnectors');
      return { rows: await currentConnectors(b, signal), source: `data connectors of ${b.label}` };
    },
    analyticsRules: async () => {
      const local = (await rules()).analytics;
      const b = await backend();
      if (b.kind !== 'azure') return local;
      const remote = await b.listAnalyticsRules(signal);
      const fromWorkspace: LoadedRule[] = remote.map((r) => ({
        id: r.id.split('/').pop() ?? r.id,
        title: r.displayName,
        severity: r.severity,
        tactics: r.tactics ?? [],
        techniques: r.techniques ?? [],
        kind: r.kind,
        enabled: r.enabled,
        query: r.query,
        location: { file: `alertRules (${b.label})`, line: 0 },
        origin: 'workspace',
      }));
      return {
        rules: [...local.rules, ...fromWorkspace],
        errors: local.errors,
        sources: [...local.sources, `alertRules (${b.label})`],
      };
    },
    automationRules: async () => {
      const local = (await rules()).automation;
      const b = await backend();
      if (b.kind !== 'azure') return local;
      const remote = await b.listAutomationRules(signal);
      const fromWorkspace: LoadedAutomationRule[] = remote.map(({ source: _source, ...rule }) => ({
        ...rule,
        id: rule.id.split('/').pop() ?? rule.id,
      }));
      return {
        rules: [...local.rules, ...fromWorkspace],
        errors: local.errors,
        sources: [...local.sources, `automationRules (${b.label})`],
      };
    },
  };
}

/** The current connector inventory of a backend (local: the lake's DataConnectors table). */
export async function currentConnectors(b: SentinelBackend, signal?: AbortSignal): Promise<ConnectorRow[]> {
  if (b.kind === 'local') return connectorRowsFromResult(await b.runQuery(CONNECTORS_CURRENT_QUERY, { signal }));
  const list = await b.listDataConnectors(signal);
  return list.map((c) => ({ connectorId: c.id || c.kind, kind: c.kind, name: c.name, state: 'Connected' }));
}
