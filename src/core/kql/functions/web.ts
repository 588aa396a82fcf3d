// URL, encoding, hashing and other text-format functions.
import { createHash, randomUUID } from 'crypto';
import * as zlib from 'zlib';
import { KqlError } from '../../errors';
import { newBag, parseGuid } from '../../columnar/values';
import { defineFunctions, type CallContext, type Value } from './define';
import { argType, int, isNull, num, str } from './helpers';
import { parseXml } from './xml';

function s(args: Value[], ctx: CallContext, i: number): string {
  return str(args[i], argType(ctx, i));
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function parseQuery(query: string): Record<string, string> {
  const out = newBag() as Record<string, string>;
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    out[key] = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
  }
  return out;
}

const URL_RE =
  /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

function parseUrl(text: string): Record<string, unknown> | null {
  const m = URL_RE.exec(text.trim());
  if (!m) return null;
  return {
    Scheme: m[1],
    Host: m[4],
    Port: m[5] ?? '',
    Path: m[6] ?? '',
    Username: m[2] ?? '',
    Password: m[3] ?? '',
    'Query Parameters': m[7] ? parseQuery(m[7]) : {},
    Fragment: m[8] ?? '',
  };
}

/** Form-style percent-encoding as .NET's HttpUtility.UrlEncode does (lowercase hex, `+` for space). */
function urlEncode(text: string, spaceAsPlus: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.!*()]/.test(ch)) out += ch;
    else if (byte === 32) out += spaceAsPlus ? '+' : '%20';
    else out += '%' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

function parsePath(text: string): Record<string, string> {
  const slash = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
  const filename = text.slice(slash + 1);
  const dot = filename.lastIndexOf('.');
  const dir = slash >= 0 ? text.slice(0, slash) : '';
  const root = /^[A-Za-z]:/.test(text) ? text.slice(0, 2) : (/^\\\\[^\\]+/.exec(text)?.[0] ?? '');
  return {
    Scheme: '',
    RootPath: root,
    DirectoryPath: dir,
    DirectoryName: dir.slice(Math.max(dir.lastIndexOf('/'), dir.lastIndexOf('\\')) + 1),
    Filename: filename,
    Extension: dot > 0 ? filename.slice(dot + 1) : '',
    AlternateDataStreamName: '',
  };
}

/** hash_sha256/sha1/md5 hash the UTF-8 bytes of the value's tostring() text (a datetime hashes `2020-01-01T00:00:00.0000000Z`). */
function hashHex(algorithm: string) {
  return (args: Value[], ctx: CallContext) => {
    const t = argType(ctx, 0);
    if (isNull(args[0]) && t !== 'string') return null;
    return createHash(algorithm).update(str(args[0], t), 'utf8').digest('hex');
  };
}

// xxHash64 (the algorithm behind Kusto's hash()).
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;
const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & M64;
const round64 = (acc: bigint, input: bigint) => (rotl((acc + input * P2) & M64, 31n) * P1) & M64;
const merge64 = (acc: bigint, val: bigint) => ((((acc ^ round64(0n, val)) * P1) & M64) + P4) & M64;

export function xxhash64(data: Buffer, seed = 0n): bigint {
  const len = data.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M64;
    let v2 = (seed + P2) & M64;
    let v3 = seed;
    let v4 = (seed - P1) & M64;
    for (; i + 32 <= len; i += 32) {
      v1 = round64(v1, data.readBigUInt64LE(i));
      v2 = round64(v2, data.readBigUInt64LE(i + 8));
      v3 = round64(v3, data.readBigUInt64LE(i + 16));
      v4 = round64(v4, data.readBigUInt64LE(i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M64;
    h = merge64(h, v1);
    h = merge64(h, v2);
    h = merge64(h, v3);
    h = merge64(h, v4);
  } else {
    h = (seed + P5) & M64;
  }
  h = (h + BigInt(len)) & M64;
  for (; i + 8 <= len; i += 8) {
    h ^= round64(0n, data.readBigUInt64LE(i));
    h = (((rotl(h, 27n) * P1) & M64) + P4) & M64;
  }
  if (i + 4 <= len) {
    h ^= (BigInt(data.readUInt32LE(i)) * P1) & M64;
    h = (((rotl(h, 23n) * P2) & M64) + P3) & M64;
    i += 4;
  }
  for (; i < len; i++) {
    h ^= (BigInt(data[i]) * P5) & M64;
    h = (rotl(h, 11n) * P1) & M64;
  }
  h ^= h >> 33n;
  h = (h * P2) & M64;
  h ^= h >> 29n;
  h = (h * P3) & M64;
  h ^= h >> 32n;
  return h;
}

function hashBytes(v: Value, type: string): Buffer | null {
  if (isNull(v)) return null;
  if (typeof v === 'string' && (type === 'string' || type === 'dynamic')) return Buffer.from(v, 'utf8');
  if ((type === 'long' || type === 'int') && typeof v === 'number' && Number.isFinite(v)) {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt.asIntN(64, BigInt(Math.trunc(Number(v)))));
    return b;
  }
  if (type === 'datetime' && typeof v === 'number') {
    // Kusto hashes a datetime's 64-bit tick count (100 ns since 0001-01-01).
    const ticks = Math.round(v * 10);
    // a datetime too far out for 64-bit ticks (only reachable through arithmetic) has no hash
    if (!Number.isFinite(ticks)) return null;
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt.asIntN(64, BigInt(ticks) + 621355968000000000n));
    return b;
  }
  return null;
}

function kustoHash([v, mod]: Value[], ctx: CallContext): Value {
  const bytes = hashBytes(v, argType(ctx, 0));
  if (bytes === null) {
    if (isNull(v) || (argType(ctx, 0) === 'datetime' && typeof v === 'number')) return null;
    throw new KqlError(
      `local engine does not support hash() of ${argType(ctx, 0)} values`,
      undefined,
      'KqlUnsupported',
    );
  }
  const h = BigInt.asIntN(64, xxhash64(bytes));
  if (mod === undefined) return Number(h);
  const m = int(mod);
  if (m === null || m <= 0) return null;
  const r = h % BigInt(m);
  return Number(r < 0n ? -r : r);
}

function base64ToBytes(text: string): Buffer | null {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return null;
  return Buffer.from(t, 'base64');
}

function decodeUtf8Strict(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function guidBytes(guid: string): Buffer {
  // .NET Guid.ToByteArray: the first three groups little-endian.
  const h = guid.replace(/-/g, '');
  const b = Buffer.from(h, 'hex');
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

function bytesToGuid(bytes: Buffer): string {
  const b = Buffer.concat([
    Buffer.from(bytes.subarray(0, 4)).reverse(),
    Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(),
    bytes.subarray(8, 16),
  ]);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const BYTE_UNITS = ['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];

function formatBytes(size: number, precision: number, unit?: string): string {
  let index = 0;
  if (unit) {
    index = BYTE_UNITS.findIndex((u) => u.toLowerCase() === unit.toLowerCase());
    if (index < 0) index = 0;
  } else {
    while (index < BYTE_UNITS.length - 1 && Math.abs(size) >= 1024 ** (index + 1)) index++;
  }
  const value = size / 1024 ** index;
  const factor = 10 ** precision;
  const rounded = Math.round(value * factor) / factor;
  return `${rounded.toFixed(precision)} ${BYTE_UNITS[index]}`;
}

/** parse_version: up to four numeric parts, each up to 8 digits, packed as a decimal. */
function parseVersion(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => !/^\d{1,8}$/.test(p))) return null;
  while (parts.length < 4) parts.push('0');
  const digits = parts
    .map((p) => p.padStart(8, '0'))
    .join('')
    .replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) {
    throw new KqlError(
      'local engine does not support parse_version beyond 15 significant digits (decimal precision)',
      undefined,
      'KqlUnsupported',
    );
  }
  return value;
}

function parseCommandLine(text: string): string[] {
  // Windows CommandLineToArgvW rules: quotes group, backslashes before a quote escape it.
  const args: string[] = [];
  let cur = '';
  let inQuotes = false;
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      let n = 0;
      while (text[i] === '\\') {
        n++;
        i++;
      }
      if (text[i] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) cur += '"';
        else {
          inQuotes = !inQuotes;
        }
        has = true;
      } else {
        cur += '\\'.repeat(n);
        i--;
        has = true;
      }
    } else if (c === '"') {
      inQuotes = !inQuotes;
      has = true;
    } else if (/\s/.test(c) && !inQuotes) {
      if (has) args.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) args.push(cur);
  return args;
}

defineFunctions({
  parse_url: (a, ctx) => parseUrl(s(a, ctx, 0)),
  parse_urlquery: (a, ctx) => ({ 'Query Parameters': parseQuery(s(a, ctx, 0).replace(/^\?/, '')) }),
  parse_path: (a, ctx) => parsePath(s(a, ctx, 0)),
  url_encode: (a, ctx) => urlEncode(s(a, ctx, 0), true),
  url_encode_component: (a, ctx) => urlEncode(s(a, ctx, 0), false),
  url_decode: (a, ctx) => {
    try {
      return decodeURIComponent(s(a, ctx, 0).replace(/\+/g, ' '));
    } catch {
      return null;
    }
  },
  base64_encode_tostring: (a, ctx) => Buffer.from(s(a, ctx, 0), 'utf8').toString('base64'),
  base64_decode_tostring: (a, ctx) => {
    const bytes = base64ToBytes(s(a, ctx, 0));
    return bytes === null ? null : (decodeUtf8Strict(bytes) ?? '');
  },
  base64_decode_toarray: (a, ctx) => {
    const bytes = base64ToBytes(s(a, ctx, 0));
    return bytes === null ? null : [...bytes];
  },
  base64_encode_fromarray: ([v]) => {
    if (!Array.isArray(v)) return null;
    if (!v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) return null;
    return Buffer.from(v as number[]).toString('base64');
  },
  base64_encode_fromguid: ([v]) => {
    const g = typeof v === 'string' ? parseGuid(v) : null;
    return g === null ? null : guidBytes(g).toString('base64');
  },
  base64_decode_toguid: (a, ctx) => {
    const bytes = base64ToBytes(s(a, ctx, 0));
    return bytes === null || bytes.length !== 16 ? null : bytesToGuid(bytes);
  },
  hash_sha256: hashHex('sha256'),
  hash_sha1: hashHex('sha1'),
  hash_md5: hashHex('md5'),
  hash: kustoHash,
  hash_xxhash64: kustoHash,
  new_guid: () => randomUUID(),
  gzip_compress_to_base64_string: (a, ctx) => zlib.gzipSync(Buffer.from(s(a, ctx, 0), 'utf8')).toString('base64'),
  gzip_decompress_from_base64_string: (a, ctx) => {
    try {
      return zlib.gunzipSync(Buffer.from(s(a, ctx, 0), 'base64')).toString('utf8');
    } catch {
      return null;
    }
  },
  zlib_compress_to_base64_string: (a, ctx) => zlib.deflateSync(Buffer.from(s(a, ctx, 0), 'utf8')).toString('base64'),
  zlib_decompress_from_base64_string: (a, ctx) => {
    try {
      return zlib.inflateSync(Buffer.from(s(a, ctx, 0), 'base64')).toString('utf8');
    } catch {
      return null;
    }
  },
  format_bytes: ([v, precision, unit], ctx) => {
    const n = num(v);
    if (n === null) return '';
    const p = Math.min(20, Math.max(0, precision === undefined ? 0 : (int(precision) ?? 0)));
    return formatBytes(n, p, unit === undefined ? undefined : str(unit, argType(ctx, 2)));
  },
  parse_version: (a, ctx) => parseVersion(s(a, ctx, 0)),
  parse_xml: (a, ctx) => parseXml(s(a, ctx, 0)),
  parse_command_line: (a, ctx) => {
    const kind = s(a, ctx, 1).toLowerCase();
    if (kind !== 'windows') throw new KqlError(`parse_command_line: unknown parser '${kind}'`, undefined, 'KqlRuntime');
    return parseCommandLine(s(a, ctx, 0));
  },
});
