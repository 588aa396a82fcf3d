#!/usr/bin/env node
// `npm run bench:engine [-- --rows N --runs N --small N --sizes N,N,… --only CLASS,…]`: the local engine against
// DuckDB (@duckdb/node-api) on the same data, in the same run. Generates SigninLogs (JSONL, CSV, and Parquet written
// by DuckDB) and AlertEvidence into bench/data (gitignored) and measures: process start-up (`swb query -e 'print 1'`
// vs `select 1`), cold one-shot CLI queries, loading JSONL/CSV/Parquet, memory per row, re-opening from the lake
// snapshot, and warm queries at each of --sizes (default --small and --rows; growth per step). Each query's result
// is compared with DuckDB's. A run of every class writes bench/RESULTS.md; --only (startup, cold, load, memory,
// reopen, warm) measures some classes; the others keep their last figures (bench/data/results.json), and --report
// rewrites RESULTS.md from them. A 4M-row scaling run:
// `npm run bench:engine -- --rows 1000000 --sizes 100000,1000000,4000000 --only warm`.
'use strict';
require('tsx/cjs');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(__dirname, 'data');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const ROWS = opt('--rows', 1_000_000);
const RUNS = opt('--runs', 3);
const SMALL = opt('--small', Math.round(ROWS / 10));
const list = (name) => {
  const i = args.indexOf(name);
  return i >= 0
    ? String(args[i + 1])
        .split(',')
        .filter(Boolean)
    : undefined;
};
const SIZES = (list('--sizes') ?? [SMALL, ROWS]).map(Number).sort((a, b) => a - b);
// --report rewrites bench/RESULTS.md from the kept figures without measuring
const ONLY = args.includes('--report') ? [] : list('--only');
const CLASSES = ['startup', 'cold', 'load', 'memory', 'reopen', 'warm'];
for (const c of ONLY ?? [])
  if (!CLASSES.includes(c)) throw new Error(`--only: unknown class ${c} (one of ${CLASSES.join(', ')})`);
const runs = (c) => !ONLY || ONLY.includes(c);
const NOW = new Date('2026-11-20T12:00:00Z');

// ---------- data ----------
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

function generate(ROWS) {
  const dir = path.join(DATA, `signin-${ROWS}`);
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return dir;
  fs.mkdirSync(path.join(dir, 'jsonl'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'csv'), { recursive: true });
  const r = rng(7);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const users = Array.from({ length: 5000 }, (_, i) => `user${i}@contoso.com`);
  const countries = [
    'US',
    'GB',
    'DE',
    'FR',
    'NL',
    'IN',
    'BR',
    'JP',
    'AU',
    'CA',
    'RU',
    'CN',
    'NG',
    'ZA',
    'SE',
    'ES',
    'IT',
    'MX',
    'KR',
    'PL',
  ];
  const cities = { US: 'Seattle', GB: 'London', DE: 'Berlin', FR: 'Paris', NL: 'Amsterdam' };
  const apps = [
    'Office 365 Exchange Online',
    'Microsoft Teams',
    'OfficeHome',
    'Azure Portal',
    'SharePoint Online',
    'Microsoft Graph',
    'Azure CLI',
    'Power BI',
    'Outlook Mobile',
    'OneDrive',
  ];
  const agents = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15',
    'python-requests/2.32.3',
    'curl/8.5.0',
    'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0)',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148',
    'Go-http-client/1.1',
    'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0',
  ];
  const results = ['0', '0', '0', '0', '0', '0', '0', '50126', '50074', '50076', '53003'];
  const header = [
    'TimeGenerated',
    'UserPrincipalName',
    'UserId',
    'ResultType',
    'IPAddress',
    'Location',
    'LocationDetails',
    'AppDisplayName',
    'ClientAppUsed',
    'UserAgent',
    'ConditionalAccessStatus',
    'RiskLevelDuringSignIn',
    'CorrelationId',
  ];
  const jl = fs.openSync(path.join(dir, 'jsonl', 'SigninLogs.jsonl'), 'w');
  const cv = fs.openSync(path.join(dir, 'csv', 'SigninLogs.csv'), 'w');
  fs.writeSync(cv, header.join(',') + '\n');
  const csvCell = (v) => {
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  const start = NOW.getTime() - 14 * 86400e3;
  let jbuf = [],
    cbuf = [];
  for (let i = 0; i < ROWS; i++) {
    const u = Math.floor(Math.pow(r(), 1.5) * users.length);
    const c = r() < 0.9 ? countries[u % 5] : pick(countries);
    const row = {
      TimeGenerated: new Date(start + Math.floor(r() * 14 * 86400e3)).toISOString(),
      UserPrincipalName: users[u],
      UserId: `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`,
      ResultType: pick(results),
      IPAddress:
        r() < 0.8
          ? `10.${u % 250}.${(u >> 3) % 250}.${u % 7}`
          : `203.0.${Math.floor(r() * 200)}.${Math.floor(r() * 250)}`,
      Location: c,
      LocationDetails: { city: cities[c] ?? 'Other', countryOrRegion: c },
      AppDisplayName: pick(apps),
      ClientAppUsed: r() < 0.7 ? 'Browser' : 'Mobile Apps and Desktop clients',
      UserAgent: pick(agents),
      ConditionalAccessStatus: pick(['success', 'notApplied', 'failure']),
      RiskLevelDuringSignIn: r() < 0.97 ? 'none' : pick(['low', 'medium', 'high']),
      CorrelationId: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
    };
    jbuf.push(JSON.stringify(row));
    cbuf.push(header.map((h) => csvCell(row[h])).join(','));
    if (jbuf.length === 10000) {
      fs.writeSync(jl, jbuf.join('\n') + '\n');
      fs.writeSync(cv, cbuf.join('\n') + '\n');
      jbuf = [];
      cbuf = [];
    }
  }
  if (jbuf.length) {
    fs.writeSync(jl, jbuf.join('\n') + '\n');
    fs.writeSync(cv, cbuf.join('\n') + '\n');
  }
  fs.closeSync(jl);
  fs.closeSync(cv);
  // AlertEvidence: users with alerts (for the join)
  const ae = [];
  for (let i = 0; i < 2000; i++) {
    const u = Math.floor(r() * users.length);
    ae.push(
      JSON.stringify({
        TimeGenerated: new Date(start + Math.floor(r() * 14 * 86400e3)).toISOString(),
        AlertId: `da${i % 400}`,
        Title: pick(['Password spray', 'Impossible travel', 'Suspicious inbox rule']),
        Severity: pick(['High', 'Medium', 'Low']),
        EntityType: r() < 0.7 ? 'User' : 'Ip',
        AccountUpn: users[u],
        RemoteIP: '',
      }),
    );
  }
  for (const f of ['jsonl', 'csv']) fs.writeFileSync(path.join(dir, f, 'AlertEvidence.jsonl'), ae.join('\n') + '\n');
  for (const f of ['jsonl', 'csv'])
    fs.writeFileSync(path.join(dir, f, 'lake.json'), JSON.stringify({ name: 'bench', now: NOW.toISOString() }));
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
}

/** The same rows as Parquet, written by DuckDB from the JSONL (default options: Snappy, dictionary pages). */
async function generateParquet(dir, DuckDBInstance) {
  const out = path.join(dir, 'parquet');
  const file = path.join(out, 'SigninLogs.parquet');
  if (fs.existsSync(path.join(out, '.complete'))) return file;
  fs.mkdirSync(out, { recursive: true });
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(
    `COPY (SELECT * FROM read_json('${path.join(dir, 'jsonl', 'SigninLogs.jsonl')}', format='newline_delimited')) TO '${file}' (FORMAT parquet)`,
  );
  con.closeSync?.();
  for (const f of ['AlertEvidence.jsonl', 'lake.json']) fs.copyFileSync(path.join(dir, 'jsonl', f), path.join(out, f));
  fs.writeFileSync(path.join(out, '.complete'), new Date().toISOString());
  return file;
}

// ---------- queries ----------
const NOW_SQL = `TIMESTAMP '2026-11-20 12:00:00'`;
const QUERIES = [
  {
    name: 'seed sign-in baseline, all users',
    kql: `SigninLogs
| where TimeGenerated between (ago(7d) .. now())
| summarize Total=count(), Failures=countif(ResultType != "0"), Successes=countif(ResultType == "0"), DistinctIPs=dcount(IPAddress), Apps=make_set(AppDisplayName, 20) by UserPrincipalName, bin(TimeGenerated, 1d)`,
    sql: `SELECT UserPrincipalName, time_bucket(INTERVAL 1 day, TimeGenerated) AS d, count(*) AS Total,
  count(*) FILTER (WHERE ResultType <> '0') AS Failures, count(*) FILTER (WHERE ResultType = '0') AS Successes,
  count(DISTINCT IPAddress) AS DistinctIPs, list(DISTINCT AppDisplayName)[1:20] AS Apps
FROM SigninLogs WHERE TimeGenerated BETWEEN ${NOW_SQL} - INTERVAL 7 day AND ${NOW_SQL} GROUP BY ALL`,
    approx: [5],
  },
  {
    name: 'failures per IP (top 10)',
    kql: 'SigninLogs | where ResultType != "0" | summarize Failures=count() by IPAddress | sort by Failures desc, IPAddress asc | take 10',
    sql: `SELECT IPAddress, count(*) AS Failures FROM SigninLogs WHERE ResultType <> '0' GROUP BY IPAddress ORDER BY Failures DESC, IPAddress LIMIT 10`,
  },
  {
    name: 'distinct countries per user',
    kql: 'SigninLogs | summarize Countries=dcount(Location) by UserPrincipalName | where Countries > 1',
    sql: `SELECT UserPrincipalName, count(DISTINCT Location) AS Countries FROM SigninLogs GROUP BY UserPrincipalName HAVING count(DISTINCT Location) > 1`,
    approx: [1],
  },
  {
    name: 'join with AlertEvidence',
    kql: `AlertEvidence | where EntityType == "User" | distinct AccountUpn
| join kind=inner (SigninLogs | where ResultType == "0") on $left.AccountUpn == $right.UserPrincipalName
| summarize Successes=count() by AccountUpn`,
    sql: `SELECT a.AccountUpn, count(*) AS Successes FROM (SELECT DISTINCT AccountUpn FROM AlertEvidence WHERE EntityType = 'User') a
JOIN SigninLogs s ON s.UserPrincipalName = a.AccountUpn WHERE s.ResultType = '0' GROUP BY a.AccountUpn`,
  },
  {
    name: 'has filter',
    kql: 'SigninLogs | where UserAgent has "python" | count',
    sql: `SELECT count(*) FROM SigninLogs WHERE regexp_matches(UserAgent, '(?i)(^|[^a-z0-9])python([^a-z0-9]|$)')`,
  },
  {
    name: 'dynamic member (city == Berlin)',
    kql: 'SigninLogs | where tostring(LocationDetails.city) == "Berlin" | count',
    sql: `SELECT count(*) FROM SigninLogs WHERE LocationDetails.city = 'Berlin'`,
  },
  {
    name: 'self-join: failure then success within 1h',
    kql: `let fails = SigninLogs | where ResultType != "0" | project UserPrincipalName, FailTime = TimeGenerated;
SigninLogs | where ResultType == "0" | project UserPrincipalName, SuccessTime = TimeGenerated
| join kind=inner fails on UserPrincipalName
| where SuccessTime > FailTime and SuccessTime <= FailTime + 1h
| summarize Pairs = count() by UserPrincipalName | summarize Users = count(), Pairs = sum(Pairs)`,
    sql: `WITH f AS (SELECT UserPrincipalName u, TimeGenerated ft FROM SigninLogs WHERE ResultType <> '0'),
s AS (SELECT UserPrincipalName u, TimeGenerated st FROM SigninLogs WHERE ResultType = '0')
SELECT count(DISTINCT s.u) AS Users, count(*) AS Pairs FROM s JOIN f ON s.u = f.u AND s.st > f.ft AND s.st <= f.ft + INTERVAL 1 hour`,
  },
  {
    name: 'has_any filter',
    kql: 'SigninLogs | where UserAgent has_any ("python", "curl") | summarize count() by UserAgent',
    sql: `SELECT UserAgent, count(*) FROM SigninLogs WHERE regexp_matches(UserAgent, '(?i)(^|[^a-z0-9])(python|curl)([^a-z0-9]|$)') GROUP BY UserAgent`,
  },
];

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const CACHE = path.join(DATA, 'cache');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const childEnv = { ...process.env, SWB_CACHE_DIR: CACHE };

// ---------- result comparison ----------
/** A value as both engines can agree on it: numbers rounded, timestamps as `YYYY-MM-DD HH:MM:SS`, lists by size. */
function norm(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.round(v * 1000) / 1000;
  if (Array.isArray(v)) return `list:${v.length}`;
  if (typeof v === 'object' && Array.isArray(v.items)) return `list:${v.items.length}`;
  const t = String(v);
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.\d*)?Z?$/.exec(t);
  return m ? `${m[1]} ${m[2]}${(m[3] ?? '').replace(/\.?0*$/, '')}` : t;
}
/** Compares row sets (order-free); columns listed in `approx` may differ by 2% (HLL dcount). */
function compare(ours, duck, approx = []) {
  const key = (r) => JSON.stringify(r.map((v, j) => (approx.includes(j) ? 0 : norm(v))));
  const a = ours.map((r) => r.map(norm)).sort((x, y) => (key(x) < key(y) ? -1 : 1));
  const b = duck.map((r) => r.map(norm)).sort((x, y) => (key(x) < key(y) ? -1 : 1));
  if (a.length !== b.length) return `rows ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (key(a[i]) !== key(b[i])) return `row differs: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
    for (const j of approx)
      if (Math.abs(a[i][j] - b[i][j]) > Math.max(1, 0.02 * Math.abs(b[i][j])))
        return `approximate column ${j}: ${a[i][j]} vs ${b[i][j]}`;
  }
  return 'same';
}

// ---------- processes ----------
function timeProcess(args, env = childEnv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return { ms: ms(t0), stdout: r.stdout };
}
const DUCK_ONE_SHOT = `const { DuckDBInstance } = require('@duckdb/node-api');
(async () => { const i = await DuckDBInstance.create(':memory:'); const c = await i.connect();
const r = await c.runAndReadAll(process.argv[1]); process.stdout.write(JSON.stringify(r.getRows(), (k, v) => typeof v === 'bigint' ? Number(v) : v)); })();`;
const duckProcess = (sql) => timeProcess(['-e', DUCK_ONE_SHOT, sql]);
const { spawnSync } = require('child_process');

function prepareCli() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli-snapshot.js')))
    spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  const r = spawnSync(process.execPath, [CLI, '__build-snapshot'], { env: childEnv, stdio: 'inherit' });
  if (r.status !== 0) console.log('  (start-up snapshot not built; start-up is measured without it)');
}

async function loadTimes(dir, jsonlFile, csvFile, parquetFile, rows, DuckDBInstance, openLake, createEngine) {
  const loads = { jsonl: [], csv: [], parquet: [], duckJson: [], duckCsv: [], duckParquet: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const fmt of ['jsonl', 'csv', 'parquet']) {
      global.gc?.();
      const l = openLake(path.join(dir, fmt));
      const t0 = process.hrtime.bigint();
      const t = await l.loadTable('SigninLogs');
      loads[fmt].push(ms(t0));
      if (t.length !== rows) throw new Error(`${fmt}: loaded ${t.length} rows, expected ${rows}`);
    }
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    let t0 = process.hrtime.bigint();
    await con.run(`CREATE TABLE s AS SELECT * FROM read_json('${jsonlFile}', format='newline_delimited')`);
    loads.duckJson.push(ms(t0));
    t0 = process.hrtime.bigint();
    await con.run(`CREATE TABLE c AS SELECT * FROM read_csv('${csvFile}', header=true)`);
    loads.duckCsv.push(ms(t0));
    t0 = process.hrtime.bigint();
    await con.run(`CREATE TABLE SigninLogs AS SELECT * FROM read_parquet('${parquetFile}')`);
    loads.duckParquet.push(ms(t0));
    con.closeSync?.();
  }
  const out = Object.fromEntries(Object.entries(loads).map(([k, v]) => [k, median(v)]));
  out.parquetSame = await parquetCheck(dir, parquetFile, DuckDBInstance, openLake, createEngine);
  return out;
}

/** The Parquet table answers as DuckDB's read_parquet of the same file does (every column read by some query). */
async function parquetCheck(dir, parquetFile, DuckDBInstance, openLake, createEngine) {
  const engine = createEngine(openLake(path.join(dir, 'parquet')));
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(`CREATE VIEW SigninLogs AS SELECT * FROM read_parquet('${parquetFile}')`);
  await con.run(
    `CREATE VIEW AlertEvidence AS SELECT * FROM read_json('${path.join(dir, 'parquet', 'AlertEvidence.jsonl')}', format='newline_delimited')`,
  );
  const checks = [
    ...QUERIES,
    {
      name: 'every column',
      kql: `SigninLogs | summarize n=count(), t=max(TimeGenerated), u=dcount(UserId), c=dcount(CorrelationId), a=dcount(ClientAppUsed), s=dcount(ConditionalAccessStatus), r=dcount(RiskLevelDuringSignIn), k=dcount(tostring(LocationDetails.countryOrRegion)) by Location`,
      sql: `SELECT Location, count(*), max(TimeGenerated), count(DISTINCT UserId), count(DISTINCT CorrelationId), count(DISTINCT ClientAppUsed), count(DISTINCT ConditionalAccessStatus), count(DISTINCT RiskLevelDuringSignIn), count(DISTINCT LocationDetails.countryOrRegion) FROM SigninLogs GROUP BY Location`,
    },
  ];
  for (const q of checks) {
    const ours = await engine.execute(q.kql, { now: NOW });
    const duck = (await con.runAndReadAll(q.sql)).getRows();
    const same = compare(ours.rows, duck, q.approx);
    if (same !== 'same') return `${q.name}: ${same}`;
  }
  return 'same';
}

async function bytesPerRow(dir, jsonlFile, rows, DuckDBInstance, openLake) {
  if (!global.gc) return { ours: NaN, duck: NaN };
  const used = () => {
    global.gc();
    global.gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const lake = openLake(path.join(dir, 'jsonl'));
  const t = await lake.loadTable('SigninLogs');
  const ours = (used() - before) / rows;
  if (t.length !== rows) throw new Error('row count');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(`CREATE TABLE s AS SELECT * FROM read_json('${jsonlFile}', format='newline_delimited')`);
  const r = await con.runAndReadAll('SELECT sum(memory_usage_bytes) FROM duckdb_memory()');
  return { ours, duck: Number(r.getRows()[0][0]) / rows };
}

async function reopenTimes(dir, rows, openLake, store) {
  const { clearSnapshots, snapshotUsage } = require(path.join(ROOT, 'src/core/lake/snapshot.ts'));
  clearSnapshots(store);
  await openLake(path.join(dir, 'jsonl'), { snapshots: store }).loadTable('SigninLogs');
  for (let i = 0; i < 600 && snapshotUsage(store).files === 0; i++) await new Promise((r) => setTimeout(r, 100));
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    const t = await openLake(path.join(dir, 'jsonl'), { snapshots: store }).loadTable('SigninLogs');
    times.push(ms(t0));
    if (t.length !== rows) throw new Error('reopen row count');
  }
  return median(times);
}

// Both engines load the warm-query tables from the Parquet copy (the quickest load for both; the same columns
// and types as from the JSONL).
async function warmQueries(dir, rows, DuckDBInstance, openLake, createEngine) {
  const parquetFile = await generateParquet(dir, DuckDBInstance);
  const lake = openLake(path.join(dir, 'parquet'));
  await lake.loadTable('SigninLogs');
  await lake.loadTable('AlertEvidence');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(`CREATE TABLE SigninLogs AS SELECT * FROM read_parquet('${parquetFile}')`);
  await con.run(
    `CREATE TABLE AlertEvidence AS SELECT * FROM read_json('${path.join(dir, 'parquet', 'AlertEvidence.jsonl')}', format='newline_delimited')`,
  );
  // Primary numbers parse and analyse the KQL on every run (as DuckDB parses its SQL); "cached plan" re-runs
  // the same query text (the engine keeps translated plans).
  const engine = createEngine(lake, { planCache: false });
  const cached = createEngine(lake);
  const out = [];
  for (const q of QUERIES) {
    const warm = await engine.execute(q.kql, { now: NOW });
    const duckWarm = (await con.runAndReadAll(q.sql)).getRows();
    await cached.execute(q.kql, { now: NOW });
    const ours = [],
      duck = [],
      oursCached = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = process.hrtime.bigint();
      await engine.execute(q.kql, { now: NOW });
      ours.push(ms(t0));
      t0 = process.hrtime.bigint();
      await cached.execute(q.kql, { now: NOW });
      oursCached.push(ms(t0));
      t0 = process.hrtime.bigint();
      await con.runAndReadAll(q.sql);
      duck.push(ms(t0));
    }
    const r = {
      name: q.name,
      rows,
      ours: median(ours),
      cached: median(oursCached),
      duck: median(duck),
      same: compare(warm.rows, duckWarm, q.approx),
    };
    console.log(
      `  ${rows.toLocaleString().padStart(9)} rows  ${q.name.padEnd(44)} local ${r.ours.toFixed(1).padStart(8)} ms (cached plan ${r.cached.toFixed(1).padStart(7)})  duckdb ${r.duck.toFixed(1).padStart(8)} ms  ${(r.ours / r.duck).toFixed(2)}×  ${r.same}`,
    );
    out.push(r);
  }
  con.closeSync?.();
  return out;
}

async function main() {
  const { openLake } = require(path.join(ROOT, 'src/core/lake/lake.ts'));
  const { createEngine } = require(path.join(ROOT, 'src/core/kql/engine.ts'));
  const { DuckDBInstance } = require('@duckdb/node-api');
  if (args.includes('--report')) {
    writeResults(mergeResults({}));
    return;
  }
  const sizes = runs('warm') ? SIZES : [];
  console.log(
    `generating ${[...new Set([ROWS, ...sizes])].map((n) => n.toLocaleString()).join(', ')} SigninLogs rows into bench/data …`,
  );
  const dir = generate(ROWS);
  const jsonlFile = path.join(dir, 'jsonl', 'SigninLogs.jsonl');
  const csvFile = path.join(dir, 'csv', 'SigninLogs.csv');
  const parquetFile = await generateParquet(dir, DuckDBInstance);
  const res = { load: {} };

  // ---------- start-up and cold one-shot queries (processes) ----------
  if (runs('startup') || runs('cold')) prepareCli();
  if (runs('startup')) {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-bench-empty-'));
    const st = { ours: [], noSnap: [], duck: [] };
    for (let i = 0; i < RUNS; i++) {
      st.ours.push(timeProcess([CLI, 'query', '--lake', empty, '-e', 'print 1']).ms);
      st.noSnap.push(
        timeProcess([CLI, 'query', '--lake', empty, '-e', 'print 1'], { ...childEnv, SWB_SNAPSHOT: '0' }).ms,
      );
      st.duck.push(duckProcess('select 1').ms);
    }
    fs.rmSync(empty, { recursive: true, force: true });
    res.startup = { ours: median(st.ours), noSnap: median(st.noSnap), duck: median(st.duck) };
    console.log(
      `  start-up: swb ${res.startup.ours.toFixed(0)} ms (without snapshot ${res.startup.noSnap.toFixed(0)} ms), duckdb ${res.startup.duck.toFixed(0)} ms`,
    );
  }
  if (runs('cold')) {
    const coldKql = QUERIES[1].kql;
    const coldSql = `SELECT IPAddress, count(*) AS Failures FROM read_json('${jsonlFile}', format='newline_delimited') WHERE ResultType <> '0' GROUP BY IPAddress ORDER BY Failures DESC, IPAddress LIMIT 10`;
    const cold = { parse: [], snap: [], duck: [] };
    let coldSame = '';
    for (let i = 0; i < RUNS; i++) {
      const parsed = timeProcess([CLI, 'query', '--lake', path.join(dir, 'jsonl'), '-e', coldKql], {
        ...childEnv,
        SWB_LAKE_CACHE: '0',
      });
      cold.parse.push(parsed.ms);
      timeProcess([CLI, 'query', '--lake', path.join(dir, 'jsonl'), '-e', 'SigninLogs | count']); // writes the snapshot if missing
      const snap = timeProcess([CLI, 'query', '--lake', path.join(dir, 'jsonl'), '-e', coldKql]);
      cold.snap.push(snap.ms);
      const d = duckProcess(coldSql);
      cold.duck.push(d.ms);
      const duckRows = JSON.parse(d.stdout);
      const a = compare(JSON.parse(parsed.stdout).rows, duckRows),
        b = compare(JSON.parse(snap.stdout).rows, duckRows);
      coldSame = a === 'same' && b === 'same' ? 'same' : `parsed: ${a}; snapshot: ${b}`;
    }
    res.cold = { parse: median(cold.parse), snap: median(cold.snap), duck: median(cold.duck), same: coldSame };
    console.log(
      `  cold one-shot: swb ${res.cold.parse.toFixed(0)} ms (from the lake snapshot ${res.cold.snap.toFixed(0)} ms), duckdb ${res.cold.duck.toFixed(0)} ms, ${coldSame}`,
    );
  }

  // ---------- loading, memory, re-open ----------
  if (runs('load')) {
    // the second-half reader runs the built worker (dist/lake-worker.js), as the CLI, the extension and the MCP
    // server do; under tsx the worker would first compile the TypeScript (a few hundred ms the product never pays)
    spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'ignore' });
    const worker = path.join(ROOT, 'dist', 'lake-worker.js');
    if (fs.existsSync(worker)) require(path.join(ROOT, 'src/core/lake/load.ts')).parallelLoad.workerFile = worker;
    res.load = await loadTimes(dir, jsonlFile, csvFile, parquetFile, ROWS, DuckDBInstance, openLake, createEngine);
    const l = res.load;
    console.log(
      `  load JSONL ${l.jsonl.toFixed(0)} ms vs read_json ${l.duckJson.toFixed(0)} ms; CSV ${l.csv.toFixed(0)} ms vs read_csv ${l.duckCsv.toFixed(0)} ms; Parquet ${l.parquet.toFixed(0)} ms vs read_parquet ${l.duckParquet.toFixed(0)} ms (${l.parquetSame})`,
    );
  }
  if (runs('memory')) {
    res.mem = await bytesPerRow(dir, jsonlFile, ROWS, DuckDBInstance, openLake);
    console.log(`  bytes per row after load: ${res.mem.ours.toFixed(0)} vs duckdb ${res.mem.duck.toFixed(0)}`);
  }
  if (runs('reopen')) {
    fs.mkdirSync(path.join(CACHE, 'bench-lake-snapshots'), { recursive: true });
    res.reopen = await reopenTimes(dir, ROWS, openLake, {
      dir: path.join(CACHE, 'bench-lake-snapshots'),
      maxBytes: 2 ** 33,
    });
    console.log(`  re-open from snapshot ${res.reopen.toFixed(0)} ms`);
  }

  // ---------- warm queries at each size ----------
  res.warm = [];
  for (const n of sizes)
    res.warm.push({ rows: n, results: await warmQueries(generate(n), n, DuckDBInstance, openLake, createEngine) });
  writeResults(mergeResults(res));
}

/** Classes measured by earlier runs (--only) are kept in bench/data/results.json, each with its date and load. */
function mergeResults(res) {
  const file = path.join(DATA, 'results.json');
  let all = {};
  try {
    all = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first run */
  }
  if (all.rows !== ROWS) all = { rows: ROWS };
  const stamp = {
    at: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    load: os.loadavg()[0].toFixed(1),
    runs: RUNS,
  };
  const keys = {
    startup: ['startup'],
    cold: ['cold'],
    load: ['load'],
    memory: ['mem'],
    reopen: ['reopen'],
    warm: ['warm'],
  };
  for (const c of CLASSES) {
    if (!runs(c)) continue;
    for (const k of keys[c]) all[k] = res[k];
    all[`${c}Stamp`] = stamp;
  }
  fs.writeFileSync(file, JSON.stringify(all));
  return all;
}

function writeResults(res) {
  const missing = CLASSES.filter((c) => !res[`${c}Stamp`]);
  if (missing.length) {
    console.log(
      `bench/RESULTS.md not written: not measured yet at ${ROWS.toLocaleString()} rows: ${missing.join(', ')}`,
    );
    return;
  }
  const stamps = CLASSES.map(
    (c) => `${c} ${res[`${c}Stamp`].at}, load ${res[`${c}Stamp`].load}, ${res[`${c}Stamp`].runs} run(s)`,
  );
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  const f1 = (x) => x.toFixed(1);
  const mark = (r, budget) => `${r.toFixed(2)} ${r <= budget ? '✅' : '❌'}`;
  const row = (what, ours, duck, budget, check = '') =>
    `| ${what} | ${f0(ours)} | ${f0(duck)} | ${Number.isFinite(ours / duck) ? mark(ours / duck, budget) : 'n/a'} | ≤ ${budget} | ${check} |`;
  const sizes = res.warm.map((w) => w.rows.toLocaleString()).join(', ');
  const lines = [
    '# Local engine benchmark',
    '',
    `Generated by \`npm run bench:engine\`: ${ROWS.toLocaleString()} SigninLogs rows (JSONL, CSV and Parquet written by DuckDB; warm queries at ${sizes}, loaded from the Parquet copy),`,
    'medians of the runs after one warm-up; DuckDB through @duckdb/node-api in the same run as each local figure.',
    '',
    `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}.`,
    `Measured (class, time, 1-minute load average, runs): ${stamps.join('; ')}. The machine is shared: compare ratios, not times.`,
    '',
    '| what | local (ms) | DuckDB (ms) | ratio | goal | result check |',
    '|---|---:|---:|---:|---:|---|',
    row("start-up: `swb query -e 'print 1'` vs `select 1` (process)", res.startup.ours, res.startup.duck, 3),
    `| start-up without the start-up snapshot (first run, SWB_SNAPSHOT=0) | ${f0(res.startup.noSnap)} | ${f0(res.startup.duck)} | ${(res.startup.noSnap / res.startup.duck).toFixed(2)} | | |`,
    row(
      `cold one-shot query over ${ROWS.toLocaleString()} rows, parsing the JSONL`,
      res.cold.parse,
      res.cold.duck,
      2,
      res.cold.same,
    ),
    row('cold one-shot query, from the lake snapshot', res.cold.snap, res.cold.duck, 1, res.cold.same),
    row('load JSONL (lake vs read_json)', res.load.jsonl, res.load.duckJson, 1.5),
    row('load CSV (lake vs read_csv)', res.load.csv, res.load.duckCsv, 1.5),
    row(
      'load Parquet (lake vs read_parquet)',
      res.load.parquet,
      res.load.duckParquet,
      1.5,
      `${res.load.parquetSame} (all ${QUERIES.length} warm queries and every column)`,
    ),
    row('re-open from the lake snapshot vs read_json (of the load class)', res.reopen, res.load.duckJson, 0.3),
    row('memory after load, bytes per row', res.mem.ours, res.mem.duck, 1),
    '',
    `Warm queries (both engines over in-memory data; "local" parses and analyses the KQL on every run, "cached plan" re-runs the same text). Growth = local time / local time at the previous size (goal ≤ 1.1 × the row ratio, i.e. ≤ 11 per 10× rows).`,
    '',
    '| query | rows | local (ms) | cached plan (ms) | DuckDB (ms) | ratio | goal ≤ 1 | local growth | result check |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (let q = 0; q < QUERIES.length; q++) {
    res.warm.forEach((w, k) => {
      const r = w.results[q];
      const prev = k > 0 ? res.warm[k - 1] : undefined;
      const g = prev ? r.ours / prev.results[q].ours : NaN;
      const budget = prev ? 1.1 * (w.rows / prev.rows) : NaN;
      const growth = prev ? `${g.toFixed(1)} ${g <= budget ? '✅' : '❌'}` : '';
      lines.push(
        `| ${k === 0 ? r.name : ''} | ${w.rows.toLocaleString()} | ${f1(r.ours)} | ${f1(r.cached)} | ${f1(r.duck)} | ${(r.ours / r.duck).toFixed(2)} | ${r.ours <= r.duck ? '✅' : '❌'} | ${growth} | ${r.same} |`,
      );
    });
  }
  lines.push(
    '',
    'The KQL and SQL texts are in `bench/engine.js`. The `has` SQL uses a case-insensitive word-boundary regular expression, which is what `has` means. `dcount` is compared within 2% (Kusto\'s `dcount` is a HyperLogLog estimate: about 1% error at the default accuracy; the local engine counts exactly, so "same" there is usually exact).',
    '',
  );
  const file = path.join(__dirname, 'RESULTS.md');
  const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const notes = prev.indexOf('\n## Where the budgets stand');
  fs.writeFileSync(file, lines.join('\n') + (notes >= 0 ? prev.slice(notes) : ''));
  console.log('wrote bench/RESULTS.md');
}

if (require.main !== module) {
  module.exports = { generate };
} else if (!global.gc && !process.execArgv.includes('--expose-gc')) {
  // memory per row needs a collector the bench can call
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, __filename, ...args], {
    stdio: 'inherit',
  });
  process.exitCode = r.status ?? 1;
} else {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
