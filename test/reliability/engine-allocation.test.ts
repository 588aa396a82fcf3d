// Every operator or function that multiplies rows or cells refuses, quickly and clearly, a result over
// the engine's limits (src/core/kql/limits.ts) instead of exhausting the heap.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { getScalarFunction } from '../../src/core/kql/functions/registry';
import { failsWithin, rows, rowsWithin } from './engineSupport';

const ROOT = path.resolve(__dirname, '../..');

describe('reliability: allocation limits', function () {
  this.timeout(120000);
  before(async () => {
    await rows('print 1');
  });

  const bombs: [string, string, RegExp][] = [
    [
      'mv-expand',
      'range x from 1 to 300 step 1 | extend a=range(1,1000000) | mv-expand a | count',
      /mv-expand would produce more than 10,000,000 rows/,
    ],
    [
      'mv-apply',
      'range x from 1 to 20 step 1 | extend a=range(1,1000000) | mv-apply a on (extend b = a) | count',
      /mv-apply would produce more than 10,000,000 rows/,
    ],
    [
      'make-series groups × bins',
      'range x from 1 to 2000 step 1 | extend t = datetime(2026-01-01) | make-series c=count() default=0 on t from datetime(2026-01-01) to datetime(2026-01-12) step 1s by x',
      /make-series would make 2,000 series × 950,400 bins.*limit is 20,000,000/,
    ],
    [
      'make-series bins',
      'print t = datetime(2026-01-01) | make-series c=count() on t from datetime(2000-01-01) to datetime(2026-01-12) step 1s',
      /bins per series.*limit is 1,000,000/,
    ],
    [
      'range operator',
      'range x from 1 to 100000000 step 1',
      /range would produce 100,000,000 rows.*limit is 10,000,000/,
    ],
    [
      'join',
      'range x from 1 to 20000 step 1 | extend k=1 | join kind=inner (range y from 1 to 20000 step 1 | extend k=1) on k | count',
      /join produces more than 50,000,000 rows/,
    ],
    [
      'strrep',
      'print strlen(strrep(strrep(strrep("a",1024),1024),1024))',
      /strrep\(\) would make a string of 1,073,741,824 characters/,
    ],
    [
      'strcat',
      'let s = strrep(strrep("a",1024),1024); print strlen(strcat(s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s,s))',
      /strcat\(\) would make a string/,
    ],
    [
      'array_concat',
      'let a = range(1, 1000000); print array_length(array_concat(a, a))',
      /array_concat\(\) would make an array of 2,000,000 elements/,
    ],
    [
      'replace_regex',
      'print strlen(replace_regex(strrep(strrep("a",1024),1024), "", strrep("x", 1000)))',
      /replace_regex\(\) would make a string/,
    ],
  ];
  for (const [what, query, message] of bombs) {
    it(`${what}: a clear error naming the limit, fast`, async () => {
      await failsWithin(20000, query, message);
    });
  }

  it('results under the limits still come back', async () => {
    assert.deepEqual(
      await rowsWithin(20000, 'range x from 1 to 10 step 1 | extend a=range(1,100000) | mv-expand a | count'),
      [[1_000_000]],
    );
    assert.deepEqual(await rows('print array_length(range(1, 1048576)), strlen(strrep(strrep("a",1024),1024))'), [
      [1_048_576, 1_048_576],
    ]);
    // range() stops at 1,048,576 elements, as Kusto documents
    assert.deepEqual(await rowsWithin(20000, 'print r = range(1, 1000000000) | mv-expand r | count'), [[1_048_576]]);
  });

  it('extract_all over a huge number of matches is refused by the same array limit', () => {
    const f = getScalarFunction('extract_all')!;
    assert.throws(
      () =>
        f.call(['a', 'a'.repeat(1_100_000)], { argTypes: ['string', 'string'], resultType: 'dynamic', nowMicros: 0 }),
      /extract_all\(\) would make an array of .* elements/,
    );
  });

  it('the CLI exits with code 2 and one line, no stack trace', () => {
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'dist/cli.js'),
        'query',
        '-e',
        'range x from 1 to 300 step 1 | extend a=range(1,1000000) | mv-expand a | count',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^<query>:1:\d+: error: mv-expand would produce more than 10,000,000 rows/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
