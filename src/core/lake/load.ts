// Streaming table loaders: JSONL, CSV (Log Analytics portal export) and JSON (array or query response).
// Files are read in chunks; no whole-file string is built for JSONL, CSV or JSON arrays.
import * as fs from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { Worker } from 'worker_threads';
import { throwIfAborted } from '../errors';
import type { KqlType } from '../types';
import { TableAccumulator, type PartialTable } from './accumulator';
import { CsvByteRecords } from './csvBytes';
import { JsonlByteRows } from './jsonlBytes';

export { TableAccumulator, type PartialTable, type ShapeTarget } from './accumulator';

const CHUNK = 1 << 20;

/** Bytes [start, end) of a file; end undefined = to the end of the file. */
export interface ByteRange {
  start: number;
  end?: number;
}

async function* readChunks(file: string, signal?: AbortSignal, range?: ByteRange): AsyncGenerator<string> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const size = readChunk.bytes;
    const buf = Buffer.allocUnsafe(size);
    const dec = new StringDecoder('utf8');
    let first = !range || range.start === 0;
    let pos = range ? range.start : 0;
    const end = range?.end ?? Infinity;
    for (;;) {
      throwIfAborted(signal);
      const want = Math.min(size, end - pos);
      if (want <= 0) break;
      const { bytesRead } = await fh.read(buf, 0, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      let s = dec.write(buf.subarray(0, bytesRead));
      if (first) {
        if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
        first = false;
      }
      yield s;
    }
    const rest = dec.end();
    if (rest) yield rest;
  } finally {
    await fh.close();
  }
}

/** Longest JSONL line read (bytes); a longer one is skipped and counted, never held whole. */
export const MAX_JSONL_LINE_BYTES = 64 * 1024 * 1024;

/** Read size of the byte-level readers (tests make it small to put chunk boundaries everywhere). */
export const readChunk = { bytes: CHUNK };

/**
 * Reads a file in chunks, the next chunk already being read while the caller works on the last one (the read
 * runs on the I/O threads meanwhile).
 */
class ReadAhead {
  private next: Buffer;
  private pending: Promise<number>;

  constructor(
    private readonly fh: fs.promises.FileHandle,
    private pos: number,
    private readonly end: number,
    readonly chunk: number,
  ) {
    this.next = Buffer.allocUnsafe(chunk);
    this.pending = this.start();
  }

  private start(): Promise<number> {
    const want = Math.min(this.chunk, this.end - this.pos);
    if (want <= 0) return Promise.resolve(0);
    return this.fh.read(this.next, 0, want, this.pos).then((r) => r.bytesRead);
  }

  /** Copies the next chunk (at most `chunk` bytes) into `into` at `at`; 0 at the end. */
  async read(into: Buffer, at: number): Promise<number> {
    const n = await this.pending;
    this.next.copy(into, at, 0, n);
    this.pos += n;
    this.pending = n > 0 ? this.start() : Promise.resolve(0);
    return n;
  }

  /** Waits for a read still under way (before the file is closed). */
  async settle(): Promise<void> {
    await this.pending.catch(() => 0);
  }
}

/**
 * Calls `line(buf, start, end, at)` for each line of the file's bytes (no line break, no trailing CR; a BOM at the
 * start of the file dropped; `at` = the file offset of the line). A line longer than `maxLine` bytes is skipped and
 * reported through `overlong`.
 */
async function forEachLine(
  file: string,
  signal: AbortSignal | undefined,
  range: ByteRange | undefined,
  maxLine: number,
  line: (b: Buffer, start: number, end: number, at: number) => void,
  overlong: (at: number) => void,
): Promise<void> {
  const fh = await fs.promises.open(file, 'r');
  const chunk = readChunk.bytes;
  const ra = new ReadAhead(fh, range ? range.start : 0, range?.end ?? Infinity, chunk);
  try {
    let buf = Buffer.allocUnsafe(chunk * 2);
    let have = 0; // bytes of buf holding data
    let base = range ? range.start : 0; // the file offset of buf[0]
    let first = !range || range.start === 0;
    let skipping = false; // inside a line longer than maxLine: dropped up to its end
    const emit = (s: number, e: number) => {
      const at = base + s;
      if (e > s && buf[e - 1] === 13) e--;
      line(buf, s, e, at);
    };
    for (;;) {
      throwIfAborted(signal);
      if (have + chunk > buf.length) {
        // one line fills the buffer: a bigger one, up to the limit
        if (have > maxLine) {
          skipping = true;
          overlong(base);
          base += have;
          have = 0;
        } else {
          const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, have + chunk));
          buf.copy(bigger, 0, 0, have);
          buf = bigger;
        }
      }
      const bytesRead = await ra.read(buf, have);
      if (bytesRead === 0) break;
      let p = have;
      have += bytesRead;
      if (first) {
        first = false;
        if (have >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
          buf.copy(buf, 0, 3, have);
          have -= 3;
          p = 0;
          base += 3;
        }
      }
      // p: where the scan for a line break resumes; lines start at `start`
      let start = 0;
      if (skipping) {
        const nl = buf.indexOf(10, 0);
        if (nl < 0 || nl >= have) {
          base += have;
          have = 0;
          continue;
        }
        skipping = false;
        start = nl + 1;
        p = start;
      }
      for (;;) {
        let nl = buf.indexOf(10, p);
        if (nl >= have) nl = -1;
        if (nl < 0) break;
        if (nl - start > maxLine) overlong(base + start);
        else emit(start, nl);
        start = p = nl + 1;
      }
      if (start > 0) {
        buf.copy(buf, 0, start, have);
        have -= start;
        base += start;
      }
    }
    if (have > 0 && !skipping) {
      if (have > maxLine) overlong(base);
      else emit(0, have);
    }
  } finally {
    await ra.settle();
    await fh.close();
  }
}

/** Loads JSONL lines; `range` (cut at line starts) loads a part of the file. */
export async function loadJsonl(
  file: string,
  acc: TableAccumulator,
  signal?: AbortSignal,
  range?: ByteRange,
): Promise<void> {
  let lineAt = 0; // file offset of the line being read
  const rows = new JsonlByteRows(acc, (line) => {
    // an object line starts with '{'; anything else is checked for blankness first
    if (line.length === 0 || (line.charCodeAt(0) !== 123 && /^\s*$/.test(line))) return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      acc.skipRow(lineAt);
      return;
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      acc.skipRow(lineAt);
      return;
    }
    acc.addObject(o as Record<string, unknown>);
  });
  await forEachLine(
    file,
    signal,
    range,
    MAX_JSONL_LINE_BYTES,
    (b, s, e, at) => {
      lineAt = at;
      rows.line(b, s, e);
    },
    (at) => acc.skipRow(at),
  );
}

/**
 * When a JSONL or CSV file (at least minBytes) or a Parquet file (at least minParquetRows rows) is read on two
 * threads; only where the worker script exists.
 */
export const parallelLoad: { enabled: boolean; minBytes: number; minParquetRows: number; workerFile?: string } = {
  enabled: true,
  minBytes: 32 << 20,
  minParquetRows: 200_000,
};
export const parallelJsonl = parallelLoad;

/** The worker script next to this module: the bundle's dist/lake-worker.js, or the TypeScript source under tsx. */
export function workerScript(): { file: string; execArgv?: string[] } | null {
  if (parallelLoad.workerFile) return { file: parallelLoad.workerFile };
  const bundled = path.join(__dirname, 'lake-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  const source = path.join(__dirname, 'lakeWorker.ts');
  if (__filename.endsWith('.ts') && fs.existsSync(source)) return { file: source, execArgv: ['--require', 'tsx/cjs'] };
  return null;
}

/** The first line start at or after byte `from` (size when none). */
async function lineStartAt(file: string, from: number, size: number): Promise<number> {
  if (from <= 0) return 0;
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    for (let pos = from - 1; pos < size;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      const i = buf.subarray(0, bytesRead).indexOf(10);
      if (i >= 0) return pos + i + 1;
      pos += bytesRead;
    }
    return size;
  } finally {
    await fh.close();
  }
}

/**
 * Loads JSONL like {@link loadJsonl}, the second half of a large file on a worker thread while this thread reads
 * the first half; the halves are joined in file order, so the table is the one a single thread builds. If the
 * worker cannot start or fails, this thread reads the second half itself. Returns the number of threads that read.
 */
export async function loadJsonlParallel(
  file: string,
  acc: TableAccumulator,
  schema: Record<string, KqlType> | undefined,
  signal?: AbortSignal,
  onFallback?: (why: string) => void,
): Promise<1 | 2> {
  const script = parallelLoad.enabled && acc.rows === 0 ? workerScript() : null;
  const size = script ? (await fs.promises.stat(file)).size : 0;
  if (!script || size < parallelLoad.minBytes) {
    await loadJsonl(file, acc, signal);
    return 1;
  }
  const split = await lineStartAt(file, Math.floor(size / 2), size);
  if (split <= 0 || split >= size) {
    await loadJsonl(file, acc, signal);
    return 1;
  }
  const { remote, stop } = startWorker(
    script,
    { file, start: split, name: acc.name, schema, keep: acc.kept(), format: 'jsonl' },
    signal,
  );
  try {
    await loadJsonl(file, acc, signal, { start: 0, end: split });
    let part: PartialTable | undefined;
    try {
      part = await remote;
    } catch (e) {
      onFallback?.(e instanceof Error ? e.message : String(e));
    }
    if (part) {
      acc.absorb(part);
      return 2;
    }
    await loadJsonl(file, acc, signal, { start: split });
    return 1;
  } finally {
    stop();
  }
}

/** What the lake worker (lakeWorker.ts) reads: a file from byte `start` on, or some columns of a Parquet file. */
export interface LoadJob {
  file: string;
  start: number;
  end?: number;
  name: string;
  schema?: Record<string, KqlType>;
  /** JSONL and CSV: a pruned load keeps only these columns */
  keep?: string[];
  format: 'jsonl' | 'csv' | 'parquet';
  /** Parquet: the top-level columns to read */
  columns?: string[];
}

export function startWorker<T = PartialTable>(
  script: { file: string; execArgv?: string[] },
  job: LoadJob,
  signal?: AbortSignal,
): { remote: Promise<T>; stop: () => void } {
  let worker: Worker | undefined;
  const remote = new Promise<T>((resolve, reject) => {
    const w = new Worker(script.file, { workerData: job, ...(script.execArgv ? { execArgv: script.execArgv } : {}) });
    worker = w;
    w.once('message', (m: { ok: boolean; partial?: T; error?: string }) => {
      if (m.ok && m.partial) resolve(m.partial);
      else reject(new Error(m.error ?? 'worker failed'));
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
    signal?.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
  });
  remote.catch(() => undefined);
  return {
    remote,
    stop: () => {
      void worker?.terminate();
    },
  };
}

/** A CSV file being read: `buf[0, have)` holds the bytes from where the records not yet read start, up to `pos`. */
interface CsvRead {
  fh: fs.promises.FileHandle;
  ra: ReadAhead;
  buf: Buffer;
  have: number;
  pos: number;
}

/** Reads and cuts records up to byte `end` (or the end of the file), leaving an unfinished record in the buffer. */
async function readCsvUntil(st: CsvRead, records: CsvByteRecords, end: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    throwIfAborted(signal);
    if (st.pos >= end) return;
    // one record fills the buffer: a bigger one
    if (st.have + st.ra.chunk > st.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(st.buf.length * 2, st.have + st.ra.chunk));
      st.buf.copy(bigger, 0, 0, st.have);
      st.buf = bigger;
    }
    const bytesRead = await st.ra.read(st.buf, st.have);
    if (bytesRead === 0) return;
    if (
      st.pos === 0 &&
      st.have === 0 &&
      bytesRead >= 3 &&
      st.buf[0] === 0xef &&
      st.buf[1] === 0xbb &&
      st.buf[2] === 0xbf
    ) {
      st.buf.copy(st.buf, 0, 3, bytesRead);
      st.have -= 3;
    }
    st.pos += bytesRead;
    st.have += bytesRead;
    records.base = st.pos - st.have;
    const used = records.parse(st.buf, st.have, false);
    if (used > 0) {
      st.buf.copy(st.buf, 0, used, st.have);
      st.have -= used;
    }
    if (records.halted) return;
  }
}

/** `end`: where reading stops (the byte after the first half; the file's end when undefined). */
async function openCsv(file: string, from = 0, end = Infinity): Promise<CsvRead> {
  const fh = await fs.promises.open(file, 'r');
  const chunk = readChunk.bytes;
  return { fh, ra: new ReadAhead(fh, from, end, chunk), buf: Buffer.allocUnsafe(chunk * 2), have: 0, pos: from };
}

async function closeCsv(st: CsvRead): Promise<void> {
  await st.ra.settle();
  await st.fh.close();
}

/**
 * RFC 4180 CSV with a header row, as the Log Analytics portal exports it: quoted fields with doubled quotes,
 * newlines inside quotes, CRLF or LF. A record whose field count differs from the header is skipped.
 * `from`: read the header, then the records from that byte on (a record start) — the second half of a file.
 */
export async function loadCsv(file: string, acc: TableAccumulator, signal?: AbortSignal, from = 0): Promise<void> {
  const records = new CsvByteRecords(acc, from > 0);
  if (from > 0) {
    const head = await openCsv(file, 0, from);
    try {
      await readCsvUntil(head, records, from, signal);
    } finally {
      await closeCsv(head);
    }
    if (!records.halted) throw new Error('the header row runs past the part to read');
    records.resume();
  }
  const st = await openCsv(file, from);
  try {
    await readCsvUntil(st, records, Infinity, signal);
    if (st.have > 0) {
      records.base = st.pos - st.have;
      records.parse(st.buf, st.have, true);
    }
  } finally {
    await closeCsv(st);
  }
}

/**
 * Loads CSV like {@link loadCsv}, the second half of a large file on a worker thread. A line break in the middle
 * of the file may be inside a quoted field: the worker's half is used only if this thread, reading the first half,
 * finds that a record starts exactly there; otherwise (or when the worker fails) this thread reads on.
 */
export async function loadCsvParallel(
  file: string,
  acc: TableAccumulator,
  schema: Record<string, KqlType> | undefined,
  signal?: AbortSignal,
  onFallback?: (why: string) => void,
): Promise<1 | 2> {
  const script = parallelLoad.enabled && acc.rows === 0 ? workerScript() : null;
  const size = script ? (await fs.promises.stat(file)).size : 0;
  if (!script || size < parallelLoad.minBytes) {
    await loadCsv(file, acc, signal);
    return 1;
  }
  const split = await lineStartAt(file, Math.floor(size / 2), size);
  if (split <= 0 || split >= size) {
    await loadCsv(file, acc, signal);
    return 1;
  }
  const { remote, stop } = startWorker(
    script,
    { file, start: split, name: acc.name, schema, keep: acc.kept(), format: 'csv' },
    signal,
  );
  const records = new CsvByteRecords(acc);
  let st = await openCsv(file, 0, split);
  try {
    await readCsvUntil(st, records, split, signal);
    if (st.have === 0 && st.pos === split) {
      let part: PartialTable | undefined;
      try {
        part = await remote;
      } catch (e) {
        onFallback?.(e instanceof Error ? e.message : String(e));
      }
      if (part) {
        acc.absorb(part);
        return 2;
      }
    } else onFallback?.('the middle line break is inside a quoted field');
    // read on from `split` with the unfinished record kept
    const rest = await openCsv(file, split);
    rest.buf = st.buf;
    rest.have = st.have;
    await closeCsv(st);
    st = rest;
    await readCsvUntil(st, records, Infinity, signal);
    if (st.have > 0) {
      records.base = st.pos - st.have;
      records.parse(st.buf, st.have, true);
    }
    return 1;
  } finally {
    stop();
    await closeCsv(st);
  }
}

/** Splits a top-level JSON array into element texts without holding the file as one string. */
export async function loadJsonArray(file: string, acc: TableAccumulator, signal?: AbortSignal): Promise<void> {
  let depth = 0,
    inStr = false,
    esc = false,
    started = false;
  let cur = '';
  for await (const chunk of readChunks(file, signal)) {
    // `cur` holds the unfinished element of the previous chunk, whose scan state is kept in the flags above
    const s = cur + chunk;
    let i = cur.length;
    let start = cur.length > 0 ? 0 : -1;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (inStr) {
        if (esc) esc = false;
        else if (c === 92) esc = true;
        else if (c === 34) inStr = false;
        continue;
      }
      if (!started) {
        if (c === 91) started = true;
        continue;
      }
      if (c === 34) {
        inStr = true;
        if (depth === 0 && start < 0) start = i;
        continue;
      }
      if (c === 123 || c === 91) {
        if (depth === 0) start = i;
        depth++;
        continue;
      }
      if (c === 125 || c === 93) {
        if (depth === 0) {
          if (start >= 0) {
            acc.skippedRows++;
            start = -1;
          }
          started = false;
          continue;
        } // end of the outer array
        depth--;
        if (depth === 0 && start >= 0) {
          const text = s.slice(start, i + 1);
          start = -1;
          let o: unknown;
          try {
            o = JSON.parse(text);
          } catch {
            acc.skippedRows++;
            continue;
          }
          if (o && typeof o === 'object' && !Array.isArray(o)) acc.addObject(o as Record<string, unknown>);
          else acc.skippedRows++;
        }
        continue;
      }
      if (depth === 0 && c !== 44 && c > 32 && start < 0) start = i; // scalar element
      if (depth === 0 && c === 44 && start >= 0) {
        acc.skippedRows++;
        start = -1;
      }
    }
    cur = start >= 0 ? s.slice(start) : '';
  }
}

/** A Log Analytics query response `{"tables":[{"columns":[{name,type}],"rows":[[...]]}]}` (first table). */
export async function loadJsonDocument(file: string, acc: TableAccumulator, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  const text = await fs.promises.readFile(file, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    acc.skippedRows++;
    return;
  }
  const t = (
    doc as {
      tables?: {
        columns?: { name?: string; columnName?: string; type?: string; dataType?: string }[];
        rows?: unknown[][];
      }[];
    }
  )?.tables?.[0];
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.rows)) {
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) acc.addObject(doc as Record<string, unknown>);
    else acc.skippedRows++;
    return;
  }
  const names = t.columns.map((c) => String(c.name ?? c.columnName ?? ''));
  // the response says each column's type
  const typeNames: Record<string, KqlType> = {
    string: 'string',
    datetime: 'datetime',
    date: 'datetime',
    bool: 'bool',
    boolean: 'bool',
    int: 'int',
    long: 'long',
    real: 'real',
    double: 'real',
    decimal: 'decimal',
    guid: 'guid',
    uniqueid: 'guid',
    timespan: 'timespan',
    time: 'timespan',
    dynamic: 'dynamic',
  };
  t.columns.forEach((c, i) => {
    const ty = typeNames[String(c.type ?? c.dataType ?? '').toLowerCase()];
    if (ty && names[i]) acc.declare(names[i], ty);
  });
  for (const row of t.rows) {
    if (!Array.isArray(row) || row.length !== names.length) {
      acc.skippedRows++;
      continue;
    }
    acc.addRow(names, row);
  }
}

/** The line numbers (from 1) of the given byte offsets of a file (each the start of a line or record). */
export async function lineNumbersAt(file: string, offsets: number[]): Promise<number[]> {
  const sorted = [...offsets].sort((a, b) => a - b);
  const lines = new Map<number, number>();
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let pos = 0,
      breaks = 0,
      k = 0;
    while (k < sorted.length) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      const end = pos + bytesRead;
      for (; k < sorted.length && (sorted[k] < end || bytesRead === 0); k++) {
        // line breaks before the offset, within this chunk
        let n = breaks;
        for (let i = buf.indexOf(10, 0); i >= 0 && i < Math.min(bytesRead, sorted[k] - pos); i = buf.indexOf(10, i + 1))
          n++;
        lines.set(sorted[k], n + 1);
      }
      if (bytesRead === 0) break;
      for (let i = buf.indexOf(10, 0); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) breaks++;
      pos = end;
    }
  } finally {
    await fh.close();
  }
  return offsets.map((o) => lines.get(o) ?? 0);
}

/** First non-blank character of a file. */
export async function firstChar(file: string): Promise<string> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, 4096, 0);
    const m = /[^\s\ufeff]/.exec(buf.subarray(0, bytesRead).toString('utf8'));
    return m ? m[0] : '';
  } finally {
    await fh.close();
  }
}
