// Child process of scripts/real-rules.js: runs the corpus queries one at a time over a prepared lake and,
// for each failure, asks the official analyzer whether it reports an error against the real schemas alone.
// Loaded with tsx so it runs the TypeScript sources directly.
'use strict';
require('tsx/cjs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const { createEngine } = require(path.join(ROOT, 'src/core/kql/engine.ts'));
const { openLake } = require(path.join(ROOT, 'src/core/lake/lake.ts'));
const { analysisGlobals, makeGlobals, kustoLanguage } = require(path.join(ROOT, 'src/core/kql/kusto.ts'));
const { positionAt } = require(path.join(ROOT, 'src/core/errors.ts'));

const [lakeDir, referenceFile, functionsDir] = process.argv.slice(2);
const { loadWorkspaceFunctions } = require(path.join(ROOT, 'src/core/kql/workspaceFunctions.ts'));
const fs = require('fs');
let workspaceFunctions = functionsDir ? loadWorkspaceFunctions(functionsDir).functions : [];
// the reference analyzer knows the same functions as the engine (the lake's functions/ folder and --functions)
const lakeFunctions = path.join(lakeDir, 'functions');
const allFunctions = [
  ...workspaceFunctions,
  ...(fs.existsSync(lakeFunctions) ? loadWorkspaceFunctions(lakeFunctions).functions : []),
];
const engine = createEngine(openLake(lakeDir), { planCache: false, functions: workspaceFunctions });
// as a long-lived server does at start-up: the workspace functions read and their analyzer state built
engine.warmUp();

// The reference: the real schemas (and the same workspace functions), nothing of the local engine.
const reference = require(referenceFile);
const referenceGlobals = analysisGlobals(makeGlobals(new Map(Object.entries(reference)), allFunctions));

function referenceErrors(query) {
  const K = kustoLanguage();
  const code = K.KustoCode.ParseAndAnalyze(query, referenceGlobals);
  const diags = code.GetDiagnostics();
  const out = [];
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (String(d.Severity).toLowerCase() !== 'error') continue;
    const { line, column } = positionAt(query, d.Start);
    out.push({ code: String(d.Code), message: `${String(d.Message)} (line ${line}, col ${column})` });
    if (out.length >= 3) break;
  }
  return out;
}

process.on('message', async (msg) => {
  if (msg.type === 'exit') process.exit(0);
  const { id, query, now, timeoutMs } = msg;
  const t0 = Date.now();
  try {
    const r = await engine.execute(query, { now: new Date(now), timeoutMs, maxRows: 1000 });
    process.send({ id, ok: true, rows: r.rows.length, ms: Date.now() - t0 });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    let reference = [];
    try {
      reference = referenceErrors(query);
    } catch (re) {
      reference = [{ code: 'crash', message: String(re) }];
    }
    process.send({
      id,
      ok: false,
      ms: Date.now() - t0,
      reference,
      error: {
        name: err.name,
        code: err.code,
        message: err.message,
        stack: err.name === 'KqlError' || err.name === 'UserError' ? undefined : err.stack,
      },
    });
  }
});
process.send({ ready: true });
