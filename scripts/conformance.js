#!/usr/bin/env node
// `npm run conformance -- <examples.json> [--json FILE] [--timeout MS] [--only SUBSTRING] [--verbose]`
// Runs the KQL reference-docs examples through the local engine (an empty lake; every example builds
// its own data) and compares each result with the output the docs show. Prints `N passed, M failed`,
// the unsupported constructs ranked by how many examples they block, and the WRONG answers (the query
// ran but the result differs) separately. The corpus is read at run time, never copied.
'use strict';
const { WorkerRunner } = require('./lib/worker-runner');
const fs = require('fs');
const path = require('path');
const { compareResult, constructFamily, unsupportedConstruct } = require('./lib/conformance-compare');

const ROOT = path.resolve(__dirname, '..');
const FIXED_NOW = '2024-08-01T12:00:00Z';

function parseArgs(argv) {
  const opts = { file: undefined, json: undefined, timeoutMs: 10000, only: undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = argv[++i];
    else if (a === '--timeout') opts.timeoutMs = Number(argv[++i]);
    else if (a === '--only') opts.only = argv[++i];
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a.startsWith('-')) throw new Error(`unknown flag ${a}`);
    else opts.file = a;
  }
  if (!opts.file)
    throw new Error(
      'usage: npm run conformance -- <examples.json> [--json FILE] [--timeout MS] [--only TEXT] [--verbose]',
    );
  if (!(opts.timeoutMs > 0)) throw new Error('--timeout must be a positive number of milliseconds');
  return opts;
}

/** Runs examples in a child process; an example that overruns its time is killed and the child restarted. */
function classify(example, reply, values) {
  if (reply.timedOut) return { status: 'timeout', detail: reply.error.message };
  if (reply.crashed) return { status: 'crash', detail: reply.error.message };
  if (!reply.ok) {
    const e = reply.error;
    if (e.code === 'KqlUnsupported')
      return { status: 'unsupported', construct: unsupportedConstruct(e.message), detail: e.message };
    // an example reading an externaldata URL the engine never fetches assumes data, like a table the docs assume
    if (e.code === 'KqlSyntax' || e.code === 'KqlSemantic' || e.code === 'ExternalDataUnmapped')
      return { status: 'rejected', detail: e.message };
    if (e.name === 'CancelledError' || /time budget|timed out/i.test(e.message))
      return { status: 'timeout', detail: e.message };
    if (e.code === 'KqlRuntime') return { status: 'runtime-error', detail: e.message };
    return { status: 'crash', detail: `${e.name}: ${e.message}`, stack: e.stack };
  }
  const cmp = compareResult(example, { columns: reply.columns, rows: reply.rows }, values);
  if (cmp.ok) return { status: cmp.loose ? 'passed-loose' : 'passed' };
  return { status: 'wrong', detail: cmp.reason, actual: { columns: reply.columns, rows: reply.rows.slice(0, 20) } };
}

function rank(counter) {
  return [...counter.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const base = process.env.INIT_CWD || process.cwd();
  const file = path.resolve(base, opts.file);
  let examples;
  try {
    examples = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read examples from ${file}: ${e.message}`, { cause: e });
  }
  if (!Array.isArray(examples)) throw new Error(`${file}: expected a JSON array of examples`);
  if (opts.only) examples = examples.filter((e) => e.id.includes(opts.only) || e.page.includes(opts.only));

  require('tsx/cjs');
  const values = require(path.join(ROOT, 'src/core/columnar/values.ts'));

  const runner = new WorkerRunner({
    file: path.join(__dirname, 'lib', 'conformance-worker.js'),
    cwd: ROOT,
    name: 'conformance',
    timeoutMs: opts.timeoutMs,
    graceMs: 3000,
  });
  const results = [];
  const t0 = Date.now();
  for (const [i, ex] of examples.entries()) {
    const reply = await runner.run(ex.id, { query: ex.query, now: FIXED_NOW });
    const r = { id: ex.id, page: ex.page, nondeterministic: ex.nondeterministic, ...classify(ex, reply, values) };
    results.push(r);
    if (opts.verbose)
      console.log(
        `${String(i + 1).padStart(4)}/${examples.length} ${r.status.padEnd(13)} ${ex.id}${r.detail ? '  ' + r.detail.split('\n')[0].slice(0, 140) : ''}`,
      );
    else if (process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${examples.length}`);
  }
  runner.stop();
  if (!opts.verbose && process.stderr.isTTY) process.stderr.write('\r');

  const count = (s) => results.filter((r) => r.status === s).length;
  const passed = count('passed') + count('passed-loose');
  const failed = results.length - passed;
  const unsupported = new Map();
  for (const r of results.filter((x) => x.status === 'unsupported'))
    unsupported.set(r.construct, (unsupported.get(r.construct) ?? 0) + 1);
  const families = new Map();
  for (const [k, n] of unsupported) families.set(constructFamily(k), (families.get(constructFamily(k)) ?? 0) + n);
  const rejected = new Map();
  for (const r of results.filter((x) => x.status === 'rejected')) {
    const key = r.detail
      .replace(/\(line \d+, col \d+\)/, '')
      .replace(/'[^']*'/g, "'…'")
      .replace(/`[^`]*`/g, '`…`')
      .slice(0, 90);
    rejected.set(key, (rejected.get(key) ?? 0) + 1);
  }

  const lines = [];
  lines.push(
    `KQL conformance: ${results.length} examples from ${path.relative(base, file) || file} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  lines.push(
    `  passed          ${passed} (${((100 * passed) / Math.max(1, results.length)).toFixed(1)}%; ${count('passed-loose')} nondeterministic ones compared by columns only)`,
  );
  lines.push(`  wrong answer    ${count('wrong')}`);
  lines.push(`  unsupported     ${count('unsupported')}`);
  lines.push(
    `  rejected        ${count('rejected')} (analyzer errors: tables/functions the docs assume, or syntax the parser refuses; unfetched externaldata)`,
  );
  lines.push(`  runtime error   ${count('runtime-error')}`);
  lines.push(`  crash           ${count('crash')}`);
  lines.push(`  timeout         ${count('timeout')}`);
  lines.push('');
  lines.push('Unsupported constructs (examples blocked):');
  for (const [k, n] of rank(unsupported).slice(0, 40)) lines.push(`  ${String(n).padStart(4)}  ${k}`);
  lines.push('');
  lines.push('Unsupported by family (examples blocked):');
  for (const [k, n] of rank(families)) lines.push(`  ${String(n).padStart(4)}  ${k}`);
  lines.push('');
  lines.push('Analyzer rejections (examples):');
  for (const [k, n] of rank(rejected).slice(0, 15)) lines.push(`  ${String(n).padStart(4)}  ${k}`);
  const listOf = (status, title) => {
    const rs = results.filter((r) => r.status === status);
    if (!rs.length) return;
    lines.push('');
    lines.push(`${title} (${rs.length}):`);
    for (const r of rs) lines.push(`  ${r.id}: ${String(r.detail).split('\n')[0].slice(0, 220)}`);
  };
  listOf('wrong', 'WRONG answers (ran, result differs from the docs)');
  listOf('crash', 'Crashes (engine bugs)');
  listOf('runtime-error', 'Runtime errors');
  listOf('timeout', 'Timeouts');
  lines.push('');
  lines.push(`${passed} passed, ${failed} failed`);
  console.log(lines.join('\n'));

  if (opts.json) {
    const out = path.resolve(base, opts.json);
    fs.writeFileSync(
      out,
      JSON.stringify(
        {
          file,
          total: results.length,
          passed,
          failed,
          unsupported: Object.fromEntries(rank(unsupported)),
          unsupportedFamilies: Object.fromEntries(rank(families)),
          results,
        },
        null,
        2,
      ),
    );
    console.log(`details written to ${out}`);
  }
}

main().catch((e) => {
  console.error(`conformance: ${e.message}`);
  process.exit(2);
});
