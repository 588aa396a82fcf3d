// `swb query [--lake DIR] [--now ISO] [--format json|table|csv] [--external-data MAP.json] [--functions DIR] (-e QUERY | FILE)`
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../../core/errors';
import { parseDatetime } from '../../core/columnar/convert';
import { stderrLogger, QueryResult } from '../../core/types';
import { toJsonText } from '../../core/json';
import { CliIO, parseFlags } from '../io';

const USAGE = `usage: swb query [--lake DIR] [--now ISO] [--format json|table|csv] [--max-rows N] [--external-data MAP.json] [--functions DIR] (-e QUERY | FILE)
       swb query --azure RESOURCE_ID [--tenant ID] [--timespan ISO-DURATION] ... (-e QUERY | FILE)   Log Analytics
       swb query --defender [--tenant ID] [--timespan P7D] ... (-e QUERY | FILE)   Defender XDR advanced hunting (Graph)
       swb query --kusto https://CLUSTER/DATABASE [--tenant ID] ... (-e QUERY | FILE)   Azure Data Explorer
  Targets other than the lake sign in with SWB_ACCESS_TOKEN, else the Azure CLI, else a device code.`;

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
    azure: { type: 'string' },
    defender: { type: 'boolean' },
    kusto: { type: 'string' },
    tenant: { type: 'string' },
    timespan: { type: 'string' },
    functions: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(USAGE + '\n');
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'json';
  if (!['json', 'table', 'csv'].includes(format))
    throw new UserError(`--format must be json, table or csv (got ${format})`);
  let query: string;
  let file: string;
  if (values.e !== undefined) {
    if (positionals.length) throw new UserError(`give either -e QUERY or FILE, not both (${USAGE.split('\n')[0]})`);
    query = values.e as string;
    file = '<query>';
  } else {
    if (positionals.length !== 1) throw new UserError(USAGE.split('\n')[0]);
    file = positionals[0];
    try {
      query = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
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
    const { readExternalDataMap } =
      require('../../core/kql/externalData') as typeof import('../../core/kql/externalData');
    externalData = readExternalDataMap(path.resolve(io.cwd, String(values['external-data'])));
  }
  const remotes = [
    values.azure !== undefined && '--azure',
    values.defender === true && '--defender',
    values.kusto !== undefined && '--kusto',
  ].filter(Boolean);
  if (remotes.length > 1) throw new UserError(`choose one target: ${remotes.join(' or ')}`);
  if (remotes.length) {
    if (values.lake !== undefined || values.now !== undefined)
      throw new UserError(`--lake and --now apply to the local lake only, not to ${remotes[0]}`);
    const { runRemoteQuery } = require('./queryRemote') as typeof import('./queryRemote');
    const target =
      values.azure !== undefined
        ? { kind: 'azure' as const, resourceId: String(values.azure) }
        : values.kusto !== undefined
          ? { kind: 'kusto' as const, url: String(values.kusto) }
          : { kind: 'defender' as const };
    return runRemoteQuery(target, query, file, { format, maxRows, values }, io);
  }
  if (values.tenant !== undefined || values.timespan !== undefined)
    throw new UserError('--tenant and --timespan need a remote target (--azure, --defender, --kusto)');
  const dir = await resolveLakeDir(values.lake as string | undefined, io);
  const { openLake } = require('../../core/lake/lake') as typeof import('../../core/lake/lake');
  const { createEngine } = require('../../core/kql/engine') as typeof import('../../core/kql/engine');
  const logger = stderrLogger('warn');
  const { userSnapshotStore } = require('../../core/lake/snapshot') as typeof import('../../core/lake/snapshot');
  const lake = openLake(dir, { logger, snapshots: userSnapshotStore(io.env) });
  let functions;
  if (values.functions !== undefined) {
    const { loadWorkspaceFunctions } =
      require('../../core/kql/workspaceFunctions') as typeof import('../../core/kql/workspaceFunctions');
    const loaded = loadWorkspaceFunctions(path.resolve(io.cwd, String(values.functions)));
    for (const s of loaded.skipped) logger.warn(`functions: skipped ${s.file}: ${s.reason}`);
    functions = loaded.functions;
  }
  // one query in this process: tables are read with only the columns it needs, where that is certain
  const engine = createEngine(lake, { logger, functions, pruneColumns: true });
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  let result: QueryResult;
  try {
    result = await engine.execute(query, { now, maxRows, signal: ac.signal, externalData });
  } catch (e) {
    if (e instanceof UserError) {
      io.stderr(e.format(file) + '\n');
      return 2;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSig);
  }
  printResult(result, format, io);
  return 0;
}

/** The output contract of every query target. */
export function printResult(result: QueryResult, format: string, io: CliIO): void {
  const write = (text: string) => io.stdout(text);
  if (format === 'json') writeJson(result, write);
  else if (format === 'csv') writeCsv(result, write);
  else writeTable(result, write);
  if (result.stats.truncated) io.stderr(`warning: result cut at ${result.stats.rowsReturned} rows\n`);
}

/** Rows per write: output of any size goes out in pieces instead of one string (which has a length limit). */
const CHUNK_ROWS = 2000;

function writeRows<T>(rows: T[], line: (row: T) => string, sep: string, write: (text: string) => void): void {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    const part = rows
      .slice(i, i + CHUNK_ROWS)
      .map(line)
      .join(sep);
    write(i === 0 ? part : sep + part);
  }
}

/** `{"columns":[…],"rows":[[…]…],"stats":{…}}` on one line, exactly as JSON.stringify(result) writes it. */
export function writeJson(r: QueryResult, write: (text: string) => void): void {
  const { columns, rows, ...rest } = r;
  write(`{"columns":${toJsonText(columns)},"rows":[`);
  writeRows(rows, toJsonText, ',', write);
  const tail = toJsonText(rest);
  write(`]${tail === '{}' ? '' : ',' + tail.slice(1, -1)}}\n`);
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return toJsonText(v);
  return String(v);
}

export function writeCsv(r: QueryResult, write: (text: string) => void): void {
  const esc = (s: string) => (/[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
  write(r.columns.map((c) => esc(c.name)).join(',') + '\r\n');
  writeRows(r.rows, (row) => row.map((v) => esc(cellText(v))).join(','), '\r\n', write);
  if (r.rows.length) write('\r\n');
}

export function toCsv(r: QueryResult): string {
  const parts: string[] = [];
  writeCsv(r, (t) => parts.push(t));
  return parts.join('');
}

/** An aligned text table for terminals (long cells are cut at 60 characters). */
export function writeTable(r: QueryResult, write: (text: string) => void): void {
  const MAX = 60;
  const clip = (s: string) => {
    const one = s.replace(/[\r\n\t]+/g, ' ');
    return one.length > MAX ? one.slice(0, MAX - 1) + '…' : one;
  };
  const header = r.columns.map((c) => c.name);
  const cells = r.rows.map((row) => row.map((v) => clip(cellText(v))));
  // a loop, not Math.max(...column): spreading 100k+ values overflows the call stack
  const widths = header.map((h) => h.length);
  for (const row of cells)
    for (let j = 0; j < row.length; j++) if (row[j].length > widths[j]) widths[j] = row[j].length;
  const numeric = r.columns.map((c) => ['int', 'long', 'real', 'decimal'].includes(c.type));
  const fmt = (row: string[]) =>
    row
      .map((s, j) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  write(fmt(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  writeRows(cells, fmt, '\n', write);
  write(
    `${cells.length ? '\n' : ''}(${r.stats.rowsReturned} row${r.stats.rowsReturned === 1 ? '' : 's'}${r.stats.truncated ? ', truncated' : ''}, ${r.stats.elapsedMs} ms)\n`,
  );
}

export function toTable(r: QueryResult): string {
  const parts: string[] = [];
  writeTable(r, (t) => parts.push(t));
  return parts.join('');
}
