// `swb lake info [--lake DIR] [--format json|text]`: tables, row counts, time ranges and skipped rows.
import { stderrLogger } from '../../core/types';
import { UserError } from '../../core/errors';
import { CliIO, parseFlags } from '../io';
import { resolveLakeDir } from './query';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, { lake: { type: 'string' }, format: { type: 'string' } });
  if (positionals.length)
    throw new UserError(
      `unexpected argument ${positionals[0]} (usage: swb lake info [--lake DIR] [--format json|text])`,
    );
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'json' && format !== 'text') throw new UserError(`--format must be json or text (got ${format})`);
  const dir = await resolveLakeDir(values.lake as string | undefined, io);
  const { openLake } = require('../../core/lake/lake') as typeof import('../../core/lake/lake');
  const lake = openLake(dir, { logger: stderrLogger('warn') });
  const info = await lake.info();
  if (format === 'json') {
    io.stdout(JSON.stringify(info, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `lake ${info.name} (${info.dir})`,
    `workspace ${info.workspaceId}${info.now ? `, clock pinned at ${info.now}` : ''}`,
    '',
  ];
  const rows = info.tables.map((t) => [
    t.name,
    String(t.rows),
    String(t.skippedRows),
    String(t.skippedCells ?? 0),
    t.minTime ?? '',
    t.maxTime ?? '',
  ]);
  const head = ['table', 'rows', 'skipped rows', 'bad cells', 'from', 'to'];
  const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const fmt = (r: string[]) =>
    r
      .map((s, j) => (j >= 1 && j <= 3 ? s.padStart(w[j]) : s.padEnd(w[j])))
      .join('  ')
      .trimEnd();
  lines.push(fmt(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(fmt));
  if (info.skipped.length) {
    lines.push(
      '',
      `skipped ${info.skipped.length} entr${info.skipped.length === 1 ? 'y' : 'ies'} (not read):`,
      ...info.skipped.map((e) => `  ${e.file}: ${e.reason}`),
    );
  }
  io.stdout(lines.join('\n') + '\n');
  return 0;
}
