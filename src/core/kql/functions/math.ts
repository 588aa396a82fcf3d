// Numeric functions. A null argument gives null; results follow the analyzer's result type.
import { defineFunctions, type CallContext, type FunctionBody, type Value } from './define';
import { int, num, numericResult } from './helpers';

function unary(fn: (x: number) => number): FunctionBody {
  return ([v]: Value[], ctx: CallContext) => {
    const x = num(v);
    return x === null ? null : numericResult(fn(x), ctx.resultType);
  };
}

/** Rounds half away from zero, as .NET's MidpointRounding.AwayFromZero. */
export function roundHalfAway(x: number, digits = 0): number {
  if (!Number.isFinite(x)) return x;
  const factor = 10 ** digits;
  // Math.round rounds .5 up, which for the absolute value is away from zero.
  const r = Math.round(Math.abs(x) * factor) / factor;
  return x < 0 ? -r : r;
}

const LONG_MASK = (1n << 64n) - 1n;

function toBig(v: Value): bigint | null {
  const n = int(v);
  return n === null ? null : BigInt(n);
}

/** Interprets a 64-bit pattern as a signed long. */
function signed64(b: bigint): number {
  return Number(BigInt.asIntN(64, b & LONG_MASK));
}

function binary(fn: (a: bigint, b: bigint) => bigint): FunctionBody {
  return ([a, b]) => {
    const x = toBig(a);
    const y = toBig(b);
    return x === null || y === null ? null : signed64(fn(x, y));
  };
}

/** Lanczos approximation of the gamma function. */
function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return Math.sqrt(2 * Math.PI) * t ** (x + 0.5) * Math.exp(-t) * a;
}

/** Error function (Abramowitz–Stegun 7.1.26 refined with a series for small |x|). */
function erf(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? NaN : Math.sign(x);
  const ax = Math.abs(x);
  if (ax < 2) {
    // Maclaurin series, converges fast for |x| < 2.
    let sum = x;
    let term = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  return Math.sign(x) * (1 - erfcLarge(ax));
}

/** erfc for x >= 2 by a continued fraction. */
function erfcLarge(x: number): number {
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (x + f);
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
}

defineFunctions({
  abs: unary(Math.abs),
  ceiling: unary(Math.ceil),
  sqrt: unary((x) => (x < 0 ? NaN : Math.sqrt(x))),
  exp: unary(Math.exp),
  exp2: unary((x) => 2 ** x),
  exp10: unary((x) => 10 ** x),
  log: unary((x) => (x < 0 ? NaN : Math.log(x))),
  log10: unary((x) => (x < 0 ? NaN : Math.log10(x))),
  log2: unary((x) => (x < 0 ? NaN : Math.log2(x))),
  sign: unary((x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0)),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  cot: unary((x) => 1 / Math.tan(x)),
  degrees: unary((x) => (x * 180) / Math.PI),
  radians: unary((x) => (x * Math.PI) / 180),
  gamma: unary(gamma),
  loggamma: unary((x) => Math.log(Math.abs(gamma(x)))),
  erf: unary(erf),
  erfc: unary((x) => (x >= 2 ? erfcLarge(x) : 1 - erf(x))),
  pi: () => Math.PI,
  atan2: ([y, x]) => {
    const a = num(y);
    const b = num(x);
    return a === null || b === null ? null : Math.atan2(a, b);
  },
  pow: ([b, e], ctx) => {
    const x = num(b);
    const y = num(e);
    return x === null || y === null ? null : numericResult(x ** y, ctx.resultType);
  },
  round: ([v, digits], ctx) => {
    const x = num(v);
    const d = digits === undefined ? 0 : int(digits);
    if (x === null || d === null) return null;
    return numericResult(roundHalfAway(x, d), ctx.resultType);
  },
  rand: ([range]) => {
    const n = range === undefined ? null : int(range);
    return n === null ? Math.random() : Math.floor(Math.random() * n);
  },
  binary_and: binary((a, b) => a & b),
  binary_or: binary((a, b) => a | b),
  binary_xor: binary((a, b) => a ^ b),
  binary_shift_left: binary((a, b) => (b < 0n || b >= 64n ? 0n : a << b)),
  binary_shift_right: binary((a, b) => (b < 0n || b >= 64n ? 0n : BigInt.asUintN(64, a) >> b)),
  binary_not: ([a]) => {
    const x = toBig(a);
    return x === null ? null : signed64(~x);
  },
  bitset_count_ones: ([a]) => {
    const x = toBig(a);
    if (x === null) return null;
    let bits = BigInt.asUintN(64, x);
    let count = 0;
    while (bits) {
      count += Number(bits & 1n);
      bits >>= 1n;
    }
    return count;
  },
});
