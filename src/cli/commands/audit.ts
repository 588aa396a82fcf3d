// `swb audit rules [--format json|text|csv] [--naming REGEX] PATH...` — the analytics-rule title audit.
// Broken rule files are reported under `errors` and the audit goes on; exit 2 only for bad arguments.
import { UserError } from '../../core/errors';
import {
  auditReportText,
  auditRuleTitles,
  compileNamingConvention,
  DEFAULT_NAMING_CONVENTION,
  titleMapCsv,
} from '../../core/migration/titleAudit';
import { findRuleFiles, loadRuleFiles } from '../../core/migration/ruleSources';
import { CliIO, parseFlags } from '../io';

const USAGE = 'usage: swb audit rules [--format json|text|csv] [--naming REGEX] PATH...';
const HELP = `${USAGE}

Audits analytics rule titles in Azure-Sentinel YAML and ARM JSON (templates, exports, alertRules lists)
found under the paths: exact and near-duplicate titles, naming-convention violations, unreadable files.
  --format json   the report (default)      --format text   the report for people
  --format csv    the title → rule id map (Title,RuleId,Severity,File,Line,NormalisedTitle)
  --naming REGEX  naming convention (default <Severity>_<Tactic>_<Technique>; env SWB_NAMING_CONVENTION)
Broken rule files are listed under "errors" and the audit goes on; exit code 2 only for bad arguments.`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [what, ...rest] = argv;
  if (what === '--help' || what === '-h') {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  if (what !== 'rules') throw new UserError(what ? `unknown audit '${what}'; ${USAGE}` : USAGE);
  const { values, positionals } = parseFlags(rest, {
    format: { type: 'string' },
    naming: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'json';
  if (format !== 'json' && format !== 'text' && format !== 'csv')
    throw new UserError(`--format must be json, text or csv, not '${format}'`);
  if (!positionals.length) throw new UserError(`no PATH given; ${USAGE}`);
  const naming = (values.naming as string | undefined) ?? io.env.SWB_NAMING_CONVENTION ?? DEFAULT_NAMING_CONVENTION;
  const compiled = compileNamingConvention(naming);
  if (compiled.error) throw new UserError(compiled.error.replace(/; using the default$/, ''));

  const files = await findRuleFiles(positionals, { cwd: io.cwd });
  const loaded = await loadRuleFiles(files, { cwd: io.cwd });
  const report = auditRuleTitles(loaded.rules, loaded.errors, { namingConvention: naming });
  if (format === 'csv') {
    for (const e of report.errors)
      io.stderr(`${e.file}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: warning: ${e.message}\n`);
    io.stdout(titleMapCsv(loaded.rules));
  } else {
    io.stdout(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : auditReportText(report));
  }
  return 0;
}
