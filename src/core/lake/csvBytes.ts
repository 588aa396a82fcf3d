// CSV records read from the file's bytes (RFC 4180 as the Log Analytics portal exports it: a header row, quoted
// fields with doubled quotes, newlines inside quotes, CRLF or LF). Fields are byte ranges; a string column's
// value already in its dictionary costs a hash and a compare, not a fresh string. Records are cut exactly where
// the string reader cut them (a quoted field's junk up to the delimiter dropped, an unterminated quote running to
// the end of the file, a record with another field count skipped).
import { asciiText, ByteTable, FNV_PRIME as PRIME, FNV_START as START } from '../columnar/byteTable';
import type { ColBuilder } from '../columnar/columns';
import { coerceRaw } from '../columnar/convert';
import { parseIsoAscii } from '../columnar/values';
import type { ShapeTarget, TableAccumulator } from './accumulator';

// module-local copies: an imported binding is a property read on every use in the loops below
const FNV_PRIME = PRIME,
  FNV_START = START;
const QUOTE = 0x22,
  COMMA = 0x2c,
  LF = 0x0a,
  CR = 0x0d;

// field flags
const QUOTED = 1,
  PAIRS = 2,
  UNTERMINATED = 4,
  NON_ASCII = 8;

/** Coerced dynamic cells by their raw bytes (rows with the same text share one value: values are never changed in place). */
class CellCache {
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

  add(raw: string, h: number, v: unknown): void {
    this.table.set(raw, h, this.values.length);
    this.values.push(v);
    if (this.values.length >= 4096 && this.hits * 2 < this.lookups) this.enabled = false;
  }
}

const MAX_CACHED_CELL_BYTES = 512;

interface Column {
  name: string;
  target?: ShapeTarget;
  /** a name seen earlier in the header: the first one is kept */
  repeated: boolean;
  cache?: CellCache;
}

export class CsvByteRecords {
  private header: Column[] | null = null;
  private missing: ColBuilder[] = [];
  // fields of the record being cut
  private nf = 0;
  private cs = new Int32Array(64);
  private ce = new Int32Array(64);
  private flags = new Uint8Array(64);
  /** The file offset of the buffer's first byte (set by the caller before each parse). */
  base = 0;

  /** With `headerOnly`, parsing stops after the header record ({@link halted}). */
  constructor(
    private readonly acc: TableAccumulator,
    private headerOnly = false,
  ) {}

  /** The header was read in a headerOnly parse; further parses read records. */
  get halted(): boolean {
    return this.headerOnly && this.header !== null;
  }

  resume(): void {
    this.headerOnly = false;
  }

  /**
   * Cuts the records in b[0, n) and reads them; returns where the first record not read starts (a record the
   * bytes do not yet finish, unless `final`).
   */
  parse(buf: Buffer, n: number, final: boolean): number {
    const b = buf.subarray(0, n);
    let p = 0;
    let recStart = 0;
    this.nf = 0;
    outer: while (p < n) {
      if (b[p] === QUOTE) {
        const open = p;
        let q = p + 1;
        let pairs = 0;
        for (;;) {
          const close = b.indexOf(QUOTE, q);
          if (close < 0) {
            if (final) {
              this.field(b, open + 1, n, QUOTED | UNTERMINATED | pairs);
              p = n;
              break outer;
            }
            break outer;
          }
          if (close + 1 < n && b[close + 1] === QUOTE) {
            pairs = PAIRS;
            q = close + 2;
            continue;
          }
          if (close + 1 >= n && !final) break outer;
          this.field(b, open + 1, close, QUOTED | pairs);
          p = close + 1;
          break;
        }
        while (p < n) {
          const c = b[p];
          if (c === COMMA || c === LF || c === CR) break;
          p++;
        }
      } else {
        let e = p;
        while (e < n) {
          const c = b[e];
          if (c === COMMA || c === LF || c === CR) break;
          e++;
        }
        if (e >= n && !final) break;
        this.field(b, p, e, 0);
        p = e;
      }
      if (p >= n) {
        if (final) {
          this.record(buf, recStart);
          recStart = n;
        }
        break;
      }
      const c = b[p];
      if (c === COMMA) {
        p++;
        if (p >= n && final) {
          this.field(b, n, n, 0);
          this.record(buf, recStart);
          recStart = n;
        }
        continue;
      }
      if (c === CR) {
        if (p + 1 >= n && !final) break;
        p++;
        if (p < n && b[p] === LF) p++;
      } else p++;
      this.record(buf, recStart);
      recStart = p;
      if (this.halted) return recStart;
    }
    if (final && this.nf > 0) {
      this.record(buf, recStart);
      recStart = n;
    }
    return recStart;
  }

  private field(b: Uint8Array, start: number, end: number, flags: number): void {
    const i = this.nf++;
    if (i >= this.cs.length) {
      const cs = new Int32Array(i * 2);
      cs.set(this.cs);
      this.cs = cs;
      const ce = new Int32Array(i * 2);
      ce.set(this.ce);
      this.ce = ce;
      const fl = new Uint8Array(i * 2);
      fl.set(this.flags);
      this.flags = fl;
    }
    for (let k = start; k < end; k++)
      if (b[k] >= 0x80) {
        flags |= NON_ASCII;
        break;
      }
    this.cs[i] = start;
    this.ce[i] = end;
    this.flags[i] = flags;
  }

  /** The text of field i. */
  private text(b: Buffer, i: number): string {
    const s = this.cs[i],
      e = this.ce[i],
      f = this.flags[i];
    const t = f & NON_ASCII ? b.toString('utf8', s, e) : asciiText(b, s, e);
    return f & PAIRS ? t.replace(/""/g, '"') : t;
  }

  private record(b: Buffer, start: number): void {
    const nf = this.nf;
    this.nf = 0;
    const header = this.header;
    if (!header) {
      this.setHeader(b, nf);
      return;
    }
    if (nf === 1 && this.cs[0] === this.ce[0]) return; // blank line
    if (nf !== header.length) {
      this.acc.skipRow(this.base + start);
      return;
    }
    const acc = this.acc;
    for (let i = 0; i < nf; i++) {
      const col = header[i];
      const t = col.target;
      if (!t) {
        if (!col.repeated) acc.pushExtra(col.name, this.text(b, i));
        continue;
      }
      if (col.repeated) {
        if (coerceRaw(this.text(b, i), t.type) === undefined) acc.skippedCells++;
        continue;
      }
      const s = this.cs[i],
        e = this.ce[i],
        f = this.flags[i];
      if (t.type === 'string' || t.type === 'guid') {
        if (s === e) t.b.pushNull();
        else if (f & (PAIRS | NON_ASCII)) {
          const v = this.text(b, i);
          if (v === '') t.b.pushNull();
          else t.b.pushString(v);
        } else {
          let h = FNV_START;
          for (let k = s; k < e; k++) h = Math.imul(h ^ b[k], FNV_PRIME);
          t.b.pushAsciiBytes(b, s, e, h);
        }
        continue;
      }
      if (t.type === 'datetime' && !(f & (PAIRS | NON_ASCII))) {
        const us = parseIsoAscii(b, s, e);
        if (us !== undefined) {
          t.b.pushNumber(us);
          continue;
        }
      }
      const cache = col.cache;
      if (cache && cache.enabled && !(f & (NON_ASCII | UNTERMINATED))) {
        // the raw field, quotes included: a quoted and a plain field never have the same bytes
        const rs = f & QUOTED ? s - 1 : s,
          re = f & QUOTED ? e + 1 : e;
        if (re - rs <= MAX_CACHED_CELL_BYTES) {
          let h = FNV_START;
          for (let k = rs; k < re; k++) h = Math.imul(h ^ b[k], FNV_PRIME);
          let v = cache.get(b, rs, re, h);
          if (v === undefined) {
            v = coerceRaw(this.text(b, i), t.type);
            cache.add(asciiText(b, rs, re), h, v);
          }
          if (v === null) t.b.pushNull();
          else t.b.push(v);
          continue;
        }
      }
      acc.pushCell(t, this.text(b, i));
    }
    for (const m of this.missing) m.pushNull();
    acc.rows++;
  }

  private setHeader(b: Buffer, nf: number): void {
    const seen = new Set<string>();
    const header: Column[] = [];
    for (let i = 0; i < nf; i++) {
      // The portal names columns "TimeGenerated [UTC]"
      const name = this.text(b, i)
        .trim()
        .replace(/\s*\[(UTC|Local Time)\]$/i, '');
      const target = this.acc.target(name);
      const col: Column = { name, target, repeated: seen.has(name) };
      if (target?.type === 'dynamic') col.cache = new CellCache();
      seen.add(name);
      header.push(col);
    }
    this.header = header;
    this.missing = this.acc.targetsNotIn(seen).map((t) => t.b);
  }
}
