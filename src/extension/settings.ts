// Every setting the extension reads, with its key, type and default, in one place. It agrees with
// package.json `contributes.configuration` (test/adapter/settings.test.ts checks both ways). Values are read
// on every call, never cached, so a changed setting applies the next time it is needed.
import * as vscode from 'vscode';
import type { AnalyzerSettings } from '../core/analyzer/service';
import { ANALYZER_DEFAULTS } from '../core/analyzer/types';
import { DEFAULT_API_VERSION, DEFAULT_ENDPOINTS, DEFAULT_GRAPH_ENDPOINT } from '../core/backends/azure/config';
import type { BackendKind } from '../core/backends/types';
import { DEFAULT_NAMING_CONVENTION } from '../core/migration/titleAudit';
import type { TimeFormat } from '../core/timeFormat';
import type { GroupBy } from './triage/model';

export const SETTINGS_SECTION = 'sentinelWorkbench';

export type SettingType = 'string' | 'integer' | 'boolean' | 'array';

export interface Setting<T> {
  /** The key below `sentinelWorkbench.`, e.g. `query.maxRows`. */
  readonly key: string;
  readonly type: SettingType;
  readonly default: T;
  /** The allowed values of an enum setting. */
  readonly values?: readonly T[];
  readonly minimum?: number;
  readonly maximum?: number;
}

const text = (key: string, defaultValue: string): Setting<string> => ({ key, type: 'string', default: defaultValue });
const choice = <T extends string>(key: string, values: readonly T[], defaultValue: T): Setting<T> => ({
  key,
  type: 'string',
  default: defaultValue,
  values,
});
const integer = (key: string, defaultValue: number, minimum: number, maximum: number): Setting<number> => ({
  key,
  type: 'integer',
  default: defaultValue,
  minimum,
  maximum,
});
const flag = (key: string, defaultValue: boolean): Setting<boolean> => ({
  key,
  type: 'boolean',
  default: defaultValue,
});
const list = (key: string): Setting<readonly unknown[]> => ({ key, type: 'array', default: [] });

export const Settings = {
  backend: choice<BackendKind>('backend', ['local', 'azure'], 'local'),
  lakePath: text('lakePath', ''),
  queryMaxRows: integer('query.maxRows', 100_000, 1, 1_000_000),
  queryTimeoutSeconds: integer('query.timeoutSeconds', 120, 5, 3600),
  queryMemoryMb: integer('query.memoryMb', 2048, 256, 16_384),
  analyzerMaxConcurrent: integer('analyzer.maxConcurrent', ANALYZER_DEFAULTS.maxConcurrent, 1, 15),
  analyzerRunsPerHour: integer('analyzer.runsPerHour', ANALYZER_DEFAULTS.runsPerHour, 1, 200),
  analyzerRunsPerDay: integer('analyzer.runsPerDay', ANALYZER_DEFAULTS.runsPerDay, 1, 500),
  analyzerMaxUserWindowDays: integer('analyzer.maxUserWindowDays', ANALYZER_DEFAULTS.maxUserWindowDays, 1, 7),
  analyzerDefaultLookbackDays: integer('analyzer.defaultLookbackDays', 7, 1, 7),
  analyzerPollWaitSeconds: integer('analyzer.pollWaitSeconds', ANALYZER_DEFAULTS.pollWaitSeconds, 1, 60),
  analyzerResultLifetimeMinutes: integer(
    'analyzer.resultLifetimeMinutes',
    ANALYZER_DEFAULTS.resultLifetimeMs / 60_000,
    1,
    60,
  ),
  incidentsGroupBy: choice<GroupBy>('incidents.groupBy', ['severity', 'status', 'none'], 'severity'),
  incidentsPageSize: integer('incidents.pageSize', 50, 5, 1000),
  incidentsRefreshIntervalSeconds: integer('incidents.refreshIntervalSeconds', 0, 0, 86_400),
  incidentsMyName: text('incidents.myName', ''),
  timeFormat: choice<TimeFormat>('timeFormat', ['utc', 'local'], 'utc'),
  historySaveResults: flag('history.saveResults', true),
  historyMaxResultMegabytes: integer('history.maxResultMegabytes', 50, 1, 2048),
  defenderGraphEndpoint: text('defender.graphEndpoint', DEFAULT_GRAPH_ENDPOINT),
  kustoClusters: list('kusto.clusters'),
  useAccessTokenFromEnvironment: flag('development.useAccessTokenFromEnvironment', false),
  azureTenantId: text('azure.tenantId', ''),
  azureAuthProvider: choice('azure.authProvider', ['microsoft', 'microsoft-sovereign-cloud'], 'microsoft'),
  azureWorkspaceResourceId: text('azure.workspaceResourceId', ''),
  azureApiVersion: text('azure.apiVersion', DEFAULT_API_VERSION),
  azureArmEndpoint: text('azure.armEndpoint', DEFAULT_ENDPOINTS.armEndpoint),
  azureLogsEndpoint: text('azure.logsEndpoint', DEFAULT_ENDPOINTS.logsEndpoint),
  azureSentinelMcpUrl: text('azure.sentinelMcpUrl', DEFAULT_ENDPOINTS.sentinelMcpUrl),
  azureArmScope: text('azure.armScope', DEFAULT_ENDPOINTS.armScope),
  azureLogsScope: text('azure.logsScope', DEFAULT_ENDPOINTS.logsScope),
  azureSentinelMcpScope: text('azure.sentinelMcpScope', DEFAULT_ENDPOINTS.sentinelMcpScope),
  migrationNamingConvention: text('migration.namingConvention', DEFAULT_NAMING_CONVENTION),
  migrationRuleFiles: text('migration.ruleFiles', '**/*.{yaml,yml,json}'),
} as const;

/** The setting's full id, e.g. `sentinelWorkbench.query.maxRows`. */
export function settingId(setting: Setting<unknown>): string {
  return `${SETTINGS_SECTION}.${setting.key}`;
}

/**
 * The setting's current value. A value of the wrong type (or not one of an enum's values) reads as the default;
 * a number outside the declared bounds reads as the nearest bound, as the settings editor would allow.
 */
export function read<T>(setting: Setting<T>): T {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>(setting.key);
  switch (setting.type) {
    case 'string':
      if (typeof value !== 'string') return setting.default;
      return setting.values && !setting.values.includes(value as T) ? setting.default : (value as T);
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return setting.default;
      const low = Math.max(value, setting.minimum ?? -Infinity);
      return Math.min(low, setting.maximum ?? Infinity) as T;
    }
    case 'boolean':
      return typeof value === 'boolean' ? (value as T) : setting.default;
    case 'array':
      return Array.isArray(value) ? (value as T) : setting.default;
  }
}

/** A string setting's value trimmed; empty (or only blanks) reads as `fallback`. */
export function readTrimmed(setting: Setting<string>, fallback = setting.default): string {
  return read(setting).trim() || fallback;
}

export async function write<T>(
  setting: Setting<T>,
  value: T | undefined,
  target: vscode.ConfigurationTarget,
): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(setting.key, value, target);
}

/** Whether a configuration change touches any of the settings. */
export function affects(event: vscode.ConfigurationChangeEvent, ...settings: Setting<unknown>[]): boolean {
  return settings.some((s) => event.affectsConfiguration(settingId(s)));
}

/** Every setting whose key starts with `prefix.` (e.g. all `azure.*` settings). */
export function settingsUnder(prefix: string): Setting<unknown>[] {
  return Object.values(Settings).filter((s: Setting<unknown>) => s.key.startsWith(`${prefix}.`));
}

/** Analyzer settings, read on every call. */
export function readAnalyzerSettings(): AnalyzerSettings {
  return {
    maxConcurrent: read(Settings.analyzerMaxConcurrent),
    runsPerHour: read(Settings.analyzerRunsPerHour),
    runsPerDay: read(Settings.analyzerRunsPerDay),
    maxUserWindowDays: read(Settings.analyzerMaxUserWindowDays),
    resultLifetimeMs: read(Settings.analyzerResultLifetimeMinutes) * 60_000,
  };
}
