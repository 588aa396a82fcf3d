#!/usr/bin/env node
// `npm run fuzz -- [--minutes N] [--runs N]`: explores random seeds of the scalar-function robustness
// property (random arguments of random types to every library function) for as long as asked, and
// prints each failing seed with its shrunk input. Re-run one seed with
// `SWB_FUZZ_SEED=<seed> npx mocha -r tsx/cjs test/unit/kql-functions/robustness.test.ts`, and add it to
// REGRESSION_SEEDS in test/unit/seeds.ts once fixed. Exits 1 if any seed failed.
'use strict';
require('tsx/cjs');
const path = require('path');
const fc = require('fast-check');

function parseArgs(argv) {
  const opts = { minutes: 1, runs: 5000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--minutes') opts.minutes = Number(argv[++i]);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${a} (usage: npm run fuzz -- [--minutes N] [--runs N])`);
  }
  if (!(opts.minutes > 0)) throw new Error('--minutes must be a positive number');
  if (!(Number.isInteger(opts.runs) && opts.runs > 0)) throw new Error('--runs must be a positive integer');
  return opts;
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const { scalarRobustnessProperty } = require(
    path.join(__dirname, '..', 'test', 'unit', 'kql-functions', 'robustnessProperty.ts'),
  );
  const property = scalarRobustnessProperty();
  const deadline = Date.now() + opts.minutes * 60_000;
  let seeds = 0;
  const failures = [];
  while (Date.now() < deadline) {
    const seed = (Math.random() * 2 ** 31) | 0;
    const r = fc.check(property, { numRuns: opts.runs, seed });
    seeds++;
    if (r.failed) {
      failures.push(seed);
      console.log(
        `FAIL seed ${seed}: ${JSON.stringify(r.counterexample)}\n  ${String((r.errorInstance && r.errorInstance.message) || r.error).split('\n')[0]}`,
      );
    }
  }
  console.log(
    `${seeds} seed(s) × ${opts.runs} runs in ${opts.minutes} min: ${failures.length} failed${failures.length ? ` (${failures.join(', ')})` : ''}`,
  );
  process.exit(failures.length ? 1 : 0);
}

main();
