// Query history on disk: entries survive a new instance (a reload), results come back without re-running,
// the size cap drops the oldest results first, and storing results can be turned off.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { QueryHistory } from '../../src/core/history';
import type { QueryResult } from '../../src/core/types';

function result(rows: number, width = 10): QueryResult {
  return {
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'User', type: 'string' },
    ],
    rows: Array.from({ length: rows }, (_, i) => [
      `2026-11-20T00:${String(i % 60).padStart(2, '0')}:00Z`,
      'x'.repeat(width),
    ]),
  } as QueryResult;
}

const run = (title: string) => ({
  ranAt: '2026-11-20T12:00:00Z',
  query: `SigninLogs | take 1 // ${title}`,
  title,
  backend: 'local demo lake',
  timeRange: 'last 24 hours',
  rows: 3,
  durationMs: 12,
});

describe('query history', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-history-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps runs newest first across instances and returns the stored result', async () => {
    const h = new QueryHistory({ dir });
    const first = await h.add(run('first'), result(3));
    await h.add(run('second'), result(2));
    const again = new QueryHistory({ dir });
    const list = await again.list();
    assert.deepStrictEqual(
      list.map((e) => e.title),
      ['second', 'first'],
    );
    assert.deepStrictEqual(await again.result(first.id), result(3));
    assert.ok(list[1].resultBytes! > 0);
  });

  it('caps the stored results: the oldest go first, their entries stay', async () => {
    const one = Buffer.byteLength(JSON.stringify(result(20, 100)));
    const h = new QueryHistory({ dir, maxResultBytes: one * 2 + 10 });
    const a = await h.add(run('a'), result(20, 100));
    const b = await h.add(run('b'), result(20, 100));
    const c = await h.add(run('c'), result(20, 100));
    assert.strictEqual(await h.result(a.id), undefined, 'the oldest result was dropped');
    assert.ok(await h.result(b.id));
    assert.ok(await h.result(c.id));
    assert.deepStrictEqual(
      (await h.list()).map((e) => e.title),
      ['c', 'b', 'a'],
    );
    assert.strictEqual(fs.readdirSync(path.join(dir, 'results')).length, 2);
    // A result bigger than the whole cap is never stored.
    const big = await h.add(run('big'), result(200, 100));
    assert.strictEqual(big.resultBytes, undefined);
  });

  it('stores no result when turned off, keeps at most maxEntries, and survives a broken index', async () => {
    let store = false;
    const h = new QueryHistory({ dir, maxEntries: 2, storeResults: () => store });
    const off = await h.add(run('off'), result(3));
    assert.strictEqual(off.resultBytes, undefined);
    assert.ok(!fs.existsSync(path.join(dir, 'results')));
    store = true;
    await h.add(run('on1'), result(3));
    await h.add(run('on2'), result(3));
    assert.deepStrictEqual(
      (await h.list()).map((e) => e.title),
      ['on2', 'on1'],
    );
    await h.clearResults();
    assert.ok(!fs.existsSync(path.join(dir, 'results')));
    fs.writeFileSync(path.join(dir, 'history.json'), '{not json');
    assert.deepStrictEqual(await new QueryHistory({ dir }).list(), []);
  });
});
