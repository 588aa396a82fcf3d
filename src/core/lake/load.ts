// Streaming table loaders: JSONL, CSV (Log Analytics portal export) and JSON (array or query response).
// Files are read in chunks; no whole-file string is built for JSONL, CSV or JSON arrays.
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { throwIfAborted } from '../errors';
import type { KqlType } from '../types';
import { ColBuilder, ColumnarTable, storageOf } from './columns';
import { coerceRaw, inferType } from './convert';

const CHUNK = 1 << 20;

/** Accumulates rows into typed columns; unknown columns are inferred when the load finishes. */
export class TableAccumulator {
  private known = new Map<string, { type: KqlType; b: ColBuilder }>();
  private extra = new Map<string, unknown[]>();
  private order: string[] = [];
  rows = 0;
  skippedRows = 0;
  skippedCells = 0;

  constructor(readonly name: string, schema: Record<string, KqlType> | undefined) {
    if (schema) for (const [c, t] of Object.entries(schema)) {
      this.known.set(c, { type: t, b: new ColBuilder(storageOf(t), 4096) });
      this.order.push(c);
    }
  }

  /** Declares a column's type (from a file that carries types) unless the schema already knows it. */
  declare(name: string, type: KqlType): void {
    if (this.known.has(name) || this.rows > 0) return;
    this.known.set(name, { type, b: new ColBuilder(storageOf(type), 4096) });
    this.order.push(name);
  }

  /** Adds one row given as parallel arrays of names and raw values. */
  addRow(names: string[], values: unknown[]): void {
    const r = this.rows;
    let seenKnown = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const k = this.known.get(name);
      if (k) {
        seenKnown++;
        let v = coerceRaw(values[i], k.type);
        if (v === undefined) { this.skippedCells++; v = null; }
        // a column repeated in one row: keep the first
        if (k.b.length > r) continue;
        k.b.push(v);
      } else {
        let arr = this.extra.get(name);
        if (!arr) { arr = []; this.extra.set(name, arr); this.order.push(name); }
        if (arr.length > r) continue;
        while (arr.length < r) arr.push(null);
        arr.push(values[i] === undefined ? null : values[i]);
      }
    }
    if (seenKnown < this.known.size) for (const k of this.known.values()) if (k.b.length === r) k.b.push(null);
    this.rows++;
  }

  // Rows of one file usually share their keys in one order: remember the last shape and, while rows keep it,
  // write each value straight into its column without name lookups.
  private shapeKeys: string[] | null = null;
  private shapeTargets: ({ type: KqlType; b: ColBuilder } | null)[] = [];
  private shapeMissing: ColBuilder[] = [];

  addObject(o: Record<string, unknown>): void {
    const keys = this.shapeKeys;
    if (keys) {
      let j = 0;
      let same = true;
      for (const k in o) { if (keys[j] !== k) { same = false; break; } j++; }
      if (same && j === keys.length) { this.addShaped(o, keys); return; }
    }
    const names = Object.keys(o);
    const values = new Array(names.length);
    for (let i = 0; i < names.length; i++) values[i] = o[names[i]];
    this.addRow(names, values);
    // learn this shape if it has no unknown or repeated columns
    const targets = names.map((n) => this.known.get(n) ?? null);
    if (targets.every((t) => t !== null) && new Set(names).size === names.length) {
      this.shapeKeys = names;
      this.shapeTargets = targets;
      const present = new Set(names);
      this.shapeMissing = [...this.known].filter(([n]) => !present.has(n)).map(([, k]) => k.b);
    } else this.shapeKeys = null;
  }

  private addShaped(o: Record<string, unknown>, keys: string[]): void {
    const targets = this.shapeTargets;
    for (let i = 0; i < keys.length; i++) {
      const t = targets[i]!;
      const v = o[keys[i]];
      const b = t.b;
      if (t.type === 'string' && typeof v === 'string') { b.pushString(v); continue; }
      if (t.type === 'dynamic' && v !== null && typeof v === 'object') { b.pushAny(v); continue; }
      let x = coerceRaw(v, t.type);
      if (x === undefined) { this.skippedCells++; x = null; }
      b.push(x);
    }
    for (const b of this.shapeMissing) b.pushNull();
    this.rows++;
  }

  finish(): ColumnarTable {
    const fields: ColumnarTable['fields'] = [];
    for (const name of this.order) {
      const k = this.known.get(name);
      if (k) { fields.push({ name, type: k.type, col: k.b.finish() }); continue; }
      const raw = this.extra.get(name)!;
      while (raw.length < this.rows) raw.push(null);
      const type = inferType(raw);
      const b = new ColBuilder(storageOf(type), raw.length);
      for (const v of raw) {
        let x = coerceRaw(v, type);
        if (x === undefined) { this.skippedCells++; x = null; }
        b.push(x);
      }
      fields.push({ name, type, col: b.finish() });
    }
    return { name: this.name, length: this.rows, fields, skippedRows: this.skippedRows, skippedCells: this.skippedCells };
  }
}

async function* readChunks(file: string, signal?: AbortSignal): AsyncGenerator<string> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const dec = new StringDecoder('utf8');
    let first = true;
    for (;;) {
      throwIfAborted(signal);
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      let s = dec.write(buf.subarray(0, bytesRead));
      if (first) { if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); first = false; }
      yield s;
    }
    const rest = dec.end();
    if (rest) yield rest;
  } finally {
    await fh.close();
  }
}

export async function loadJsonl(file: string, acc: TableAccumulator, signal?: AbortSignal): Promise<void> {
  let carry = '';
  const handle = (line: string) => {
    // an object line starts with '{'; anything else is checked for blankness first
    if (line.length === 0 || (line.charCodeAt(0) !== 123 && /^\s*$/.test(line))) return;
    let o: unknown;
    try { o = JSON.parse(line); } catch { acc.skippedRows++; return; }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) { acc.skippedRows++; return; }
    acc.addObject(o as Record<string, unknown>);
  };
  for await (const chunk of readChunks(file, signal)) {
    // Lines are cut from the chunk itself; only the line that spans two chunks is joined, so the chunk is
    // never copied into a longer string.
    let p = 0;
    let nl = chunk.indexOf('\n');
    if (nl < 0) { carry += chunk; continue; }
    if (carry) {
      let line = carry + chunk.slice(0, nl);
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      carry = '';
      handle(line);
      p = nl + 1;
      nl = chunk.indexOf('\n', p);
    }
    while (nl >= 0) {
      let e = nl;
      if (e > p && chunk.charCodeAt(e - 1) === 13) e--;
      handle(chunk.slice(p, e));
      p = nl + 1;
      nl = chunk.indexOf('\n', p);
    }
    carry = chunk.slice(p);
  }
  if (carry) handle(carry.replace(/\r$/, ''));
}

/**
 * RFC 4180 CSV with a header row, as the Log Analytics portal exports it: quoted fields with doubled quotes,
 * newlines inside quotes, CRLF or LF. A record whose field count differs from the header is skipped.
 */
export async function loadCsv(file: string, acc: TableAccumulator, signal?: AbortSignal): Promise<void> {
  let header: string[] | null = null;
  let buf = '';
  const onRecord = (fields: string[]) => {
    if (!header) {
      header = fields.map((f) => f.trim());
      // The portal names columns "TimeGenerated [UTC]"
      header = header.map((h) => h.replace(/\s*\[(UTC|Local Time)\]$/i, ''));
      return;
    }
    if (fields.length === 1 && fields[0] === '') return; // blank line
    if (fields.length !== header.length) { acc.skippedRows++; return; }
    acc.addRow(header, fields);
  };
  const parse = (final: boolean): void => {
    const s = buf;
    const n = s.length;
    let p = 0;
    let recStart = 0;
    let fields: string[] = [];
    outer: while (p < n) {
      // parse one field
      if (s.charCodeAt(p) === 34) {
        let q = p + 1;
        let val = '';
        for (;;) {
          const close = s.indexOf('"', q);
          if (close < 0) { if (final) { val += s.slice(q); p = n; fields.push(val); break outer; } break outer; }
          if (close + 1 < n && s.charCodeAt(close + 1) === 34) { val += s.slice(q, close + 1); q = close + 2; continue; }
          if (close + 1 >= n && !final) break outer;
          val += s.slice(q, close);
          p = close + 1;
          break;
        }
        fields.push(val);
        // skip junk until delimiter
        while (p < n && s.charCodeAt(p) !== 44 && s.charCodeAt(p) !== 10 && s.charCodeAt(p) !== 13) p++;
      } else {
        let e = p;
        while (e < n) { const c = s.charCodeAt(e); if (c === 44 || c === 10 || c === 13) break; e++; }
        if (e >= n && !final) break;
        fields.push(s.slice(p, e));
        p = e;
      }
      if (p >= n) { if (final) { onRecord(fields); fields = []; recStart = n; } break; }
      const c = s.charCodeAt(p);
      if (c === 44) { p++; if (p >= n && final) { fields.push(''); onRecord(fields); fields = []; recStart = n; } continue; }
      // end of record
      if (c === 13) { if (p + 1 >= n && !final) break; p++; if (p < n && s.charCodeAt(p) === 10) p++; }
      else p++;
      onRecord(fields);
      fields = [];
      recStart = p;
    }
    if (final && fields.length) { onRecord(fields); recStart = n; }
    buf = s.slice(recStart);
  };
  for await (const chunk of readChunks(file, signal)) {
    buf += chunk;
    parse(false);
  }
  if (buf.length) parse(true);
}

/** Splits a top-level JSON array into element texts without holding the file as one string. */
export async function loadJsonArray(file: string, acc: TableAccumulator, signal?: AbortSignal): Promise<void> {
  let depth = 0, inStr = false, esc = false, started = false;
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
      if (!started) { if (c === 91) started = true; continue; }
      if (c === 34) { inStr = true; if (depth === 0 && start < 0) start = i; continue; }
      if (c === 123 || c === 91) { if (depth === 0) start = i; depth++; continue; }
      if (c === 125 || c === 93) {
        if (depth === 0) { if (start >= 0) { acc.skippedRows++; start = -1; } started = false; continue; } // end of the outer array
        depth--;
        if (depth === 0 && start >= 0) {
          const text = s.slice(start, i + 1);
          start = -1;
          let o: unknown;
          try { o = JSON.parse(text); } catch { acc.skippedRows++; continue; }
          if (o && typeof o === 'object' && !Array.isArray(o)) acc.addObject(o as Record<string, unknown>);
          else acc.skippedRows++;
        }
        continue;
      }
      if (depth === 0 && c !== 44 && c > 32 && start < 0) start = i; // scalar element
      if (depth === 0 && c === 44 && start >= 0) { acc.skippedRows++; start = -1; }
    }
    cur = start >= 0 ? s.slice(start) : '';
  }
}

/** A Log Analytics query response `{"tables":[{"columns":[{name,type}],"rows":[[...]]}]}` (first table). */
export async function loadJsonDocument(file: string, acc: TableAccumulator, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  const text = await fs.promises.readFile(file, 'utf8');
  let doc: unknown;
  try { doc = JSON.parse(text.replace(/^\ufeff/, '')); } catch { acc.skippedRows++; return; }
  const t = (doc as { tables?: { columns?: { name?: string; columnName?: string; type?: string; dataType?: string }[]; rows?: unknown[][] }[] })?.tables?.[0];
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.rows)) {
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) acc.addObject(doc as Record<string, unknown>);
    else acc.skippedRows++;
    return;
  }
  const names = t.columns.map((c) => String(c.name ?? c.columnName ?? ''));
  // the response says each column's type
  const typeNames: Record<string, KqlType> = {
    string: 'string', datetime: 'datetime', date: 'datetime', bool: 'bool', boolean: 'bool', int: 'int', long: 'long',
    real: 'real', double: 'real', decimal: 'decimal', guid: 'guid', uniqueid: 'guid', timespan: 'timespan', time: 'timespan', dynamic: 'dynamic',
  };
  t.columns.forEach((c, i) => {
    const ty = typeNames[String(c.type ?? c.dataType ?? '').toLowerCase()];
    if (ty && names[i]) acc.declare(names[i], ty);
  });
  for (const row of t.rows) {
    if (!Array.isArray(row) || row.length !== names.length) { acc.skippedRows++; continue; }
    acc.addRow(names, row);
  }
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
