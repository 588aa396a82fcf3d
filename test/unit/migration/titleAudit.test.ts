import * as assert from 'assert';
import type { LoadedRule } from '../../../src/core/migration/ruleFiles';
import {
  auditRuleTitles,
  csvCell,
  DEFAULT_NAMING_CONVENTION,
  namingViolation,
  normaliseTitle,
  titleMapCsv,
} from '../../../src/core/migration/titleAudit';

function rule(id: string, title: string, extra: Partial<LoadedRule> = {}): LoadedRule {
  return {
    id,
    title,
    tactics: [],
    techniques: [],
    query: 'SigninLogs | take 1',
    location: { file: `rules/${id}.yaml`, line: 2 },
    origin: 'yaml',
    ...extra,
  };
}
const convention = new RegExp(DEFAULT_NAMING_CONVENTION, 'u');

describe('migration: rule title audit', () => {
  it('normalises case, surrounding and inner whitespace and punctuation', () => {
    assert.strictEqual(normaliseTitle('  Suspicious   Inbox-Forwarding rule. '), 'suspicious inbox forwarding rule');
    assert.strictEqual(normaliseTitle('SUSPICIOUS inbox forwarding rule'), 'suspicious inbox forwarding rule');
    assert.strictEqual(normaliseTitle('High_CredentialAccess_T1110'), 'high credentialaccess t1110');
    assert.strictEqual(normaliseTitle('Ｆｕｌｌwidth'), 'fullwidth');
    assert.notStrictEqual(normaliseTitle('Mass download'), normaliseTitle('Mass downloads'));
  });

  it('groups exact duplicates separately from near-duplicates', () => {
    const report = auditRuleTitles(
      [
        rule('a', 'High_CredentialAccess_T1110'),
        rule('b', 'High_CredentialAccess_T1110'),
        rule('c', 'Suspicious inbox forwarding rule'),
        rule('d', 'suspicious inbox-forwarding  rule'),
        rule('e', 'Unrelated rule'),
      ],
      [],
    );
    assert.strictEqual(report.rules, 5);
    assert.deepStrictEqual(
      report.duplicateTitles.map((d) => [d.title, d.rules.map((r) => r.id)]),
      [['High_CredentialAccess_T1110', ['a', 'b']]],
    );
    assert.deepStrictEqual(
      report.nearDuplicateTitles.map((d) => d.titles),
      [['Suspicious inbox forwarding rule', 'suspicious inbox-forwarding  rule']],
    );
    assert.deepStrictEqual(
      report.nearDuplicateTitles[0].rules.map((r) => r.id),
      ['c', 'd'],
    );
  });

  it('does not report exact duplicates alone as near-duplicates', () => {
    const report = auditRuleTitles([rule('a', 'Same'), rule('b', 'Same')], []);
    assert.strictEqual(report.nearDuplicateTitles.length, 0);
    assert.strictEqual(report.duplicateTitles.length, 1);
  });

  it('explains naming-convention violations part by part', () => {
    assert.strictEqual(namingViolation({ title: 'High_CredentialAccess_T1110' }, convention), undefined);
    assert.strictEqual(namingViolation({ title: 'Medium_Collection_T1114.003' }, convention), undefined);
    assert.match(namingViolation({ title: 'Hgh_CredentialAccess_T1110' }, convention)!, /'Hgh' is not a severity/);
    assert.match(namingViolation({ title: 'High_Credential Access_T1110' }, convention)!, /not a tactic name/);
    assert.match(namingViolation({ title: 'High_CredentialAccess_1110' }, convention)!, /not a MITRE technique id/);
    assert.match(namingViolation({ title: 'Password spray' }, convention)!, /expected 3 parts/);
    assert.match(
      namingViolation({ title: 'Low_Discovery_T1087', severity: 'High' }, convention)!,
      /title says Low but the rule's severity is High/,
    );
  });

  it('uses a configured naming convention and reports a bad pattern instead of throwing', () => {
    const custom = auditRuleTitles([rule('a', 'SOC - Password spray'), rule('b', 'Password spray')], [], {
      namingConvention: '^SOC - ',
    });
    assert.deepStrictEqual(
      custom.namingViolations.map((v) => v.id),
      ['b'],
    );
    assert.match(custom.namingViolations[0].reason, /\/\^SOC - \//);
    const bad = auditRuleTitles([rule('a', 'x')], [], { namingConvention: '([' });
    assert.match(bad.errors[0].message, /not a valid regular expression/);
    assert.strictEqual(bad.namingViolations.length, 1);
  });

  it('passes load errors through and keeps auditing', () => {
    const report = auditRuleTitles(
      [rule('a', 'x')],
      [{ file: 'rules/broken.yaml', line: 3, column: 1, message: 'YAML: bad' }],
    );
    assert.deepStrictEqual(report.errors, [{ file: 'rules/broken.yaml', line: 3, column: 1, message: 'YAML: bad' }]);
    assert.strictEqual(report.rules, 1);
  });

  it('exports the title → rule id map as CSV with quoting and formula defusing', () => {
    const csv = titleMapCsv([rule('b', 'Zeta, "quoted"'), rule('a', '=cmd()', { severity: 'High' })]);
    const lines = csv.trimEnd().split('\r\n');
    assert.strictEqual(lines[0], 'Title,RuleId,Severity,File,Line,NormalisedTitle');
    assert.strictEqual(lines[1], "'=cmd(),a,High,rules/a.yaml,2,cmd");
    assert.strictEqual(lines[2], '"Zeta, ""quoted""",b,,rules/b.yaml,2,zeta quoted');
    assert.strictEqual(csvCell('plain'), 'plain');
  });

  it('reports one rule in two folders as copies, apart from true collisions', () => {
    const report = auditRuleTitles(
      [
        rule('a', 'Password spray', { location: { file: 'Detections/spray.yaml', line: 2 } }),
        rule('A', 'Password spray', { location: { file: 'Solutions/Identity/spray.yaml', line: 2 } }),
        rule('c', 'Mass download', { location: { file: 'x/one.yaml', line: 2 } }),
        rule('d', 'Mass download', { location: { file: 'x/two.yaml', line: 2 } }),
      ],
      [],
    );
    assert.deepStrictEqual(
      report.duplicateTitles.map((d) => d.title),
      ['Mass download'],
    );
    assert.deepStrictEqual(
      report.copiedRules.map((c) => [c.title, c.rules.map((r) => r.file)]),
      [['Password spray', ['Detections/spray.yaml', 'Solutions/Identity/spray.yaml']]],
    );
  });

  it('accepts a title that starts with the convention and goes on with a description', () => {
    assert.strictEqual(
      namingViolation({ title: 'High_CredentialAccess_T1110 Password spray against Entra ID' }, convention),
      undefined,
    );
    assert.strictEqual(namingViolation({ title: 'High_CredentialAccess_T1110.003 - spray' }, convention), undefined);
    assert.match(
      namingViolation({ title: 'High_CredentialAccess_T11100 spray' }, convention)!,
      /not a MITRE technique id/,
    );
    assert.match(namingViolation({ title: 'High_CredentialAccessT1110 spray' }, convention)!, /expected 3 parts/);
    const custom = auditRuleTitles([rule('a', 'SOC-042 Password spray'), rule('b', 'SOC-42x spray')], [], {
      namingConvention: '^SOC-\\d{3}$',
    });
    assert.deepStrictEqual(
      custom.namingViolations.map((v) => v.id),
      ['b'],
    );
  });

  it('skips and lists rules without a query instead of counting them', () => {
    const report = auditRuleTitles(
      [
        rule('a', 'High_CredentialAccess_T1110'),
        rule('stub', 'Moved to the Identity solution', { query: undefined, kind: 'Scheduled' }),
        rule('fusion', 'Advanced Multistage Attack Detection', { query: undefined, kind: 'Fusion' }),
      ],
      [],
    );
    assert.strictEqual(report.rules, 2);
    assert.deepStrictEqual(
      report.skipped.map((k) => [k.id, k.reason]),
      [['stub', 'no query']],
    );
    assert.ok(!report.namingViolations.some((v) => v.id === 'stub'));
  });
});
