// Punycode (RFC 3492) and the punycode_* functions.
import { defineFunctions } from './define';
import { argType, str } from './helpers';

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let d = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function threshold(k: number, bias: number): number {
  return k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
}

function digitChar(d: number): string {
  return String.fromCharCode(d < 26 ? 97 + d : 22 + d);
}

function charDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 22;
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return BASE;
}

/** Encodes a string's code points with Punycode (no `xn--` prefix). */
export function punycodeEncode(input: string): string {
  const cps = [...input].map((c) => c.codePointAt(0)!);
  let out = cps
    .filter((c) => c < 0x80)
    .map((c) => String.fromCharCode(c))
    .join('');
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += '-';
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = BASE; ; k += BASE) {
          const t = threshold(k, bias);
          if (q < t) break;
          out += digitChar(t + ((q - t) % (BASE - t)));
          q = Math.floor((q - t) / (BASE - t));
        }
        out += digitChar(q);
        bias = adapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

/** Decodes Punycode (no `xn--` prefix); null when malformed. */
export function punycodeDecode(input: string): string | null {
  const sep = input.lastIndexOf('-');
  const out: number[] = [];
  for (let j = 0; j < Math.max(0, sep); j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return null;
    out.push(c);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let idx = sep > 0 ? sep + 1 : 0; idx < input.length;) {
    const oldi = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (idx >= input.length) return null;
      const digit = charDigit(input.charCodeAt(idx++));
      if (digit >= BASE) return null;
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= BASE - t;
      if (w > 1e12) return null;
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff) return null;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}

const DOT = /[.\u3002\uff0e\uff61]/;
/** A label with no character above U+007F (written without control characters in the class). */
const ASCII_LABEL = /^[^\u0080-\uffff]*$/;

defineFunctions({
  punycode_from_string: ([v], ctx) => punycodeEncode(str(v, argType(ctx, 0))),
  punycode_to_string: ([v], ctx) => punycodeDecode(str(v, argType(ctx, 0))),
  punycode_domain_from_string: ([v], ctx) => {
    const labels = str(v, argType(ctx, 0))
      .split(DOT)
      .map((l) => (/^xn--/i.test(l) ? punycodeDecode(l.slice(4)) : l));
    return labels.includes(null) ? null : labels.join('.');
  },
  punycode_domain_to_string: ([v], ctx) =>
    str(v, argType(ctx, 0))
      .split(DOT)
      .map((l) => (ASCII_LABEL.test(l) ? l : 'xn--' + punycodeEncode(l)))
      .join('.'),
});
