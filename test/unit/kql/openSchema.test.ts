// Columns that exist only at run time (after evaluate bag_unpack / pivot) flow through every later operator:
// the output schema of each operator over such an input, as Kusto gives it.
import { strict as assert } from 'assert';
import { run } from './helpers';

const BAG = 'print k = "x", d = dynamic({"a": 1, "b": 2, "bc": "t"}) | evaluate bag_unpack(d)';
const PIVOT = 'datatable(k:string, p:string)["x","a","x","b","y","a"] | evaluate pivot(p)';

/** [operator text, expected column names after BAG (k, a, b, bc), expected after PIVOT (k, a, b)]. */
const CASES: [string, string[], string[]][] = [
  ['where k == "x"', ['k', 'a', 'b', 'bc'], ['k', 'a', 'b']],
  ['extend z = 1', ['k', 'a', 'b', 'bc', 'z'], ['k', 'a', 'b', 'z']],
  ['project k, a', ['k', 'a'], ['k', 'a']],
  ['project-away b', ['k', 'a', 'bc'], ['k', 'a']],
  ['project-away b*', ['k', 'a'], ['k', 'a']],
  ['project-keep k, b*', ['k', 'b', 'bc'], ['k', 'b']],
  ['project-reorder b, k', ['b', 'k', 'a', 'bc'], ['b', 'k', 'a']],
  ['project-rename kk = k', ['kk', 'a', 'b', 'bc'], ['kk', 'a', 'b']],
  ['summarize n = count() by k', ['k', 'n'], ['k', 'n']],
  ['summarize s = sum(toint(a)) by k', ['k', 's'], ['k', 's']],
  ['sort by k asc', ['k', 'a', 'b', 'bc'], ['k', 'a', 'b']],
  ['order by k desc', ['k', 'a', 'b', 'bc'], ['k', 'a', 'b']],
  ['top 1 by k', ['k', 'a', 'b', 'bc'], ['k', 'a', 'b']],
  ['take 5', ['k', 'a', 'b', 'bc'], ['k', 'a', 'b']],
  ['distinct k', ['k'], ['k']],
  ['distinct *', ['k', 'a', 'b', 'bc'], ['k', 'a', 'b']],
  ['count', ['Count'], ['Count']],
  ['join kind=inner (print k = "x", z = 3) on k', ['k', 'a', 'b', 'bc', 'k1', 'z'], ['k', 'a', 'b', 'k1', 'z']],
  ['join kind=leftanti (print k = "q") on k', ['k', 'a', 'b', 'bc'], ['k', 'a', 'b']],
  ['union (print k = "u", w = 1)', ['k', 'a', 'b', 'bc', 'w'], ['k', 'a', 'b', 'w']],
  ['mv-expand a', ['k', 'a', 'b', 'bc'], ['k', 'a', 'b']],
  ['parse k with kk:string', ['k', 'a', 'b', 'bc', 'kk'], ['k', 'a', 'b', 'kk']],
  ['serialize rn = row_number()', ['k', 'a', 'b', 'bc', 'rn'], ['k', 'a', 'b', 'rn']],
  ['getschema | project ColumnName', ['ColumnName'], ['ColumnName']],
];

describe('engine: operator output schemas after bag_unpack and pivot', () => {
  for (const [op, afterBag, afterPivot] of CASES) {
    it(`| ${op}`, async () => {
      const bag = await run(`${BAG} | ${op}`);
      assert.deepEqual(
        bag.columns.map((c) => c.name),
        afterBag,
        'after bag_unpack',
      );
      const piv = await run(`${PIVOT} | ${op}`);
      assert.deepEqual(
        piv.columns.map((c) => c.name),
        afterPivot,
        'after pivot',
      );
    });
  }

  it('keeps the values too: project-away, summarize and union after bag_unpack', async () => {
    assert.deepEqual((await run(`${BAG} | project-away b*`)).rows, [['x', 1]]);
    assert.deepEqual((await run(`${PIVOT} | sort by k asc`)).rows, [
      ['x', 1, 1],
      ['y', 1, 0],
    ]);
    assert.deepEqual((await run(`${BAG} | union (print k = "u") | summarize n = count() by k | sort by k asc`)).rows, [
      ['u', 1],
      ['x', 1],
    ]);
    assert.deepEqual(
      (await run(`${BAG} | getschema | project ColumnName`)).rows.map((r) => r[0]),
      ['k', 'a', 'b', 'bc'],
    );
  });
});
