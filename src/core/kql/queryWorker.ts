// Worker thread entry (bundled as dist/query-worker.js): opens the lake itself, keeps its tables cached across
// queries, and runs one query (or schema request) at a time for the query pool. The pool terminates this
// thread when a query overruns its time or memory budget, so nothing here has to be interruptible.
import { parentPort, workerData } from 'worker_threads';
import { CancelledError, KqlError, UserError } from '../errors';
import { openLake } from '../lake/lake';
import { userSnapshotStore } from '../lake/snapshot';
import { checkTransferable } from './transferable';
import { createEngine } from './engine';
import type { FromQueryWorker, QueryWorkerData, ToQueryWorker, WorkerError } from './queryProtocol';

function describe(e: unknown): WorkerError {
  if (e instanceof UserError)
    return {
      name: e instanceof KqlError ? 'KqlError' : 'UserError',
      message: e.message,
      code: e.code,
      position: e.position,
    };
  if (e instanceof CancelledError) return { name: 'CancelledError', message: e.message };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

function serve(data: QueryWorkerData): void {
  const port = parentPort!;
  // large tables re-open from their columnar snapshots (user cache folder) instead of being parsed again
  const lake = openLake(data.lakeDir, { snapshots: userSnapshotStore() });
  const engine = createEngine(lake);
  const running = new Map<number, AbortController>();
  // every answer says which tables this worker holds, so the pool can preload them into a replacement
  const reply = (m: FromQueryWorker) => port.postMessage('t' in m ? m : { ...m, tables: lake.cachedTables?.() });
  // The official parser's first use costs about a second: pay it before taking jobs, not inside a budget.
  engine
    .execute('print 1')
    .catch(() => undefined)
    .finally(async () => {
      reply({ t: 'ready' });
      // loads each table and prepares the parser's schema for it (the costly part of a first query on a table)
      for (const t of data.preload ?? [])
        if (lake.hasTable(t)) await engine.execute(`${t} | take 0`).catch(() => undefined);
    });

  port.on('message', (m: ToQueryWorker) => {
    switch (m.t) {
      case 'cancel':
        running.get(m.id)?.abort();
        return;
      case 'invalidate':
        lake.refresh?.(m.table);
        return;
      case 'columns':
        lake.columns(m.table).then(
          (columns) => reply({ id: m.id, ok: true, columns }),
          (e) => reply({ id: m.id, ok: false, error: describe(e) }),
        );
        return;
      case 'query': {
        const ac = new AbortController();
        running.set(m.id, ac);
        engine
          .execute(m.query, {
            maxRows: m.maxRows,
            timeoutMs: m.timeoutMs,
            now: m.now !== undefined ? new Date(m.now) : undefined,
            timeRange: m.timeRange ? { start: new Date(m.timeRange.start), end: new Date(m.timeRange.end) } : undefined,
            signal: ac.signal,
          })
          .then((result) => {
            checkTransferable(result);
            reply({ id: m.id, ok: true, result });
          })
          .catch((e) => reply({ id: m.id, ok: false, error: describe(e) }))
          .finally(() => running.delete(m.id));
        return;
      }
    }
  });
}

if (parentPort) serve(workerData as QueryWorkerData);
