// Columnar snapshots of lake tables: a re-opened lake answers exactly as a freshly parsed one, a changed or
// damaged file is never answered from a stale snapshot, and the store stays within its cap.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import { clearSnapshots, snapshotUsage, SnapshotStore } from '../../../src/core/lake/snapshot';

const NOW = new Date('2026-11-20T12:00:00Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lake snapshots', function () {
  this.timeout(60_000);
  let root: string, lakeDir: string, store: SnapshotStore;
  const snapFiles = () => fs.readdirSync(store.dir).filter((f) => f.endsWith('.swbsnap'));
  const query = async (kql: string, s: SnapshotStore | undefined = store) =>
    (await createEngine(openLake(lakeDir, { snapshots: s })).execute(kql, { now: NOW })).rows;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-snap-'));
    lakeDir = path.join(root, 'lake');
    fs.mkdirSync(lakeDir);
    store = { dir: path.join(root, 'cache'), maxBytes: 64 * 2 ** 20, minBytes: 0 };
    fs.mkdirSync(store.dir);
    const rows = [];
    for (let i = 0; i < 300; i++) {
      rows.push({
        TimeGenerated: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
        Name: i % 7 === 0 ? 'Zoë 東京' : `user${i % 5}`,
        Id: `id-${i}`,
        N: i % 11 === 0 ? null : i * 1.5,
        Ok: i % 3 === 0,
        Bag: i % 4 === 0 ? null : { city: ['Berlin', 'Paris'][i % 2], n: i % 3, list: [1, { x: 'y' }] },
      });
    }
    fs.writeFileSync(path.join(lakeDir, 'T.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  });
  /** Snapshots are written in the background: waits until no write is in flight (no .tmp file, a stable listing). */
  const wait = async () => {
    let last = '';
    let stable = 0;
    for (let i = 0; i < 300 && stable < 3; i++) {
      await sleep(100);
      const now = fs.existsSync(store.dir) ? fs.readdirSync(store.dir).sort().join('|') : '';
      stable = now === last && !now.includes('.tmp') ? stable + 1 : 0;
      last = now;
    }
  };
  afterEach(async () => {
    await wait();
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  const QUERIES = [
    'T | project TimeGenerated, Name, Id, N, Ok, Bag',
    'T | summarize c = count(), s = sum(N), d = dcount(Id) by Name, Ok | order by Name asc, Ok asc',
    'T | where tostring(Bag.city) == "Berlin" and Bag.n == 2 | project Id, Bag.list[1].x',
  ];

  it('re-opens from a snapshot outside the lake with the same results as parsing the file', async () => {
    const fresh = [];
    for (const q of QUERIES) fresh.push(await query(q, undefined));
    for (const q of QUERIES) await query(q); // first open: parses and writes the snapshot
    await wait();
    assert.equal(snapFiles().length, 1);
    assert.deepEqual(fs.readdirSync(lakeDir), ['T.jsonl'], 'nothing written into the lake');
    for (let i = 0; i < QUERIES.length; i++) assert.deepEqual(await query(QUERIES[i]), fresh[i], QUERIES[i]);
    const said: string[] = [];
    const logger = {
      trace: () => undefined,
      debug: (m: string) => said.push(m),
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    assert.equal((await openLake(lakeDir, { snapshots: store, logger }).loadTable!('T')).length, 300);
    assert.ok(
      said.some((m) => m.includes('from its snapshot')),
      said.join('\n'),
    );
  });

  it('reads the file again when it changed, and when the snapshot is damaged', async () => {
    await query('T | count');
    await wait();
    fs.appendFileSync(path.join(lakeDir, 'T.jsonl'), JSON.stringify({ Name: 'late', Id: 'id-x' }) + '\n');
    assert.deepEqual(await query('T | count'), [[301]]);
    await wait();
    const [snap] = snapFiles();
    const bytes = fs.readFileSync(path.join(store.dir, snap));
    fs.writeFileSync(path.join(store.dir, snap), bytes.subarray(0, bytes.length >> 1));
    assert.deepEqual(await query('T | where Name == "late" | project Id'), [['id-x']]);
  });

  it('keeps the store under its cap and clears it on request', async () => {
    await query('T | count');
    await wait();
    const one = snapshotUsage(store).bytes;
    fs.copyFileSync(path.join(lakeDir, 'T.jsonl'), path.join(lakeDir, 'U.jsonl'));
    const small: SnapshotStore = { ...store, maxBytes: Math.floor(one * 1.5) };
    await query('U | count', small);
    await wait();
    assert.equal(snapshotUsage(store).files, 1, 'the older snapshot made room');
    assert.deepEqual(clearSnapshots(store), { files: 1, bytes: one });
    assert.deepEqual(snapFiles(), []);
  });
});
