// The analyzer's state is kept per schema between queries (parse options and the binder's cache): repeated and
// varied queries over the same engine must still be analysed as if each were the first.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine, KqlEngine } from '../../../src/core/kql/engine';
import { KqlError } from '../../../src/core/errors';
import { openLake } from '../../../src/core/lake/lake';
import { NOW } from './helpers';
import { plain } from '../plain';

function lakeEngine(planCache: boolean): KqlEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-analysis-cache-'));
  fs.writeFileSync(
    path.join(dir, 'Events.jsonl'),
    [
      { TimeGenerated: '2026-11-20T10:00:00Z', User: 'alice', Code: 1 },
      { TimeGenerated: '2026-11-20T10:05:00Z', User: 'bob', Code: 2 },
      { TimeGenerated: '2026-11-20T10:10:00Z', User: 'alice', Code: 3 },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  return createEngine(openLake(dir), {
    planCache,
    functions: [{ name: 'EventsOf', params: '(who:string)', body: 'Events | where User == who', file: 'test' }],
  });
}

for (const planCache of [false, true]) {
  describe(`analysis state reused between queries (plan cache ${planCache ? 'on' : 'off'})`, () => {
    it('a function called with other arguments in later queries answers for those arguments', async () => {
      const e = lakeEngine(planCache);
      for (const [who, codes] of [
        ['alice', [1, 3]],
        ['bob', [2]],
        ['alice', [1, 3]],
        ['nobody', []],
      ] as const) {
        const r = await e.execute(`EventsOf("${who}") | project Code | order by Code asc`, { now: NOW });
        assert.deepEqual(
          plain(r.rows).map((x) => x[0]),
          codes,
          who,
        );
      }
    });

    it('result types follow each query, not the previous one with the same shape', async () => {
      const e = lakeEngine(planCache);
      const a = await e.execute('Events | summarize n = count() by User | project User', { now: NOW });
      const b = await e.execute('Events | summarize n = count() by Code | project Code', { now: NOW });
      assert.deepEqual(
        a.columns.map((c) => c.type),
        ['string'],
      );
      assert.deepEqual(
        b.columns.map((c) => c.type),
        ['long'],
      );
    });

    it('an error is reported on every run of the query, at the same place', async () => {
      const e = lakeEngine(planCache);
      for (let i = 0; i < 3; i++) {
        await assert.rejects(
          e.execute('Events\n| where NoSuchColumn == 1', { now: NOW }),
          (err: unknown) =>
            err instanceof KqlError &&
            err.position?.line === 2 &&
            err.position.column === 9 &&
            /NoSuchColumn/.test(err.message),
        );
        const ok = await e.execute('Events | count', { now: NOW });
        assert.deepEqual(plain(ok.rows), [[3]]);
      }
    });
  });
}
