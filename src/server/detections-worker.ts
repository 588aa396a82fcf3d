// Child process of the extension that runs detection tests and lints rule files, so the Kusto parser and
// the local engine never load into the extension host. Speaks Node IPC (started with fork); one runner
// for the life of the process keeps the parser warm and fixture files cached.
import { promises as fs } from 'fs';
import * as path from 'path';
import { isCancellation, UserError } from '../core/errors';
import type { WorkerMessage, WorkerRequest } from '../core/detections/workerProtocol';
import type { SchemaMap } from '../core/detections/fixtures';

const runners = new Map<string, import('../core/detections/runner').DetectionTestRunner>();
const running = new Map<number, AbortController>();
const cancelledEarly = new Set<number>();
const schemas = new Map<string, { mtimeMs: number; schema: SchemaMap }>();

function send(m: WorkerMessage): void {
  process.send?.(m);
}

/** A lake schema.json when there is one (missing is fine: built-in schemas still apply). */
async function schemaFrom(file: string | undefined): Promise<SchemaMap | undefined> {
  if (!file) return undefined;
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) return undefined;
  const hit = schemas.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs) return hit.schema;
  const { normaliseSchema } = require('../core/detections/fixtures') as typeof import('../core/detections/fixtures');
  const schema = normaliseSchema(JSON.parse(await fs.readFile(file, 'utf8')), path.basename(file));
  schemas.set(file, { mtimeMs: stat.mtimeMs, schema });
  return schema;
}

async function handle(req: Exclude<WorkerRequest, { method: 'cancel' }>): Promise<void> {
  const ac = new AbortController();
  if (cancelledEarly.delete(req.id)) ac.abort();
  running.set(req.id, ac);
  try {
    if (req.method === 'run') {
      const { DetectionTestRunner } =
        require('../core/detections/runner') as typeof import('../core/detections/runner');
      const cwd = req.params.cwd ?? path.dirname(req.params.file);
      const schema = await schemaFrom(req.params.schemaFile);
      const key = `${cwd}\u0000${req.params.schemaFile ?? ''}`;
      let runner = runners.get(key);
      if (!runner) {
        runner = new DetectionTestRunner({ cwd, schema });
        runners.set(key, runner);
      }
      const only = req.params.cases ? new Set(req.params.cases) : undefined;
      const result = await runner.runFile(req.params.file, {
        include: only ? (c) => only.has(c.name) : undefined,
        signal: ac.signal,
        text: req.params.text,
        onCase: (r) => send({ id: req.id, kind: 'case', result: r }),
      });
      send({ id: req.id, kind: 'done', result });
    } else {
      const { lintRuleText } = require('../core/detections/lint') as typeof import('../core/detections/lint');
      const schema = await schemaFrom(req.params.schemaFile);
      send({ id: req.id, kind: 'done', result: lintRuleText(req.params.file, req.params.text, { schema }) });
    }
  } catch (e) {
    const message = e instanceof UserError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    send({ id: req.id, kind: 'error', message, cancelled: isCancellation(e) });
  } finally {
    running.delete(req.id);
  }
}

// Requests run one after another: the engine is single-threaded and a run swaps the fixture lake.
let queue: Promise<void> = Promise.resolve();

process.on('message', (req: WorkerRequest) => {
  if (req.method === 'cancel') {
    const ac = running.get(req.params.target);
    if (ac) ac.abort();
    else cancelledEarly.add(req.params.target);
    return;
  }
  queue = queue.then(() => handle(req));
});
process.on('disconnect', () => process.exit(0));
