// The analyzer state that queries calling workspace functions share: it must follow the lake's schemas (a new
// column, a new table, a table whose schema changed) and give each engine its own, while one query's state
// carries over to the next.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import { plain } from '../plain';

const NOW = new Date('2026-11-20T12:00:00Z');

function lakeWith(tables: Record<string, Record<string, unknown>[]>, functions: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-fnstate-'));
  for (const [t, rows] of Object.entries(tables))
    fs.writeFileSync(path.join(dir, `${t}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.mkdirSync(path.join(dir, 'functions'));
  for (const [name, body] of Object.entries(functions))
    fs.writeFileSync(path.join(dir, 'functions', `${name}.kql`), body);
  return dir;
}

describe('engine: analyzer state of workspace-function calls', () => {
  it('a column a table gains after a first query is seen by the next query calling the function', async () => {
    const dir = lakeWith({ Events: [{ User: 'a', N: 1 }] }, { EventsOf: 'Events | project-away N' });
    const lake = openLake(dir);
    const engine = createEngine(lake);
    const first = await engine.execute('EventsOf | project User', { now: NOW });
    assert.deepEqual(plain(first.rows), [['a']]);
    // the column does not exist yet: the analyzer says so
    await assert.rejects(engine.execute('EventsOf | project Host', { now: NOW }), /Host/);
    await lake.appendRows('Events', [{ User: 'b', N: 2, Host: 'h1' }]);
    const second = await engine.execute('EventsOf | where isnotempty(Host) | project User, Host', { now: NOW });
    assert.deepEqual(plain(second.rows), [['b', 'h1']]);
  });

  it('a column whose type changed is analysed with its new type', async () => {
    const dir = lakeWith({ Items: [{ Id: 'x', Size: 'big' }] }, { AllItems: 'Items' });
    const lake = openLake(dir);
    const engine = createEngine(lake);
    await engine.execute('AllItems | project Id', { now: NOW });
    // a string column: numeric comparison is an analyzer error
    await assert.rejects(engine.execute('AllItems | where Size > 1', { now: NOW }));
    fs.writeFileSync(path.join(dir, 'Items.jsonl'), JSON.stringify({ Id: 'y', Size: 5 }) + '\n');
    lake.refresh?.('Items');
    const r = await engine.execute('AllItems | where Size > 1 | project Id', { now: NOW });
    assert.deepEqual(plain(r.rows), [['y']]);
  });

  it('two engines over lakes with different schemas each see their own', async () => {
    const a = createEngine(openLake(lakeWith({ T: [{ A: 1 }] }, { F: 'T' })));
    const b = createEngine(openLake(lakeWith({ T: [{ B: 'x' }] }, { F: 'T' })));
    assert.deepEqual(plain((await a.execute('F | project A', { now: NOW })).rows), [[1]]);
    assert.deepEqual(plain((await b.execute('F | project B', { now: NOW })).rows), [['x']]);
    await assert.rejects(a.execute('F | project B', { now: NOW }), /B/);
    await assert.rejects(b.execute('F | project A', { now: NOW }), /A/);
  });

  it('a table that appears after the state was built can be read by a function', async () => {
    const dir = lakeWith({ T: [{ A: 1 }] }, { F: 'T', G: 'union isfuzzy=true T, Later | count' });
    const lake = openLake(dir);
    const engine = createEngine(lake);
    engine.warmUp?.();
    assert.deepEqual(plain((await engine.execute('G', { now: NOW })).rows), [[1]]);
    await lake.appendRows('Later', [{ A: 2 }, { A: 3 }]);
    assert.deepEqual(plain((await engine.execute('G', { now: NOW })).rows), [[3]]);
    assert.deepEqual(plain((await engine.execute('F | count', { now: NOW })).rows), [[1]]);
  });
});
