// Worker thread entry (bundled as dist/lake-worker.js): loads one byte range of a JSONL file into columns and
// posts them back as a PartialTable; typed arrays are transferred, not copied.
import { parentPort, workerData } from 'worker_threads';
import { loadCsv, loadJsonl, LoadJob, TableAccumulator } from './load';

async function main(job: LoadJob): Promise<void> {
  const acc = new TableAccumulator(job.name, job.schema);
  if (job.format === 'csv') await loadCsv(job.file, acc, undefined, job.start);
  else await loadJsonl(job.file, acc, undefined, { start: job.start, end: job.end });
  const partial = acc.exportPartial();
  const transfer: ArrayBuffer[] = [];
  for (const { col } of partial.known) {
    if (!col) continue;
    if (col.k === 's') transfer.push(col.codes.buffer as ArrayBuffer);
    else if (col.k === 'n') {
      transfer.push(col.data.buffer as ArrayBuffer);
      if (col.nan) transfer.push(col.nan.buffer as ArrayBuffer);
    } else if (col.k === 'b') transfer.push(col.data.buffer as ArrayBuffer);
  }
  parentPort!.postMessage({ ok: true, partial }, transfer);
}

if (parentPort) {
  main(workerData as LoadJob).catch((e: unknown) => {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  });
}
