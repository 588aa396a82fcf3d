// The demo workspace a newcomer opens: its queries answer the stories, its rule files carry the cases the
// migration audit must find, and its automation exports have the shape Sentinel writes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { splitQueryBlocks } from '../../../src/core/kql/blocks';
import { createEngine } from '../../../src/core/kql/engine';
import { DEMO_PHISHING, DEMO_SPRAY, DEMO_USERS } from '../../../src/core/lake/demoFacts';
import { generateDemoLake } from '../../../src/core/lake/generate';
import { openLake } from '../../../src/core/lake/lake';

const SAMPLE = path.join(__dirname, '..', '..', '..', 'sample');
const read = (rel: string) => fs.readFileSync(path.join(SAMPLE, rel), 'utf8');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

const normTitle = (t: string) =>
  t
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, ' ')
    .trim();

describe('demo workspace (sample/)', () => {
  it('holds the seed sign-in baseline exactly, for the compromised user', () => {
    assert.strictEqual(
      read('baselines/signin-baseline.kql'),
      [
        'let TargetUpn = "megan.bowen@contoso.com";',
        'SigninLogs',
        '| where TimeGenerated between (ago(7d) .. now())',
        '| where UserPrincipalName == TargetUpn',
        '| summarize Total=count(), Failures=countif(ResultType != "0"), Successes=countif(ResultType == "0"), DistinctIPs=dcount(IPAddress), Apps=make_set(AppDisplayName, 20) by bin(TimeGenerated, 1d)',
        '| order by TimeGenerated desc',
        '',
      ].join('\n'),
    );
    assert.match(
      read('baselines/url-prevalence.kql'),
      /^let TargetUrl = "https:\/\/secure-login\.micros0ft-auth\.com\/common\/oauth2\/authorize";$/m,
    );
  });

  it('hunting.kql has several query blocks with selectable UPNs and URLs, one defanged', () => {
    const text = read('hunting.kql');
    const blocks = splitQueryBlocks(text).filter(
      (b) => b.firstCodeLine >= 0 && b.text.split('\n').some((l) => l.trim() && !l.trim().startsWith('//')),
    );
    assert.ok(blocks.length >= 8, `${blocks.length} blocks`);
    assert.ok(text.includes(DEMO_USERS.compromised));
    assert.ok(text.includes('hxxps://secure-login[.]micros0ft-auth[.]com'));
  });

  describe('analytics rules', () => {
    const files = walk(path.join(SAMPLE, 'rules'));
    const yamlFiles = files.filter((f) => f.endsWith('.yaml'));
    const titles: { title: string; file: string }[] = [];
    const broken: string[] = [];
    for (const f of yamlFiles) {
      const docs = parseAllDocuments(fs.readFileSync(f, 'utf8'));
      if (docs.some((d) => d.errors.length)) {
        broken.push(path.basename(f));
        continue;
      }
      const js = docs[0].toJS();
      titles.push({ title: js.name, file: f });
    }

    it('YAML rules have the Azure-Sentinel repository fields; exactly one file is broken', () => {
      assert.ok(yamlFiles.length >= 8);
      assert.deepStrictEqual(broken, ['broken-rule.yaml']);
      for (const { file } of titles) {
        const js = parseAllDocuments(fs.readFileSync(file, 'utf8'))[0].toJS();
        for (const key of [
          'id',
          'name',
          'description',
          'severity',
          'requiredDataConnectors',
          'queryFrequency',
          'queryPeriod',
          'triggerOperator',
          'triggerThreshold',
          'tactics',
          'relevantTechniques',
          'query',
          'entityMappings',
          'version',
          'kind',
        ]) {
          assert.ok(key in js, `${path.basename(file)} lacks ${key}`);
        }
        assert.strictEqual(js.kind, 'Scheduled');
      }
    });

    it('has an exact duplicate title in two files, a near-duplicate pair, and titles on both sides of the naming convention', () => {
      const exact = titles.filter((t) => titles.some((o) => o !== t && o.title === t.title));
      assert.strictEqual(new Set(exact.map((t) => t.title)).size, 1);
      assert.strictEqual(new Set(exact.map((t) => t.file)).size, 2);
      const near = titles.filter((t) =>
        titles.some((o) => o.title !== t.title && normTitle(o.title) === normTitle(t.title)),
      );
      assert.strictEqual(near.length, 2);
      const convention = /^(High|Medium|Low|Informational)_[A-Za-z]+_T\d{4}(\.\d{3})?$/;
      assert.ok(titles.filter((t) => convention.test(t.title)).length >= 3);
      assert.ok(titles.filter((t) => !convention.test(t.title)).length >= 3);
    });

    it('has one ARM export with alert rule resources', () => {
      const arm = files.filter((f) => f.endsWith('.json'));
      assert.strictEqual(arm.length, 1);
      const resources = JSON.parse(fs.readFileSync(arm[0], 'utf8')).resources;
      assert.ok(resources.length >= 2 && resources.length <= 3);
      for (const r of resources) {
        assert.strictEqual(r.type, 'Microsoft.OperationalInsights/workspaces/providers/alertRules');
        assert.ok(r.properties.displayName);
      }
    });
  });

  it('automation rules are ARM exports with triggering logic and the three action types', () => {
    const files = walk(path.join(SAMPLE, 'automation'));
    assert.ok(files.length >= 3 && files.length <= 4);
    const actionTypes = new Set<string>();
    for (const f of files) {
      const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
      for (const r of doc.resources) {
        assert.match(r.type, /(^|\/)automationRules$/);
        const p = r.properties;
        assert.ok(p.displayName && typeof p.order === 'number');
        const t = p.triggeringLogic;
        assert.ok(
          t.isEnabled === true &&
            t.triggersOn === 'Incidents' &&
            t.triggersWhen &&
            Array.isArray(t.conditions) &&
            t.conditions.length,
        );
        for (const a of p.actions) actionTypes.add(a.actionType);
      }
    }
    assert.deepStrictEqual([...actionTypes].sort(), ['AddIncidentTask', 'ModifyProperties', 'RunPlaybook']);
  });

  it('keeps sample/ clean: no editor settings, the lake is git-ignored', () => {
    assert.ok(!fs.existsSync(path.join(SAMPLE, '.vscode')));
    const ignore = fs.readFileSync(path.join(SAMPLE, '..', '.gitignore'), 'utf8');
    assert.match(ignore, /^sample\/lake\/?$/m);
  });

  describe('queries on the demo lake', function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-sample-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    let engine: ReturnType<typeof createEngine>;
    before(async () => {
      await generateDemoLake({ out: dir });
      engine = createEngine(openLake(dir));
    });

    it('the sign-in baseline shows the spray day of the compromised user', async () => {
      const r = await engine.execute(read('baselines/signin-baseline.kql'));
      const cols = r.columns.map((c) => c.name);
      assert.deepStrictEqual(cols, ['TimeGenerated', 'Total', 'Failures', 'Successes', 'DistinctIPs', 'Apps']);
      const spray = r.rows.find((row) => String(row[0]).startsWith('2026-11-18'));
      assert.ok(spray, JSON.stringify(r.rows));
      assert.strictEqual(spray[2], DEMO_SPRAY.targetFailures);
      assert.ok((spray[4] as number) >= DEMO_SPRAY.ips.length);
      assert.ok(String(r.rows[0][0]) > String(r.rows[r.rows.length - 1][0]), 'newest day first');
    });

    it('the URL prevalence shows who clicked the phishing link and who was blocked', async () => {
      const r = await engine.execute(read('baselines/url-prevalence.kql'));
      const idx = (n: string) => r.columns.findIndex((c) => c.name === n);
      const allowed = r.rows.filter((row) => row[idx('ActionType')] === 'ClickAllowed');
      const users = new Set(allowed.flatMap((row) => row[idx('Users')] as string[]));
      assert.deepStrictEqual([...users].sort(), [...DEMO_PHISHING.clickedThrough].sort());
      assert.ok(r.rows.some((row) => row[idx('ActionType')] === 'ClickBlocked'));
    });

    it('every hunting block runs', async () => {
      const blocks = splitQueryBlocks(read('hunting.kql')).filter((b) =>
        b.text.split('\n').some((l) => l.trim() && !l.trim().startsWith('//')),
      );
      for (const b of blocks) {
        const r = await engine
          .execute(b.text)
          .catch((e: Error) => assert.fail(`block at line ${b.startLine + 1}: ${e.message}`));
        assert.ok(r.rows.length > 0, `block at line ${b.startLine + 1} returned no rows`);
      }
    });
  });
});
