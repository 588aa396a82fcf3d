#!/usr/bin/env node
// `npm run bench:isolation [-- --rows N --runs N]`: what running the local MCP server's queries on worker threads
// costs. Warm query latency in-process (the engine on the server's thread, as before) and through the query pool
// (a worker that keeps the lake loaded), on the demo lake and on a SigninLogs lake of N rows (default 1,000,000);
// the time from a budget overrun to the next answered query; memory per warm worker. Writes its section of
// bench/RESULTS.md. Needs `node esbuild.js` (dist/query-worker.js).
'use strict';
require('tsx/cjs');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const ROWS = opt('--rows', 1_000_000);
const RUNS = opt('--runs', 5);
const NOW = '2026-11-20T12:00:00Z';
const WORKER = path.join(ROOT, 'dist', 'query-worker.js');

const { createEngine } = require('../src/core/kql/engine');
const { openLake } = require('../src/core/lake/lake');
const { QueryPool } = require('../src/core/kql/queryPool');
const { silentLogger } = require('../src/core/types');

const QUERIES = [
  [
    'failures per user and hour',
    'SigninLogs | where ResultType != "0" | summarize n = count() by UserPrincipalName, bin(TimeGenerated, 1h) | top 10 by n',
  ],
  [
    'distinct countries per user',
    'SigninLogs | summarize countries = dcount(Location) by UserPrincipalName | top 10 by countries',
  ],
  ['one user, 50 rows', 'SigninLogs | where UserPrincipalName == "user7@contoso.com" | take 50'],
];
const KILLER =
  'range x from 1 to 10000000 step 1 | extend s = strcat(tostring(x), "-", tostring(x * 7)) | summarize dcount(s)';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A lake with one SigninLogs table of ROWS rows (cached in bench/data). */
function bigLake() {
  const dir = path.join(__dirname, 'data', `isolation-${ROWS}`);
  if (fs.existsSync(path.join(dir, 'lake.json'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  const r = rng(11);
  const countries = ['US', 'GB', 'DE', 'FR', 'NL', 'IN', 'BR', 'JP'];
  const apps = ['Office 365 Exchange Online', 'Microsoft Teams', 'Azure Portal', 'SharePoint Online'];
  const results = ['0', '0', '0', '0', '0', '50126', '50074'];
  const fd = fs.openSync(path.join(dir, 'SigninLogs.jsonl'), 'w');
  const start = Date.parse(NOW) - 14 * 86400e3;
  let buf = [];
  for (let i = 0; i < ROWS; i++) {
    const u = Math.floor(Math.pow(r(), 1.5) * 5000);
    buf.push(
      JSON.stringify({
        TimeGenerated: new Date(start + Math.floor(r() * 14 * 86400e3)).toISOString(),
        UserPrincipalName: `user${u}@contoso.com`,
        ResultType: results[Math.floor(r() * results.length)],
        IPAddress: `10.${u % 250}.${(u >> 3) % 250}.${u % 7}`,
        Location: r() < 0.9 ? countries[u % 4] : countries[Math.floor(r() * countries.length)],
        AppDisplayName: apps[Math.floor(r() * apps.length)],
      }),
    );
    if (buf.length === 10_000) {
      fs.writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, 'lake.json'), JSON.stringify({ name: 'isolation bench', now: NOW }));
  return dir;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const rssMb = () => process.memoryUsage.rss() / 2 ** 20;

/** Warm latency of each query on both engines, runs alternating so that the shared machine's load hits both alike. */
async function warmLatency(a, b) {
  const out = [];
  for (const [name, q] of QUERIES) {
    for (let i = 0; i < 2; i++) {
      await a.execute(q);
      await b.execute(q);
    } // warm: tables loaded, plans cached, JIT hot
    const ta = [];
    const tb = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      await a.execute(q);
      ta.push(performance.now() - t0);
      t0 = performance.now();
      await b.execute(q);
      tb.push(performance.now() - t0);
    }
    out.push({ name, local: median(ta), worker: median(tb) });
  }
  return out;
}

async function measureLake(label, dir) {
  console.log(`${label} (${dir})`);
  const before = rssMb();
  let t0 = performance.now();
  const inProcess = createEngine(openLake(dir));
  await inProcess.execute(QUERIES[0][1]);
  const inLoad = performance.now() - t0;
  const inRss = rssMb() - before;
  const rssBeforePool = rssMb();
  const pool = new QueryPool({ lakeDir: dir, logger: silentLogger, workers: 1, script: { file: WORKER } });
  t0 = performance.now();
  await pool.execute(QUERIES[0][1]);
  const poolLoad = performance.now() - t0;
  const poolRss = rssMb() - rssBeforePool;
  const rows = await warmLatency(inProcess, pool);
  pool.dispose();
  for (const r of rows)
    console.log(`  ${r.name}: in-process ${r.local.toFixed(1)} ms, worker ${r.worker.toFixed(1)} ms`);
  console.log(
    `  first query (load + parse): in-process ${inLoad.toFixed(0)} ms, worker ${poolLoad.toFixed(0)} ms (incl. start-up); RSS +${inRss.toFixed(0)} MB in-process, +${poolRss.toFixed(0)} MB per warm worker`,
  );
  return { label, rows, inLoad, poolLoad, inRss, poolRss };
}

/**
 * From the moment a query is stopped at its budget to the next answered query. Each round starts a pool with every
 * worker warm; with one worker the next query waits for a fresh one (it preloads the tables the old one held).
 */
async function overrun(dir, workers) {
  const times = [];
  for (let i = 0; i < Math.min(RUNS, 2); i++) {
    const pool = new QueryPool({ lakeDir: dir, logger: silentLogger, workers, script: { file: WORKER } });
    // parallel jobs spread over the workers: each loads the lake and the follow-up query's plan
    await Promise.all(Array.from({ length: workers }, () => pool.execute(QUERIES[2][1])));
    const stopped = await pool.execute(KILLER, { timeoutMs: 2000 }).then(
      () => undefined,
      () => performance.now(),
    );
    if (stopped === undefined) throw new Error('the killer query finished within 2 s');
    await pool.execute(QUERIES[2][1]);
    times.push(performance.now() - stopped);
    pool.dispose();
  }
  return median(times);
}

async function main() {
  if (!fs.existsSync(WORKER)) throw new Error('dist/query-worker.js is missing: run `node esbuild.js` first');
  const demo = path.join(ROOT, 'sample', 'lake');
  if (!fs.existsSync(path.join(demo, 'lake.json')))
    throw new Error('sample/lake is missing: run `npm run demo:lake` first');
  const big = bigLake();
  const lakes = [
    await measureLake('demo lake', demo),
    await measureLake(`${ROWS.toLocaleString('en-US')}-row SigninLogs lake`, big),
  ];
  const recovery = {
    demo1: await overrun(demo, 1),
    demo2: await overrun(demo, 2),
    big1: await overrun(big, 1),
    big2: await overrun(big, 2),
  };
  console.log(
    `  overrun → next answer: demo lake ${recovery.demo1.toFixed(0)} ms (1 worker), ${recovery.demo2.toFixed(0)} ms (2 workers); big lake ${recovery.big1.toFixed(0)} ms (1 worker), ${recovery.big2.toFixed(0)} ms (2 workers)`,
  );
  writeResults(lakes, recovery);
}

function writeResults(lakes, recovery) {
  const lines = [
    "## Isolation of the local MCP server's queries",
    '',
    `Generated by \`npm run bench:isolation\` on ${new Date().toISOString().slice(0, 10)}: medians of ${RUNS} warm runs; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version},`,
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} at the end (shared machine: compare within one run).`,
    '"in-process" is the engine on the calling thread (how the server ran queries before); "worker" is the query pool',
    '(`dist/query-worker.js`: the worker keeps the lake loaded, the result comes back by structured clone).',
    '',
    '| lake | query | in-process (ms) | worker (ms) | overhead (ms) |',
    '|---|---|---:|---:|---:|',
    ...lakes.flatMap((l) =>
      l.rows.map(
        (r) =>
          `| ${l.label} | ${r.name} | ${r.local.toFixed(1)} | ${r.worker.toFixed(1)} | ${(r.worker - r.local).toFixed(1)} |`,
      ),
    ),
    '',
    '| lake | first query, in-process (ms) | first query, new worker (ms) | memory in-process (MB RSS) | memory per warm worker (MB RSS) |',
    '|---|---:|---:|---:|---:|',
    ...lakes.map(
      (l) =>
        `| ${l.label} | ${l.inLoad.toFixed(0)} | ${l.poolLoad.toFixed(0)} | ${l.inRss.toFixed(0)} | ${l.poolRss.toFixed(0)} |`,
    ),
    '',
    'From a query stopped at its time budget (its worker terminated) to the next answered query (`take 50`); the replacement',
    "worker preloads the tables the pool's workers held:",
    '',
    '| lake | 1 worker (a fresh one loads the lake) | 2 workers (the other is warm) |',
    '|---|---:|---:|',
    `| demo lake | ${recovery.demo1.toFixed(0)} ms | ${recovery.demo2.toFixed(0)} ms |`,
    `| ${lakes[1].label} | ${recovery.big1.toFixed(0)} ms | ${recovery.big2.toFixed(0)} ms |`,
    '',
    'Why each worker opens the lake itself instead of sharing columns through `SharedArrayBuffer`: most columns of Sentinel',
    'tables are dictionary-encoded strings and dynamic values, heap objects that cannot live in a `SharedArrayBuffer`; only the',
    'typed-array codes could be shared, every worker would still need its own dictionaries, and loading on the server thread',
    'would block it for seconds on a 1M-row table (the health call must answer within a second). The price is one copy of',
    'the loaded tables per warm worker (the memory column); the second worker starts only when two queries run at once.',
    "Two workers by default: with one, a killer query holds every other caller's query until its budget ends and the",
    'replacement then reloads the lake (the 1-worker column); with two, the other callers go on (`--query-workers` sets it).',
    '',
    'A health call (`list_sentinel_workspaces`) never waits for a worker: the reliability suite asserts it answers within',
    'a second while a query is running or being stopped.',
    '',
  ];
  const file = path.join(__dirname, 'RESULTS.md');
  const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const start = prev.indexOf('\n## Isolation of the local MCP server');
  let rest = '';
  let head = prev;
  if (start >= 0) {
    head = prev.slice(0, start);
    const next = prev.indexOf('\n## ', start + 1);
    rest = next >= 0 ? prev.slice(next) : '';
  }
  fs.writeFileSync(file, head.replace(/\n*$/, '\n\n') + lines.join('\n') + rest);
  console.log('wrote bench/RESULTS.md');
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
