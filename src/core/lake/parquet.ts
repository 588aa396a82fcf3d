// Parquet lake tables (the Sentinel data lake and Fabric export Parquet), read with hyparquet.
// Flat columns are decoded page by page with hyparquet's page functions straight into the engine's columns:
// dictionary pages keep their strings once and rows push dictionary entries, so no row objects are built.
// Nested columns (structs, lists, maps) go through hyparquet's own assembly and become dynamic values.
import * as fs from 'fs';
import * as path from 'path';
import type { ColumnMetaData, FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import type { ColumnDecoder, DecodedArray, ParquetParsers } from 'hyparquet/src/types.js';
import type * as Hyparquet from './hyparquetLib';
import { throwIfAborted, UserError } from '../errors';
import type { KqlType } from '../types';
import { Col, ColBuilder, colLength, ColumnarTable, nullCol, storageOf } from '../columnar/columns';
import { coerceRaw, formatDatetime } from '../columnar/convert';
import { parallelLoad, startWorker, workerScript } from './load';

const MAGIC = 0x31524150; // "PAR1", little-endian
const MAX_FOOTER = 1 << 28;
// Pages are usually about 1 MB: a larger size in a header is damage, not data to allocate for.
const MAX_PAGE = 1 << 28;

const HEX = new TextEncoder().encode('0123456789abcdef');
const UUID_TEXT = Buffer.alloc(36, '-');
const UUID_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
function uuidText(b: Uint8Array): string {
  for (let i = 0; i < 16; i++) {
    UUID_TEXT[UUID_AT[i]] = HEX[b[i] >> 4];
    UUID_TEXT[UUID_AT[i] + 1] = HEX[b[i] & 15];
  }
  return UUID_TEXT.toString('latin1', 0, 36);
}
function jsonOrText(b: Uint8Array): unknown {
  const t = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

// hyparquet loads on the first Parquet table (a lazy require keeps it out of start-up).
let hyparquetModule: typeof Hyparquet | undefined;
const hyparquet = (): typeof Hyparquet => (hyparquetModule ??= require('./hyparquetLib') as typeof Hyparquet);

// Flat columns: timestamps become epoch microseconds (the engine's datetime), UUIDs their text form.
let flatParsers: ParquetParsers | undefined;
const flatParserSet = (): ParquetParsers =>
  (flatParsers ??= {
    ...hyparquet().DEFAULT_PARSERS,
    timestampFromMilliseconds: (v: bigint) => Number(v) * 1000,
    timestampFromMicroseconds: (v: bigint) => Number(v),
    timestampFromNanoseconds: (v: bigint) => Number(v / 1000n),
    dateFromDays: (d: number) => d * 86_400_000_000,
    uuidFromBytes: (b: Uint8Array) => (b ? uuidText(b) : undefined),
    jsonFromBytes: (b: Uint8Array) => (b ? jsonOrText(b) : undefined),
  });
// Inside dynamic values: timestamps as ISO text, as a JSON export holds them.
const NESTED_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => formatDatetime(Number(v) * 1000),
  timestampFromMicroseconds: (v: bigint) => formatDatetime(Number(v)),
  timestampFromNanoseconds: (v: bigint) => formatDatetime(Number(v / 1000n)),
  dateFromDays: (d: number) => formatDatetime(d * 86_400_000_000),
  uuidFromBytes: (b: Uint8Array) => (b ? uuidText(b) : undefined),
  jsonFromBytes: (b: Uint8Array) => (b ? jsonOrText(b) : undefined),
};

/** The KQL type of a top-level Parquet column. */
export function parquetColumnType(node: SchemaTree): KqlType {
  const e = node.element;
  if (node.children.length || e.repetition_type === 'REPEATED') return 'dynamic';
  const lt = e.logical_type?.type;
  const ct = e.converted_type;
  if (
    lt === 'TIMESTAMP' ||
    lt === 'DATE' ||
    ct === 'TIMESTAMP_MILLIS' ||
    ct === 'TIMESTAMP_MICROS' ||
    ct === 'DATE' ||
    e.type === 'INT96'
  )
    return 'datetime';
  if (lt === 'TIME' || ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') return 'timespan';
  if (lt === 'JSON' || ct === 'JSON' || lt === 'VARIANT') return 'dynamic';
  if (lt === 'DECIMAL' || ct === 'DECIMAL' || lt === 'FLOAT16') return 'real';
  switch (e.type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
    case 'INT64':
      return 'long';
    case 'FLOAT':
    case 'DOUBLE':
      return 'real';
    default:
      return 'string';
  }
}

/** Microseconds per unit of a TIME column's stored integers. */
function timeScale(e: SchemaElement): number {
  const unit =
    e.logical_type?.type === 'TIME' ? e.logical_type.unit : e.converted_type === 'TIME_MILLIS' ? 'MILLIS' : 'MICROS';
  return unit === 'MILLIS' ? 1000 : unit === 'NANOS' ? 0.001 : 1;
}

function readAt(fd: number, start: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, start + done);
    if (n === 0) throw new Error(`the file ends at byte ${start + done}, ${length - done} bytes early`);
    done += n;
  }
  return buf;
}

function arrayBufferOf(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** Reads and parses the footer; throws a plain Error saying what is wrong. */
function readFooter(fd: number, size: number): FileMetaData {
  if (size < 12) throw new Error('too short for a Parquet file');
  if (readAt(fd, 0, 4).readUInt32LE(0) !== MAGIC) throw new Error('it does not start with the Parquet magic bytes');
  const tail = readAt(fd, size - 8, 8);
  if (tail.readUInt32LE(4) !== MAGIC) throw new Error('it does not end with the Parquet magic bytes (truncated?)');
  const len = tail.readUInt32LE(0);
  if (len > size - 12 || len > MAX_FOOTER) throw new Error(`its footer length ${len} does not fit the file`);
  const meta = hyparquet().parquetMetadata(arrayBufferOf(readAt(fd, size - 8 - len, len + 8)));
  if (meta.row_groups.some((g) => g.columns.some((c) => c.file_path)))
    throw new Error('it refers to column data in other files');
  return meta;
}

/** Why a file cannot be read as a Parquet table (checked from its footer), or undefined when it can. */
export function parquetProblem(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    readFooter(fd, fs.fstatSync(fd).size);
    return undefined;
  } catch (e) {
    return `not a readable Parquet file: ${(e as Error).message}`;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A decoded Parquet value as a JSON-like value (bigints as numbers, bytes as base64). */
function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (v instanceof Date) return formatDatetime(v.getTime() * 1000);
  if (Array.isArray(v)) return v.map(plainValue);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, plainValue);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = plainValue(x);
  return out;
}

/** Where the decoded values of one leaf column go, row by row. */
interface Sink {
  /** a dictionary page: the following dictionary-encoded rows index it */
  dictionary(d: DecodedArray): void;
  fromDictionary(i: number): void;
  value(v: unknown): void;
  /** a null at definition level `def` (below the leaf's maximum) */
  none(def: number): void;
  /** Set when INT64 values may be passed as numbers (times `int64Scale`) without their bigint form. */
  int64Scale?: number;
  int64?(x: number): void;
  cellsSkipped: number;
}

/** Strings, dictionary-encoded as the engine's columns are: each Parquet dictionary entry is looked up once. */
class StringSink implements Sink {
  codes: Int32Array;
  dict: string[] = [];
  private map = new Map<string, number>();
  private remap = new Int32Array(0);
  private page: DecodedArray = [];
  // a column written without a dictionary has (nearly) distinct values: keep them without de-duplicating
  private repeats = false;
  private n = 0;
  private empty = -1;
  cellsSkipped = 0;
  constructor(total: number) {
    this.codes = new Int32Array(total);
  }
  private codeOf(s: string): number {
    if (this.repeats) {
      this.dict.push(s);
      return this.dict.length - 1;
    }
    let c = this.map.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      this.map.set(s, c);
    }
    return c;
  }
  private text(v: unknown): string {
    if (typeof v === 'string') return v;
    const x = coerceRaw(plainValue(v), 'string');
    return typeof x === 'string' ? x : '';
  }
  private sawDictionary = false;
  dictionary(d: DecodedArray): void {
    this.page = d;
    this.remap = new Int32Array(d.length).fill(-1);
    this.sawDictionary = true;
  }
  fromDictionary(i: number): void {
    let c = this.remap[i];
    if (c < 0) c = this.remap[i] = this.codeOf(this.text(this.page[i]));
    this.codes[this.n++] = c;
  }
  value(v: unknown): void {
    // plain values before any dictionary page (nulls may come first)
    if (!this.repeats && !this.sawDictionary) {
      this.repeats = true;
      this.map = new Map();
    }
    this.codes[this.n++] = this.codeOf(this.text(v));
  }
  none(): void {
    if (this.empty < 0 || this.repeats) this.empty = this.codeOf('');
    this.codes[this.n++] = this.empty;
  }
  finish(): Col {
    return { k: 's', codes: this.codes, dict: this.dict, repeats: this.repeats || undefined };
  }
}

/** Numbers (long, real, datetime as epoch microseconds, timespan as microseconds); NaN = null. */
class NumberSink implements Sink {
  data: Float64Array;
  private nan?: Uint8Array;
  private page: DecodedArray = [];
  private n = 0;
  cellsSkipped = 0;
  constructor(
    total: number,
    private readonly type: KqlType,
    readonly int64Scale: number | undefined,
    private readonly scale = 1,
  ) {
    this.data = new Float64Array(total);
  }
  dictionary(d: DecodedArray): void {
    this.page = d;
  }
  fromDictionary(i: number): void {
    this.value(this.page[i]);
  }
  int64(x: number): void {
    this.data[this.n++] = x * this.int64Scale!;
  }
  value(v: unknown): void {
    let x: number;
    if (typeof v === 'number') x = v * this.scale;
    else if (typeof v === 'bigint') x = Number(v) * this.scale;
    else {
      const c = coerceRaw(plainValue(v), this.type);
      if (c === undefined) this.cellsSkipped++;
      x = typeof c === 'number' ? c : NaN;
    }
    if (x !== x && typeof v === 'number') (this.nan ??= new Uint8Array(this.data.length))[this.n] = 1;
    this.data[this.n++] = x;
  }
  none(): void {
    this.data[this.n++] = NaN;
  }
  finish(): Col {
    return this.nan ? { k: 'n', data: this.data, nan: this.nan } : { k: 'n', data: this.data };
  }
}

/** Any other target type (bool, dynamic, or a declared type the file does not hold): converted value by value. */
class ValueSink implements Sink {
  readonly b: ColBuilder;
  private page: DecodedArray = [];
  cellsSkipped = 0;
  constructor(
    total: number,
    private readonly type: KqlType,
  ) {
    this.b = new ColBuilder(storageOf(type), total);
  }
  dictionary(d: DecodedArray): void {
    this.page = d;
  }
  fromDictionary(i: number): void {
    this.value(this.page[i]);
  }
  value(v: unknown): void {
    if (this.type === 'bool' && typeof v === 'boolean') {
      this.b.pushBool(v);
      return;
    }
    const p = plainValue(v);
    const x = this.type === 'dynamic' ? p : coerceRaw(p, this.type);
    if (x === undefined) {
      this.cellsSkipped++;
      this.b.push(null);
    } else this.b.push(x);
  }
  /** a value already JSON-like */
  plain(v: unknown): void {
    if (this.type === 'dynamic') this.b.pushAny(v);
    else this.value(v);
  }
  none(): void {
    this.b.pushNull();
  }
  finish(): Col {
    return this.b.finish();
  }
}

/** One field of a struct of plain fields: the row group's values, and whether the struct itself is null. */
class FieldSink implements Sink {
  values: unknown[] = [];
  structNull: Uint8Array = new Uint8Array(0);
  /** per row: the dictionary index of the value, -1 for a null, -2 for a value not from the dictionary */
  codes: Int32Array = new Int32Array(0);
  /** entries of the row group's dictionary */
  dictSize = 0;
  private page: DecodedArray = [];
  private n = 0;
  cellsSkipped = 0;
  constructor(private readonly structDef: number) {}
  reset(rows: number): void {
    this.values = new Array(rows);
    this.structNull = new Uint8Array(rows);
    this.codes = new Int32Array(rows);
    this.dictSize = 0;
    this.n = 0;
  }
  dictionary(d: DecodedArray): void {
    this.page = d;
    this.dictSize = d.length;
  }
  fromDictionary(i: number): void {
    this.codes[this.n] = i;
    const v = this.page[i];
    this.values[this.n++] = typeof v === 'object' || typeof v === 'bigint' ? plainValue(v) : v;
  }
  value(v: unknown): void {
    this.codes[this.n] = -2;
    this.values[this.n++] = typeof v === 'object' || typeof v === 'bigint' ? plainValue(v) : v;
  }
  none(def: number): void {
    if (def < this.structDef) this.structNull[this.n] = 1;
    this.codes[this.n] = -1;
    this.values[this.n++] = null;
  }
}

interface LeafPlan {
  node: SchemaTree;
  schemaPath: SchemaTree[];
  maxDef: number;
  sink: Sink;
}

/** INT64 columns whose numbers need no conversion but a unit: microseconds per stored unit, else undefined. */
function int64ScaleOf(e: SchemaElement, target: KqlType): number | undefined {
  if (e.type !== 'INT64') return undefined;
  const lt = e.logical_type;
  const ct = e.converted_type;
  const own = parquetColumnType({ element: e, children: [], count: 1, path: [] });
  if (own !== target) return undefined;
  if (own === 'long')
    return (lt === undefined && (ct === undefined || ct === 'INT_64')) || (lt?.type === 'INTEGER' && lt.isSigned)
      ? 1
      : undefined;
  if (own === 'datetime') {
    const unit = lt?.type === 'TIMESTAMP' ? lt.unit : ct === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS';
    return unit === 'MILLIS' ? 1000 : unit === 'NANOS' ? 0.001 : 1;
  }
  if (own === 'timespan') return timeScale(e);
  return undefined;
}

function sinkFor(node: SchemaTree, type: KqlType, total: number): Sink {
  const own = parquetColumnType(node);
  if (storageOf(type) === 's') return new StringSink(total);
  if (storageOf(type) === 'n' && own !== 'dynamic' && own !== 'string' && own !== 'bool') {
    // TIME values arrive as integers of their unit; everything else numeric is already in the engine's unit
    return new NumberSink(
      total,
      type,
      int64ScaleOf(node.element, type),
      own === 'timespan' && type === 'timespan' ? timeScale(node.element) : 1,
    );
  }
  return new ValueSink(total, type);
}

// ---------- the page decoder for the common pages ----------
// Flat columns' data pages in the encodings most writers use (dictionary indices, PLAIN INT64, PLAIN strings and
// UUIDs) are decoded here straight into the sinks: levels and indices go into buffers reused page after page, and no
// value array or byte view is made per value. Other pages go through hyparquet's page functions.

let levelBuf = new Uint8Array(1024);
let indexBuf = new Int32Array(1024);
const utf8Decoder = new TextDecoder();

/** The Parquet RLE / bit-packed hybrid of `count` values of `width` (≤ 24) bits in b[p, end) into `out`. */
function readHybrid(
  b: Uint8Array,
  p: number,
  end: number,
  width: number,
  count: number,
  out: Uint8Array | Int32Array,
): void {
  const byteWidth = (width + 7) >> 3;
  const mask = (1 << width) - 1;
  let seen = 0;
  while (seen < count) {
    let header = 0;
    let scale = 1;
    for (;;) {
      if (p >= end) throw new Error('a data page ends inside its levels or indices');
      const x = b[p++];
      header += (x & 0x7f) * scale;
      if (!(x & 0x80)) break;
      scale *= 128;
      if (scale > 2 ** 35) throw new Error('a data page has a malformed run header');
    }
    const runs = Math.floor(header / 2);
    if (header % 2 === 1) {
      // bit-packed: runs groups of 8 values, least significant bits first
      const n = runs * 8;
      const next = p + runs * width; // n values of width bits
      if (next > end) throw new Error('a data page ends inside a bit-packed run');
      let buf = 0,
        bits = 0;
      const stop = Math.min(count, seen + n);
      for (let k = seen; k < stop; k++) {
        while (bits < width) {
          buf |= b[p++] << bits;
          bits += 8;
        }
        out[k] = buf & mask;
        buf >>>= width;
        bits -= width;
      }
      // values past `count` in the last group are padding
      p = next;
      seen += n;
    } else {
      if (p + byteWidth > end) throw new Error('a data page ends inside a run');
      let v = 0;
      for (let i = 0; i < byteWidth; i++) v |= b[p++] << (i * 8);
      const stop = Math.min(count, seen + runs);
      out.fill(v, seen, stop);
      seen += runs;
    }
  }
}

function levelBuffer(n: number): Uint8Array {
  if (levelBuf.length < n) levelBuf = new Uint8Array(Math.max(n, levelBuf.length * 2));
  return levelBuf;
}

function indexBuffer(n: number): Int32Array {
  if (indexBuf.length < n) indexBuf = new Int32Array(Math.max(n, indexBuf.length * 2));
  return indexBuf;
}

const bitWidthOf = (max: number) => 32 - Math.clz32(max);

/** The UUID text of the 16 bytes at b[at]. */
function uuidTextAt(b: Uint8Array, at: number): string {
  for (let i = 0; i < 16; i++) {
    const x = b[at + i];
    UUID_TEXT[UUID_AT[i]] = HEX[x >> 4];
    UUID_TEXT[UUID_AT[i] + 1] = HEX[x & 15];
  }
  return UUID_TEXT.toString('latin1', 0, 36);
}

/** How the values of a data page can be decoded here, or undefined when hyparquet decodes them. */
type FastValues = 'dict' | 'int64' | 'uuid' | 'utf8';

function fastValuesOf(
  leaf: LeafPlan,
  meta: ColumnMetaData,
  encoding: string,
  hasDict: boolean,
): FastValues | undefined {
  const e = leaf.node.element;
  if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') return hasDict ? 'dict' : undefined;
  if (encoding !== 'PLAIN') return undefined;
  const sink = leaf.sink;
  if (meta.type === 'INT64') return sink.int64 && sink.int64Scale !== undefined ? 'int64' : undefined;
  if (!(sink instanceof StringSink)) return undefined;
  if (meta.type === 'FIXED_LEN_BYTE_ARRAY')
    return e.logical_type?.type === 'UUID' && e.type_length === 16 && !e.converted_type ? 'uuid' : undefined;
  if (meta.type === 'BYTE_ARRAY') {
    const lt = e.logical_type?.type;
    if ((e.converted_type === undefined || e.converted_type === 'UTF8') && (lt === undefined || lt === 'STRING'))
      return 'utf8';
  }
  return undefined;
}

/**
 * Decodes one data page: `lv` = the definition levels' bytes [start, end) (none when the column has no nulls),
 * `vals` = the values' bytes. Pushes `count` rows into the leaf's sink.
 */
function decodePage(
  leaf: LeafPlan,
  how: FastValues,
  count: number,
  lb: Uint8Array,
  lstart: number,
  lend: number,
  vals: Uint8Array,
  dictLength: number,
): void {
  const { maxDef, sink } = leaf;
  let defs: Uint8Array | undefined;
  let nulls = 0;
  if (maxDef > 0) {
    defs = levelBuffer(count);
    readHybrid(lb, lstart, lend, bitWidthOf(maxDef), count, defs);
    for (let i = 0; i < count; i++) if (defs[i] !== maxDef) nulls++;
    if (nulls === 0) defs = undefined;
  }
  const n = count - nulls;
  let v = 0;
  if (how === 'dict') {
    const width = vals.length > 0 ? vals[0] : 0;
    if (width > 24) throw new Error(`a dictionary index width of ${width} bits`);
    const idx = indexBuffer(n);
    if (width === 0) idx.fill(0, 0, n);
    else readHybrid(vals, 1, vals.length, width, n, idx);
    for (let i = 0; i < n; i++) if (idx[i] >= dictLength) throw new Error('a dictionary index is out of range');
    if (!defs) for (let i = 0; i < count; i++) sink.fromDictionary(idx[i]);
    else
      for (let i = 0; i < count; i++) {
        if (defs[i] !== maxDef) sink.none(defs[i]);
        else sink.fromDictionary(idx[v++]);
      }
    return;
  }
  if (how === 'int64') {
    if (vals.length < n * 8) throw new Error('a data page holds fewer values than its header says');
    const view = new DataView(vals.buffer, vals.byteOffset, vals.byteLength);
    for (let i = 0; i < count; i++) {
      if (defs && defs[i] !== maxDef) sink.none(defs[i]);
      else {
        const o = 8 * v++;
        sink.int64!(view.getInt32(o + 4, true) * 4294967296 + view.getUint32(o, true));
      }
    }
    return;
  }
  const strings = sink as StringSink;
  if (how === 'uuid') {
    if (vals.length < n * 16) throw new Error('a data page holds fewer values than its header says');
    for (let i = 0; i < count; i++) {
      if (defs && defs[i] !== maxDef) strings.none();
      else strings.value(uuidTextAt(vals, 16 * v++));
    }
    return;
  }
  // PLAIN BYTE_ARRAY: a 4-byte length, then the UTF-8 bytes
  const buf = Buffer.from(vals.buffer, vals.byteOffset, vals.byteLength);
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (defs && defs[i] !== maxDef) {
      strings.none();
      continue;
    }
    if (p + 4 > buf.length) throw new Error('a data page holds fewer values than its header says');
    const len = buf.readUInt32LE(p);
    p += 4;
    if (p + len > buf.length) throw new Error('a data page holds fewer values than its header says');
    // TextDecoder drops a leading byte order mark, as hyparquet's decoding does
    const s =
      len >= 3 && buf[p] === 0xef && buf[p + 1] === 0xbb && buf[p + 2] === 0xbf
        ? utf8Decoder.decode(buf.subarray(p, p + len))
        : buf.toString('utf8', p, p + len);
    strings.value(s);
    p += len;
  }
}

/** Decodes one column chunk of a leaf column into its sink. */
function readChunk(bytes: Buffer, meta: ColumnMetaData, rows: number, leaf: LeafPlan): void {
  const { node, schemaPath, maxDef, sink } = leaf;
  const decoder: ColumnDecoder = {
    pathInSchema: meta.path_in_schema,
    type: meta.type,
    element: node.element,
    schemaPath,
    codec: meta.codec,
    parsers: flatParserSet(),
    utf8: true,
  };
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  let hasDict = false;
  let dictLength = 0;
  let seen = 0;
  while (seen < rows && reader.offset < bytes.byteLength) {
    const header = hyparquet().parquetHeader(reader);
    if (header.compressed_page_size > bytes.byteLength - reader.offset || header.uncompressed_page_size > MAX_PAGE) {
      throw new Error(
        `column ${meta.path_in_schema.join('.')}: a page header gives sizes the column chunk cannot hold`,
      );
    }
    const body = new Uint8Array(bytes.buffer, bytes.byteOffset + reader.offset, header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = hyparquet().decompressPage(body, header.uncompressed_page_size, meta.codec, undefined);
      const raw = hyparquet().readPlain(
        { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 },
        meta.type,
        header.dictionary_page_header!.num_values,
        node.element.type_length,
      );
      const d = hyparquet().convert(raw, decoder);
      sink.dictionary(d);
      dictLength = d.length;
      hasDict = true;
      continue;
    }
    let page, count, encoding;
    if (header.type === 'DATA_PAGE') {
      const h = header.data_page_header!;
      const raw = hyparquet().decompressPage(body, header.uncompressed_page_size, meta.codec, undefined);
      const how = fastValuesOf(leaf, meta, h.encoding, hasDict);
      if (how) {
        // v1: the definition levels (a 4-byte length, then the hybrid), then the values
        let vstart = 0,
          lend = 0;
        if (maxDef > 0) {
          if (raw.length < 4) throw new Error('a data page ends inside its levels');
          const len = raw[0] | (raw[1] << 8) | (raw[2] << 16) | (raw[3] << 24);
          if (len < 0 || 4 + len > raw.length) throw new Error('a data page ends inside its levels');
          lend = 4 + len;
          vstart = lend;
        }
        decodePage(leaf, how, h.num_values, raw, 4, lend, raw.subarray(vstart), dictLength);
        seen += h.num_values;
        continue;
      }
      page = hyparquet().readDataPage(raw, h, decoder);
      count = h.num_values;
      encoding = h.encoding;
    } else if (header.type === 'DATA_PAGE_V2') {
      const h = header.data_page_header_v2!;
      const how = fastValuesOf(leaf, meta, h.encoding, hasDict);
      if (how && h.repetition_levels_byte_length === 0) {
        const lend = h.definition_levels_byte_length;
        if (lend > body.length) throw new Error('a data page ends inside its levels');
        const size = header.uncompressed_page_size - lend;
        let vals = body.subarray(lend);
        if (h.is_compressed !== false && size) vals = hyparquet().decompressPage(vals, size, meta.codec, undefined);
        decodePage(leaf, how, h.num_values, body, 0, lend, vals, dictLength);
        seen += h.num_values;
        continue;
      }
      page = hyparquet().readDataPageV2(body, header, decoder);
      count = h.num_values;
      encoding = h.encoding;
    } else continue; // index pages
    const defs = page.definitionLevels ?? [];
    const nulls = defs.length > 0 && maxDef > 0;
    let v = 0;
    if (hasDict && encoding.endsWith('_DICTIONARY')) {
      const idx = page.dataPage;
      for (let i = 0; i < count; i++) {
        if (nulls && defs[i] !== maxDef) sink.none(defs[i]);
        else sink.fromDictionary(idx[v++] as number);
      }
    } else if (sink.int64 && sink.int64Scale !== undefined && page.dataPage instanceof BigInt64Array) {
      // the low and high halves of each int64, without a bigint per value
      const raw = page.dataPage;
      const halves = new Int32Array(raw.buffer, raw.byteOffset, raw.length * 2);
      for (let i = 0; i < count; i++) {
        if (nulls && defs[i] !== maxDef) sink.none(defs[i]);
        else {
          const j = 2 * v++;
          sink.int64(halves[j + 1] * 4294967296 + (halves[j] >>> 0));
        }
      }
    } else {
      const values = hyparquet().convert(page.dataPage, decoder);
      for (let i = 0; i < count; i++) {
        if (nulls && defs[i] !== maxDef) sink.none(defs[i]);
        else sink.value(values[v++]);
      }
    }
    seen += count;
  }
  if (seen !== rows)
    throw new Error(`column ${meta.path_in_schema.join('.')}: ${seen} values in a row group of ${rows} rows`);
}

/** Reads the nested columns through hyparquet's assembly (structs, lists and maps become dynamic values). */
async function readNested(
  fd: number,
  size: number,
  meta: FileMetaData,
  names: string[],
  total: number,
): Promise<Map<string, unknown[]>> {
  const out = new Map(names.map((n) => [n, new Array<unknown>(total).fill(null)]));
  if (!names.length) return out;
  const file = {
    byteLength: size,
    slice: (start: number, end?: number) => arrayBufferOf(readAt(fd, start, (end ?? size) - start)),
  };
  await hyparquet().parquetRead({
    file,
    metadata: meta,
    columns: names,
    parsers: NESTED_PARSERS,
    onChunk: ({ columnName, columnData, rowStart }) => {
      const dst = out.get(columnName);
      if (!dst) return;
      for (let i = 0; i < columnData.length; i++) dst[rowStart + i] = plainValue(columnData[i]);
    },
  });
  return out;
}

/**
 * Loads a Parquet file as a lake table. Columns the schema declares take its types (values converted, cells
 * that cannot be counted in skippedCells); other columns take the type their Parquet type maps to.
 */
export async function loadParquet(
  file: string,
  table: string,
  schema: Record<string, KqlType> | undefined,
  signal?: AbortSignal,
  onThreads?: (threads: 1 | 2, why?: string) => void,
): Promise<ColumnarTable> {
  const fd = fs.openSync(file, 'r');
  try {
    return await readParquet(fd, file, table, schema, signal, onThreads);
  } catch (e) {
    if (e instanceof UserError || (e as Error).name === 'AbortError') throw e;
    throw new UserError(`${path.basename(file)}: not a readable Parquet file: ${(e as Error).message}`, 'BadLakeFile');
  } finally {
    fs.closeSync(fd);
  }
}

interface StructPlan {
  name: string;
  fields: { name: string; sink: FieldSink }[];
  out: ValueSink;
}

/** A struct whose fields are all plain values (no lists, maps or deeper structs): assembled here, row by row. */
function isPlainStruct(node: SchemaTree): boolean {
  const e = node.element;
  if (!node.children.length || e.repetition_type === 'REPEATED' || e.converted_type || e.logical_type) return false;
  return node.children.every((c) => !c.children.length && c.element.repetition_type !== 'REPEATED');
}

/** Decoded columns by name, with the cells that could not be converted. */
interface Decoded {
  built: Map<string, { type: KqlType; col: Col }>;
  skippedCells: number;
}

/**
 * Decodes the file's columns: with `only`, just those flat columns; with `skip`, all but those (read elsewhere).
 */
async function decodeColumns(
  fd: number,
  size: number,
  meta: FileMetaData,
  tree: SchemaTree,
  schema: Record<string, KqlType> | undefined,
  signal: AbortSignal | undefined,
  only?: Set<string>,
  skip?: Set<string>,
): Promise<Decoded> {
  const total = Number(meta.num_rows);
  const declaredType = (name: string) =>
    schema && Object.prototype.hasOwnProperty.call(schema, name) ? schema[name] : undefined;
  const leaves = new Map<string, LeafPlan>();
  const flat: { name: string; type: KqlType; sink: Sink & { finish(): Col } }[] = [];
  const structs: StructPlan[] = [];
  const nested: string[] = [];
  const opt = (t: SchemaTree) => (t.element.repetition_type === 'REQUIRED' ? 0 : 1);
  for (const node of tree.children) {
    const name = node.element.name;
    if (only ? !only.has(name) : skip?.has(name)) continue;
    if (isPlainStruct(node)) {
      const out = new ValueSink(total, declaredType(name) ?? 'dynamic');
      const fields = node.children.map((c) => {
        const sink = new FieldSink(opt(node));
        leaves.set([name, c.element.name].join('\0'), {
          node: c,
          schemaPath: [tree, node, c],
          maxDef: opt(node) + opt(c),
          sink,
        });
        return { name: c.element.name, sink };
      });
      structs.push({ name, fields, out });
    } else if (node.children.length || node.element.repetition_type === 'REPEATED') {
      nested.push(name);
    } else {
      const type = declaredType(name) ?? parquetColumnType(node);
      const sink = sinkFor(node, type, total) as Sink & { finish(): Col };
      leaves.set(name, { node, schemaPath: [tree, node], maxDef: opt(node), sink });
      flat.push({ name, type, sink });
    }
  }

  for (const rg of meta.row_groups) {
    throwIfAborted(signal);
    const rows = Number(rg.num_rows);
    for (const st of structs) for (const f of st.fields) f.sink.reset(rows);
    for (const chunk of rg.columns) {
      const m = chunk.meta_data;
      if (!m) throw new Error('a column chunk has no metadata');
      const leaf = leaves.get(m.path_in_schema.join('\0'));
      if (!leaf) continue;
      const start = Number(m.dictionary_page_offset || m.data_page_offset);
      const len = Number(m.total_compressed_size);
      if (start < 4 || start + len > size)
        throw new Error(`column ${m.path_in_schema.join('.')}: its data lies outside the file`);
      readChunk(readAt(fd, start, len), m, rows, leaf);
    }
    for (const st of structs) {
      const fs0 = st.fields[0].sink;
      // rows whose fields are the same dictionary entries share one value (values are never changed in place)
      let radix = 1;
      for (const f of st.fields) radix *= f.sink.dictSize + 2;
      const shared = radix < 2 ** 52 ? new Map<number, Record<string, unknown>>() : undefined;
      for (let i = 0; i < rows; i++) {
        if (fs0.structNull[i]) {
          st.out.none();
          continue;
        }
        let key = shared ? 0 : -1;
        if (shared) {
          let m = 1;
          for (const f of st.fields) {
            const c = f.sink.codes[i];
            if (c === -2) {
              key = -1;
              break;
            }
            key += (c + 1) * m;
            m *= f.sink.dictSize + 2;
          }
          const o = key >= 0 ? shared.get(key) : undefined;
          if (o) {
            st.out.plain(o);
            continue;
          }
        }
        const o: Record<string, unknown> = {};
        for (const f of st.fields) o[f.name] = f.sink.values[i];
        if (key >= 0) shared!.set(key, o);
        st.out.plain(o);
      }
    }
  }
  const nestedValues = await readNested(fd, size, meta, nested, total);

  let skippedCells = 0;
  const built = new Map<string, { type: KqlType; col: Col }>();
  for (const f of flat) {
    skippedCells += f.sink.cellsSkipped;
    built.set(f.name, { type: f.type, col: f.sink.finish() });
  }
  for (const st of structs) {
    skippedCells += st.out.cellsSkipped;
    built.set(st.name, { type: declaredType(st.name) ?? 'dynamic', col: st.out.finish() });
  }
  for (const [name, values] of nestedValues) {
    const out = new ValueSink(total, declaredType(name) ?? 'dynamic');
    for (const v of values) {
      if (v === null) out.none();
      else out.value(v);
    }
    skippedCells += out.cellsSkipped;
    built.set(name, { type: declaredType(name) ?? 'dynamic', col: out.finish() });
  }
  for (const [name, f] of built)
    if (colLength(f.col) !== total) throw new Error(`column ${name}: ${colLength(f.col)} values for ${total} rows`);
  return { built, skippedCells };
}

/** Flat columns that cost about the same per row (dictionary indices, numbers): what the second thread reads. */
function workerColumns(meta: FileMetaData, tree: SchemaTree): Set<string> | undefined {
  const cost = new Map<string, number>();
  const cheap = new Set<string>();
  for (const node of tree.children) cost.set(node.element.name, 0);
  for (const rg of meta.row_groups)
    for (const chunk of rg.columns) {
      const m = chunk.meta_data;
      if (!m) return undefined;
      const top = m.path_in_schema[0];
      const dict = m.dictionary_page_offset !== undefined;
      const numeric = m.type !== 'BYTE_ARRAY' && m.type !== 'FIXED_LEN_BYTE_ARRAY' && m.type !== 'INT96';
      // a string made per row costs several times a dictionary index or a number
      cost.set(top, (cost.get(top) ?? 0) + Number(m.num_values) * (dict || numeric ? 1 : 6));
    }
  for (const node of tree.children) {
    if (node.children.length || node.element.repetition_type === 'REPEATED') continue;
    const name = node.element.name;
    const chunks = meta.row_groups.map((rg) => rg.columns.find((c) => c.meta_data?.path_in_schema.join('.') === name));
    const cheapChunk = (c: (typeof chunks)[number]) =>
      !!c?.meta_data &&
      (c.meta_data.dictionary_page_offset !== undefined ||
        (c.meta_data.type !== 'BYTE_ARRAY' && c.meta_data.type !== 'FIXED_LEN_BYTE_ARRAY'));
    if (chunks.every(cheapChunk)) cheap.add(name);
  }
  let all = 0;
  for (const c of cost.values()) all += c;
  const picked = new Set<string>();
  let sum = 0;
  for (const name of cheap) {
    if (sum * 2 >= all) break;
    picked.add(name);
    sum += cost.get(name) ?? 0;
  }
  return picked.size > 0 && picked.size < tree.children.length ? picked : undefined;
}

/** A worker's columns as posted back: typed arrays transferred, strings and values cloned. */
export interface ParquetPart {
  built: [string, { type: KqlType; col: Col }][];
  skippedCells: number;
}

/** The lake worker's part of a Parquet load: the named flat columns. */
export async function readParquetPart(
  file: string,
  schema: Record<string, KqlType> | undefined,
  columns: string[],
): Promise<ParquetPart> {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const meta = readFooter(fd, size);
    const d = await decodeColumns(fd, size, meta, hyparquet().parquetSchema(meta), schema, undefined, new Set(columns));
    return { built: [...d.built], skippedCells: d.skippedCells };
  } finally {
    fs.closeSync(fd);
  }
}

async function readParquet(
  fd: number,
  file: string,
  table: string,
  schema: Record<string, KqlType> | undefined,
  signal?: AbortSignal,
  onThreads?: (threads: 1 | 2, why?: string) => void,
): Promise<ColumnarTable> {
  const size = fs.fstatSync(fd).size;
  const meta = readFooter(fd, size);
  const tree = hyparquet().parquetSchema(meta);
  const total = Number(meta.num_rows);
  if (meta.row_groups.reduce((sum, g) => sum + Number(g.num_rows), 0) !== total)
    throw new Error('its row groups do not add up to its row count');
  // a large file: about half the columns on a second thread
  const script = parallelLoad.enabled && total >= parallelLoad.minParquetRows ? workerScript() : null;
  const split = script ? workerColumns(meta, tree) : undefined;
  const worker =
    script && split
      ? startWorker<ParquetPart>(
          script,
          { file, start: 0, name: table, schema, format: 'parquet', columns: [...split] },
          signal,
        )
      : undefined;
  let built: Map<string, { type: KqlType; col: Col }>;
  let skippedCells: number;
  try {
    const mine = await decodeColumns(fd, size, meta, tree, schema, signal, undefined, split);
    built = mine.built;
    skippedCells = mine.skippedCells;
    if (split) {
      // the worker's columns; if it could not read them, this thread reads them
      let why: string | undefined;
      let theirs = worker
        ? await worker.remote.catch((e: unknown) => {
            why = e instanceof Error ? e.message : String(e);
            return undefined;
          })
        : undefined;
      onThreads?.(theirs ? 2 : 1, why);
      if (!theirs) {
        const d = await decodeColumns(fd, size, meta, tree, schema, signal, split);
        theirs = { built: [...d.built], skippedCells: d.skippedCells };
      }
      skippedCells += theirs.skippedCells;
      for (const [name, f] of theirs.built) {
        if (colLength(f.col) !== total) throw new Error(`column ${name}: ${colLength(f.col)} values for ${total} rows`);
        built.set(name, f);
      }
    }
  } finally {
    worker?.stop();
  }

  const fields: ColumnarTable['fields'] = [];
  const placed = new Set<string>();
  // schema columns the file lacks share one all-null column per storage (columns are never changed in place)
  const nulls = new Map<string, Col>();
  const nullColumn = (type: KqlType): Col => {
    const st = storageOf(type);
    let c = nulls.get(st);
    if (!c) nulls.set(st, (c = nullCol(st, total)));
    return c;
  };
  for (const [name, type] of Object.entries(schema ?? {})) {
    const f = built.get(name);
    fields.push({ name, type: f?.type ?? type, col: f?.col ?? nullColumn(type) });
    placed.add(name);
  }
  for (const node of tree.children) {
    const name = node.element.name;
    if (placed.has(name)) continue;
    placed.add(name);
    const f = built.get(name)!;
    fields.push({ name, type: f.type, col: f.col });
  }
  return { name: table, length: total, fields, skippedRows: 0, skippedCells };
}
