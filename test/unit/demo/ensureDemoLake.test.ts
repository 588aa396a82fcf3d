// ensureDemoLake reuses a current demo lake, regenerates a stale one, and leaves other lakes alone.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { demoCacheDir, ensureDemoLake, isCurrentDemoLake } from '../../../src/core/lake/demo';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-ensure-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function io(): CliIO & { out: string; err: string } {
  const r = { out: '', err: '', env: {}, cwd: tmpRoot } as CliIO & { out: string; err: string };
  r.stdout = (t) => {
    r.out += t;
  };
  r.stderr = (t) => {
    r.err += t;
  };
  return r;
}

describe('ensureDemoLake', function () {
  this.timeout(60_000);

  it('generates a missing lake, then returns it without regenerating', async () => {
    const dir = path.join(tmpRoot, 'nested', 'lake');
    assert.strictEqual(await ensureDemoLake({ dir }), dir);
    assert.ok(isCurrentDemoLake(dir));
    const marker = path.join(dir, 'SigninLogs.jsonl');
    const before = fs.statSync(marker).mtimeMs;
    fs.utimesSync(marker, new Date(0), new Date(0));
    await ensureDemoLake({ dir });
    assert.strictEqual(fs.statSync(marker).mtimeMs, 0, 'a current lake must not be rewritten');
    assert.ok(before > 0);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(dir)), ['lake'], 'no temporary folders left behind');
  });

  it('regenerates a lake written by an older generator version, keeping its parameters', async () => {
    const dir = path.join(tmpRoot, 'stale');
    await ensureDemoLake({ dir });
    const lakeJson = path.join(dir, 'lake.json');
    const old = JSON.parse(fs.readFileSync(lakeJson, 'utf8'));
    old.generator = { ...old.generator, version: 0, users: 25 };
    fs.writeFileSync(lakeJson, JSON.stringify(old));
    fs.writeFileSync(path.join(dir, 'SigninLogs.jsonl'), '');
    await ensureDemoLake({ dir });
    const now = JSON.parse(fs.readFileSync(lakeJson, 'utf8'));
    assert.ok(isCurrentDemoLake(dir));
    assert.strictEqual(now.generator.users, 25);
    assert.ok(fs.statSync(path.join(dir, 'SigninLogs.jsonl')).size > 0);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'IdentityInfo.jsonl'), 'utf8').trim().split('\n').length, 26);
  });

  it('leaves a lake that the generator did not write untouched', async () => {
    const dir = path.join(tmpRoot, 'mine');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'lake.json'), '{"name":"my export"}');
    fs.writeFileSync(path.join(dir, 'SigninLogs.jsonl'), '{"UserPrincipalName":"a@b.c"}\n');
    assert.strictEqual(await ensureDemoLake({ dir }), dir);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['SigninLogs.jsonl', 'lake.json']);
  });

  it('puts the cache under SWB_DEMO_CACHE, else XDG_CACHE_HOME', () => {
    assert.strictEqual(demoCacheDir({ SWB_DEMO_CACHE: '/x/storage' }), path.join('/x/storage', 'demo-lake'));
    assert.strictEqual(demoCacheDir({ XDG_CACHE_HOME: '/c' }), path.join('/c', 'sentinel-workbench', 'demo-lake'));
  });
});

describe('swb lake generate', function () {
  this.timeout(60_000);

  it('writes the lake and prints tables, rows and time', async () => {
    const r = io();
    const code = await main(
      ['lake', 'generate', '--out', 'cli-lake', '--seed', '3', '--users', '30', '--days', '7'],
      r,
    );
    assert.strictEqual(code, 0, r.err);
    assert.match(r.out, /SigninLogs\s+\d+ rows/);
    assert.match(r.out, /total\s+\d+ rows in \d+ ms/);
    assert.match(r.out, /seed 3, 30 users/);
    const lake = JSON.parse(fs.readFileSync(path.join(tmpRoot, 'cli-lake', 'lake.json'), 'utf8'));
    assert.deepStrictEqual(lake.generator, { version: lake.generator.version, seed: 3, users: 30, days: 7 });
  });

  it('exits 2 with one line on bad input', async () => {
    for (const argv of [
      ['lake', 'generate'],
      ['lake', 'generate', '--out', 'x', '--users', 'many'],
      ['lake', 'generate', '--out', 'x', '--days', '1000'],
      ['lake', 'frobnicate'],
    ]) {
      const r = io();
      assert.strictEqual(await main(argv, r), 2, argv.join(' '));
      assert.match(r.err, /^error: .+\n$/);
      assert.ok(!r.err.includes('    at '), 'no stack trace');
    }
  });
});
