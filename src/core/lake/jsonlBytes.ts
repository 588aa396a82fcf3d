// JSONL rows read from the file's bytes: while lines keep the key order of the rows before them (as exported
// files do), each value goes from the buffer into its column — a string already in the column's dictionary
// costs a hash and a compare, not a fresh string. Any line this reader is not sure about (another key order,
// escapes in keys, a malformed token…) is handed back as text to the JSON.parse path, so every table equals
// the one JSON.parse per line builds.
import { asciiText, ByteTable, FNV_PRIME as PRIME, FNV_START as START } from '../columnar/byteTable';
import type { ColBuilder } from '../columnar/columns';
import { parseIsoAscii } from '../columnar/values';
import type { KqlType } from '../types';
import { isDropped, type ShapeTarget, type TableAccumulator } from './accumulator';

// module-local copies: an imported binding is a property read on every use in the loops below
const FNV_PRIME = PRIME,
  FNV_START = START;
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COLON = 0x3a,
  COMMA = 0x2c,
  OPEN = 0x7b,
  CLOSE = 0x7d;

// what the first pass found for a field
const PLAIN = 1; // ASCII string without escapes: bytes [start, end), hash
const INT = 2; // integer of at most 15 digits: nums
const VALUE = 3; // any other value, as JSON.parse gives it: vals

/** Dynamic values by their JSON text (rows with the same text share one value: values are never changed in place). */
class DynamicCache {
  private table = new ByteTable();
  private values: unknown[] = [];
  private lookups = 0;
  private hits = 0;
  enabled = true;

  get(b: Uint8Array, start: number, end: number, h: number): unknown {
    this.lookups++;
    const i = this.table.get(b, start, end, h);
    if (i >= 0) {
      this.hits++;
      return this.values[i];
    }
    return undefined;
  }

  add(text: string, h: number, v: unknown): void {
    this.table.set(text, h, this.values.length);
    this.values.push(v);
    // mostly distinct values (ids inside the objects): stop remembering them
    if (this.values.length >= 4096 && this.hits * 2 < this.lookups) this.enabled = false;
  }
}

const MAX_CACHED_DYNAMIC_BYTES = 512;

function decodeUtf8(b: Buffer, start: number, end: number): string {
  return b.toString('utf8', start, end);
}

export class JsonlByteRows {
  private shapeKeys: string[] | null = null;
  private keyBytes: Uint8Array[] = [];
  // each key's bytes as big-endian 32-bit words (the whole words of it), compared with a view of the buffer
  private keyWords: Int32Array[] = [];
  private lastBuf: Buffer | null = null;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private targets: ShapeTarget[] = [];
  private strTarget: Uint8Array = new Uint8Array(0);
  // 1 = a column a pruned load drops: checked like the others, not pushed
  private drop: Uint8Array = new Uint8Array(0);
  private kinds = new Uint8Array(0);
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private hashes = new Int32Array(0);
  private nums = new Float64Array(0);
  private vals: unknown[] = [];
  private dynamic = new Map<ColBuilder, DynamicCache>();
  private dynFor: (DynamicCache | null)[] = [];

  /** `slow`: reads one line as text (JSON.parse), for the lines this reader hands back. */
  constructor(
    private readonly acc: TableAccumulator,
    private readonly slow: (line: string) => void,
  ) {}

  /** Reads the line in bytes [start, end) (no line break, no trailing CR). */
  line(b: Buffer, start: number, end: number): void {
    if (start < end && b[start] === OPEN && this.ready() && this.scan(b, start, end)) {
      this.commit(b);
      return;
    }
    this.slow(decodeUtf8(b, start, end));
  }

  /** Takes on the accumulator's current row shape; false when there is none this reader can use. */
  private ready(): boolean {
    const shape = this.acc.shape();
    if (!shape) {
      this.shapeKeys = null;
      return false;
    }
    if (shape.keys === this.shapeKeys) return this.keyBytes.length > 0;
    this.shapeKeys = shape.keys;
    this.targets = shape.targets;
    const n = shape.keys.length;
    // keys that JSON writes with escapes are left to the text path
    this.keyBytes = shape.keys.every((k) => /^[\x20-\x7e]*$/.test(k) && !/["\\]/.test(k))
      ? shape.keys.map((k) => Uint8Array.from(k, (c) => c.charCodeAt(0)))
      : [];
    this.keyWords = this.keyBytes.map((k) => {
      const v = new DataView(k.buffer, k.byteOffset, k.byteLength);
      return Int32Array.from({ length: k.length >> 2 }, (_, w) => v.getInt32(w * 4));
    });
    this.drop = Uint8Array.from(shape.targets, (t) => (isDropped(t) ? 1 : 0));
    this.strTarget = Uint8Array.from(shape.targets, (t, i) =>
      (t.type === 'string' || t.type === 'guid') && this.drop[i] === 0 ? 1 : 0,
    );
    this.kinds = new Uint8Array(n);
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.hashes = new Int32Array(n);
    this.nums = new Float64Array(n);
    this.vals = new Array(n);
    this.dynFor = shape.targets.map((t) => {
      if (t.type !== 'dynamic') return null;
      let c = this.dynamic.get(t.b);
      if (!c) {
        c = new DynamicCache();
        this.dynamic.set(t.b, c);
      }
      return c;
    });
    return this.keyBytes.length > 0;
  }

  /** First pass: checks the whole line and notes each value; false = hand the line to the text path. */
  private scan(b: Buffer, start: number, end: number): boolean {
    const keys = this.keyBytes;
    const n = keys.length;
    if (b !== this.lastBuf) {
      this.lastBuf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const view = this.view;
    let p = skipWs(b, start + 1, end);
    for (let i = 0; i < n; i++) {
      // "key":
      const key = keys[i];
      const kl = key.length;
      if (p + kl + 2 > end || b[p] !== QUOTE || b[p + kl + 1] !== QUOTE) return false;
      const words = this.keyWords[i];
      for (let w = 0; w < words.length; w++) if (view.getInt32(p + 1 + w * 4) !== words[w]) return false;
      for (let j = words.length * 4; j < kl; j++) if (b[p + 1 + j] !== key[j]) return false;
      p = skipWs(b, p + kl + 2, end);
      if (p >= end || b[p] !== COLON) return false;
      p = skipWs(b, p + 1, end);
      if (p >= end) return false;
      const c = b[p];
      if (c === QUOTE) {
        let q = p + 1;
        let h = FNV_START;
        let plain = true;
        if (this.strTarget[i] === 1) {
          for (;;) {
            if (q >= end) return false;
            const x = b[q];
            if (x === QUOTE) break;
            if (x === BACKSLASH) {
              plain = false;
              q += 2;
              continue;
            }
            if (x < 0x20) return false; // JSON.parse refuses raw control characters
            if (x >= 0x80) plain = false;
            h = Math.imul(h ^ x, FNV_PRIME);
            q++;
          }
        } else {
          for (;;) {
            if (q >= end) return false;
            const x = b[q];
            if (x === QUOTE) break;
            if (x === BACKSLASH) {
              plain = false;
              q += 2;
              continue;
            }
            if (x < 0x20) return false;
            if (x >= 0x80) plain = false;
            q++;
          }
        }
        if (plain) {
          this.kinds[i] = PLAIN;
          this.starts[i] = p + 1;
          this.ends[i] = q;
          this.hashes[i] = h;
        } else {
          let v: unknown;
          try {
            v = JSON.parse(decodeUtf8(b, p, q + 1));
          } catch {
            return false;
          }
          this.kinds[i] = VALUE;
          this.vals[i] = v;
        }
        p = q + 1;
      } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        const q = numberEnd(b, p, end);
        if (q < 0) return false;
        const digits = q - p - (c === 0x2d ? 1 : 0);
        let simple = digits <= 15;
        let v = 0;
        for (let k = c === 0x2d ? p + 1 : p; simple && k < q; k++) {
          const d = b[k] - 0x30;
          if (d < 0 || d > 9) simple = false;
          else v = v * 10 + d;
        }
        if (simple) {
          this.kinds[i] = INT;
          this.nums[i] = c === 0x2d ? -v : v;
        } else {
          this.kinds[i] = VALUE;
          this.vals[i] = Number(asciiText(b, p, q));
        }
        p = q;
      } else if (c === OPEN || c === 0x5b) {
        const q = nestedEnd(b, p, end);
        if (q < 0) return false;
        const cache = this.dynFor[i];
        let v: unknown;
        let h = 0;
        let ascii = false;
        if (cache && cache.enabled && q - p <= MAX_CACHED_DYNAMIC_BYTES) {
          h = FNV_START;
          ascii = true;
          for (let k = p; k < q; k++) {
            const x = b[k];
            if (x >= 0x80) {
              ascii = false;
              break;
            }
            h = Math.imul(h ^ x, FNV_PRIME);
          }
          if (ascii) v = cache.get(b, p, q, h);
        }
        if (v === undefined) {
          const text = decodeUtf8(b, p, q);
          try {
            v = JSON.parse(text);
          } catch {
            return false;
          }
          if (ascii) cache!.add(text, h, v);
        }
        this.kinds[i] = VALUE;
        this.vals[i] = v;
        p = q;
      } else {
        let v: unknown;
        if (c === 0x74 && p + 4 <= end && b[p + 1] === 0x72 && b[p + 2] === 0x75 && b[p + 3] === 0x65) {
          v = true;
          p += 4;
        } else if (
          c === 0x66 &&
          p + 5 <= end &&
          b[p + 1] === 0x61 &&
          b[p + 2] === 0x6c &&
          b[p + 3] === 0x73 &&
          b[p + 4] === 0x65
        ) {
          v = false;
          p += 5;
        } else if (c === 0x6e && p + 4 <= end && b[p + 1] === 0x75 && b[p + 2] === 0x6c && b[p + 3] === 0x6c) {
          v = null;
          p += 4;
        } else return false;
        this.kinds[i] = VALUE;
        this.vals[i] = v;
      }
      p = skipWs(b, p, end);
      if (p >= end) return false;
      if (i < n - 1) {
        if (b[p] !== COMMA) return false;
        p = skipWs(b, p + 1, end);
      } else if (b[p] !== CLOSE) return false;
    }
    if (n === 0) {
      if (p >= end || b[p] !== CLOSE) return false;
    }
    return skipWs(b, p + 1, end) === end;
  }

  /** Second pass: pushes the values noted by scan into their columns. */
  private commit(b: Buffer): void {
    const acc = this.acc;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) {
      if (this.drop[i] === 1) {
        this.vals[i] = undefined;
        continue;
      }
      const t = targets[i];
      const kind = this.kinds[i];
      if (kind === PLAIN) {
        if (this.strTarget[i] === 1) {
          if (this.starts[i] === this.ends[i]) t.b.pushNull();
          else t.b.pushAsciiBytes(b, this.starts[i], this.ends[i], this.hashes[i]);
        } else {
          // a datetime in the common ISO form is read from the bytes; anything else as text
          const us = t.type === 'datetime' ? parseIsoAscii(b, this.starts[i], this.ends[i]) : undefined;
          if (us !== undefined) t.b.pushNumber(us);
          else acc.pushRaw(t, asciiText(b, this.starts[i], this.ends[i]));
        }
      } else if (kind === INT) {
        if (isNumeric(t.type)) t.b.pushNumber(this.nums[i]);
        else acc.pushRaw(t, this.nums[i]);
      } else {
        const v = this.vals[i];
        this.vals[i] = undefined;
        acc.pushRaw(t, v);
      }
    }
    acc.endShapedRow();
  }
}

function isNumeric(t: KqlType): boolean {
  return t === 'long' || t === 'int' || t === 'real' || t === 'decimal';
}

function skipWs(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = b[p];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
    p++;
  }
  return p;
}

/** End of a JSON number starting at p (the grammar JSON.parse accepts), or -1. */
function numberEnd(b: Uint8Array, p: number, end: number): number {
  const digit = (k: number) => k < end && b[k] >= 0x30 && b[k] <= 0x39;
  if (b[p] === 0x2d) p++;
  if (!digit(p)) return -1;
  if (b[p] === 0x30) p++;
  else while (digit(p)) p++;
  if (p < end && b[p] === 0x2e) {
    p++;
    if (!digit(p)) return -1;
    while (digit(p)) p++;
  }
  if (p < end && (b[p] === 0x65 || b[p] === 0x45)) {
    p++;
    if (p < end && (b[p] === 0x2b || b[p] === 0x2d)) p++;
    if (!digit(p)) return -1;
    while (digit(p)) p++;
  }
  return p;
}

/** End (exclusive) of the object or array starting at p, by bracket depth outside strings, or -1. */
function nestedEnd(b: Uint8Array, p: number, end: number): number {
  let depth = 0;
  for (let k = p; k < end; k++) {
    const c = b[k];
    if (c === QUOTE) {
      k++;
      while (k < end && b[k] !== QUOTE) k += b[k] === BACKSLASH ? 2 : 1;
      if (k >= end) return -1;
    } else if (c === OPEN || c === 0x5b) depth++;
    else if (c === CLOSE || c === 0x5d) {
      if (--depth === 0) return k + 1;
    }
  }
  return -1;
}
