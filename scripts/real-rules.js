#!/usr/bin/env node
// `npm run real-rules -- <corpus dir> [--timeout MS] [--functions DIR] [--no-parsers] [--json FILE] [--only TEXT]
//  [--calls NAME,…] [--verbose]`  (--only: queries whose id, path or name contains TEXT; --calls: those whose id,
//  name or file name without .yaml is one of the NAMEs)
// Runs real Sentinel analytics rules and hunting queries (the corpus's queries.jsonl, read at run time,
// never copied) through the local engine over a lake that has every table they use: demo rows where the
// demo lake has the table, else an empty table with its real schema (the corpus's schema.json). One worker
// process runs all queries, each under a time limit (a query that overruns is killed with its worker, which
// is restarted). Each query lands in one bucket:
//   runs            parsed, translated, ran, exit 0
//   unsupported     the local engine refused a construct (named)
//   needs-function  it calls a parser/workspace function, or reads a table, that has no definition here
//   needs-data      it reads an externaldata URL that no local file is mapped to (never fetched), or a watchlist the lake lacks
//   needs-rows      it reads a column that only bag_unpack/pivot make from rows, and its table is empty here
//   analyzer-error  the official analyzer reports the same kind of error against the real schemas alone
//                   (the query's or the schema's fault, not the engine's)
//   engine-error    an error only the local engine reports
//   crash / timeout
// The corpus's parsers (parsers.json) are installed as workspace functions (the lake's functions/ folder), as a
// workspace with those solutions has them; --no-parsers measures without. --functions DIR adds a folder of more.
// Prints the buckets, the top blockers and one line `real rules: A/N analytic run (P%), B/M hunting run (Q%)`.
'use strict';
const { WorkerRunner } = require('./lib/worker-runner');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
// Columns every Log Analytics table has (the corpus's schema.json does not list them per table).
const STANDARD_COLUMNS = {
  TimeGenerated: 'datetime',
  TenantId: 'string',
  Type: 'string',
  _ResourceId: 'string',
  _SubscriptionId: 'string',
  _ItemId: 'string',
  _IsBillable: 'string',
  _BilledSize: 'real',
};

function parseArgs(argv) {
  const opts = {
    dir: undefined,
    timeoutMs: 10000,
    functions: undefined,
    parsers: true,
    json: undefined,
    only: undefined,
    calls: undefined,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--timeout') opts.timeoutMs = Number(argv[++i]);
    else if (a === '--functions') opts.functions = argv[++i];
    else if (a === '--no-parsers') opts.parsers = false;
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '--only') opts.only = argv[++i];
    else if (a === '--calls')
      opts.calls = new Set(
        String(argv[++i] ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      );
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a.startsWith('-')) throw new Error(`unknown flag ${a}`);
    else opts.dir = a;
  }
  if (!opts.dir)
    throw new Error(
      'usage: npm run real-rules -- <corpus dir> [--timeout MS] [--functions DIR] [--no-parsers] [--json FILE] [--only TEXT] [--calls NAME,…] [--verbose]',
    );
  if (!(opts.timeoutMs > 0)) throw new Error('--timeout must be a positive number of milliseconds');
  return opts;
}

function readCorpus(dir) {
  const file = path.join(dir, 'queries.jsonl');
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e.message}`);
  }
  const queries = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l);
      } catch (e) {
        throw new Error(`${file}:${i + 1}: not JSON (${e.message})`);
      }
    });
  let schema = {};
  try {
    schema = JSON.parse(fs.readFileSync(path.join(dir, 'schema.json'), 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${path.join(dir, 'schema.json')}: ${e.message}`);
  }
  let parsers = { files: {}, names: {} };
  try {
    parsers = JSON.parse(fs.readFileSync(path.join(dir, 'parsers.json'), 'utf8'));
  } catch {
    /* optional */
  }
  return { queries, schema, parsers, parserNames: new Set(Object.keys(parsers.names ?? {})) };
}

/** The measuring lake: the demo tenant, plus schema.json with every corpus table's real schema. */
/** The corpus's parsers as Sentinel parser YAML files in the lake's functions/ folder (one file per name). */
function writeParsers(lakeDir, parsers) {
  const YAML = require('yaml');
  const out = path.join(lakeDir, 'functions');
  fs.mkdirSync(out, { recursive: true });
  let n = 0;
  for (const [name, file] of Object.entries(parsers.names ?? {})) {
    const p = parsers.files?.[file];
    if (!p || typeof p.kql !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    fs.writeFileSync(
      path.join(out, `${name}.yaml`),
      YAML.stringify({ ParserName: name, ParserParams: p.params ?? [], ParserQuery: p.kql }),
    );
    n++;
  }
  return n;
}

async function prepareLake(schema, parsers) {
  require('tsx/cjs');
  const { generateDemoLake } = require(path.join(ROOT, 'src/core/lake/generate/index.ts'));
  const { builtinSchema } = require(path.join(ROOT, 'src/core/lake/schemas.ts'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-real-rules-'));
  const summary = await generateDemoLake({ out: dir });
  const { REFERENCE_SCHEMAS } = require(path.join(ROOT, 'src/core/lake/schemasReference.ts'));
  // where the corpus mistypes a documented column, Microsoft's table reference gives the type a real workspace has
  const { documentedType } = require('./lib/real-rules-types');
  const real = {};
  for (const [t, cols] of Object.entries(schema)) {
    const documented = REFERENCE_SCHEMAS[t] ?? {};
    const typed = {};
    for (const [c, type] of Object.entries(cols)) typed[c] = documentedType(type, documented[c]);
    real[t] = { ...STANDARD_COLUMNS, ...typed };
  }
  fs.writeFileSync(path.join(dir, 'schema.json'), JSON.stringify(real));
  const parserCount = parsers ? writeParsers(dir, parsers) : 0;
  // The analyzer's reference: real schemas, and built-in schemas for the tables schema.json lacks.
  const reference = {};
  const add = (t, cols) => {
    reference[t] = Object.entries(cols).map(([name, type]) => ({ name, type }));
  };
  const { BUILTIN_SCHEMAS } = require(path.join(ROOT, 'src/core/lake/schemas.ts'));
  // as the lake does: the built-in (documented) columns, overlaid by the corpus's
  for (const t of new Set([
    ...summary.tables.map((x) => x.name),
    ...Object.keys(BUILTIN_SCHEMAS),
    ...Object.keys(REFERENCE_SCHEMAS),
    ...Object.keys(real),
  ])) {
    const cols = { ...(builtinSchema(t) ?? {}), ...(real[t] ?? {}) };
    if (Object.keys(cols).length) add(t, cols);
  }
  const referenceFile = path.join(dir, 'reference-schema.json');
  fs.writeFileSync(referenceFile, JSON.stringify(reference));
  // the watchlists the lake has (a query reading another one finds no item columns)
  const watchlists = new Set();
  try {
    for (const line of fs.readFileSync(path.join(dir, 'Watchlist.jsonl'), 'utf8').split('\n'))
      if (line.trim()) watchlists.add(JSON.parse(line).WatchlistAlias);
  } catch {
    /* no watchlists */
  }
  return { dir, now: summary.now, referenceFile, parserCount, watchlists };
}

/** Generalises an unsupported-construct message into a blocker name (without the position). */
function construct(message) {
  return String(message)
    .replace(/^local engine does not support /, '')
    .replace(/\s*\(line \d+, col \d+\)\s*$/, '')
    .slice(0, 120);
}

const MISSING_NAME =
  /The name '([^']+)' does not refer to any known (table|function|column, table, variable or function|[a-z ,]+)/i;

function classify(q, reply, corpus) {
  if (reply.ok) return { bucket: 'runs' };
  if (reply.timedOut) return { bucket: 'timeout', detail: reply.error.message };
  if (reply.crashed) return { bucket: 'crash', detail: reply.error.message };
  const e = reply.error;
  if (/time budget|timed out/i.test(e.message) || e.name === 'CancelledError')
    return { bucket: 'timeout', detail: e.message };
  const ref = reply.reference ?? [];
  if (ref.length) {
    const missing = ref.map((r) => MISSING_NAME.exec(r.message)).find(Boolean);
    if (missing) {
      const name = missing[1];
      const isFunction = corpus.parserNames.has(name) || (q.functions ?? []).includes(name);
      const isTable = !isFunction && (q.tables ?? []).includes(name) && !corpus.schema[name];
      if (isFunction || isTable)
        return {
          bucket: 'needs-function',
          blocker: `${isFunction ? 'function' : 'table without schema'} ${name}`,
          detail: ref[0].message,
        };
      // read as a table, known to no schema and defined nowhere: a solution's parser or a table the corpus lacks
      if (/known table, tabular variable or function/.test(missing.input) && !corpus.schema[name])
        return {
          bucket: 'needs-function',
          blocker: `table or function ${name} (not in the corpus)`,
          detail: ref[0].message,
        };
    }
    return {
      bucket: 'analyzer-error',
      blocker: ref[0].message
        .replace(/\(line \d+, col \d+\)/, '')
        .replace(/'[^']*'/g, "'…'")
        .trim()
        .slice(0, 100),
      detail: ref[0].message,
    };
  }
  if (e.code === 'ExternalDataUnmapped')
    return { bucket: 'needs-data', blocker: 'externaldata URL not mapped to a local file', detail: e.message };
  // a column that only bag_unpack / pivot would create, over tables with no rows here: Kusto fails the same way
  if (
    e.code === 'KqlRuntime' &&
    /column '[^']*' is not in the input/.test(e.message) &&
    /\b(bag_unpack|pivot)\b/.test(q.query)
  ) {
    return {
      bucket: 'needs-rows',
      blocker: 'a column bag_unpack/pivot makes from rows, over an empty table',
      detail: e.message,
    };
  }
  // the item columns of a watchlist this lake does not have (a real workspace with that watchlist has them)
  const watchlist = [...q.query.matchAll(/_GetWatchlist\s*\(\s*['"]([^'"]+)['"]/g)]
    .map((m) => m[1])
    .find((a) => !corpus.watchlists.has(a));
  if (watchlist && /column '[^']*' is not in the input/.test(e.message))
    return { bucket: 'needs-data', blocker: `watchlist ${watchlist} (not in this lake)`, detail: e.message };
  // a fuzzy union none of whose tables has a schema here (Kusto refuses it too)
  const noLegs = /^union isfuzzy=true: none of its sources exists here \(([^,)]+)/.exec(e.message);
  if (noLegs) {
    const isTable = /_CL$/.test(noLegs[1]) || (q.tables ?? []).includes(noLegs[1]);
    return {
      bucket: 'needs-function',
      blocker: isTable ? `table without schema ${noLegs[1]}` : `table or function ${noLegs[1]} (not in the corpus)`,
      detail: e.message,
    };
  }
  // a parser/function body that reads a table this lake has no schema for (the analyzer does not look inside bodies)
  const notTable = /^'([^']+)' is not a table/.exec(e.message);
  if (notTable && !corpus.schema[notTable[1]])
    return { bucket: 'needs-function', blocker: `table without schema ${notTable[1]}`, detail: e.message };
  const notFunction = /^'([^']+)' is not a known function/.exec(e.message);
  if (notFunction)
    return { bucket: 'needs-function', blocker: `function ${notFunction[1]} (not in the corpus)`, detail: e.message };
  if (e.code === 'KqlUnsupported') return { bucket: 'unsupported', blocker: construct(e.message), detail: e.message };
  if (e.name === 'KqlError' || e.name === 'UserError') {
    return {
      bucket: 'engine-error',
      blocker: e.message
        .replace(/\(line \d+, col \d+\)/, '')
        .replace(/'[^']*'|`[^`]*`/g, "'…'")
        .trim()
        .slice(0, 100),
      detail: e.message,
    };
  }
  return {
    bucket: 'crash',
    blocker: `${e.name}: ${e.message}`.slice(0, 100),
    detail: `${e.name}: ${e.message}`,
    stack: e.stack,
  };
}

const BUCKETS = [
  ['runs', 'runs'],
  ['unsupported', 'unsupported (the local engine refuses a construct)'],
  ['needs-function', 'needs a parser/function or a table without schema'],
  ['needs-data', 'needs external data (unmapped externaldata URL, or a watchlist the lake lacks)'],
  ['needs-rows', 'needs rows (a column bag_unpack/pivot would make; the table is empty here)'],
  ['analyzer-error', 'KQL error the official analyzer also reports against the real schema'],
  ['engine-error', 'error only the local engine reports'],
  ['crash', 'crash'],
  ['timeout', 'timeout'],
];

function rank(counter) {
  return [...counter.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function pct(a, n) {
  return n ? ((100 * a) / n).toFixed(1) : '0.0';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const base = process.env.INIT_CWD || process.cwd();
  const dir = path.resolve(base, opts.dir);
  const corpus = readCorpus(dir);
  let queries = corpus.queries;
  if (opts.only)
    queries = queries.filter(
      (q) => q.id.includes(opts.only) || q.path.includes(opts.only) || q.name.includes(opts.only),
    );
  if (opts.calls) {
    const named = opts.calls;
    queries = queries.filter(
      (q) => named.has(q.id) || named.has(q.name) || named.has(path.basename(q.path).replace(/\.ya?ml$/i, '')),
    );
    if (!queries.length) throw new Error(`--calls: no query is named ${[...named].join(', ')}`);
  }
  const t0 = Date.now();
  const lake = await prepareLake(corpus.schema, opts.parsers ? corpus.parsers : undefined);
  corpus.watchlists = lake.watchlists;
  const workerArgs = [lake.dir, lake.referenceFile];
  if (opts.functions) workerArgs.push(path.resolve(base, opts.functions));
  const runner = new WorkerRunner({
    file: path.join(__dirname, 'lib', 'real-rules-worker.js'),
    args: workerArgs,
    cwd: ROOT,
    name: 'real-rules',
    timeoutMs: opts.timeoutMs,
  });
  const results = [];
  let slowest = { ms: 0 };
  try {
    for (const [i, q] of queries.entries()) {
      const reply = await runner.run(q.id, { query: q.query, now: lake.now });
      const r = { id: q.id, name: q.name, path: q.path, kind: q.kind, ms: reply.ms, ...classify(q, reply, corpus) };
      if (reply.ms > slowest.ms) slowest = { ms: reply.ms, path: q.path };
      results.push(r);
      if (opts.verbose)
        console.log(
          `${String(i + 1).padStart(4)}/${queries.length} ${r.bucket.padEnd(14)} ${q.path}${r.detail ? '  ' + String(r.detail).split('\n')[0].slice(0, 160) : ''}`,
        );
      else if (process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${queries.length}`);
    }
  } finally {
    runner.stop();
    fs.rmSync(lake.dir, { recursive: true, force: true });
  }
  if (!opts.verbose && process.stderr.isTTY) process.stderr.write('\r');

  const lines = [];
  lines.push(
    `Real rules: ${results.length} queries from ${path.relative(base, dir) || dir} (${lake.parserCount} parser functions installed) in ${((Date.now() - t0) / 1000).toFixed(1)} s (limit ${opts.timeoutMs} ms a query; slowest ${slowest.ms} ms${slowest.path ? ' ' + slowest.path : ''}; worker restarts ${runner.restarts})`,
  );
  lines.push(`  ${'bucket'.padEnd(72)} ${'analytic'.padStart(8)} ${'hunting'.padStart(8)}`);
  for (const [b, title] of BUCKETS) {
    const a = results.filter((r) => r.bucket === b && r.kind === 'analytic').length;
    const h = results.filter((r) => r.bucket === b && r.kind !== 'analytic').length;
    lines.push(`  ${title.padEnd(72)} ${String(a).padStart(8)} ${String(h).padStart(8)}`);
  }
  const section = (bucket, title, limit) => {
    const m = new Map();
    for (const r of results.filter((x) => x.bucket === bucket))
      m.set(r.blocker ?? r.detail, (m.get(r.blocker ?? r.detail) ?? 0) + 1);
    if (!m.size) return;
    lines.push('');
    lines.push(`${title} (queries):`);
    for (const [k, n] of rank(m).slice(0, limit)) lines.push(`  ${String(n).padStart(4)}  ${k}`);
  };
  section('unsupported', 'Top blockers: unsupported constructs', 30);
  section('engine-error', 'Errors only the local engine reports', 20);
  section('crash', 'Crashes', 20);
  section('timeout', 'Timeouts', 20);
  section('needs-function', 'Parsers/functions and tables without schema', 15);
  section('analyzer-error', 'Errors the official analyzer also reports', 15);
  const kindLine = (kind) => {
    const all = results.filter((r) => (kind === 'analytic' ? r.kind === 'analytic' : r.kind !== 'analytic'));
    const ok = all.filter((r) => r.bucket === 'runs').length;
    return { ok, n: all.length };
  };
  const a = kindLine('analytic');
  const h = kindLine('hunting');
  lines.push('');
  lines.push(
    `real rules: ${a.ok}/${a.n} analytic run (${pct(a.ok, a.n)}%), ${h.ok}/${h.n} hunting run (${pct(h.ok, h.n)}%)`,
  );
  console.log(lines.join('\n'));
  if (opts.json) {
    const out = path.resolve(base, opts.json);
    fs.writeFileSync(out, JSON.stringify({ dir, total: results.length, results }, null, 2));
    console.log(`details written to ${out}`);
  }
}

main().catch((e) => {
  console.error(`real-rules: ${e.message}`);
  process.exit(2);
});
