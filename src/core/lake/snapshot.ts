// Columnar snapshots of loaded lake tables, so that a lake opened once re-opens without parsing its files.
// The format is the engine's own in-memory layout written out (typed arrays as they are, dictionaries as one
// text block), read back with the arrays viewed in place: nothing to convert, which a general format such as
// Arrow IPC would need for dictionaries with repeats and for dynamic values. Snapshots live in the user cache
// folder, never in the lake; one is used only while the table file keeps the size and mtime it had.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir } from '../cacheDir';
import type { KqlType } from '../types';
import { BOOL_NULL, Col, ColumnarTable, nullCol } from '../columnar/columns';

const MAGIC = 'SWBSNAP2';
/** Bumped whenever the loader's reading of files or this layout changes. */
const FORMAT_VERSION = 3;
const SUFFIX = '.swbsnap';
/** Tables whose file is smaller than this load about as fast as a snapshot reads. */
export const MIN_SNAPSHOT_BYTES = 1 << 20;
export const DEFAULT_CACHE_MAX_BYTES = 4 * 2 ** 30;

interface Part {
  off: number;
  bytes: number;
}
interface TextPart {
  count: number;
  lengths: Part;
  text: Part;
  enc: 'latin1' | 'utf16le';
}
interface FieldHead {
  name: string;
  type: KqlType;
  k: Col['k'];
  codes?: Part;
  dict?: TextPart;
  repeats?: boolean;
  data?: Part;
  nan?: Part;
  /** every row null (most columns of a wide schema): nothing stored */
  nulls?: true;
}
interface Head {
  version: number;
  source: { file: string; size: number; mtimeMs: number };
  name: string;
  length: number;
  skippedRows: number;
  skippedCells: number;
  fields: FieldHead[];
}

export interface SnapshotStore {
  readonly dir: string;
  readonly maxBytes: number;
  /** Tables whose file is smaller are not snapshotted (default {@link MIN_SNAPSHOT_BYTES}). */
  readonly minBytes?: number;
}

/**
 * The user's snapshot store: `lake-snapshots` in the cache folder, capped at `SWB_LAKE_CACHE_MAX_MB`
 * (default 4096). Undefined when `SWB_LAKE_CACHE=0` or no cache folder is writable.
 */
export function userSnapshotStore(env: NodeJS.ProcessEnv = process.env): SnapshotStore | undefined {
  if (env.SWB_LAKE_CACHE === '0') return undefined;
  const root = cacheDir(env);
  if (!root) return undefined;
  const dir = path.join(root, 'lake-snapshots');
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return undefined;
  }
  const mb = Number(env.SWB_LAKE_CACHE_MAX_MB);
  return { dir, maxBytes: Number.isFinite(mb) && mb > 0 ? mb * 2 ** 20 : DEFAULT_CACHE_MAX_BYTES };
}

/** The snapshot file of a table: keyed by the table file's path and the schema the table is read with. */
export function snapshotFile(store: SnapshotStore, file: string, schema: Record<string, KqlType> | undefined): string {
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify([FORMAT_VERSION, path.resolve(file), schema ? Object.entries(schema).sort() : null]))
    .digest('hex')
    .slice(0, 32);
  return path.join(store.dir, key + SUFFIX);
}

/** The table from its snapshot, or undefined when there is none, it is stale or it cannot be read. */
export function readSnapshot(
  store: SnapshotStore,
  file: string,
  schema: Record<string, KqlType> | undefined,
): ColumnarTable | undefined {
  const snap = snapshotFile(store, file, schema);
  let st: fs.Stats;
  let buf: Buffer;
  try {
    st = fs.statSync(file);
    buf = fs.readFileSync(snap);
  } catch {
    return undefined;
  }
  try {
    const t = decode(buf, file, st);
    if (t) touch(snap);
    else fs.rmSync(snap, { force: true });
    return t;
  } catch {
    fs.rmSync(snap, { force: true }); // corrupt: read the file instead
    return undefined;
  }
}

/** Writes the table's snapshot (through a temporary file), then trims the store to its size cap. */
export async function writeSnapshot(
  store: SnapshotStore,
  file: string,
  schema: Record<string, KqlType> | undefined,
  t: ColumnarTable,
  stat: fs.Stats,
): Promise<void> {
  const snap = snapshotFile(store, file, schema);
  const chunks = encode(t, file, stat);
  const total = chunks.reduce((s, c) => s + c.length, 0);
  if (total > store.maxBytes) return;
  await fs.promises.mkdir(store.dir, { recursive: true, mode: 0o700 });
  const tmp = `${snap}.${process.pid}.${Date.now()}.tmp`;
  const fh = await fs.promises.open(tmp, 'w', 0o600);
  try {
    await fh.writev(chunks);
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, snap).catch(async (e) => {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  });
  await trim(store, snap);
}

/** Removes every snapshot in the store; returns how many files and bytes went. */
export function clearSnapshots(store: SnapshotStore): { files: number; bytes: number } {
  let files = 0,
    bytes = 0;
  let names: string[];
  try {
    names = fs.readdirSync(store.dir);
  } catch {
    return { files, bytes };
  }
  for (const f of names) {
    if (!f.endsWith(SUFFIX) && !f.endsWith('.tmp')) continue;
    const p = path.join(store.dir, f);
    try {
      bytes += fs.statSync(p).size;
      fs.rmSync(p, { force: true });
      files++;
    } catch {
      /* gone meanwhile */
    }
  }
  return { files, bytes };
}

export function snapshotUsage(store: SnapshotStore): { files: number; bytes: number } {
  let files = 0,
    bytes = 0;
  try {
    for (const f of fs.readdirSync(store.dir)) {
      if (!f.endsWith(SUFFIX)) continue;
      try {
        bytes += fs.statSync(path.join(store.dir, f)).size;
        files++;
      } catch {
        /* gone meanwhile */
      }
    }
  } catch {
    /* no store yet */
  }
  return { files, bytes };
}

/** Keeps the store under its cap by removing the least recently used snapshots (never `keep`). */
async function trim(store: SnapshotStore, keep: string): Promise<void> {
  const entries: { p: string; size: number; used: number }[] = [];
  for (const f of await fs.promises.readdir(store.dir)) {
    if (!f.endsWith(SUFFIX)) continue;
    const p = path.join(store.dir, f);
    try {
      const s = await fs.promises.stat(p);
      entries.push({ p, size: s.size, used: s.mtimeMs });
    } catch {
      /* gone */
    }
  }
  let total = entries.reduce((s, e) => s + e.size, 0);
  entries.sort((a, b) => a.used - b.used);
  for (const e of entries) {
    if (total <= store.maxBytes) break;
    if (e.p === keep) continue;
    await fs.promises.rm(e.p, { force: true });
    total -= e.size;
  }
}

function touch(p: string): void {
  const now = new Date();
  try {
    fs.utimesSync(p, now, now);
  } catch {
    /* read-only store: LRU order is only a hint */
  }
}

// ---------- layout: MAGIC, u32 header length, header JSON, then 8-byte aligned parts ----------

function encode(t: ColumnarTable, file: string, stat: fs.Stats): Buffer[] {
  const parts: Buffer[] = [];
  let off = 0;
  const add = (b: Buffer): Part => {
    const part = { off, bytes: b.length };
    parts.push(b);
    off += b.length;
    const pad = (8 - (off % 8)) % 8;
    if (pad) {
      parts.push(Buffer.alloc(pad));
      off += pad;
    }
    return part;
  };
  const view = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const text = (strings: string[]): TextPart => {
    const lengths = new Uint32Array(strings.length);
    for (let i = 0; i < strings.length; i++) lengths[i] = strings[i].length;
    const all = strings.join('');
    const enc = /[\u0100-\uffff]/.test(all) ? 'utf16le' : 'latin1';
    return { count: strings.length, lengths: add(view(lengths)), text: add(Buffer.from(all, enc)), enc };
  };
  const fields: FieldHead[] = t.fields.map(({ name, type, col }) => {
    if (isAllNull(col)) return { name, type, k: col.k, nulls: true };
    switch (col.k) {
      case 's':
        return { name, type, k: 's', codes: add(view(col.codes)), dict: text(col.dict), repeats: col.repeats };
      case 'n':
        return { name, type, k: 'n', data: add(view(col.data)), nan: col.nan ? add(view(col.nan)) : undefined };
      case 'b':
        return { name, type, k: 'b', data: add(view(col.data)) };
      default: {
        // dynamic values as JSON texts, one per distinct text; code -1 = null
        const codes = new Int32Array(col.data.length);
        const index = new Map<string, number>();
        const dict: string[] = [];
        for (let i = 0; i < col.data.length; i++) {
          const v = col.data[i];
          if (v === null || v === undefined) {
            codes[i] = -1;
            continue;
          }
          const s = JSON.stringify(v);
          let c = index.get(s);
          if (c === undefined) {
            c = dict.length;
            dict.push(s);
            index.set(s, c);
          }
          codes[i] = c;
        }
        return { name, type, k: 'a', codes: add(view(codes)), dict: text(dict) };
      }
    }
  });
  const head: Head = {
    version: FORMAT_VERSION,
    source: { file: path.resolve(file), size: stat.size, mtimeMs: stat.mtimeMs },
    name: t.name,
    length: t.length,
    skippedRows: t.skippedRows,
    skippedCells: t.skippedCells,
    fields,
  };
  let json = Buffer.from(JSON.stringify(head), 'utf8');
  const pad = (8 - ((MAGIC.length + 4 + json.length) % 8)) % 8;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const lead = Buffer.alloc(MAGIC.length + 4);
  lead.write(MAGIC, 0, 'latin1');
  lead.writeUInt32LE(json.length, MAGIC.length);
  return [lead, json, ...parts];
}

function decode(buf: Buffer, file: string, st: fs.Stats): ColumnarTable | undefined {
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const headLen = buf.readUInt32LE(MAGIC.length);
  const base = MAGIC.length + 4 + headLen;
  const head = JSON.parse(buf.toString('utf8', MAGIC.length + 4, base)) as Head;
  if (head.version !== FORMAT_VERSION || head.source.file !== path.resolve(file)) return undefined;
  if (head.source.size !== st.size || head.source.mtimeMs !== st.mtimeMs) return undefined;
  // typed arrays are viewed in place when the buffer is 8-byte aligned (large reads are), else copied
  const aligned = (buf.byteOffset + base) % 8 === 0;
  const bytes = (p: Part): Uint8Array => {
    if (p.off + p.bytes > buf.length - base) throw new Error('truncated snapshot');
    return new Uint8Array(buf.buffer, buf.byteOffset + base + p.off, p.bytes);
  };
  const typed = <T>(p: Part, make: (ab: ArrayBuffer, off: number, n: number) => T, size: number): T => {
    const b = bytes(p);
    if (aligned) return make(b.buffer as ArrayBuffer, b.byteOffset, p.bytes / size);
    const copy = new Uint8Array(p.bytes);
    copy.set(b);
    return make(copy.buffer, 0, p.bytes / size);
  };
  const i32 = (p: Part) => typed(p, (ab, o, n) => new Int32Array(ab, o, n), 4);
  const f64 = (p: Part) => typed(p, (ab, o, n) => new Float64Array(ab, o, n), 8);
  const u8 = (p: Part) => typed(p, (ab, o, n) => new Uint8Array(ab, o, n), 1);
  const strings = (t: TextPart): string[] => {
    const lengths = typed(t.lengths, (ab, o, n) => new Uint32Array(ab, o, n), 4);
    const b = bytes(t.text);
    const all = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(t.enc);
    const out = new Array<string>(t.count);
    let at = 0;
    for (let i = 0; i < t.count; i++) {
      const len = lengths[i];
      out[i] = all.slice(at, at + len);
      at += len;
    }
    if (at !== all.length) throw new Error('snapshot dictionary does not add up');
    return out;
  };
  // all-null columns share one column per storage, as the loader builds them
  const nulls = new Map<Col['k'], Col>();
  const fields = head.fields.map((f) => {
    let col: Col;
    if (f.nulls) {
      let c = nulls.get(f.k);
      if (!c) {
        c = nullCol(f.k === 's' || f.k === 'n' || f.k === 'b' ? f.k : 'a', head.length);
        nulls.set(f.k, c);
      }
      return { name: f.name, type: f.type, col: c };
    }
    switch (f.k) {
      case 's':
        col = { k: 's', codes: i32(f.codes!), dict: strings(f.dict!), ...(f.repeats ? { repeats: true } : {}) };
        break;
      case 'n':
        col = f.nan ? { k: 'n', data: f64(f.data!), nan: u8(f.nan) } : { k: 'n', data: f64(f.data!) };
        break;
      case 'b':
        col = { k: 'b', data: u8(f.data!) };
        break;
      default: {
        const codes = i32(f.codes!);
        // rows with the same JSON text share one value (functions never change a value in place)
        const values = strings(f.dict!).map((s) => JSON.parse(s) as unknown);
        const data = new Array<unknown>(codes.length);
        for (let i = 0; i < codes.length; i++) {
          const c = codes[i];
          data[i] = c < 0 ? null : values[c];
        }
        col = { k: 'a', data };
      }
    }
    const n = col.k === 's' ? col.codes.length : col.data.length;
    if (n !== head.length) throw new Error('snapshot column length differs');
    return { name: f.name, type: f.type, col };
  });
  return {
    name: head.name,
    length: head.length,
    fields,
    skippedRows: head.skippedRows,
    skippedCells: head.skippedCells,
  };
}

/** True when every row of the column is null ("" for strings, not a real NaN). */
function isAllNull(col: Col): boolean {
  switch (col.k) {
    case 's':
      return col.dict.length === 0 || (col.dict.length === 1 && col.dict[0] === '');
    case 'n': {
      if (col.nan) return false;
      const d = col.data;
      for (let i = 0; i < d.length; i++) if (d[i] === d[i]) return false;
      return true;
    }
    case 'b': {
      const d = col.data;
      for (let i = 0; i < d.length; i++) if (d[i] !== BOOL_NULL) return false;
      return true;
    }
    default: {
      const d = col.data;
      for (let i = 0; i < d.length; i++) if (d[i] !== null && d[i] !== undefined) return false;
      return true;
    }
  }
}
