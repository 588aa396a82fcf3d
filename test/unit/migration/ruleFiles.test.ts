import * as assert from 'assert';
import * as path from 'path';
import { loadAnalyticsRules, loadAutomationRules } from '../../../src/core/migration/ruleFiles';
import { findRuleFiles, loadRuleFiles } from '../../../src/core/migration/ruleSources';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

const FIXTURES = path.join(__dirname, 'fixtures');

function io(): CliIO & { out: string; err: string } {
  const r = { out: '', err: '', env: {}, cwd: FIXTURES } as CliIO & { out: string; err: string };
  r.stdout = (t) => {
    r.out += t;
  };
  r.stderr = (t) => {
    r.err += t;
  };
  return r;
}

describe('migration: loading rule files', () => {
  it('reads an Azure-Sentinel YAML rule with the line of its name', () => {
    const text =
      'id: abc\n# comment\n\nname: Password spray\nseverity: High\ntactics:\n  - CredentialAccess\nrelevantTechniques: [T1110]\nquery: |\n  SigninLogs\n';
    const r = loadAnalyticsRules('r.yaml', text);
    assert.deepStrictEqual(r.errors, []);
    assert.strictEqual(r.rules.length, 1);
    const rule = r.rules[0];
    assert.deepStrictEqual(
      [rule.id, rule.title, rule.severity, rule.location.line],
      ['abc', 'Password spray', 'High', 4],
    );
    assert.deepStrictEqual(rule.tactics, ['CredentialAccess']);
    assert.deepStrictEqual(rule.techniques, ['T1110']);
    assert.strictEqual(rule.query, 'SigninLogs\n');
  });

  it('reports a broken YAML file with a position instead of throwing', () => {
    const r = loadAnalyticsRules('broken.yaml', 'id: x\nname: A\ntactics: [Persistence\nkind: Scheduled\n');
    assert.strictEqual(r.rules.length, 0);
    assert.strictEqual(r.errors.length, 1);
    assert.strictEqual(r.errors[0].file, 'broken.yaml');
    assert.match(r.errors[0].message, /^YAML: /);
    assert.ok(r.errors[0].line! >= 3);
  });

  it('ignores YAML that is not a rule', () => {
    const r = loadAnalyticsRules('config.yml', 'settings:\n  color: blue\n');
    assert.deepStrictEqual([r.rules.length, r.errors.length, r.recognised], [0, 0, false]);
  });

  it('reads alertRules from an ARM export with the displayName line and the GUID from the name', () => {
    const r = loadAnalyticsRules(
      'export.json',
      require('fs').readFileSync(path.join(FIXTURES, 'rules', 'export.json'), 'utf8'),
    );
    assert.deepStrictEqual(
      r.rules.map((x) => [x.id, x.title, x.location.line, x.kind]),
      [
        ['5b6a1f3e-1111-4a2b-9c3d-000000000010', 'High_CredentialAccess_T1110', 15, 'Scheduled'],
        ['5b6a1f3e-1111-4a2b-9c3d-000000000011', 'Mass download by a single user', 30, 'NRT'],
      ],
    );
  });

  it('reads an alertRules list response', () => {
    const text = JSON.stringify({
      value: [
        { name: 'rule-a', type: 'Microsoft.SecurityInsights/alertRules', properties: { displayName: 'A' } },
        { name: 'rule-b', properties: { displayName: 'B' } },
      ],
    });
    assert.deepStrictEqual(
      loadAnalyticsRules('list.json', text).rules.map((x) => [x.id, x.title]),
      [
        ['rule-a', 'A'],
        ['rule-b', 'B'],
      ],
    );
  });

  it('reports broken JSON with line and column', () => {
    const r = loadAnalyticsRules('bad.json', '{\n  "resources": [\n    { "type": 1,, }\n  ]\n}\n');
    assert.strictEqual(r.errors.length, 1);
    assert.match(r.errors[0].message, /^JSON: /);
    assert.strictEqual(r.errors[0].line, 3);
  });

  it('reads automation rules with conditions and actions', () => {
    const text = require('fs').readFileSync(path.join(FIXTURES, 'automation', 'automation.json'), 'utf8');
    const r = loadAutomationRules('automation.json', text);
    assert.strictEqual(r.rules.length, 1);
    const a = r.rules[0];
    assert.deepStrictEqual(
      [a.id, a.displayName, a.order, a.enabled, a.triggersOn, a.triggersWhen],
      ['9f0e0000-0000-4000-8000-0000000000a1', 'Escalate password spray', 1, true, 'Incidents', 'Created'],
    );
    assert.strictEqual(a.conditions.length, 2);
    assert.strictEqual(a.actions.length, 2);
    assert.strictEqual(loadAnalyticsRules('automation.json', text).rules.length, 0);
  });

  it('finds rule files recursively and keeps going past broken ones', async () => {
    const files = await findRuleFiles(['rules'], { cwd: FIXTURES });
    assert.ok(files.some((f) => f.endsWith(path.join('nested', 'inbox-variant.yaml'))));
    const set = await loadRuleFiles(files, { cwd: FIXTURES });
    assert.strictEqual(set.rules.length, 8);
    assert.deepStrictEqual(
      set.errors.map((e) => e.file),
      ['rules/broken.yaml'],
    );
    assert.ok(!set.files.includes('rules/not-a-rule.json'));
    await assert.rejects(findRuleFiles(['nope'], { cwd: FIXTURES }), /nope: no such file or directory/);
  });
});

describe('swb audit rules', () => {
  it('prints the contract JSON', async () => {
    const o = io();
    assert.strictEqual(await main(['audit', 'rules', '--format', 'json', 'rules'], o), 0);
    const report = JSON.parse(o.out);
    assert.deepStrictEqual(Object.keys(report), [
      'rules',
      'duplicateTitles',
      'nearDuplicateTitles',
      'namingViolations',
      'errors',
      'copiedRules',
      'skipped',
    ]);
    // list.json's rule has no query: skipped and listed, not counted
    assert.strictEqual(report.rules, 7);
    assert.deepStrictEqual(
      report.skipped.map((k: { file: string }) => k.file),
      ['rules/list.json'],
    );
    assert.strictEqual(report.duplicateTitles[0].title, 'High_CredentialAccess_T1110');
    assert.deepStrictEqual(report.duplicateTitles[0].rules.map((r: { file: string }) => r.file).sort(), [
      'rules/export.json',
      'rules/spray-copy.yml',
      'rules/spray.yaml',
    ]);
    assert.deepStrictEqual(Object.keys(report.duplicateTitles[0].rules[0]).slice(0, 2), ['id', 'file']);
    assert.deepStrictEqual(report.nearDuplicateTitles[0].titles, [
      'Suspicious inbox forwarding rule',
      'suspicious  Inbox-Forwarding rule.',
    ]);
    for (const v of report.namingViolations)
      assert.deepStrictEqual(
        Object.keys(v).filter((k) => k !== 'line'),
        ['id', 'title', 'file', 'reason'],
      );
    assert.deepStrictEqual(
      report.errors.map((e: { file: string }) => e.file),
      ['rules/broken.yaml'],
    );
  });

  it('prints text and exits 2 only for bad arguments', async () => {
    const t = io();
    assert.strictEqual(
      await main(['audit', 'rules', '--format', 'text', 'rules/spray.yaml', 'rules/spray-copy.yml'], t),
      0,
    );
    assert.match(t.out, /2 rules audited/);
    assert.match(t.out, /rules\/spray-copy.yml:3/);
    const c = io();
    assert.strictEqual(await main(['audit', 'rules', '--format', 'csv', 'rules'], c), 0);
    const csv = c.out.trimEnd().split('\r\n');
    assert.strictEqual(csv[0], 'Title,RuleId,Severity,File,Line,NormalisedTitle');
    assert.strictEqual(csv.length, 9);
    assert.match(c.err, /rules\/broken.yaml:\d+:1: warning: YAML/);
    for (const argv of [
      ['audit', 'rules'],
      ['audit', 'rules', 'missing-dir'],
      ['audit', 'rules', '--format', 'xml', 'rules'],
      ['audit', 'things'],
      ['audit', 'rules', '--naming', '([', 'rules'],
    ]) {
      const o = io();
      assert.strictEqual(await main(argv, o), 2, argv.join(' '));
      assert.match(o.err, /error: /);
      assert.doesNotMatch(o.err, /\n\s+at /);
    }
  });
});
