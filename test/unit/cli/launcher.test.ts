// The `swb` launcher and its start-up snapshot, driven as users run it: `node dist/cli.js ...`.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

describe('swb launcher and start-up snapshot', function () {
  this.timeout(240_000);
  let cache: string;
  let lake: string;
  const swb = (args: string[], env: Record<string, string> = {}, cwd?: string) =>
    spawnSync(process.execPath, [CLI, ...args], {
      encoding: 'utf8',
      cwd,
      env: { ...process.env, SWB_CACHE_DIR: cache, ...env },
    });
  const blobs = () => fs.readdirSync(cache).filter((f) => f.endsWith('.blob'));
  const rows = (stdout: string) => JSON.parse(stdout).rows;

  before(function () {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli-snapshot.js'))) this.skip();
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-cache-'));
    lake = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-lake-'));
    fs.writeFileSync(path.join(lake, 'Events.jsonl'), '{"Name":"a","N":1}\n{"Name":"b","N":2}\n');
  });
  after(() => {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(lake, { recursive: true, force: true });
  });

  it('answers without a snapshot when snapshots are turned off, and builds none', () => {
    const r = swb(['query', '--lake', lake, '-e', 'Events | summarize sum(N)'], { SWB_SNAPSHOT: '0' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(rows(r.stdout), [[3]]);
    assert.deepEqual(blobs(), []);
  });

  it('builds a snapshot in the cache folder and answers from it with the same results and errors', () => {
    const built = swb(['__build-snapshot']);
    assert.equal(built.status, 0, built.stderr);
    assert.equal(blobs().length, 1);
    const r = swb(['query', '--lake', lake, '-e', 'Events | where N > 1 | project Name']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(rows(r.stdout), [['b']]);
    const bad = swb(['query', '--lake', lake, '-e', 'Events | where']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /<query>:1:\d+: error/);
    assert.equal(
      fs.readdirSync(lake).some((f) => /snapshot|blob/.test(f)),
      false,
      'nothing written into the lake',
    );
  });

  it('answers geo functions and Parquet tables from the side bundles of the built CLI', async () => {
    const geo = swb([
      'query',
      '--lake',
      lake,
      '-e',
      'print d = round(geo_distance_2points(-122.3, 47.6, -122.2, 47.6)), h = geo_point_to_h3cell(-122.3, 47.6, 6), g = geo_point_to_geohash(-122.3, 47.6, 5), s = geo_point_to_s2cell(-122.3, 47.6, 8)',
    ]);
    assert.equal(geo.status, 0, geo.stderr);
    assert.deepEqual(rows(geo.stdout), [[7498, '8628d5427ffffff', 'c23nb', '54907']]);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const file = path.join(lake, 'Sales.parquet');
    await con.run(
      `COPY (SELECT 'u' || (r % 2) AS Name, r AS N, {'city': 'Berlin'} AS Place FROM range(10) t(r)) TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`,
    );
    try {
      // a lake folder relative to where swb runs, not to where the snapshot was built
      const r = swb(
        [
          'query',
          '--lake',
          path.basename(lake),
          '-e',
          'Sales | summarize n = sum(N), b = countif(tostring(Place.city) == "Berlin") by Name | order by Name asc',
        ],
        {},
        path.dirname(lake),
      );
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(rows(r.stdout), [
        ['u0', 20, 5],
        ['u1', 25, 5],
      ]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('drops a corrupt snapshot and still answers', () => {
    const [blob] = blobs();
    fs.writeFileSync(path.join(cache, blob), Buffer.from('not a snapshot'));
    const r = swb(['query', '--lake', lake, '-e', 'Events | count'], { SWB_SNAPSHOT_NO_REBUILD: '1' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(rows(r.stdout), [[2]]);
    assert.equal(r.stderr, '', 'no report of the broken snapshot');
    assert.equal(fs.existsSync(path.join(cache, blob)), false);
  });
});
