// Every join kind over lake tables (dictionary-encoded string keys, filtered inputs, repeated and missing keys,
// empty and null keys) against a nested-loop join of the same rows.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine, KqlEngine } from '../../../src/core/kql/engine';
import { Rng } from '../../../src/core/lake/generateRandom';
import { openLake } from '../../../src/core/lake/lake';
import { plain } from '../plain';
import { NOW } from './helpers';

type Row = unknown[];
const KINDS = [
  'inner',
  'innerunique',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'leftsemi',
  'rightanti',
  'rightsemi',
] as const;

/** L(k, n, lv) and R(rk, n, rv): string keys k/rk ("" among them), long keys n (null among them). */
function lake(leftKeys: number, rightKeys: number): KqlEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-join-keys-'));
  const seeded = new Rng(leftKeys * 1000 + rightKeys);
  const r = () => seeded.next();
  const key = (domain: number) => {
    const x = Math.floor(r() * (domain + 1));
    return x === domain ? '' : `key${x}`;
  };
  const num = (domain: number) => (r() < 0.1 ? null : Math.floor(r() * domain));
  const lines = (n: number, f: (i: number) => object) =>
    Array.from({ length: n }, (_, i) => JSON.stringify(f(i))).join('\n') + '\n';
  fs.writeFileSync(
    path.join(dir, 'L.jsonl'),
    lines(120, (i) => ({ k: key(leftKeys), n: num(leftKeys), lv: i })),
  );
  fs.writeFileSync(
    path.join(dir, 'R.jsonl'),
    lines(700, (i) => ({ rk: key(rightKeys), n: num(rightKeys), rv: i })),
  );
  return createEngine(openLake(dir));
}

/** The rows of a join as Kusto defines it, by comparing every left row with every right row. */
function nestedLoop(kind: (typeof KINDS)[number], left: Row[], right: Row[], lk: number, rk: number): Row[] {
  const eq = (a: unknown, b: unknown) => a !== null && b !== null && a === b;
  let ls = left;
  if (kind === 'innerunique') {
    const seen = new Set<unknown>();
    ls = left.filter((l) => l[lk] !== null && !seen.has(l[lk]) && seen.add(l[lk]));
  }
  // the missing side's cells: empty for strings (Kusto strings are never null), null otherwise
  const missing = (rows: Row[]) => rows[0].map((_, c) => (rows.some((r) => typeof r[c] === 'string') ? '' : null));
  const nullsL = missing(left);
  const nullsR = missing(right);
  const out: Row[] = [];
  const rightHit = new Set<number>();
  for (const l of ls) {
    let hit = false;
    right.forEach((r, j) => {
      if (!eq(l[lk], r[rk])) return;
      hit = true;
      rightHit.add(j);
      if (kind !== 'leftsemi' && kind !== 'leftanti' && kind !== 'rightsemi' && kind !== 'rightanti')
        out.push([...l, ...r]);
    });
    if (kind === 'leftsemi' && hit) out.push(l);
    if (kind === 'leftanti' && !hit) out.push(l);
    if ((kind === 'leftouter' || kind === 'fullouter') && !hit) out.push([...l, ...nullsR]);
  }
  right.forEach((r, j) => {
    if (kind === 'rightsemi' && rightHit.has(j)) out.push(r);
    if (kind === 'rightanti' && !rightHit.has(j)) out.push(r);
    if ((kind === 'rightouter' || kind === 'fullouter') && !rightHit.has(j)) out.push([...nullsL, ...r]);
  });
  return out;
}

const sorted = (rs: Row[]) => rs.map((r) => JSON.stringify(r)).sort();

// more distinct keys on the left than on the right, and the other way round (the engine maps the smaller dictionary)
for (const [leftKeys, rightKeys] of [
  [40, 12],
  [8, 60],
]) {
  describe(`join kinds against a nested-loop join (${leftKeys} left keys, ${rightKeys} right keys)`, () => {
    const e = lake(leftKeys, rightKeys);
    const q = async (text: string) => plain((await e.execute(text, { now: NOW })).rows) as Row[];
    const LEFT = 'L | where lv % 5 != 1 | project k, lv';
    const RIGHT = 'R | where rv % 3 != 0 | project rk, rv';
    const LEFT_N = 'L | project n, lv';
    const RIGHT_N = 'R | where rv % 4 != 2 | project n2 = n, rv';

    for (const kind of KINDS) {
      it(`${kind} on a string key (filtered sides, repeated, missing and empty keys)`, async () => {
        const left = await q(LEFT);
        const right = await q(RIGHT);
        const got = await q(`${LEFT} | join kind=${kind} (${RIGHT}) on $left.k == $right.rk`);
        const want = nestedLoop(kind, left, right, 0, 0);
        assert.ok(want.length > 0 || kind.endsWith('anti'), 'the data gives the join something to do');
        assert.deepEqual(sorted(got), sorted(want));
      });

      it(`${kind} on a long key (null keys never match)`, async () => {
        const left = await q(LEFT_N);
        const right = await q(RIGHT_N);
        const got = await q(`${LEFT_N} | join kind=${kind} (${RIGHT_N}) on $left.n == $right.n2`);
        assert.deepEqual(sorted(got), sorted(nestedLoop(kind, left, right, 0, 0)));
      });
    }

    it('a join over a filtered right side feeds the next operator the joined rows', async () => {
      const left = await q(LEFT);
      const right = await q(RIGHT);
      const counts = new Map<unknown, number>();
      for (const r of nestedLoop('inner', left, right, 0, 0)) counts.set(r[0], (counts.get(r[0]) ?? 0) + 1);
      const got = await q(`${LEFT} | join kind=inner (${RIGHT}) on $left.k == $right.rk | summarize c = count() by k`);
      assert.deepEqual(sorted(got), sorted([...counts]));
    });
  });
}
