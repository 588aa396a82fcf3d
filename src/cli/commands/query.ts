// `swb query [--lake DIR] [--now ISO] [--format json|table|csv] [--external-data MAP.json] (-e QUERY | FILE)`
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../../core/errors';
import { parseDatetime } from '../../core/lake/convert';
import { stderrLogger, QueryResult } from '../../core/types';
import { CliIO, parseFlags } from '../io';

const USAGE = 'usage: swb query [--lake DIR] [--now ISO] [--format json|table|csv] [--max-rows N] [--external-data MAP.json] (-e QUERY | FILE)';

/** The lake folder: --lake, else the demo lake (generated on first use). */
export async function resolveLakeDir(flag: string | undefined, io: CliIO): Promise<string> {
  if (flag) return path.resolve(io.cwd, flag);
  const { ensureDemoLake } = require('../../core/lake/demo') as typeof import('../../core/lake/demo');
  return ensureDemoLake({ logger: stderrLogger('warn') });
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    lake: { type: 'string' },
    now: { type: 'string' },
    format: { type: 'string' },
    e: { type: 'string', short: 'e' },
    'max-rows': { type: 'string' },
    'external-data': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) { io.stdout(USAGE + '\n'); return 0; }
  const format = (values.format as string | undefined) ?? 'json';
  if (!['json', 'table', 'csv'].includes(format)) throw new UserError(`--format must be json, table or csv (got ${format})`);
  let query: string;
  let file: string;
  if (values.e !== undefined) {
    if (positionals.length) throw new UserError(`give either -e QUERY or FILE, not both (${USAGE})`);
    query = values.e as string;
    file = '<query>';
  } else {
    if (positionals.length !== 1) throw new UserError(USAGE);
    file = positionals[0];
    try { query = fs.readFileSync(path.resolve(io.cwd, file), 'utf8'); } catch (e) {
      throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  let now: Date | undefined;
  if (values.now !== undefined) {
    const us = parseDatetime(String(values.now));
    if (us === null) throw new UserError(`--now is not an ISO-8601 date-time: ${values.now}`);
    now = new Date(us / 1000);
  }
  let maxRows: number | undefined;
  if (values['max-rows'] !== undefined) {
    maxRows = Number(values['max-rows']);
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new UserError(`--max-rows must be a positive integer`);
  }
  let externalData: Record<string, string> | undefined;
  if (values['external-data'] !== undefined) {
    const { readExternalDataMap } = require('../../core/kql/externalData') as typeof import('../../core/kql/externalData');
    externalData = readExternalDataMap(path.resolve(io.cwd, String(values['external-data'])));
  }
  const dir = await resolveLakeDir(values.lake as string | undefined, io);
  const { openLake } = require('../../core/lake/lake') as typeof import('../../core/lake/lake');
  const { createEngine } = require('../../core/kql/engine') as typeof import('../../core/kql/engine');
  const logger = stderrLogger('warn');
  const lake = openLake(dir, { logger });
  const engine = createEngine(lake, { logger });
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  let result: QueryResult;
  try {
    result = await engine.execute(query, { now, maxRows, signal: ac.signal, externalData });
  } catch (e) {
    if (e instanceof UserError) { io.stderr(e.format(file) + '\n'); return 2; }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSig);
  }
  if (format === 'json') io.stdout(JSON.stringify(result) + '\n');
  else if (format === 'csv') io.stdout(toCsv(result));
  else io.stdout(toTable(result));
  if (result.stats.truncated) io.stderr(`warning: result cut at ${result.stats.rowsReturned} rows\n`);
  return 0;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function toCsv(r: QueryResult): string {
  const esc = (s: string) => (/[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
  const lines = [r.columns.map((c) => esc(c.name)).join(',')];
  for (const row of r.rows) lines.push(row.map((v) => esc(cellText(v))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** An aligned text table for terminals (long cells are cut at 60 characters). */
export function toTable(r: QueryResult): string {
  const MAX = 60;
  const clip = (s: string) => {
    const one = s.replace(/[\r\n\t]+/g, ' ');
    return one.length > MAX ? one.slice(0, MAX - 1) + '…' : one;
  };
  const header = r.columns.map((c) => c.name);
  const cells = r.rows.map((row) => row.map((v) => clip(cellText(v))));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((row) => row[j].length)));
  const numeric = r.columns.map((c) => ['int', 'long', 'real', 'decimal'].includes(c.type));
  const fmt = (row: string[]) => row.map((s, j) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]))).join('  ').trimEnd();
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)];
  out.push(`(${r.stats.rowsReturned} row${r.stats.rowsReturned === 1 ? '' : 's'}${r.stats.truncated ? ', truncated' : ''}, ${r.stats.elapsedMs} ms)`);
  return out.join('\n') + '\n';
}
