// IPv4 and IPv6 functions. Addresses may carry a CIDR suffix (`10.0.0.1/8`); comparisons use the
// shortest prefix among the arguments, as Kusto documents.
import { defineFunctions, type CallContext, type Value } from './define';
import { argType, int, isNull, str } from './helpers';

export interface Ipv4 {
  value: number;
  prefix: number;
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/** Parses `a.b.c.d[/prefix]`; null when invalid. */
export function parseIpv4(text: string): Ipv4 | null {
  const m = IPV4_RE.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return null;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return null;
  return { value: ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3], prefix };
}

function mask32(prefix: number): number {
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
}

function masked(ip: Ipv4, prefix = ip.prefix): number {
  return (ip.value & mask32(Math.min(prefix, ip.prefix))) >>> 0;
}

function formatIpv4Value(v: number): string {
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

function ipv4Arg(v: Value, type: string): Ipv4 | null {
  if (isNull(v)) return null;
  if (typeof v === 'number' && (type === 'long' || type === 'int' || type === 'dynamic')) {
    return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? { value: v, prefix: 32 } : null;
  }
  return typeof v === 'string' ? parseIpv4(v) : null;
}

function compareIpv4(a: Ipv4, b: Ipv4, prefix = 32): number {
  const p = Math.min(a.prefix, b.prefix, prefix);
  const x = masked(a, p);
  const y = masked(b, p);
  return x < y ? -1 : x > y ? 1 : 0;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((r) => parseIpv4(r)!);

/** Every well-delimited IPv4 address in free text (an address glued to letters, digits or dots does not count). */
function ipv4sInText(text: string): string[] {
  const out: string[] = [];
  const re = /\d{1,3}(?:\.\d{1,3}){3}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const before = text[m.index - 1] ?? '';
    const after = text[m.index + m[0].length] ?? '';
    if (
      /[A-Za-z0-9.]/.test(before) ||
      /[A-Za-z0-9]/.test(after) ||
      (after === '.' && /\d/.test(text[m.index + m[0].length + 1] ?? ''))
    )
      continue;
    if (parseIpv4(m[0])) out.push(m[0]);
  }
  return out;
}

function listArgs(args: Value[]): Value[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as Value[]) : args;
}

function isValidIpv4Prefix(prefix: string): boolean {
  if (!prefix.endsWith('.') && !IPV4_RE.test(prefix)) return false;
  const parts = prefix.replace(/\.$/, '').split('.');
  return parts.length >= 1 && parts.length <= 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

// ---------------------------------------------------------------------------------------------
// IPv6 (IPv4 addresses map to ::ffff:a.b.c.d with their prefix + 96).

export interface Ipv6 {
  value: bigint;
  prefix: number;
}

export function parseIpv6(text: string): Ipv6 | null {
  let s = text.trim();
  let prefix = 128;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    s = s.slice(0, slash);
  }
  const v4 = parseIpv4(s);
  const dotted = v4 === null && /\d+\.\d+\.\d+\.\d+$/.test(s);
  if (v4) {
    if (slash >= 0 && prefix > 32) return null;
    return { value: (0xffffn << 32n) | BigInt(v4.value), prefix: slash >= 0 ? prefix + 96 : 128 };
  }
  if (prefix > 128 || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let tailV4: number | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const ip = parseIpv4(s.slice(lastColon + 1));
    if (!ip) return null;
    tailV4 = ip.value;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tailV4 !== null) {
    value = (value & ~0xffffffffn) | BigInt(tailV4);
    // The IPv4-compatible form ::a.b.c.d reads as the IPv4-mapped ::ffff:a.b.c.d.
    if (value >> 32n === 0n) value |= 0xffffn << 32n;
  }
  // A prefix on an IPv4-mapped address written with a dotted tail counts IPv4 bits.
  if (dotted && slash >= 0 && value >> 32n === 0xffffn && prefix <= 32) prefix += 96;
  return { value, prefix };
}

function mask128(prefix: number): bigint {
  const p = Math.max(0, Math.min(128, prefix));
  return p === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - p)) - 1n);
}

function compareIpv6(a: Ipv6, b: Ipv6, prefix = 128): number {
  const m = mask128(Math.min(a.prefix, b.prefix, prefix));
  const x = a.value & m;
  const y = b.value & m;
  return x < y ? -1 : x > y ? 1 : 0;
}

function formatIpv6Full(v: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16).padStart(4, '0'));
  return groups.join(':');
}

function ipv6Args(a: Value, b: Value, ctx: CallContext): [Ipv6, Ipv6] | null {
  const x = isNull(a) ? null : parseIpv6(str(a, argType(ctx, 0)));
  const y = isNull(b) ? null : parseIpv6(str(b, argType(ctx, 1)));
  return x && y ? [x, y] : null;
}

function cidrList(start: number, end: number): string[] {
  const out: string[] = [];
  let cur = start;
  while (cur <= end) {
    let size = 32;
    while (size > 0) {
      const m = mask32(size - 1);
      if ((cur & m) >>> 0 !== cur || cur + 2 ** (32 - (size - 1)) - 1 > end) break;
      size--;
    }
    out.push(`${formatIpv4Value(cur)}/${size}`);
    cur += 2 ** (32 - size);
  }
  return out;
}

defineFunctions({
  parse_ipv4: ([v], ctx) => {
    const ip = ipv4Arg(v, argType(ctx, 0));
    return ip ? masked(ip) : null;
  },
  parse_ipv4_mask: ([v, p], ctx) => {
    const ip = ipv4Arg(v, argType(ctx, 0));
    const prefix = int(p);
    return ip && prefix !== null && prefix >= 0 && prefix <= 32 ? masked(ip, prefix) : null;
  },
  ipv4_compare: ([a, b, p], ctx) => {
    const x = ipv4Arg(a, argType(ctx, 0));
    const y = ipv4Arg(b, argType(ctx, 1));
    const prefix = p === undefined ? 32 : int(p);
    if (!x || !y || prefix === null || prefix < 0 || prefix > 32) return null;
    return compareIpv4(x, y, prefix);
  },
  ipv4_is_match: ([a, b, p], ctx) => {
    const x = ipv4Arg(a, argType(ctx, 0));
    const y = ipv4Arg(b, argType(ctx, 1));
    const prefix = p === undefined ? 32 : int(p);
    if (!x || !y || prefix === null || prefix < 0 || prefix > 32) return null;
    return compareIpv4(x, y, prefix) === 0;
  },
  ipv4_is_in_range: ([a, r], ctx) => {
    const ip = ipv4Arg(a, argType(ctx, 0));
    const range = ipv4Arg(r, argType(ctx, 1));
    if (!ip || !range) return null;
    return masked(ip, range.prefix) === masked(range);
  },
  ipv4_is_in_any_range: ([a, ...ranges], ctx) => {
    const ip = ipv4Arg(a, argType(ctx, 0));
    if (!ip) return null;
    return listArgs(ranges).some((r) => {
      const range = typeof r === 'string' ? parseIpv4(r) : null;
      return range !== null && masked(ip, range.prefix) === masked(range);
    });
  },
  ipv4_is_private: ([a], ctx) => {
    const ip = ipv4Arg(a, argType(ctx, 0));
    if (!ip) return null;
    return PRIVATE_RANGES.some((r) => ip.prefix >= r.prefix && masked(ip, r.prefix) === r.value);
  },
  ipv4_netmask_suffix: ([a], ctx) => ipv4Arg(a, argType(ctx, 0))?.prefix ?? null,
  format_ipv4: ([a, p], ctx) => {
    const ip = ipv4Arg(a, argType(ctx, 0));
    const prefix = p === undefined ? 32 : int(p);
    if (!ip || prefix === null || prefix < 0 || prefix > 32) return '';
    return formatIpv4Value(masked(ip, prefix));
  },
  format_ipv4_mask: ([a, p], ctx) => {
    const ip = ipv4Arg(a, argType(ctx, 0));
    const prefix = p === undefined ? 32 : int(p);
    if (!ip || prefix === null || prefix < 0 || prefix > 32) return '';
    const effective = Math.min(prefix, ip.prefix);
    return `${formatIpv4Value(masked(ip, effective))}/${effective}`;
  },
  has_ipv4: ([text, ip], ctx) => {
    const target = ipv4Arg(ip, argType(ctx, 1));
    if (!target) return false;
    return ipv4sInText(str(text, argType(ctx, 0))).some((found) => parseIpv4(found)!.value === target.value);
  },
  has_any_ipv4: ([text, ...ips], ctx) => {
    const targets = new Set(
      listArgs(ips)
        .map((v) => (typeof v === 'string' ? parseIpv4(v)?.value : undefined))
        .filter((v) => v !== undefined),
    );
    return ipv4sInText(str(text, argType(ctx, 0))).some((found) => targets.has(parseIpv4(found)!.value));
  },
  has_ipv4_prefix: ([text, prefix], ctx) => {
    const p = str(prefix, argType(ctx, 1));
    if (!isValidIpv4Prefix(p)) return false;
    return ipv4sInText(str(text, argType(ctx, 0))).some((found) => found.startsWith(p));
  },
  has_any_ipv4_prefix: ([text, ...prefixes], ctx) => {
    const ps = listArgs(prefixes).filter((p): p is string => typeof p === 'string' && isValidIpv4Prefix(p));
    return ipv4sInText(str(text, argType(ctx, 0))).some((found) => ps.some((p) => found.startsWith(p)));
  },
  ipv4_range_to_cidr_list: ([a, b], ctx) => {
    const start = ipv4Arg(a, argType(ctx, 0));
    const end = ipv4Arg(b, argType(ctx, 1));
    if (!start || !end || start.value > end.value) return null;
    return cidrList(start.value, end.value);
  },
  parse_ipv6: ([a], ctx) => {
    const ip = isNull(a) ? null : parseIpv6(str(a, argType(ctx, 0)));
    return ip ? formatIpv6Full(ip.value & mask128(ip.prefix)) : null;
  },
  parse_ipv6_mask: ([a, p], ctx) => {
    const ip = isNull(a) ? null : parseIpv6(str(a, argType(ctx, 0)));
    const prefix = int(p);
    if (!ip || prefix === null || prefix < 0 || prefix > 128) return null;
    return formatIpv6Full(ip.value & mask128(Math.min(ip.prefix, prefix)));
  },
  ipv6_compare: ([a, b, p], ctx) => {
    const ips = ipv6Args(a, b, ctx);
    const prefix = p === undefined ? 128 : int(p);
    if (!ips || prefix === null) return null;
    return compareIpv6(ips[0], ips[1], prefix);
  },
  ipv6_is_match: ([a, b, p], ctx) => {
    const ips = ipv6Args(a, b, ctx);
    const prefix = p === undefined ? 128 : int(p);
    if (!ips || prefix === null) return null;
    return compareIpv6(ips[0], ips[1], prefix) === 0;
  },
  ipv6_is_in_range: ([a, r], ctx) => {
    const ips = ipv6Args(a, r, ctx);
    if (!ips) return null;
    const m = mask128(ips[1].prefix);
    return (ips[0].value & m) === (ips[1].value & m);
  },
  ipv6_is_in_any_range: ([a, ...ranges], ctx) => {
    const ip = isNull(a) ? null : parseIpv6(str(a, argType(ctx, 0)));
    if (!ip) return null;
    return listArgs(ranges).some((r) => {
      const range = typeof r === 'string' ? parseIpv6(r) : null;
      if (!range) return false;
      const m = mask128(range.prefix);
      return (ip.value & m) === (range.value & m);
    });
  },
});
