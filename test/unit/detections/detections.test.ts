import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { parseRuleDuration } from '../../../src/core/detections/duration';
import { lintRuleText } from '../../../src/core/detections/lint';
import { DetectionTestRunner } from '../../../src/core/detections/runner';
import { scaffoldTest } from '../../../src/core/detections/scaffold';
import { parseTestFile } from '../../../src/core/detections/testFile';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SAMPLE = path.join(ROOT, 'sample');
const SPRAY_RULE = path.join(SAMPLE, 'rules', 'identity', 'password-spray.yaml');

function io(cwd = ROOT): CliIO & { out: string; err: string } {
  const r = { out: '', err: '', env: {}, cwd } as CliIO & { out: string; err: string };
  r.stdout = (t) => {
    r.out += t;
  };
  r.stderr = (t) => {
    r.err += t;
  };
  return r;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'swb-dt-'));
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** A rule over SigninLogs with the given extra YAML fields. */
function ruleYaml(query: string, extra = ''): string {
  return `id: 11111111-2222-4333-8444-555555555555
name: Test rule
severity: Medium
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [CredentialAccess]
query: |
${query
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: UserPrincipalName
${extra}kind: Scheduled
`;
}

const FAIL = (upn: string, ip: string, t: string) =>
  `{TimeGenerated: "${t}", UserPrincipalName: ${upn}, ResultType: "50126", IPAddress: ${ip}}`;

describe('detection tests: the test file', () => {
  it('parses cases with their lines and fixtures inline or by path', () => {
    const parsed = parseTestFile(
      'rule: r.yaml\ntables:\n  IdentityInfo: id.jsonl\ncases:\n  - name: one\n    expect: {alerts: 1}\n  - name: two\n    tables:\n      SigninLogs: []\n    expect:\n      alerts: {max: 0}\n',
    );
    assert.deepStrictEqual(parsed.problems, []);
    assert.deepStrictEqual(
      parsed.test!.cases.map((c) => [c.name, c.line]),
      [
        ['one', 5],
        ['two', 7],
      ],
    );
    assert.strictEqual(parsed.test!.tables!.IdentityInfo, 'id.jsonl');
  });

  it('names every problem with its line: unknown keys, missing fields, duplicate names, YAML errors', () => {
    const p = parseTestFile('rule: r.yaml\ncases:\n  - name: a\n    expct: {alerts: 1}\n');
    const messages = p.problems.map((x) => `${x.line}: ${x.message}`);
    assert.ok(messages.includes("3: cases.0: unknown key 'expct'"), messages.join('; '));
    assert.ok(messages.includes('3: cases.0.expect: is required'), messages.join('; '));
    assert.match(
      parseTestFile('cases: []\n')
        .problems.map((x) => x.message)
        .join(';'),
      /rule: is required/,
    );
    assert.match(
      parseTestFile('rule: r\ncases:\n  - {name: a, expect: {alerts: 0}}\n  - {name: a, expect: {alerts: 1}}\n')
        .problems[0].message,
      /two cases are named "a"/,
    );
    const yaml = parseTestFile('rule: r\ncases:\n\t- x\n');
    assert.strictEqual(yaml.problems[0].line, 3);
    assert.match(yaml.problems[0].message, /^YAML: /);
  });

  it('reads rule durations in both spellings', () => {
    assert.strictEqual(parseRuleDuration('1h'), 3_600_000);
    assert.strictEqual(parseRuleDuration('14d'), 14 * 86_400_000);
    assert.strictEqual(parseRuleDuration('PT5M'), 300_000);
    assert.strictEqual(parseRuleDuration('P1DT12H'), 36 * 3_600_000);
    assert.strictEqual(parseRuleDuration('soon'), undefined);
  });
});

describe('detection tests: running rules on fixtures', function () {
  this.timeout(60_000);
  const runner = new DetectionTestRunner({ cwd: ROOT });

  it('every sample test passes (`swb test sample` exits 0 with the JSON contract)', async () => {
    const o = io();
    assert.strictEqual(await main(['test', 'sample', '--format', 'json'], o), 0, o.out + o.err);
    const report = JSON.parse(o.out);
    assert.deepStrictEqual(Object.keys(report), ['tests', 'passed', 'failed', 'errors', 'cases']);
    assert.ok(report.tests >= 10);
    assert.strictEqual(report.passed, report.tests);
    assert.deepStrictEqual(Object.keys(report.cases[0]), ['file', 'rule', 'case', 'status', 'message', 'durationMs']);
    assert.ok(report.cases.some((c: { case: string }) => /stays quiet/.test(c.case)));
  });

  it('a deliberately broken case fails with what differed, and exit 1', async () => {
    const dir = tempDir();
    write(dir, {
      'spray.test.yaml': `rule: ${JSON.stringify(SPRAY_RULE)}
now: 2026-11-18T03:00:00Z
cases:
  - name: spray
    tables:
      SigninLogs: ${JSON.stringify(path.join(SAMPLE, 'tests', 'fixtures', 'spray-signins.jsonl'))}
    expect:
      alerts: 0
      rows:
        - {IPAddress: 203.0.113.7}
      entities:
        - {type: IP, Address: 203.0.113.7}
`,
    });
    const o = io(dir);
    assert.strictEqual(await main(['test', '.'], o), 1);
    assert.match(o.out, /FAIL spray/);
    assert.match(o.out, /expected 0 alerts, got 1 \(the query returned 1 row\)/);
    assert.match(
      o.out,
      /missing row \{"IPAddress":"203\.0\.113\.7"\}; the query returned 1 row: \{"TimeGenerated":"2026-11-18T02:47:00Z","UserPrincipalName":"megan\.bowen@contoso\.com"/,
    );
    assert.match(
      o.out,
      /missing entity \{"type":"IP","Address":"203\.0\.113\.7"\}; the alerts carry .*"Address":"192\.0\.2\.66"/,
    );
    const [result] = (await runner.runFile(path.join(dir, 'spray.test.yaml'))).cases;
    assert.strictEqual(JSON.parse(result.expected!).alerts, 0);
    assert.strictEqual(JSON.parse(result.actual!).alerts, 1);
    assert.strictEqual(result.result!.rows.length, 1);
  });

  it('a broken test file gives exit 2 naming it while the other tests still run; junit is valid JUnit XML', async () => {
    const dir = tempDir();
    write(dir, {
      'a-broken.test.yaml': 'rule: x.yaml\ncases:\n  - name: x\n    expct: {}\n',
      'b-missing-rule.test.yaml': 'rule: nowhere.yaml\ncases:\n  - name: x\n    expect: {alerts: 0}\n',
      'c-good.test.yaml': `rule: ${JSON.stringify(SPRAY_RULE)}\ncases:\n  - name: quiet <&> "ok"\n    tables: {SigninLogs: []}\n    expect: {alerts: 0}\n`,
    });
    const text = io(dir);
    assert.strictEqual(await main(['test'], text), 2);
    assert.match(text.out, /a-broken\.test\.yaml:3:5: cases\.0: unknown key 'expct'/);
    assert.match(text.out, /b-missing-rule\.test\.yaml: rule not found: nowhere\.yaml/);
    assert.match(text.out, /ok {3}quiet <&> "ok"/);
    const junit = io(dir);
    assert.strictEqual(await main(['test', '--format', 'junit'], junit), 2);
    assert.strictEqual(XMLValidator.validate(junit.out), true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(junit.out);
    assert.strictEqual(doc.testsuites['@_tests'], '3');
    assert.strictEqual(doc.testsuites['@_errors'], '2');
    assert.deepStrictEqual(
      doc.testsuites.testsuite.map((s: { '@_name': string }) => s['@_name']),
      ['a-broken.test.yaml', 'b-missing-rule.test.yaml', 'c-good.test.yaml'],
    );
    assert.strictEqual(doc.testsuites.testsuite[2].testcase[0]['@_name'], 'quiet <&> "ok"');
    assert.ok(doc.testsuites.testsuite[0].testcase[0].error);
  });

  it('fires on the trigger operator and threshold, one alert per row with AlertPerResult, with custom and alert details', async () => {
    const dir = tempDir();
    const query =
      'SigninLogs\n| where ResultType == "50126"\n| summarize Failures = count() by UserPrincipalName, IPAddress';
    write(dir, {
      'per-row.yaml': ruleYaml(
        query,
        `customDetails:
  SourceIp: IPAddress
alertDetailsOverride:
  alertDisplayNameFormat: "{{Failures}} failures for {{UserPrincipalName}}"
  alertSeverityColumnName: Sev
eventGroupingSettings:
  aggregationKind: AlertPerResult
`,
      ).replace(
        '| summarize Failures = count() by UserPrincipalName, IPAddress',
        '| summarize Failures = count() by UserPrincipalName, IPAddress\n  | extend Sev = "High"',
      ),
      'threshold.yaml': ruleYaml(query).replace('triggerThreshold: 0', 'triggerThreshold: 1'),
      't.test.yaml': `rule: per-row.yaml
now: 2026-11-18T03:00:00Z
tables:
  SigninLogs:
    - ${FAIL('a@contoso.com', '192.0.2.1', '2026-11-18T02:50:00Z')}
    - ${FAIL('a@contoso.com', '192.0.2.1', '2026-11-18T02:51:00Z')}
    - ${FAIL('b@contoso.com', '192.0.2.2', '2026-11-18T02:52:00Z')}
cases:
  - name: one alert per result row
    expect:
      alerts: 2
      customDetails:
        - {SourceIp: 192.0.2.2}
      alertDetails:
        - {displayName: 2 failures for a@contoso.com, severity: High}
        - {displayName: 1 failures for b@contoso.com}
      entities:
        - {type: account, FullName: A@CONTOSO.COM}
`,
      'u.test.yaml': `rule: threshold.yaml
now: 2026-11-18T03:00:00Z
cases:
  - name: one row is not more than the threshold of 1
    tables:
      SigninLogs:
        - ${FAIL('a@contoso.com', '192.0.2.1', '2026-11-18T02:50:00Z')}
    expect: {alerts: 0}
  - name: two rows are, and make one alert
    tables:
      SigninLogs:
        - ${FAIL('a@contoso.com', '192.0.2.1', '2026-11-18T02:50:00Z')}
        - ${FAIL('b@contoso.com', '192.0.2.2', '2026-11-18T02:50:00Z')}
    expect: {alerts: 1}
  - name: rows before the one-hour query period do not count
    tables:
      SigninLogs:
        - ${FAIL('a@contoso.com', '192.0.2.1', '2026-11-18T01:50:00Z')}
        - ${FAIL('b@contoso.com', '192.0.2.2', '2026-11-18T02:50:00Z')}
    expect: {alerts: 0}
`,
    });
    for (const f of ['t.test.yaml', 'u.test.yaml']) {
      const r = await runner.runFile(path.join(dir, f));
      assert.ok(!r.badInput, JSON.stringify(r));
      for (const c of r.cases) assert.strictEqual(c.status, 'passed', `${c.case}: ${c.message}`);
    }
  });

  it('a mapped column the query does not produce is an error naming the column', async () => {
    const dir = tempDir();
    write(dir, {
      'r.yaml': ruleYaml(
        'SigninLogs\n| project TimeGenerated, Upn = UserPrincipalName',
        'customDetails:\n  Where: Location\n',
      ),
      'r.test.yaml':
        'rule: r.yaml\ncases:\n  - name: c\n    tables: {SigninLogs: [{TimeGenerated: "2026-11-18T02:50:00Z", UserPrincipalName: a@contoso.com}]}\n    expect: {alerts: 1}\n',
    });
    const [c] = (await runner.runFile(path.join(dir, 'r.test.yaml'))).cases;
    assert.strictEqual(c.status, 'error');
    assert.match(
      c.message,
      /does not produce the columns 'UserPrincipalName' \(entity mapping Account\.FullName\), 'Location' \(custom detail Where\); it produces TimeGenerated, Upn/,
    );
  });

  it('runs at one minute after the latest fixture row unless now is given; NRT rules look back one minute', async () => {
    const dir = tempDir();
    write(dir, {
      'nrt.yaml': ruleYaml('SigninLogs\n| where ResultType == "50126"')
        .replace('kind: Scheduled', 'kind: NRT')
        .replace(/queryFrequency: 1h\nqueryPeriod: 1h\n/, ''),
      'n.test.yaml': `rule: nrt.yaml
cases:
  - name: the latest row is in the last minute, an older one is not
    tables:
      SigninLogs:
        - ${FAIL('old@contoso.com', '192.0.2.1', '2026-11-18T02:40:00Z')}
        - ${FAIL('new@contoso.com', '192.0.2.1', '2026-11-18T02:50:00Z')}
    expect:
      alerts: 1
      rows: [{UserPrincipalName: new@contoso.com}]
      entities: [{type: Account, FullName: new@contoso.com}]
  - name: nothing in the minute before now
    now: 2026-11-18T02:55:00Z
    tables:
      SigninLogs:
        - ${FAIL('new@contoso.com', '192.0.2.1', '2026-11-18T02:50:00Z')}
    expect: {alerts: 0}
`,
    });
    const r = await runner.runFile(path.join(dir, 'n.test.yaml'));
    for (const c of r.cases) assert.strictEqual(c.status, 'passed', `${c.case}: ${c.message}`);
  });

  it('reports a KQL error of the rule at its line in the rule file', async () => {
    const dir = tempDir();
    write(dir, {
      'bad.yaml': ruleYaml('SigninLogs\n| where NoSuchColumn == 1'),
      'b.test.yaml': 'rule: bad.yaml\ncases:\n  - name: c\n    expect: {alerts: 0}\n',
    });
    const [c] = (await runner.runFile(path.join(dir, 'b.test.yaml'))).cases;
    assert.strictEqual(c.status, 'error');
    assert.match(c.message, /bad\.yaml:11:11: .*NoSuchColumn/);
  });

  it('--filter picks cases by name and --changed-since picks tests whose inputs changed', async () => {
    const dir = tempDir();
    write(dir, {
      'rules/r.yaml': ruleYaml('SigninLogs\n| where ResultType == "50126"'),
      'one.test.yaml':
        'rule: rules/r.yaml\ncases:\n  - {name: first quiet, tables: {SigninLogs: f1.jsonl}, expect: {alerts: 0}}\n  - {name: second quiet, tables: {SigninLogs: []}, expect: {alerts: 0}}\n',
      'two.test.yaml':
        'rule: rules/r.yaml\ncases:\n  - {name: other quiet, tables: {SigninLogs: f2.jsonl}, expect: {alerts: 0}}\n',
      'f1.jsonl': '',
      'f2.jsonl': '',
    });
    const filtered = io(dir);
    assert.strictEqual(await main(['test', '--filter', 'SECOND', '--format', 'json'], filtered), 0);
    assert.deepStrictEqual(
      JSON.parse(filtered.out).cases.map((c: { case: string }) => c.case),
      ['second quiet'],
    );
    const gitIn = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    gitIn('init', '-q');
    gitIn('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'base');
    gitIn('add', '.');
    gitIn('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'tests');
    fs.writeFileSync(path.join(dir, 'f2.jsonl'), '{"TimeGenerated": "2026-11-18T02:50:00Z"}\n');
    const changed = io(dir);
    assert.strictEqual(await main(['test', '--changed-since', 'HEAD', '--format', 'json'], changed), 0, changed.err);
    assert.deepStrictEqual(
      JSON.parse(changed.out).cases.map((c: { case: string }) => c.case),
      ['other quiet'],
    );
    fs.writeFileSync(path.join(dir, 'rules', 'r.yaml'), ruleYaml('SigninLogs\n| where ResultType == "0"'));
    const ruleChanged = io(dir);
    assert.strictEqual(await main(['test', '--changed-since', 'HEAD', '--format', 'json'], ruleChanged), 0);
    assert.strictEqual(JSON.parse(ruleChanged.out).tests, 3);
    await assert.rejects(
      main(['test', '--changed-since', '--nope'], io(dir)).then((code) => {
        if (code === 2) throw new Error('exit 2');
      }),
      /exit 2/,
    );
  });
});

describe('detection tests: lint', function () {
  this.timeout(30_000);

  it('reports unknown columns, mappings to missing columns and a period shorter than the frequency, at FILE:LINE:COL', () => {
    const text = ruleYaml('SigninLogs\n| where ResultTyp == "0"\n| project TimeGenerated').replace(
      'queryPeriod: 1h',
      'queryPeriod: 30m',
    );
    const d = lintRuleText('r.yaml', text);
    const lines = d.map((x) => `${x.line}:${x.column}: ${x.severity}: ${x.message}`);
    assert.ok(
      lines.some((l) => /^11:11: error: The name 'ResultTyp' does not refer to any known column/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^5:14: error: queryPeriod \(30m\) is shorter than queryFrequency \(1h\)/.test(l)),
      lines.join('\n'),
    );
    const mapping = lintRuleText('r.yaml', ruleYaml('SigninLogs\n| project TimeGenerated, Upn = UserPrincipalName'));
    assert.deepStrictEqual(
      mapping.map((x) => `${x.line}:${x.column}: ${x.message}`),
      [
        "16:21: entity mapping Account.FullName uses the column 'UserPrincipalName', which the query does not produce (it produces TimeGenerated, Upn)",
      ],
    );
  });

  it('the sample rules are clean apart from the file broken on purpose', async () => {
    const o = io();
    assert.strictEqual(await main(['test', '--lint', 'sample/rules'], o), 1);
    assert.deepStrictEqual(o.out.trim().split('\n'), [
      'sample/rules/broken-rule.yaml:9:1: error: YAML: Tabs are not allowed as indentation',
      '12 rule files checked: 1 error, 0 warnings',
    ]);
  });
});

describe('detection tests: Create test…', () => {
  it("scaffolds a test with the rule's tables, a positive and a negative case and one-row fixtures with real columns", async () => {
    const dir = tempDir();
    const rule = path.join(dir, 'mfa.yaml');
    const text = fs.readFileSync(path.join(SAMPLE, 'rules', 'identity', 'mfa-registration-new-country.yaml'), 'utf8');
    const s = scaffoldTest(rule, text, { now: new Date('2026-11-18T03:00:00Z') });
    assert.strictEqual(s.testFile.path, path.join(dir, 'mfa.test.yaml'));
    assert.deepStrictEqual(
      s.fixtures.map((f) => path.relative(dir, f.path)),
      ['mfa.fixtures/AuditLogs.jsonl', 'mfa.fixtures/SigninLogs.jsonl', 'mfa.fixtures/IdentityInfo.jsonl'],
    );
    const row = JSON.parse(s.fixtures[1].text);
    assert.strictEqual(row.TimeGenerated, '2026-11-18T02:55:00Z');
    assert.ok('UserPrincipalName' in row && 'ResultType' in row && 'LocationDetails' in row);
    const parsed = parseTestFile(s.testFile.text);
    assert.deepStrictEqual(parsed.problems, []);
    assert.deepStrictEqual(
      parsed.test!.cases.map((c) => c.expect.alerts),
      [{ min: 1 }, 0],
    );
    // written out, it runs: the negative case passes, the positive one waits for real rows
    fs.writeFileSync(rule, text);
    for (const f of [s.testFile, ...s.fixtures]) write(dir, { [path.relative(dir, f.path)]: f.text });
    const r = await new DetectionTestRunner({ cwd: dir }).runFile(s.testFile.path);
    assert.deepStrictEqual(
      r.cases.map((c) => c.status),
      ['failed', 'passed'],
    );
  });
});

describe('detection tests: real rules from ../shared/real-rules', function () {
  this.timeout(60_000);
  const REAL = path.join(ROOT, 'test', 'fixtures', 'detections', 'real-rules');
  before(function () {
    if (!fs.existsSync(path.join(ROOT, '..', 'shared', 'real-rules', 'rules'))) this.skip();
  });

  it('three real rules pass their positive and negative cases', async () => {
    const runner = new DetectionTestRunner({ cwd: ROOT });
    for (const f of ['mfa-rejected-by-user', 'nrt-security-event-log-cleared', 'nrt-privileged-role-outside-pim']) {
      const r = await runner.runFile(path.join(REAL, `${f}.test.yaml`));
      assert.ok(!r.badInput, JSON.stringify(r.cases[0]));
      assert.ok(r.cases.some((c) => /fires/.test(c.case)) && r.cases.some((c) => /quiet|outside/.test(c.case)));
      for (const c of r.cases) assert.strictEqual(c.status, 'passed', `${f}: ${c.case}: ${c.message}`);
    }
  });

  it('a real rule mapping a column its query never produces is reported by the test and by lint', async () => {
    const r = await new DetectionTestRunner({ cwd: ROOT }).runFile(
      path.join(REAL, 'anomalous-single-factor-signin.test.yaml'),
    );
    assert.strictEqual(r.cases[0].status, 'error');
    assert.match(r.cases[0].message, /does not produce the column 'IpAddress' \(entity mapping IP\.Address\)/);
    const ruleFile = path.join(
      ROOT,
      '..',
      'shared',
      'real-rules',
      'rules',
      'Detections',
      'SigninLogs',
      'AnomolousSingleFactorSignin.yaml',
    );
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, '..', 'shared', 'real-rules', 'schema.json'), 'utf8'));
    const d = lintRuleText('rule.yaml', fs.readFileSync(ruleFile, 'utf8'), { schema });
    assert.ok(
      d.some((x) => /'IpAddress', which the query does not produce/.test(x.message)),
      JSON.stringify(d),
    );
  });
});

describe('detection tests: the README', function () {
  this.timeout(30_000);
  it('documents a test file that parses and passes as it is written', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Detection tests'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    assert.match(example, /^# sample\/tests\/password-spray\.test\.yaml/);
    const r = await new DetectionTestRunner({ cwd: ROOT }).runFile(
      path.join(SAMPLE, 'tests', 'password-spray.test.yaml'),
      { text: example },
    );
    assert.ok(!r.badInput, JSON.stringify(r.cases[0]));
    assert.deepStrictEqual(
      r.cases.map((c) => c.status),
      ['passed', 'passed', 'passed', 'passed'],
    );
  });
});
