// Worker thread entry (bundled as dist/lake-worker.js): loads one byte range of a JSONL file into columns and
// posts them back as a PartialTable; typed arrays are transferred, not copied.
import { parentPort, workerData } from 'worker_threads';
import type { KqlType } from '../types';
import { loadJsonl, TableAccumulator } from './load';

interface Job { file: string; start: number; end?: number; name: string; schema?: Record<string, KqlType> }

async function main(job: Job): Promise<void> {
  const acc = new TableAccumulator(job.name, job.schema);
  await loadJsonl(job.file, acc, undefined, { start: job.start, end: job.end });
  const partial = acc.exportPartial();
  const transfer: ArrayBuffer[] = [];
  for (const { col } of partial.known) {
    if (!col) continue;
    if (col.k === 's') transfer.push(col.codes.buffer as ArrayBuffer);
    else if (col.k === 'n') { transfer.push(col.data.buffer as ArrayBuffer); if (col.nan) transfer.push(col.nan.buffer as ArrayBuffer); }
    else if (col.k === 'b') transfer.push(col.data.buffer as ArrayBuffer);
  }
  parentPort!.postMessage({ ok: true, partial }, transfer);
}

if (parentPort) {
  main(workerData as Job).catch((e: unknown) => {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  });
}
