// `swb audit rules [--format json|text] [--naming REGEX] PATH...` — the analytics-rule title audit.
// Broken rule files are reported under `errors` and the audit goes on; exit 2 only for bad arguments.
import { UserError } from '../../core/errors';
import { auditReportText, auditRuleTitles, compileNamingConvention, DEFAULT_NAMING_CONVENTION } from '../../core/migration/titleAudit';
import { findRuleFiles, loadRuleFiles } from '../../core/migration/ruleSources';
import { CliIO, parseFlags } from '../io';

const USAGE = 'usage: swb audit rules [--format json|text] [--naming REGEX] PATH...';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [what, ...rest] = argv;
  if (what === '--help' || what === '-h') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (what !== 'rules') throw new UserError(what ? `unknown audit '${what}'; ${USAGE}` : USAGE);
  const { values, positionals } = parseFlags(rest, {
    format: { type: 'string' },
    naming: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'json';
  if (format !== 'json' && format !== 'text') throw new UserError(`--format must be json or text, not '${format}'`);
  if (!positionals.length) throw new UserError(`no PATH given; ${USAGE}`);
  const naming = (values.naming as string | undefined) ?? io.env.SWB_NAMING_CONVENTION ?? DEFAULT_NAMING_CONVENTION;
  const compiled = compileNamingConvention(naming);
  if (compiled.error) throw new UserError(compiled.error.replace(/; using the default$/, ''));

  const files = await findRuleFiles(positionals, { cwd: io.cwd });
  const loaded = await loadRuleFiles(files, { cwd: io.cwd });
  const report = auditRuleTitles(loaded.rules, loaded.errors, { namingConvention: naming });
  io.stdout(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : auditReportText(report));
  return 0;
}
