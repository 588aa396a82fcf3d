// Child process of scripts/conformance.js: runs examples through the local engine, one at a time,
// and reports each result over IPC. Loaded with tsx so it can run the TypeScript sources directly.
'use strict';
require('tsx/cjs');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const { createEngine } = require(path.join(ROOT, 'src/core/kql/engine.ts'));
const { openLake } = require(path.join(ROOT, 'src/core/lake/lake.ts'));

const lakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-conformance-'));
const engine = createEngine(openLake(lakeDir));

process.on('message', async (msg) => {
  if (msg.type === 'exit') {
    fs.rmSync(lakeDir, { recursive: true, force: true });
    process.exit(0);
  }
  const { id, query, now, timeoutMs } = msg;
  const controller = new AbortController();
  try {
    const r = await engine.execute(query, {
      now: new Date(now),
      timeoutMs,
      signal: controller.signal,
      maxRows: 100000,
    });
    process.send({ id, ok: true, columns: r.columns, rows: r.rows });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    process.send({
      id,
      ok: false,
      error: {
        name: err.name,
        code: err.code,
        message: err.message,
        stack: err.name === 'KqlError' ? undefined : err.stack,
      },
    });
  }
});
process.send({ ready: true });
