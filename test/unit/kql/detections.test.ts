// Real detections over the demo lake: the workspace functions folder (parsers, .kql libraries), the password
// spray story caught by a spray rule and a brute-force rule — self-authored ones always, and the real Sentinel
// rules of ../shared/real-rules (read at test time, never copied) when that corpus sits next to the clone.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { createEngine, KqlEngine } from '../../../src/core/kql/engine';
import { loadWorkspaceFunctions } from '../../../src/core/kql/workspaceFunctions';
import { generateDemoLake } from '../../../src/core/lake/generate';
import { openLake } from '../../../src/core/lake/lake';
import { DEMO_SPRAY, DEMO_USERS } from '../../../src/core/lake/demoFacts';

const FUNCTIONS = path.resolve(__dirname, '../../fixtures/functions');
const CORPUS = path.resolve(__dirname, '../../../../shared/real-rules');
const corpusPresent = fs.existsSync(path.join(CORPUS, 'queries.jsonl'));

interface CorpusQuery {
  path: string;
  query: string;
}

function corpusQuery(file: string): CorpusQuery {
  const line = fs
    .readFileSync(path.join(CORPUS, 'queries.jsonl'), 'utf8')
    .split('\n')
    .find((l) => l.includes(`"path": ${JSON.stringify(file)}`));
  if (!line) throw new Error(`${file} is not in ${CORPUS}/queries.jsonl`);
  return JSON.parse(line) as CorpusQuery;
}

describe('detections over the demo lake', function () {
  this.timeout(120000);
  let dir: string;
  let engine: KqlEngine;
  const compromised = DEMO_USERS.compromised;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-detections-'));
    await generateDemoLake({ out: dir });
    fs.cpSync(FUNCTIONS, path.join(dir, 'functions'), { recursive: true });
    engine = createEngine(openLake(dir));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads parser YAML and .kql libraries from a functions folder, with their parameters and names', () => {
    const { functions, skipped } = loadWorkspaceFunctions(FUNCTIONS);
    assert.deepEqual(skipped, []);
    assert.deepEqual(functions.map((f) => f.name).sort(), [
      'BruteForcedAccounts',
      'SprayingIps',
      '_Im_SigninFailures',
      'vimSigninFailures',
    ]);
    assert.equal(
      functions.find((f) => f.name === 'vimSigninFailures')!.params,
      '(starttime:datetime=datetime(null), targetusername_has:string="*")',
    );
  });

  it("queries call the lake's workspace functions by name, with named and positional arguments", async () => {
    const all = await engine.execute('_Im_SigninFailures | count');
    const one = await engine.execute(`vimSigninFailures(targetusername_has="${compromised.split('@')[0]}") | count`);
    assert.ok(Number(all.rows[0][0]) > Number(one.rows[0][0]) && Number(one.rows[0][0]) > 0);
    const positional = await engine.execute(
      `vimSigninFailures(datetime(null), "${compromised.split('@')[0]}") | count`,
    );
    assert.deepEqual(positional.rows, one.rows);
  });

  it('a self-authored spray rule names every spray IP, and a brute-force rule the compromised user', async () => {
    const spray = await engine.execute('SprayingIps(5) | project SrcIpAddr');
    const ips = new Set(spray.rows.map((r) => r[0]));
    for (const s of DEMO_SPRAY.ips) assert.ok(ips.has(s.ip), `spray IP ${s.ip} found`);
    const brute = await engine.execute('BruteForcedAccounts(20) | project TargetUsername');
    assert.ok(brute.rows.some((r) => r[0] === compromised));
  });

  it('the real Sentinel password-spray rule of ../shared/real-rules fires on the spray story', async function () {
    if (!corpusPresent) {
      this.skip();
      return;
    } // the corpus lives outside the repository: ../shared/real-rules
    const rule = corpusQuery('Detections/SigninLogs/SigninPasswordSpray.yaml');
    const r = await engine.execute(rule.query);
    const ipCol = r.columns.findIndex((c) => c.name === 'IPAddress');
    const fired = new Set(r.rows.map((row) => row[ipCol]));
    assert.ok(
      DEMO_SPRAY.ips.some((s) => fired.has(s.ip)),
      `fired on ${[...fired].join(', ')}`,
    );
    assert.ok(
      r.rows.some((row) => JSON.stringify(row).includes(compromised)),
      'the compromised user is among the sprayed accounts',
    );
  });

  it('the real Sentinel brute-force rule of ../shared/real-rules fires on the compromised user: the spray host that found the password', async function () {
    if (!corpusPresent) {
      this.skip();
      return;
    }
    const r = await engine.execute(corpusQuery('Detections/SigninLogs/SigninBruteForce-AzurePortal.yaml').query);
    const col = (name: string) => r.columns.findIndex((c) => c.name === name);
    const hits = r.rows.filter((row) => row[col('UserPrincipalName')] === compromised);
    assert.strictEqual(hits.length, 1, JSON.stringify(r.rows));
    assert.strictEqual(hits[0][col('IPAddress')], DEMO_SPRAY.successIp);
    assert.ok(Number(hits[0][col('FailureCountBeforeSuccess')]) >= 5);
  });

  it('the real brute-force rules and the ASIM spray rule of ../shared/real-rules run over the story with the ASIM parsers of ../shared/real-rules/parsers.json', async function () {
    if (!corpusPresent) {
      this.skip();
      return;
    }
    const parsers = JSON.parse(fs.readFileSync(path.join(CORPUS, 'parsers.json'), 'utf8')) as {
      files: Record<string, { kql: string; params: unknown[] }>;
      names: Record<string, string>;
    };
    const fdir = path.join(dir, 'functions', 'asim');
    fs.mkdirSync(fdir, { recursive: true });
    for (const [name, file] of Object.entries(parsers.names)) {
      const p = parsers.files[file];
      if (p && /^[A-Za-z_]\w*$/.test(name))
        fs.writeFileSync(
          path.join(fdir, `${name}.yaml`),
          YAML.stringify({ ParserName: name, ParserParams: p.params, ParserQuery: p.kql }),
        );
    }
    const asim = createEngine(openLake(dir));
    const failures = await asim.execute(
      `imAuthentication | where EventResult == "Failure" and TargetUsername =~ "${compromised}" | count`,
    );
    assert.ok(Number(failures.rows[0][0]) > 0, 'imAuthentication normalises the demo sign-ins');
    for (const file of [
      'Detections/ASimAuthentication/imAuthPasswordSpray.yaml',
      'Detections/SigninLogs/SigninBruteForce-AzurePortal.yaml',
      'Hunting Queries/SigninLogs/AADSuspectedBruteForce.yaml',
    ]) {
      const r = await asim.execute(corpusQuery(file).query);
      assert.ok(Array.isArray(r.rows), file);
    }
  });
});
