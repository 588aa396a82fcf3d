// `swb incidents`: lists incidents (newest first) from a lake or a Sentinel workspace; `--id` shows one
// incident with its alerts, entities and comments.
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../../core/errors';
import { describeFilter, parseList, parseSeverity, parseStatus } from '../../core/backends/incidents';
import type { IncidentDetails, IncidentFilter, IncidentPage, SentinelBackend } from '../../core/backends/types';
import { stderrLogger } from '../../core/types';
import { CliIO, parseFlags } from '../io';
import { isServiceError, openAzureBackend, reportServiceError, tenantOf } from '../remote';

const FLAGS = {
  lake: { type: 'string' },
  azure: { type: 'string' },
  status: { type: 'string' },
  severity: { type: 'string' },
  owner: { type: 'string' },
  text: { type: 'string' },
  top: { type: 'string' },
  'page-token': { type: 'string' },
  id: { type: 'string' },
  format: { type: 'string' },
  tenant: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `usage: swb incidents [--lake DIR | --azure RESOURCE_ID [--tenant ID]] [--status S] [--severity S] [--owner X] [--text X]
                     [--top N] [--page-token T] [--id ID] [--format json|table]
  Newest first. --top N (1-1000, default 50) reads pages until N incidents match or the list ends; the last line
  (table) or nextPageToken (json) continues from there. --status/--severity take comma-separated values.`;

/** --lake, else ./lake or ./sample/lake when they hold a lake.json. */
export function resolveLakeDir(given: string | undefined, cwd: string): string {
  if (given) {
    const dir = path.resolve(cwd, given);
    if (!fs.existsSync(dir)) throw new UserError(`${given}: no such lake folder`);
    return dir;
  }
  for (const candidate of ['lake', path.join('sample', 'lake')]) {
    const dir = path.resolve(cwd, candidate);
    if (fs.existsSync(path.join(dir, 'lake.json'))) return dir;
  }
  throw new UserError('no lake found: pass --lake DIR (create one with `swb lake generate --out sample/lake`)');
}

async function openBackend(values: Record<string, unknown>, io: CliIO): Promise<SentinelBackend> {
  const logger = stderrLogger('warn');
  if (values.azure !== undefined) {
    if (values.lake !== undefined) throw new UserError('use either --lake or --azure, not both');
    return openAzureBackend(String(values.azure), io, tenantOf(values, io));
  }
  if (values.tenant !== undefined) throw new UserError('--tenant applies to --azure only');
  const { createLakeBackend } = require('../../core/backends/lake') as typeof import('../../core/backends/lake');
  return createLakeBackend(resolveLakeDir(values.lake as string | undefined, io.cwd), { logger });
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function table(page: IncidentPage, filter: IncidentFilter): string {
  const lines: string[] = [];
  const described = describeFilter(filter);
  if (described) lines.push(`Filter: ${described}`);
  lines.push(
    `${pad('#', 6)} ${pad('Severity', 13)} ${pad('Status', 7)} ${pad('Owner', 24)} ${pad('Created', 20)} Title`,
  );
  for (const i of page.incidents) {
    lines.push(
      `${pad(String(i.number), 6)} ${pad(i.severity, 13)} ${pad(i.status, 7)} ${pad(i.owner ?? '-', 24)} ${pad(i.createdTime.replace(/\.\d+Z$/, 'Z'), 20)} ${i.title}`,
    );
  }
  lines.push(
    `${page.incidents.length} incident(s)${page.nextPageToken ? ` — more: --page-token ${page.nextPageToken}` : ''}`,
  );
  return lines.join('\n') + '\n';
}

function details(d: IncidentDetails): string {
  const i = d.incident;
  const lines = [
    `#${i.number} ${i.title}`,
    `  ${i.severity} · ${i.status}${i.classification ? ` · ${i.classification}` : ''} · owner ${i.owner ?? 'unassigned'} · created ${i.createdTime}`,
  ];
  if (i.url) lines.push(`  ${i.url}`);
  lines.push(`Alerts (${d.alerts.length}):`);
  for (const a of d.alerts)
    lines.push(`  ${a.severity.padEnd(13)} ${a.name}${a.tactics.length ? ` [${a.tactics.join(', ')}]` : ''}`);
  lines.push(`Entities (${d.entities.length}):`);
  for (const e of d.entities) lines.push(`  ${e.kind.padEnd(16)} ${e.displayName}`);
  if (d.skippedEntities) lines.push(`  (${d.skippedEntities} unreadable entity record(s) skipped)`);
  if (d.comments?.length) {
    lines.push(`Comments (${d.comments.length}):`);
    for (const c of d.comments) lines.push(`  ${c.createdTime} ${c.author ?? ''}: ${c.message}`);
  }
  return lines.join('\n') + '\n';
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (values.help) {
    io.stdout(USAGE + '\n');
    return 0;
  }
  if (positionals.length) throw new UserError(`unexpected argument '${positionals[0]}'`);
  const format = (values.format as string | undefined) ?? 'table';
  if (format !== 'json' && format !== 'table')
    throw new UserError(`unknown format '${format}' (expected json or table)`);
  let top = 50;
  if (values.top !== undefined) {
    top = Number(values.top);
    if (!Number.isInteger(top) || top < 1 || top > 1000)
      throw new UserError(`--top must be a whole number from 1 to 1000, got '${values.top}'`);
  }
  const filter: IncidentFilter = {
    status: parseList(values.status as string | undefined, parseStatus),
    severity: parseList(values.severity as string | undefined, parseSeverity),
    owner: values.owner as string | undefined,
    text: values.text as string | undefined,
  };
  const backend = await openBackend(values, io);
  try {
    if (values.id !== undefined) {
      const d = await backend.getIncident(String(values.id));
      io.stdout(format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : details(d));
      return 0;
    }
    const page = await backend.listIncidents(filter, { top, pageToken: values['page-token'] as string | undefined });
    io.stdout(format === 'json' ? `${JSON.stringify(page, null, 2)}\n` : table(page, filter));
    return 0;
  } catch (e) {
    // Service answers (permissions, throttling, timeouts, malformed answers) are clear lines, not a stack.
    if (isServiceError(e)) return reportServiceError(e, io);
    throw e;
  } finally {
    await backend.dispose();
  }
}
