// Member access into dynamic columns: the same answers whether a path is computed fresh, reused from the
// per-column cache, or read through a filter's selection.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine, KqlEngine } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import { NOW } from './helpers';

describe('engine: dynamic member access over lake columns', () => {
  let dir: string;
  let engine: KqlEngine;
  const q = async (text: string) => (await engine.execute(text, { now: NOW })).rows;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-dynpath-'));
    const rows = [
      { N: 1, Loc: { city: 'Berlin', geo: { lat: 52.5 }, tags: ['a', 'b'] } },
      { N: 2, Loc: { city: 'Paris', geo: { lat: 48.9 } } },
      { N: 3, Loc: { city: 'Berlin' } },
      { N: 4, Loc: { city: 7 } },
      { N: 5, Loc: {} },
      { N: 6, Loc: null },
      { N: 7, Loc: { city: { name: 'Oslo' } } },
      { N: 8, Loc: { city: '' } },
    ];
    fs.writeFileSync(path.join(dir, 'T.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    engine = createEngine(openLake(dir));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('tostring() of a member is its text, "" for missing and null, JSON for objects — on every run', async () => {
    for (let run = 0; run < 2; run++) {
      assert.deepEqual(await q('T | project N, c = tostring(Loc.city)'), [
        [1, 'Berlin'],
        [2, 'Paris'],
        [3, 'Berlin'],
        [4, '7'],
        [5, ''],
        [6, ''],
        [7, '{"name":"Oslo"}'],
        [8, ''],
      ]);
    }
  });

  it('filters and groups on a member, with and without tostring()', async () => {
    assert.deepEqual(await q('T | where tostring(Loc.city) == "Berlin" | project N'), [[1], [3]]);
    assert.deepEqual(await q('T | where Loc.city == "Berlin" | project N'), [[1], [3]]);
    assert.deepEqual(await q('T | summarize n = count() by c = tostring(Loc.city) | where n > 1 | order by c asc'), [
      ['', 3],
      ['Berlin', 2],
    ]);
  });

  it('reads members through an earlier filter and nested paths, by name or by index', async () => {
    assert.deepEqual(await q('T | where N > 1 | project N, c = tostring(Loc.city) | take 2'), [
      [2, 'Paris'],
      [3, 'Berlin'],
    ]);
    assert.deepEqual(await q('T | where N <= 2 | project lat = todouble(Loc.geo.lat), t = tostring(Loc["tags"][1])'), [
      [52.5, 'b'],
      [48.9, ''],
    ]);
    assert.deepEqual(await q('T | where isnull(Loc.geo) | count'), [[6]]);
  });

  it('sees the new rows when the table file changes', async () => {
    fs.appendFileSync(path.join(dir, 'T.jsonl'), JSON.stringify({ N: 9, Loc: { city: 'Berlin' } }) + '\n');
    const fresh = createEngine(openLake(dir));
    assert.deepEqual((await fresh.execute('T | where tostring(Loc.city) == "Berlin" | count', { now: NOW })).rows, [
      [3],
    ]);
  });
});
