// Worker thread entry (bundled as dist/lake-worker.js): loads one byte range of a JSONL or CSV file, or some columns
// of a Parquet file, into columns and posts them back; typed arrays are transferred, not copied.
import { parentPort, workerData } from 'worker_threads';
import type { Col } from '../columnar/columns';
import { loadCsv, loadJsonl, LoadJob, TableAccumulator } from './load';
import { readParquetPart } from './parquet';

/** The typed arrays of columns, to transfer instead of copy. */
function buffersOf(cols: (Col | null)[]): ArrayBuffer[] {
  const transfer: ArrayBuffer[] = [];
  for (const col of cols) {
    if (!col) continue;
    if (col.k === 's') transfer.push(col.codes.buffer as ArrayBuffer);
    else if (col.k === 'n') {
      transfer.push(col.data.buffer as ArrayBuffer);
      if (col.nan) transfer.push(col.nan.buffer as ArrayBuffer);
    } else if (col.k === 'b') transfer.push(col.data.buffer as ArrayBuffer);
  }
  // a buffer listed twice cannot be transferred
  return [...new Set(transfer)];
}

async function main(job: LoadJob): Promise<void> {
  if (job.format === 'parquet') {
    const part = await readParquetPart(job.file, job.schema, job.columns ?? []);
    parentPort!.postMessage({ ok: true, partial: part }, buffersOf(part.built.map(([, f]) => f.col)));
    return;
  }
  const acc = new TableAccumulator(job.name, job.schema, job.keep);
  if (job.format === 'csv') await loadCsv(job.file, acc, undefined, job.start);
  else await loadJsonl(job.file, acc, undefined, { start: job.start, end: job.end });
  const partial = acc.exportPartial();
  parentPort!.postMessage({ ok: true, partial }, buffersOf(partial.known.map((k) => k.col)));
}

if (parentPort) {
  main(workerData as LoadJob).catch((e: unknown) => {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  });
}
