// Columnar storage shared by the lake loader and the KQL engine.
// - string / guid: dictionary-encoded (codes into a dictionary; strings are never null, "" is a value)
// - int / long / real / decimal / datetime / timespan: Float64Array, NaN = null
//   (datetime = epoch microseconds, timespan = microseconds); a real NaN value (not null) is a NaN whose row
//   is flagged in the optional `nan` array — absent, as in nearly every column, when no row holds one
// - bool: Uint8Array, 0 = false, 1 = true, 2 = null
// - dynamic: plain JS values (null = null)
import type { KqlType } from '../types';
import { asciiText, ByteTable, hashAscii } from './byteTable';

/** `repeats`: the dictionary may hold a string more than once (high-cardinality columns skip de-duplication);
 *  code equality then does not imply value equality — use {@link dedupStr} before grouping by codes. */
export interface StrCol {
  k: 's';
  codes: Int32Array;
  dict: string[];
  repeats?: boolean;
}
/** `nan[i] === 1`: the NaN at row i is the real value NaN, not null. */
export interface NumCol {
  k: 'n';
  data: Float64Array;
  nan?: Uint8Array;
}
export interface BoolCol {
  k: 'b';
  data: Uint8Array;
}
export interface AnyCol {
  k: 'a';
  data: unknown[];
}
export type Col = StrCol | NumCol | BoolCol | AnyCol;

export const BOOL_NULL = 2;

export interface ColumnarTable {
  name: string;
  length: number;
  fields: { name: string; type: KqlType; col: Col }[];
  skippedRows: number;
  skippedCells: number;
  /** File byte offsets where the first skipped rows start (JSONL lines, CSV records), in file order. */
  skippedAt?: number[];
}

export type Storage = 's' | 'n' | 'b' | 'a';

export function storageOf(t: KqlType): Storage {
  switch (t) {
    case 'string':
    case 'guid':
      return 's';
    case 'bool':
      return 'b';
    case 'dynamic':
      return 'a';
    default:
      return 'n';
  }
}

export function colLength(c: Col): number {
  return c.k === 's' ? c.codes.length : c.data.length;
}

/** Value at row i in the engine's row form (see functions/registry.ts). */
export function colGet(c: Col, i: number): unknown {
  switch (c.k) {
    case 's':
      return c.dict[c.codes[i]];
    case 'n': {
      const v = c.data[i];
      return v !== v ? (c.nan !== undefined && c.nan[i] === 1 ? NaN : null) : v;
    }
    case 'b': {
      const v = c.data[i];
      return v === BOOL_NULL ? null : v === 1;
    }
    default:
      return c.data[i] === undefined ? null : c.data[i];
  }
}

/** Gathers rows `idx` of a column. */
export function gather(c: Col, idx: Int32Array | number[]): Col {
  const n = idx.length;
  switch (c.k) {
    case 's': {
      const out = new Int32Array(n);
      const src = c.codes;
      for (let i = 0; i < n; i++) out[i] = src[idx[i]];
      return { k: 's', codes: out, dict: c.dict, repeats: c.repeats };
    }
    case 'n': {
      const out = new Float64Array(n);
      const src = c.data;
      for (let i = 0; i < n; i++) {
        const j = idx[i];
        out[i] = j < 0 ? NaN : src[j];
      }
      if (c.nan === undefined) return { k: 'n', data: out };
      const nan = new Uint8Array(n),
        sn = c.nan;
      for (let i = 0; i < n; i++) {
        const j = idx[i];
        nan[i] = j < 0 ? 0 : sn[j];
      }
      return { k: 'n', data: out, nan };
    }
    case 'b': {
      const out = new Uint8Array(n);
      const src = c.data;
      for (let i = 0; i < n; i++) {
        const j = idx[i];
        out[i] = j < 0 ? BOOL_NULL : src[j];
      }
      return { k: 'b', data: out };
    }
    default: {
      const out = new Array(n);
      const src = c.data;
      for (let i = 0; i < n; i++) {
        const j = idx[i];
        out[i] = j < 0 ? null : src[j];
      }
      return { k: 'a', data: out };
    }
  }
}

/** Like gather, but a negative index yields null ("" for strings): used by outer joins. */
export function gatherNullable(c: Col, idx: Int32Array): Col {
  if (c.k !== 's') return gather(c, idx);
  let empty = c.dict.indexOf('');
  const dict = empty < 0 ? [...c.dict, ''] : c.dict;
  if (empty < 0) empty = dict.length - 1;
  const out = new Int32Array(idx.length);
  const src = c.codes;
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i];
    out[i] = j < 0 ? empty : src[j];
  }
  return { k: 's', codes: out, dict, repeats: c.repeats };
}

/** Builds a column of a given storage from row values. */
export class ColBuilder {
  private n = 0;
  private codes: Int32Array | null = null;
  private dictMap: Map<string, number> | null = null;
  private dict: string[] | null = null;
  private nums: Float64Array | null = null;
  private nan: Uint8Array | null = null;
  private bools: Uint8Array | null = null;
  private anys: unknown[] | null = null;
  // ASCII dictionary entries by their bytes (see pushAsciiBytes); made on first use
  private byBytes: ByteTable | null = null;
  // `lazy`: nothing but nulls pushed so far and no storage allocated (a schema column absent from a file)
  private lazy: boolean;
  private readonly capacity: number;

  /** `lazy`: allocate nothing until the first non-null value (a column that stays null costs no memory). */
  constructor(
    readonly storage: Storage,
    capacity = 1024,
    lazy = false,
  ) {
    capacity = Math.max(16, capacity);
    this.capacity = capacity;
    this.lazy = lazy;
    const size = lazy ? 0 : capacity;
    if (storage === 's') {
      this.codes = new Int32Array(size);
      this.dictMap = new Map();
      this.dict = [];
    } else if (storage === 'n') this.nums = new Float64Array(size);
    else if (storage === 'b') this.bools = new Uint8Array(size);
    else this.anys = [];
  }

  get length(): number {
    return this.n;
  }

  /** True while only nulls were pushed into a lazy builder. */
  get allNull(): boolean {
    return this.lazy;
  }

  private grow(): void {
    if (this.lazy) {
      this.materialize();
      return;
    }
    if (this.codes && this.n >= this.codes.length) {
      const a = new Int32Array(this.codes.length * 2);
      a.set(this.codes);
      this.codes = a;
    } else if (this.nums && this.n >= this.nums.length) {
      const a = new Float64Array(this.nums.length * 2);
      a.set(this.nums);
      this.nums = a;
    } else if (this.bools && this.n >= this.bools.length) {
      const a = new Uint8Array(this.bools.length * 2);
      a.set(this.bools);
      this.bools = a;
    }
  }

  /** Allocates a lazy builder's storage holding the nulls pushed so far, as an eager builder would hold them. */
  private materialize(): void {
    this.lazy = false;
    const n = this.n;
    const size = Math.max(this.capacity, n * 2);
    if (this.storage === 's') {
      this.codes = new Int32Array(size);
      if (n > 0) this.addEntry('');
      if (n > 0) {
        this.emptyCode = 0;
        this.lastStr = '';
        this.lastCode = 0;
      }
    } else if (this.storage === 'n') this.nums = new Float64Array(size).fill(NaN, 0, n);
    else if (this.storage === 'b') this.bools = new Uint8Array(size).fill(BOOL_NULL, 0, n);
    else this.anys = new Array<unknown>(n).fill(null);
  }

  private repeats = false;

  // The last value pushed and its code: runs of one value skip hashing.
  private lastStr: string | null = null;
  private lastCode = 0;

  /** Adds a new dictionary entry (known not to be in it); returns its code. */
  private addEntry(s: string): number {
    const dict = this.dict!;
    const c = dict.length;
    dict.push(s);
    // with a byte table, ASCII entries are found there and only the others in the map
    const h = this.byBytes ? hashAscii(s) : undefined;
    if (h !== undefined) this.byBytes!.set(s, h, c);
    else this.dictMap!.set(s, c);
    // Nearly every value distinct (ids, correlation ids): hashing buys nothing, stop de-duplicating.
    if (c === 65536 && this.n < 100000) {
      this.repeats = true;
      this.dictMap = new Map();
      this.byBytes = null;
      this.lastStr = null;
    }
    return c;
  }

  pushString(s: string): void {
    if (this.n >= this.codes!.length) this.grow();
    if (this.repeats) {
      this.codes![this.n++] = this.dict!.length;
      this.dict!.push(s);
      return;
    }
    if (s === this.lastStr) {
      this.codes![this.n++] = this.lastCode;
      return;
    }
    const dict = this.dict!;
    let c: number | undefined;
    if (dict.length <= 8) {
      // A handful of values (status codes, app names): comparing them costs less than hashing a fresh string.
      c = -1;
      for (let j = 0; j < dict.length; j++)
        if (dict[j] === s) {
          c = j;
          break;
        }
      if (c < 0) c = this.addEntry(s);
    } else {
      c = this.dictMap!.get(s);
      if (c === undefined && this.byBytes) {
        const h = hashAscii(s);
        if (h !== undefined) {
          const x = this.byBytes.getText(s, h);
          if (x >= 0) c = x;
        }
      }
      if (c === undefined) c = this.addEntry(s);
    }
    if (!this.repeats) {
      this.lastStr = s;
      this.lastCode = c;
    }
    this.codes![this.n++] = c;
  }

  /**
   * Pushes the string whose UTF-8 bytes are b[start, end), all ASCII, with `h` = hashBytes(b, start, end):
   * a value already in the dictionary is found from the bytes, without making a string.
   */
  pushAsciiBytes(b: Buffer, start: number, end: number, h: number): void {
    if (this.n >= this.codes!.length) this.grow();
    if (this.repeats) {
      this.codes![this.n++] = this.dict!.length;
      this.dict!.push(asciiText(b, start, end));
      return;
    }
    let t = this.byBytes;
    if (!t) {
      // the ASCII entries move from the map to a byte table
      t = this.byBytes = new ByteTable();
      const dict = this.dict!;
      const map = new Map<string, number>();
      for (let c = 0; c < dict.length; c++) {
        const dh = hashAscii(dict[c]);
        if (dh !== undefined) t.set(dict[c], dh, c);
        else map.set(dict[c], c);
      }
      this.dictMap = map;
    }
    let c = t.get(b, start, end, h);
    if (c < 0) c = this.addEntry(asciiText(b, start, end));
    this.lastStr = null;
    this.codes![this.n++] = c;
  }

  pushNumber(v: number | null): void {
    if (this.n >= this.nums!.length) this.grow();
    if (v !== v) {
      // a real NaN (null is pushed as null): flag the row
      if (!this.nan) this.nan = new Uint8Array(this.nums!.length);
      else if (this.nan.length < this.nums!.length) {
        const a = new Uint8Array(this.nums!.length);
        a.set(this.nan);
        this.nan = a;
      }
      this.nan[this.n] = 1;
    }
    this.nums![this.n++] = v === null ? NaN : v;
  }

  pushBool(v: boolean | null): void {
    if (this.n >= this.bools!.length) this.grow();
    this.bools![this.n++] = v === null ? BOOL_NULL : v ? 1 : 0;
  }

  pushAny(v: unknown): void {
    if (this.lazy) this.materialize();
    this.anys!.push(v === undefined ? null : v);
    this.n++;
  }

  private emptyCode = -1;

  /** Pushes null ("" for strings). */
  /** Pushes `k` nulls. */
  pushNulls(k: number): void {
    if (this.lazy) {
      this.n += k;
      return;
    }
    for (let i = 0; i < k; i++) this.pushNull();
  }

  pushNull(): void {
    if (this.lazy) {
      this.n++;
      return;
    }
    if (this.storage === 's' && !this.repeats) {
      if (this.emptyCode < 0) {
        this.pushString('');
        this.emptyCode = this.codes![this.n - 1];
        return;
      }
      if (this.n >= this.codes!.length) this.grow();
      this.codes![this.n++] = this.emptyCode;
      return;
    }
    this.push(null);
  }

  /** Pushes an engine row value, coercing it to the builder's storage. */
  push(v: unknown): void {
    switch (this.storage) {
      case 's':
        this.pushString(
          v === null || v === undefined
            ? ''
            : typeof v === 'string'
              ? v
              : typeof v === 'object'
                ? JSON.stringify(v)
                : String(v),
        );
        break;
      case 'n':
        this.pushNumber(typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : null);
        break;
      case 'b':
        this.pushBool(typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : null);
        break;
      default:
        this.pushAny(v);
    }
  }

  finish(): Col {
    if (this.lazy) return nullCol(this.storage, this.n);
    switch (this.storage) {
      case 's':
        return { k: 's', codes: this.codes!.slice(0, this.n), dict: this.dict!, repeats: this.repeats || undefined };
      case 'n': {
        const data = this.nums!.slice(0, this.n);
        if (!this.nan) return { k: 'n', data };
        const nan = new Uint8Array(this.n);
        nan.set(this.nan.subarray(0, Math.min(this.n, this.nan.length)));
        return { k: 'n', data, nan };
      }
      case 'b':
        return { k: 'b', data: this.bools!.slice(0, this.n) };
      default:
        return { k: 'a', data: this.anys! };
    }
  }
}

/** A column of n nulls ("" for strings), as a builder given n nulls finishes it. */
export function nullCol(storage: Storage, n: number): Col {
  switch (storage) {
    case 's':
      return { k: 's', codes: new Int32Array(n), dict: n > 0 ? [''] : [] };
    case 'n':
      return { k: 'n', data: new Float64Array(n).fill(NaN) };
    case 'b':
      return { k: 'b', data: new Uint8Array(n).fill(BOOL_NULL) };
    default:
      return { k: 'a', data: new Array<unknown>(n).fill(null) };
  }
}

/** A column of n copies of one value. */
export function constCol(storage: Storage, v: unknown, n: number): Col {
  switch (storage) {
    case 's': {
      const s =
        v === null || v === undefined
          ? ''
          : typeof v === 'string'
            ? v
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v);
      return { k: 's', codes: new Int32Array(n), dict: [s] };
    }
    case 'n': {
      const data = new Float64Array(n).fill(typeof v === 'number' ? v : NaN);
      return typeof v === 'number' && v !== v ? { k: 'n', data, nan: new Uint8Array(n).fill(1) } : { k: 'n', data };
    }
    case 'b':
      return { k: 'b', data: new Uint8Array(n).fill(typeof v === 'boolean' ? (v ? 1 : 0) : BOOL_NULL) };
    default:
      return { k: 'a', data: new Array(n).fill(v === undefined ? null : v) };
  }
}

export function colFromValues(storage: Storage, values: unknown[]): Col {
  const b = new ColBuilder(storage, values.length);
  for (const v of values) b.push(v);
  return b.finish();
}

/**
 * Writes a string column's codes into `codes` from offset `o`, translated into the shared dictionary
 * `dict` / `map` (new values are added). Returns the next offset.
 */
function appendRemapped(sc: StrCol, dict: string[], map: Map<string, number>, codes: Int32Array, o: number): number {
  const remap = new Int32Array(sc.dict.length);
  for (let d = 0; d < sc.dict.length; d++) {
    let x = map.get(sc.dict[d]);
    if (x === undefined) {
      x = dict.length;
      dict.push(sc.dict[d]);
      map.set(sc.dict[d], x);
    }
    remap[d] = x;
  }
  for (let i = 0; i < sc.codes.length; i++) codes[o++] = remap[sc.codes[i]];
  return o;
}

/** Concatenates columns of the same storage. */
export function concatCols(storage: Storage, cols: Col[]): Col {
  const total = cols.reduce((s, c) => s + colLength(c), 0);
  if (storage === 's') {
    const map = new Map<string, number>();
    const dict: string[] = [];
    const codes = new Int32Array(total);
    let o = 0;
    for (const c of cols) {
      o = appendRemapped(c as StrCol, dict, map, codes, o);
    }
    return { k: 's', codes, dict };
  }
  if (storage === 'n') {
    const data = new Float64Array(total);
    const nan = cols.some((c) => (c as NumCol).nan) ? new Uint8Array(total) : undefined;
    let o = 0;
    for (const c of cols) {
      const nc = c as NumCol;
      data.set(nc.data, o);
      if (nan && nc.nan) nan.set(nc.nan, o);
      o += nc.data.length;
    }
    return nan ? { k: 'n', data, nan } : { k: 'n', data };
  }
  if (storage === 'b') {
    const data = new Uint8Array(total);
    let o = 0;
    for (const c of cols) {
      data.set((c as BoolCol).data, o);
      o += (c as BoolCol).data.length;
    }
    return { k: 'b', data };
  }
  const data: unknown[] = [];
  for (const c of cols) for (const v of (c as AnyCol).data) data.push(v);
  return { k: 'a', data };
}

/**
 * Concatenates columns of the same storage like {@link concatCols}, keeping the first column's dictionary as it is
 * (codes of the first column are copied, not remapped); a string column whose dictionary may repeat values is
 * appended without de-duplicating it (the result then repeats too).
 */
export function appendCols(storage: Storage, cols: Col[]): Col {
  if (cols.length === 1) return cols[0];
  if (storage === 'a') {
    let data: unknown[] = [];
    for (const c of cols) data = data.concat((c as AnyCol).data);
    return { k: 'a', data };
  }
  if (storage !== 's') return concatCols(storage, cols);
  const strs = cols as StrCol[];
  const repeats = strs.some((c) => c.repeats);
  const codes = new Int32Array(strs.reduce((s, c) => s + c.codes.length, 0));
  codes.set(strs[0].codes);
  let dict = strs[0].dict.slice();
  let o = strs[0].codes.length;
  let map: Map<string, number> | null = null;
  for (const sc of strs.slice(1)) {
    if (repeats) {
      const base = dict.length;
      dict = dict.concat(sc.dict);
      for (let i = 0; i < sc.codes.length; i++) codes[o++] = sc.codes[i] + base;
      continue;
    }
    if (!map) {
      map = new Map();
      for (let d = 0; d < dict.length; d++) map.set(dict[d], d);
    }
    o = appendRemapped(sc, dict, map, codes, o);
  }
  return repeats ? { k: 's', codes, dict, repeats: true } : { k: 's', codes, dict };
}

/** A string column whose dictionary holds each value once. */
export function dedupStr(c: StrCol): StrCol {
  if (!c.repeats) return c;
  const map = new Map<string, number>();
  const dict: string[] = [];
  const remap = new Int32Array(c.dict.length);
  for (let d = 0; d < c.dict.length; d++) {
    let x = map.get(c.dict[d]);
    if (x === undefined) {
      x = dict.length;
      dict.push(c.dict[d]);
      map.set(c.dict[d], x);
    }
    remap[d] = x;
  }
  const codes = new Int32Array(c.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = remap[c.codes[i]];
  return { k: 's', codes, dict };
}
