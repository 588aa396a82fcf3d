// The analytics-rule title audit: after the move to the Defender portal, rules and incidents are
// matched by title, so duplicate and near-duplicate titles and titles outside the naming convention
// become real problems. The report has the shape of `swb audit rules --format json` (DESIGN.md).
import type { LoadedRule, LoadError } from './ruleFiles';

/** Default naming convention `<Severity>_<Tactic>_<Technique>` (also the setting's default in package.json). */
export const DEFAULT_NAMING_CONVENTION = '^(High|Medium|Low|Informational)_[A-Za-z]+_T\\d{4}(\\.\\d{3})?$';

export interface RuleRef {
  id: string;
  file: string;
  line: number;
}

export interface AuditReport {
  rules: number;
  /** Different rules (different ids) with one title: what breaks incident linkage in the Defender portal. */
  duplicateTitles: { title: string; rules: RuleRef[] }[];
  /** One rule (one id) present in more than one file: copies, not a collision. */
  copiedRules: { id: string; title: string; rules: RuleRef[] }[];
  nearDuplicateTitles: { titles: string[]; rules: (RuleRef & { title: string })[] }[];
  namingViolations: { id: string; title: string; file: string; line: number; reason: string }[];
  errors: { file: string; message: string; line?: number; column?: number }[];
  /** Scheduled/NRT rule files without a query (e.g. migration stubs): not counted as rules. */
  skipped: { id: string; title: string; file: string; line: number; reason: string }[];
}

/** Kinds that have no query of their own (built-in analytics). */
const QUERYLESS_KINDS = new Set([
  'fusion',
  'microsoftsecurityincidentcreation',
  'mlbehavioranalytics',
  'threatintelligence',
]);

/**
 * Key under which near-duplicate titles collide: Unicode-normalised, case-folded, trimmed, with every
 * run of whitespace and punctuation collapsed into one space.
 */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
}

/**
 * The convention as a title prefix: a title follows it when it starts with a match that ends at the end of
 * the title or before a separator (space, colon, dash, bar), so "High_CredentialAccess_T1110 Password spray"
 * follows `<Severity>_<Tactic>_<Technique>` and "High_CredentialAccess_T11100" does not.
 */
export function conventionPrefix(convention: RegExp): RegExp {
  const core = convention.source.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  const sep = '[\\s:|\u2013\u2014-]';
  return new RegExp(`^(?:${core})(?:(?<=${sep})|(?=$|${sep}))`, convention.flags);
}

/** Compiles the naming-convention setting; a bad pattern is reported, not thrown. */
export function compileNamingConvention(pattern: string | undefined): { regex: RegExp; error?: string } {
  const source = pattern && pattern.trim() ? pattern : DEFAULT_NAMING_CONVENTION;
  try {
    return { regex: new RegExp(source, 'u') };
  } catch (e) {
    return {
      regex: new RegExp(DEFAULT_NAMING_CONVENTION, 'u'),
      error: `naming convention /${source}/ is not a valid regular expression (${(e as Error).message}); using the default`,
    };
  }
}

const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'];

/** Why a title breaks the convention, as specific as the title allows. Undefined when it complies. */
export function namingViolation(rule: Pick<LoadedRule, 'title' | 'severity'>, convention: RegExp): string | undefined {
  const title = rule.title;
  if (conventionPrefix(convention).test(title)) {
    // Complies; still flag a title whose severity disagrees with the rule's own severity.
    const first = title.split('_')[0];
    if (rule.severity && SEVERITIES.includes(first) && first.toLowerCase() !== rule.severity.toLowerCase()) {
      return `title says ${first} but the rule's severity is ${rule.severity}`;
    }
    return undefined;
  }
  if (convention.source !== DEFAULT_NAMING_CONVENTION)
    return `does not match the naming convention /${convention.source}/`;
  const hints: string[] = [];
  if (title !== title.trim()) hints.push('leading or trailing whitespace');
  const parts = title.trim().split('_');
  if (parts.length < 3) {
    hints.push(`expected 3 parts separated by '_', found ${parts.length}`);
  } else {
    const [sev, tactic] = parts;
    // the technique, then optionally a description after a space
    const technique = parts.slice(2).join('_').split(/\s+/)[0];
    if (!SEVERITIES.includes(sev)) hints.push(`'${sev}' is not a severity (High, Medium, Low, Informational)`);
    if (!/^[A-Za-z]+$/.test(tactic))
      hints.push(`'${tactic}' is not a tactic name (letters only, e.g. CredentialAccess)`);
    if (!/^T\d{4}(\.\d{3})?$/.test(technique))
      hints.push(`'${technique}' is not a MITRE technique id (e.g. T1110 or T1110.003)`);
  }
  const base = 'does not follow <Severity>_<Tactic>_<Technique>';
  return hints.length ? `${base}: ${hints.join('; ')}` : base;
}

export interface AuditOptions {
  /** Regular expression source for the naming convention; default `<Severity>_<Tactic>_<Technique>`. */
  namingConvention?: string;
}

/** Audits the titles of loaded rules. Load errors are passed through under `errors`. */
export function auditRuleTitles(rules: LoadedRule[], loadErrors: LoadError[], options: AuditOptions = {}): AuditReport {
  const { regex, error } = compileNamingConvention(options.namingConvention);
  const ref = (r: LoadedRule): RuleRef => ({ id: r.id, file: r.location.file, line: r.location.line });
  const skipped: AuditReport['skipped'] = [];
  rules = rules.filter((r) => {
    const queryless = !r.query || !r.query.trim();
    if (!queryless || QUERYLESS_KINDS.has((r.kind ?? '').toLowerCase())) return true;
    skipped.push({ id: r.id, title: r.title, file: r.location.file, line: r.location.line, reason: 'no query' });
    return false;
  });

  const byExact = new Map<string, LoadedRule[]>();
  const byNear = new Map<string, LoadedRule[]>();
  for (const r of rules) {
    push(byExact, r.title, r);
    const key = normaliseTitle(r.title);
    if (key) push(byNear, key, r);
  }

  const distinctIds = (rs: LoadedRule[]) => new Set(rs.map((r) => r.id.toLowerCase())).size;
  const duplicateTitles = [...byExact.entries()]
    .filter(([, rs]) => distinctIds(rs) > 1)
    .map(([title, rs]) => ({ title, rules: rs.map(ref) }))
    .sort((a, b) => b.rules.length - a.rules.length || a.title.localeCompare(b.title));

  const byId = new Map<string, LoadedRule[]>();
  for (const r of rules) push(byId, r.id.toLowerCase(), r);
  const copiedRules = [...byId.values()]
    .filter((rs) => rs.length > 1 && new Set(rs.map((r) => r.location.file)).size > 1)
    .map((rs) => ({ id: rs[0].id, title: rs[0].title, rules: rs.map(ref) }))
    .sort((a, b) => a.title.localeCompare(b.title));

  const nearDuplicateTitles = [...byNear.values()]
    .filter((rs) => new Set(rs.map((r) => r.title)).size > 1)
    .map((rs) => ({
      titles: [...new Set(rs.map((r) => r.title))].sort(),
      rules: rs.map((r) => ({ ...ref(r), title: r.title })),
    }))
    .sort((a, b) => a.titles[0].localeCompare(b.titles[0]));

  const namingViolations = rules.flatMap((r) => {
    const reason = namingViolation(r, regex);
    return reason ? [{ id: r.id, title: r.title, file: r.location.file, line: r.location.line, reason }] : [];
  });

  const errors: AuditReport['errors'] = loadErrors.map((e) => ({ ...e }));
  if (error) errors.unshift({ file: '<setting sentinelWorkbench.migration.namingConvention>', message: error });

  return { rules: rules.length, duplicateTitles, nearDuplicateTitles, namingViolations, errors, copiedRules, skipped };
}

/** CSV of the title → rule id map (RFC 4180 quoting; a leading =,+,-,@ is defused for spreadsheets). */
export function titleMapCsv(rules: LoadedRule[]): string {
  const header = ['Title', 'RuleId', 'Severity', 'File', 'Line', 'NormalisedTitle'];
  const rows = [...rules]
    .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id))
    .map((r) => [r.title, r.id, r.severity ?? '', r.location.file, String(r.location.line), normaliseTitle(r.title)]);
  return [header, ...rows].map((cols) => cols.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Plain-text rendering for `swb audit rules --format text`. */
export function auditReportText(report: AuditReport): string {
  const lines: string[] = [];
  lines.push(`${report.rules} rule${report.rules === 1 ? '' : 's'} audited`);
  lines.push('');
  lines.push(`Duplicate titles: ${report.duplicateTitles.length}`);
  for (const d of report.duplicateTitles) {
    lines.push(`  "${d.title}"`);
    for (const r of d.rules) lines.push(`    ${r.file}:${r.line}  ${r.id}`);
  }
  lines.push(`Copies of one rule (same id in several files): ${report.copiedRules.length}`);
  for (const c of report.copiedRules) {
    lines.push(`  "${c.title}"  ${c.id}`);
    for (const r of c.rules) lines.push(`    ${r.file}:${r.line}`);
  }
  lines.push(`Near-duplicate titles: ${report.nearDuplicateTitles.length}`);
  for (const d of report.nearDuplicateTitles) {
    lines.push(`  ${d.titles.map((t) => `"${t}"`).join(' ~ ')}`);
    for (const r of d.rules) lines.push(`    ${r.file}:${r.line}  ${r.id}  "${r.title}"`);
  }
  lines.push(`Naming violations: ${report.namingViolations.length}`);
  for (const v of report.namingViolations) lines.push(`  ${v.file}:${v.line}  "${v.title}": ${v.reason}`);
  lines.push(`Skipped (no query): ${report.skipped.length}`);
  for (const k of report.skipped) lines.push(`  ${k.file}:${k.line}  "${k.title}"`);
  lines.push(`Errors: ${report.errors.length}`);
  for (const e of report.errors) lines.push(`  ${e.file}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: ${e.message}`);
  return lines.join('\n') + '\n';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
