// Property test: mutated real queries give a result or a clean KqlError — never a crash, never a hang.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { isCancellation, UserError } from '../../../src/core/errors';
import { seedOverride } from '../seeds';
import { miniLakeEngine, NOW } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');

function seedQueries(): string[] {
  const out: string[] = [];
  const files = [
    path.join(ROOT, 'sample/hunting.kql'),
    ...fs.readdirSync(path.join(ROOT, 'sample/baselines')).map((f) => path.join(ROOT, 'sample/baselines', f)),
  ];
  for (const f of files) {
    if (!fs.existsSync(f)) continue;
    // blank-line separated blocks, comments dropped
    for (const block of fs.readFileSync(f, 'utf8').split(/\n\s*\n/)) {
      const q = block
        .split('\n')
        .filter((l) => !l.trim().startsWith('//'))
        .join('\n')
        .trim();
      if (q) out.push(q);
    }
  }
  out.push(
    'SigninLogs | where TimeGenerated > ago(7d) | summarize n = count(), ips = dcount(IPAddress) by UserPrincipalName, bin(TimeGenerated, 1d) | order by n desc',
    'SigninLogs | extend City = tostring(LocationDetails.city) | where City in~ ("moscow", "oslo") | project TimeGenerated, UserPrincipalName, City | take 5',
    'AlertEvidence | where EntityType == "User" | join kind=leftouter (SigninLogs | summarize arg_max(TimeGenerated, *) by UserPrincipalName) on $left.AccountUpn == $right.UserPrincipalName',
    'let T = datatable(k:string, v:long)["a",1,"b",2]; T | join kind=inner (T) on k | summarize make_set(v) by k',
    'print s = "user=bob id=42" | parse s with "user=" u " id=" id:long | extend d = dynamic({"a":[1,2]}) | mv-expand d.a',
    'union withsource=T SigninLogs, AlertEvidence | summarize count() by T | render columnchart',
    'SigninLogs | where UserAgent has_any ("python", "curl") or ResultType !in ("0") | top 3 by TimeGenerated asc nulls first',
    'let f = (n:long) { SigninLogs | take n }; f(2) | project-away LocationDetails | project-rename U = UserPrincipalName',
    'range i from 1 to 20 step 3 | extend j = i % 4, k = iff(i > 5, "big", "small") | summarize percentile(i, 50), stdev(i) by k',
  );
  return out;
}

const TOKENS = [
  '|',
  'where',
  'extend',
  'summarize',
  'by',
  'count()',
  '(',
  ')',
  '[',
  ']',
  '"',
  "'",
  '==',
  '!=',
  '=~',
  'has',
  'in',
  'and',
  'or',
  'not',
  ',',
  ';',
  '.',
  '*',
  '1',
  '0',
  '-1',
  '1d',
  'x',
  'let',
  'join',
  'on',
  '$left.',
  'dynamic(',
  'datetime(',
  'between',
  '..',
  'project',
  'take',
  '\n',
  ' ',
  'mv-expand',
  'parse',
  'with',
  'make-series',
  'evaluate',
  'materialize(',
  'toscalar(',
  'bin(',
  'ago(',
];

const mutation = fc.oneof(
  fc.tuple(fc.constant('delete'), fc.nat(), fc.integer({ min: 1, max: 12 }), fc.constant('')),
  fc.tuple(fc.constant('insert'), fc.nat(), fc.constant(0), fc.constantFrom(...TOKENS)),
  fc.tuple(fc.constant('replace'), fc.nat(), fc.integer({ min: 1, max: 6 }), fc.constantFrom(...TOKENS)),
  fc.tuple(fc.constant('duplicate'), fc.nat(), fc.integer({ min: 1, max: 30 }), fc.constant('')),
);

function mutate(q: string, muts: [string, number, number, string][]): string {
  let s = q;
  for (const [kind, at, len, tok] of muts) {
    const i = s.length ? at % (s.length + 1) : 0;
    if (kind === 'delete') s = s.slice(0, i) + s.slice(i + len);
    else if (kind === 'insert') s = s.slice(0, i) + tok + s.slice(i);
    else if (kind === 'replace') s = s.slice(0, i) + tok + s.slice(i + len);
    else s = s.slice(0, i + len) + s.slice(i, i + len) + s.slice(i + len);
  }
  return s;
}

describe('engine: fuzzed queries', function () {
  this.timeout(60000);

  it('answer or fail cleanly within a second, never crash', async () => {
    const seeds = seedQueries();
    assert.ok(seeds.length >= 8);
    const engine = miniLakeEngine();
    await engine.execute('print 1'); // load the parser outside the measured runs
    let runs = 0,
      results = 0,
      errors = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (seed, muts) => {
          const q = mutate(seed, muts as [string, number, number, string][]);
          runs++;
          const t0 = Date.now();
          try {
            const r = await engine.execute(q, { now: NOW, timeoutMs: 1000, maxRows: 1000 });
            assert.ok(Array.isArray(r.rows) && Array.isArray(r.columns));
            results++;
          } catch (e) {
            if (!(e instanceof UserError) && !isCancellation(e)) {
              throw new Error(`crash on ${JSON.stringify(q)}: ${(e as Error).stack}`);
            }
            assert.ok((e as Error).message.length > 0);
            errors++;
          }
          const ms = Date.now() - t0;
          if (ms > 1000 + 500) throw new Error(`took ${ms} ms: ${JSON.stringify(q)}`);
        },
      ),
      { numRuns: 2000, seed: seedOverride() ?? 20261120, interruptAfterTimeLimit: 14000 },
    );
    assert.ok(runs >= 100, `only ${runs} runs`);
    assert.ok(results > 0 && errors > 0, `results ${results}, errors ${errors}`);
  });
});
