#!/usr/bin/env node
// `npm run bench:engine [-- --rows N --runs N]`: the local KQL engine against DuckDB on the same data, same run.
// Generates SigninLogs (JSONL and CSV) and AlertEvidence into bench/data (gitignored), measures lake load
// and baseline queries (medians of several runs), prints ratios against the budgets
// (queries ≤ 1.5× DuckDB, JSONL load ≤ 3× DuckDB read_json) and writes bench/RESULTS.md.
'use strict';
require('tsx/cjs');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(__dirname, 'data');
const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
const ROWS = opt('--rows', 1_000_000);
const RUNS = opt('--runs', 5);
const NOW = new Date('2026-11-20T12:00:00Z');

// ---------- data ----------
function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

function generate() {
  const dir = path.join(DATA, `signin-${ROWS}`);
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return dir;
  fs.mkdirSync(path.join(dir, 'jsonl'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'csv'), { recursive: true });
  const r = rng(7);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const users = Array.from({ length: 5000 }, (_, i) => `user${i}@contoso.com`);
  const countries = ['US', 'GB', 'DE', 'FR', 'NL', 'IN', 'BR', 'JP', 'AU', 'CA', 'RU', 'CN', 'NG', 'ZA', 'SE', 'ES', 'IT', 'MX', 'KR', 'PL'];
  const cities = { US: 'Seattle', GB: 'London', DE: 'Berlin', FR: 'Paris', NL: 'Amsterdam' };
  const apps = ['Office 365 Exchange Online', 'Microsoft Teams', 'OfficeHome', 'Azure Portal', 'SharePoint Online', 'Microsoft Graph', 'Azure CLI', 'Power BI', 'Outlook Mobile', 'OneDrive'];
  const agents = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15',
    'python-requests/2.32.3', 'curl/8.5.0', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148',
    'Go-http-client/1.1', 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0'];
  const results = ['0', '0', '0', '0', '0', '0', '0', '50126', '50074', '50076', '53003'];
  const header = ['TimeGenerated', 'UserPrincipalName', 'UserId', 'ResultType', 'IPAddress', 'Location', 'LocationDetails', 'AppDisplayName', 'ClientAppUsed', 'UserAgent', 'ConditionalAccessStatus', 'RiskLevelDuringSignIn', 'CorrelationId'];
  const jl = fs.openSync(path.join(dir, 'jsonl', 'SigninLogs.jsonl'), 'w');
  const cv = fs.openSync(path.join(dir, 'csv', 'SigninLogs.csv'), 'w');
  fs.writeSync(cv, header.join(',') + '\n');
  const csvCell = (v) => { const s = typeof v === 'object' ? JSON.stringify(v) : String(v); return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
  const start = NOW.getTime() - 14 * 86400e3;
  let jbuf = [], cbuf = [];
  for (let i = 0; i < ROWS; i++) {
    const u = Math.floor(Math.pow(r(), 1.5) * users.length);
    const c = r() < 0.9 ? countries[u % 5] : pick(countries);
    const row = {
      TimeGenerated: new Date(start + Math.floor(r() * 14 * 86400e3)).toISOString(),
      UserPrincipalName: users[u],
      UserId: `00000000-0000-4000-8000-${String(u).padStart(12, '0')}`,
      ResultType: pick(results),
      IPAddress: r() < 0.8 ? `10.${u % 250}.${(u >> 3) % 250}.${u % 7}` : `203.0.${Math.floor(r() * 200)}.${Math.floor(r() * 250)}`,
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
    if (jbuf.length === 10000) { fs.writeSync(jl, jbuf.join('\n') + '\n'); fs.writeSync(cv, cbuf.join('\n') + '\n'); jbuf = []; cbuf = []; }
  }
  if (jbuf.length) { fs.writeSync(jl, jbuf.join('\n') + '\n'); fs.writeSync(cv, cbuf.join('\n') + '\n'); }
  fs.closeSync(jl);
  fs.closeSync(cv);
  // AlertEvidence: users with alerts (for the join)
  const ae = [];
  for (let i = 0; i < 2000; i++) {
    const u = Math.floor(r() * users.length);
    ae.push(JSON.stringify({ TimeGenerated: new Date(start + Math.floor(r() * 14 * 86400e3)).toISOString(), AlertId: `da${i % 400}`, Title: pick(['Password spray', 'Impossible travel', 'Suspicious inbox rule']), Severity: pick(['High', 'Medium', 'Low']), EntityType: r() < 0.7 ? 'User' : 'Ip', AccountUpn: users[u], RemoteIP: '' }));
  }
  for (const f of ['jsonl', 'csv']) fs.writeFileSync(path.join(dir, f, 'AlertEvidence.jsonl'), ae.join('\n') + '\n');
  for (const f of ['jsonl', 'csv']) fs.writeFileSync(path.join(dir, f, 'lake.json'), JSON.stringify({ name: 'bench', now: NOW.toISOString() }));
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
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
  },
  {
    name: 'failures per IP (top 10)',
    kql: 'SigninLogs | where ResultType != "0" | summarize Failures=count() by IPAddress | top 10 by Failures',
    sql: `SELECT IPAddress, count(*) AS Failures FROM SigninLogs WHERE ResultType <> '0' GROUP BY IPAddress ORDER BY Failures DESC LIMIT 10`,
  },
  {
    name: 'distinct countries per user',
    kql: 'SigninLogs | summarize Countries=dcount(Location) by UserPrincipalName | where Countries > 1',
    sql: `SELECT UserPrincipalName, count(DISTINCT Location) AS Countries FROM SigninLogs GROUP BY UserPrincipalName HAVING count(DISTINCT Location) > 1`,
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
    name: 'has_any filter',
    kql: 'SigninLogs | where UserAgent has_any ("python", "curl") | summarize count() by UserAgent',
    sql: `SELECT UserAgent, count(*) FROM SigninLogs WHERE regexp_matches(UserAgent, '(?i)(^|[^a-z0-9])(python|curl)([^a-z0-9]|$)') GROUP BY UserAgent`,
  },
];

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main() {
  console.log(`generating ${ROWS.toLocaleString()} SigninLogs rows into bench/data …`);
  let t0 = process.hrtime.bigint();
  const dir = generate();
  console.log(`  data ready in ${ms(t0).toFixed(0)} ms`);
  const jsonlFile = path.join(dir, 'jsonl', 'SigninLogs.jsonl');
  const csvFile = path.join(dir, 'csv', 'SigninLogs.csv');
  const aeFile = path.join(dir, 'jsonl', 'AlertEvidence.jsonl');

  const { openLake } = require(path.join(ROOT, 'src/core/lake/lake.ts'));
  const { createEngine } = require(path.join(ROOT, 'src/core/kql/engine.ts'));
  const { DuckDBInstance } = require('@duckdb/node-api');

  // ---------- load ----------
  const loads = { jsonl: [], csv: [], duckJson: [], duckCsv: [] };
  const LOAD_RUNS = Math.max(1, Math.min(RUNS, 3));
  let lake;
  for (let i = 0; i < LOAD_RUNS; i++) {
    for (const fmt of ['jsonl', 'csv']) {
      global.gc?.();
      const l = openLake(path.join(dir, fmt));
      t0 = process.hrtime.bigint();
      const t = await l.loadTable('SigninLogs');
      loads[fmt].push(ms(t0));
      if (t.length !== ROWS) throw new Error(`${fmt}: loaded ${t.length} rows, expected ${ROWS}`);
      if (fmt === 'jsonl') lake = l;
    }
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    t0 = process.hrtime.bigint();
    await con.run(`CREATE TABLE s AS SELECT * FROM read_json('${jsonlFile}', format='newline_delimited')`);
    loads.duckJson.push(ms(t0));
    t0 = process.hrtime.bigint();
    await con.run(`CREATE TABLE c AS SELECT * FROM read_csv('${csvFile}', header=true)`);
    loads.duckCsv.push(ms(t0));
    con.closeSync?.();
  }

  // ---------- queries ----------
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(`CREATE TABLE SigninLogs AS SELECT * FROM read_json('${jsonlFile}', format='newline_delimited')`);
  await con.run(`CREATE TABLE AlertEvidence AS SELECT * FROM read_json('${aeFile}', format='newline_delimited')`);
  // Primary numbers parse and analyse the KQL on every run (as DuckDB parses its SQL); the cached-plan
  // column shows repeated runs of the same query text (the engine's plan cache, e.g. a re-run baseline).
  const engine = createEngine(lake, { planCache: false });
  const cached = createEngine(lake);
  await lake.loadTable('AlertEvidence');
  const results = [];
  for (const q of QUERIES) {
    // warm-up (parser, JIT, caches) — not measured
    const warm = await engine.execute(q.kql, { now: NOW });
    const duckWarm = await con.runAndReadAll(q.sql);
    const ours = [], duck = [], oursCached = [];
    await cached.execute(q.kql, { now: NOW });
    for (let i = 0; i < RUNS; i++) {
      t0 = process.hrtime.bigint();
      await engine.execute(q.kql, { now: NOW });
      ours.push(ms(t0));
      t0 = process.hrtime.bigint();
      await cached.execute(q.kql, { now: NOW });
      oursCached.push(ms(t0));
      t0 = process.hrtime.bigint();
      await con.runAndReadAll(q.sql);
      duck.push(ms(t0));
    }
    const r = { name: q.name, rows: warm.rows.length, duckRows: duckWarm.getRows().length, ours: median(ours), cached: median(oursCached), duck: median(duck) };
    r.ratio = r.ours / r.duck;
    r.cachedRatio = r.cached / r.duck;
    results.push(r);
    console.log(`  ${q.name.padEnd(36)} local ${r.ours.toFixed(1).padStart(8)} ms (cached plan ${r.cached.toFixed(1).padStart(7)} ms)  duckdb ${r.duck.toFixed(1).padStart(8)} ms  ratio ${r.ratio.toFixed(2)} (${r.cachedRatio.toFixed(2)})  rows ${r.rows}/${r.duckRows}${r.ratio <= 1.5 ? '' : '  OVER BUDGET (1.5×)'}`);
  }
  const load = {
    jsonl: median(loads.jsonl), csv: median(loads.csv), duckJson: median(loads.duckJson), duckCsv: median(loads.duckCsv),
  };
  console.log(`  load JSONL: local ${load.jsonl.toFixed(0)} ms, duckdb read_json ${load.duckJson.toFixed(0)} ms, ratio ${(load.jsonl / load.duckJson).toFixed(2)} (budget 3×)`);
  console.log(`  load CSV:   local ${load.csv.toFixed(0)} ms, duckdb read_csv ${load.duckCsv.toFixed(0)} ms, ratio ${(load.csv / load.duckCsv).toFixed(2)}`);
  writeResults(results, load);
}

function writeResults(results, load) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Local engine benchmark',
    '',
    `Generated by \`npm run bench:engine\` on ${new Date().toISOString().slice(0, 10)}: ${ROWS.toLocaleString()} SigninLogs rows (JSONL and CSV), medians of ${RUNS} runs`,
    `(loads: ${Math.max(1, Math.min(RUNS, 3))} runs) after one warm-up; both engines query in-memory data in the same process.`,
    '',
    `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}, DuckDB via @duckdb/node-api.`,
    `Load average at the end of the run: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (the machine is shared; numbers are noisy).`,
    '',
    '"local" parses and analyses the KQL with the official Kusto library on every run; "cached plan" re-runs the same query text (the engine keeps translated plans).',
    '',
    '| query | local (ms) | local, cached plan (ms) | DuckDB (ms) | ratio | ratio, cached plan | budget | rows (local / DuckDB) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map((r) => `| ${r.name} | ${r.ours.toFixed(1)} | ${r.cached.toFixed(1)} | ${r.duck.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.cachedRatio.toFixed(2)} | ≤ 1.5 ${r.ratio <= 1.5 ? '✅' : '❌'} | ${r.rows} / ${r.duckRows} |`),
    `| load JSONL (lake vs read_json) | ${load.jsonl.toFixed(0)} | | ${load.duckJson.toFixed(0)} | ${(load.jsonl / load.duckJson).toFixed(2)} | | ≤ 3 ${load.jsonl / load.duckJson <= 3 ? '✅' : '❌'} | |`,
    `| load CSV (lake vs read_csv) | ${load.csv.toFixed(0)} | | ${load.duckCsv.toFixed(0)} | ${(load.csv / load.duckCsv).toFixed(2)} | | | |`,
    '',
    'The KQL and SQL texts are in `bench/engine.js`. The `has_any` SQL uses a case-insensitive word-boundary regular expression, which is what `has_any` means.',
    '',
  ];
  // the hand-written "Where the budgets stand" section is kept across runs
  const file = path.join(__dirname, 'RESULTS.md');
  const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const notes = prev.indexOf('\n## Where the budgets stand');
  fs.writeFileSync(file, lines.join('\n') + (notes >= 0 ? prev.slice(notes) : ''));
  console.log('wrote bench/RESULTS.md');
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
