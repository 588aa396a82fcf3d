// `swb analyze [--lake DIR] [--now ISO] [--days N] [--format json|text] (user UPN-OR-OBJECTID | url URL)`
// Runs the local Entity Analyzer in-process: the same reasoning code as the local MCP server.
import * as path from 'path';
import { UserError } from '../../core/errors';
import { echo } from '../../core/echo';
import { parseDatetime } from '../../core/columnar/convert';
import { stderrLogger } from '../../core/types';
import type { AnalysisResult } from '../../core/analyzer/types';
import { CliIO, parseFlags } from '../io';

/** Longest window the CLI asks for (user analyses are refused above 7 days by the analyzer itself). */
const MAX_DAYS = 3650;

const USAGE = `usage: swb analyze [--lake DIR] [--now ISO] [--days N] [--format json|text] (user UPN-OR-OBJECTID | url URL)
       swb analyze --azure RESOURCE_ID [--tenant ID] [--force] [--days N] [--format json|text] (user UPN-OR-OBJECTID | url URL)
  --azure runs Microsoft Sentinel's Entity Analyzer (Sentinel MCP server) within the documented limits:
  a user window of 7 days or less, 5 concurrent runs, 200 runs an hour, 500 a day (SWB_ANALYZER_MAX_CONCURRENT,
  SWB_ANALYZER_RUNS_PER_HOUR, SWB_ANALYZER_RUNS_PER_DAY); results are cached for an hour (--force runs again).
  Exit 1 when the analysis fails.`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    lake: { type: 'string' },
    now: { type: 'string' },
    days: { type: 'string' },
    format: { type: 'string' },
    azure: { type: 'string' },
    tenant: { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(USAGE + '\n');
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'json';
  if (format !== 'json' && format !== 'text') throw new UserError(`--format must be json or text (got ${format})`);
  if (positionals.length !== 2) throw new UserError(USAGE.split('\n')[0]);
  const kind = positionals[0].toLowerCase();
  if (kind !== 'user' && kind !== 'url')
    throw new UserError(`unknown entity kind '${positionals[0]}': use 'user' or 'url' (${USAGE.split('\n')[0]})`);
  const days = values.days === undefined ? 7 : Number(values.days);
  if (!Number.isFinite(days) || days <= 0 || days > MAX_DAYS) {
    throw new UserError(
      `--days must be a number of days above 0 and at most ${MAX_DAYS} (got ${echo(values.days, 40)})`,
    );
  }
  let now: Date | undefined;
  if (values.now !== undefined) {
    // the same reading as `swb query --now`: a calendar date that exists (no 2026-02-30), in ISO-8601
    const us = parseDatetime(String(values.now));
    if (us === null) throw new UserError(`--now is not an ISO-8601 date-time: ${echo(values.now, 40)}`);
    now = new Date(us / 1000);
  }

  const entity = { type: kind === 'user' ? ('User' as const) : ('Url' as const), id: positionals[1] };
  if (values.azure !== undefined) {
    if (values.lake !== undefined) throw new UserError('use either --lake or --azure, not both');
    const { analyzeOnAzure } = require('./analyzeRemote') as typeof import('./analyzeRemote');
    return analyzeOnAzure(
      {
        resourceId: String(values.azure),
        entity,
        days,
        now,
        force: values.force === true,
        values,
        print: (r) => io.stdout(format === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatText(r)),
      },
      io,
    );
  }
  if (values.tenant !== undefined || values.force !== undefined)
    throw new UserError('--tenant and --force apply to --azure only');
  const logger = stderrLogger('warn');
  // Loaded lazily (the CLI stays fast for other commands); require keeps it working under tsx and esbuild alike.
  const { resolveLakeDir, openLocalServices } =
    require('../../core/mcp/localServices') as typeof import('../../core/mcp/localServices');
  const { analyzeEntity } = require('../../core/analyzer/reasoning') as typeof import('../../core/analyzer/reasoning');
  const dir = await resolveLakeDir(values.lake ? path.resolve(io.cwd, String(values.lake)) : undefined, logger, io.env);
  const services = openLocalServices(dir, { logger, env: io.env, persistAnalyses: false });
  const end = now ?? services.lake.now ?? new Date();
  const start = new Date(end.getTime() - days * 86_400_000);
  const result = await analyzeEntity(services.context, {
    entity: { type: kind === 'user' ? 'User' : 'Url', id: positionals[1] },
    startTime: start.toISOString(),
    endTime: end.toISOString(),
    workspaceId: services.lake.workspaceId,
  });
  io.stdout(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatText(result));
  return 0;
}

function formatText(r: AnalysisResult): string {
  const out: string[] = [];
  out.push(`${r.entity.type} ${r.entity.id}`);
  out.push(`Verdict:    ${r.verdict}`);
  if (r.confidence) out.push(`Confidence: ${r.confidence}`);
  out.push(`Window:     ${r.window.startTime} .. ${r.window.endTime}`);
  out.push('', r.summary, '');
  out.push('Evidence:');
  for (const e of r.evidence) {
    out.push(
      `  ${e.weight !== undefined ? `[${e.weight >= 0 ? '+' : ''}${e.weight}] ` : ''}${e.title}  (${e.table}, ${e.rows.length} row${e.rows.length === 1 ? '' : 's'})`,
    );
    if (e.detail) out.push(`      ${e.detail}`);
    for (const line of e.query.split('\n')) out.push(`      | ${line}`);
  }
  out.push('', 'Recommendations:');
  for (const x of r.recommendations) out.push(`  - ${x}`);
  if (r.disclaimer) out.push('', `Note: ${r.disclaimer}`);
  if (r.source === 'sentinel')
    out.push(
      '',
      "AI-generated by Microsoft Sentinel's Entity Analyzer; it can be wrong. Check the evidence before acting.",
    );
  if (r.missingTables.length) out.push(`Missing tables: ${r.missingTables.join(', ')}`);
  return out.join('\n') + '\n';
}
