// The loaders as they were before the byte-level readers (string chunks, JSON.parse per line, a string per CSV
// field): the reference the byte-level readers are compared with, value for value.
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import type { ByteRange, TableAccumulator } from '../../../src/core/lake/load';

/** Read size of the reference loaders (tests make it small to put chunk boundaries everywhere). */
export const referenceChunk = { bytes: 1 << 20 };
const MAX_JSONL_LINE_CHARS = 64 * 1024 * 1024;

async function* readChunks(file: string, _signal?: AbortSignal, range?: ByteRange): AsyncGenerator<string> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(referenceChunk.bytes);
    const dec = new StringDecoder('utf8');
    let first = !range || range.start === 0;
    let pos = range ? range.start : 0;
    const end = range?.end ?? Infinity;
    for (;;) {
      const want = Math.min(referenceChunk.bytes, end - pos);
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

/** Loads JSONL lines; `range` (cut at line starts) loads a part of the file. */
export async function referenceLoadJsonl(
  file: string,
  acc: TableAccumulator,
  signal?: AbortSignal,
  range?: ByteRange,
): Promise<void> {
  let carry = '';
  // inside a line that grew past the limit: its bytes are dropped up to the next newline
  let overlong = false;
  const handle = (line: string) => {
    // an object line starts with '{'; anything else is checked for blankness first
    if (line.length === 0 || (line.charCodeAt(0) !== 123 && /^\s*$/.test(line))) return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      acc.skippedRows++;
      return;
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      acc.skippedRows++;
      return;
    }
    acc.addObject(o as Record<string, unknown>);
  };
  for await (const chunk of readChunks(file, signal, range)) {
    // Lines are cut from the chunk itself; only the line that spans two chunks is joined, so the chunk is
    // never copied into a longer string.
    let p = 0;
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      if (overlong) continue;
      carry += chunk;
      if (carry.length > MAX_JSONL_LINE_CHARS) {
        carry = '';
        overlong = true;
        acc.skippedRows++;
      }
      continue;
    }
    if (overlong) {
      overlong = false;
      p = nl + 1;
      nl = chunk.indexOf('\n', p);
    } else if (carry) {
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
export async function referenceLoadCsv(file: string, acc: TableAccumulator, signal?: AbortSignal): Promise<void> {
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
    if (fields.length !== header.length) {
      acc.skippedRows++;
      return;
    }
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
          if (close < 0) {
            if (final) {
              val += s.slice(q);
              p = n;
              fields.push(val);
              break outer;
            }
            break outer;
          }
          if (close + 1 < n && s.charCodeAt(close + 1) === 34) {
            val += s.slice(q, close + 1);
            q = close + 2;
            continue;
          }
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
        while (e < n) {
          const c = s.charCodeAt(e);
          if (c === 44 || c === 10 || c === 13) break;
          e++;
        }
        if (e >= n && !final) break;
        fields.push(s.slice(p, e));
        p = e;
      }
      if (p >= n) {
        if (final) {
          onRecord(fields);
          fields = [];
          recStart = n;
        }
        break;
      }
      const c = s.charCodeAt(p);
      if (c === 44) {
        p++;
        if (p >= n && final) {
          fields.push('');
          onRecord(fields);
          fields = [];
          recStart = n;
        }
        continue;
      }
      // end of record
      if (c === 13) {
        if (p + 1 >= n && !final) break;
        p++;
        if (p < n && s.charCodeAt(p) === 10) p++;
      } else p++;
      onRecord(fields);
      fields = [];
      recStart = p;
    }
    if (final && fields.length) {
      onRecord(fields);
      recStart = n;
    }
    buf = s.slice(recStart);
  };
  for await (const chunk of readChunks(file, signal)) {
    buf += chunk;
    parse(false);
  }
  if (buf.length) parse(true);
}
