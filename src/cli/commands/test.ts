// `swb test [PATH...] [--format text|json|junit] [--changed-since GITREF] [--filter TEXT] [--lint]`
// Runs detection tests (`*.test.yaml`) in one process with a warm engine. Exit 0 all passed, 1 some
// failed, 2 bad input (a broken test file, a rule that cannot be found — the other files still run).
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../core/errors';
import { CliIO, parseFlags } from '../io';

const USAGE =
  'usage: swb test [PATH...] [--format text|json|junit] [--changed-since GITREF] [--filter TEXT] [--schema FILE] [--out FILE] [--lint]';
const HELP = `${USAGE}

Runs every case of the *.test.yaml files under the paths (default .) against the rule each names.
  --format text|json|junit  report shape (default text; junit is JUnit XML for CI)
  --changed-since GITREF    only tests whose test file, rule, fixtures or schema changed since GITREF
  --filter TEXT             only cases whose file, rule title or case name contains TEXT
  --schema FILE             column types (lake schema.json) for tables without a built-in schema
  --out FILE                write the report to FILE instead of stdout
  --lint                    check the rule files under the paths instead (FILE:LINE:COL: severity: message)
Exit codes: 0 all passed, 1 some failed, 2 bad input.`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    format: { type: 'string' },
    'changed-since': { type: 'string' },
    filter: { type: 'string' },
    schema: { type: 'string' },
    out: { type: 'string' },
    lint: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP + '\n');
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (!['text', 'json', 'junit'].includes(format))
    throw new UserError(`--format must be text, json or junit (got ${format})`);
  const paths = positionals.length ? positionals : ['.'];
  const schema = values.schema ? await readSchema(path.resolve(io.cwd, String(values.schema))) : undefined;
  const write = async (text: string) => {
    if (values.out) await fs.writeFile(path.resolve(io.cwd, String(values.out)), text, 'utf8');
    else io.stdout(text);
  };
  if (values.lint) return lint(paths, format, schema, io, write);

  const started = performance.now();
  const { findTestFiles, changedSince } =
    require('../../core/detections/discover') as typeof import('../../core/detections/discover');
  const { DetectionTestRunner, testInputs } =
    require('../../core/detections/runner') as typeof import('../../core/detections/runner');
  const { parseTestFile } =
    require('../../core/detections/testFile') as typeof import('../../core/detections/testFile');
  const report = require('../../core/detections/report') as typeof import('../../core/detections/report');
  let files = await findTestFiles(paths, io.cwd);
  if (values['changed-since'] !== undefined) {
    const changed = await changedSince(String(values['changed-since']), io.cwd);
    const keep: string[] = [];
    for (const f of files) {
      const parsed = parseTestFile(await fs.readFile(f, 'utf8').catch(() => ''));
      // A test file that does not parse is kept: its error must still be seen.
      if (!parsed.test || testInputs(f, parsed.test).some((p) => changed.has(p))) keep.push(f);
    }
    files = keep;
  }
  const needle = values.filter !== undefined ? String(values.filter).toLowerCase() : undefined;
  const runner = new DetectionTestRunner({ cwd: io.cwd, schema });
  const results = [];
  for (const f of files) {
    const shown = path.relative(io.cwd, f).toLowerCase();
    results.push(
      await runner.runFile(f, {
        include:
          needle === undefined ? undefined : (c, rule) => `${shown} ${rule} ${c.name}`.toLowerCase().includes(needle),
      }),
    );
  }
  const shownResults = needle === undefined ? results : results.filter((r) => r.badInput || r.cases.length);
  const total = performance.now() - started;
  if (format === 'json') await write(JSON.stringify(report.buildReport(shownResults), null, 2) + '\n');
  else if (format === 'junit') await write(report.reportJunit(shownResults, total));
  else
    await write(
      files.length ? report.reportText(shownResults, total) : `no *.test.yaml files under ${paths.join(', ')}\n`,
    );
  return report.exitCode(shownResults);
}

async function readSchema(file: string) {
  const { normaliseSchema } =
    require('../../core/detections/fixtures') as typeof import('../../core/detections/fixtures');
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new UserError(
      `--schema ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message}`,
    );
  }
  return normaliseSchema(raw, file);
}

async function lint(
  paths: string[],
  format: string,
  schema: Awaited<ReturnType<typeof readSchema>> | undefined,
  io: CliIO,
  write: (t: string) => Promise<void>,
): Promise<number> {
  const { findRuleFiles, displayPath } =
    require('../../core/migration/ruleSources') as typeof import('../../core/migration/ruleSources');
  const { lintRuleText, looksLikeRule } =
    require('../../core/detections/lint') as typeof import('../../core/detections/lint');
  const { isTestFile } = require('../../core/detections/testFile') as typeof import('../../core/detections/testFile');
  const files = (await findRuleFiles(paths, { cwd: io.cwd })).filter((f) => !isTestFile(f));
  const diagnostics = [];
  let rules = 0;
  for (const abs of files) {
    const text = await fs.readFile(abs, 'utf8').catch(() => '');
    if (!looksLikeRule(text)) continue;
    rules++;
    diagnostics.push(...lintRuleText(displayPath(abs, io.cwd), text, { schema }));
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (format === 'json') {
    await write(
      JSON.stringify({ files: rules, errors, warnings: diagnostics.length - errors, diagnostics }, null, 2) + '\n',
    );
  } else if (format === 'junit') {
    throw new UserError('--lint prints text or json');
  } else {
    const lines = diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    lines.push(
      `${rules} rule file${rules === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${diagnostics.length - errors} warning${diagnostics.length - errors === 1 ? '' : 's'}`,
    );
    await write(lines.join('\n') + '\n');
  }
  return errors ? 1 : 0;
}
