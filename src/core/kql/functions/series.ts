// series_* functions over numeric dynamic arrays (element-wise math, comparisons, fills, statistics).
// A non-numeric element gives null in element-wise results.
import { KqlError } from '../../errors';
import { defineFunctions, type CallContext, type FunctionBody, type Value } from './define';
import { argType, int, isNull, num } from './helpers';

function element(v: unknown): number | null {
  return typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : null;
}

function series(v: Value): (number | null)[] | null {
  return Array.isArray(v) ? v.map(element) : null;
}

/** An operand of a binary series function: an array, or a scalar broadcast to every element. */
function operand(v: Value, ctx: CallContext, i: number): { at(j: number): number | null; length: number } | null {
  if (Array.isArray(v)) {
    const s = v.map(element);
    return { at: (j) => (j < s.length ? s[j] : null), length: s.length };
  }
  if (isNull(v)) return null;
  const n = argType(ctx, i) === 'dynamic' ? element(v) : num(v);
  return n === null ? null : { at: () => n, length: 0 };
}

function unary(fn: (x: number) => number): FunctionBody {
  return ([v]) => {
    const s = series(v);
    return s ? s.map((x) => (x === null ? null : fn(x))) : null;
  };
}

function binary(fn: (a: number, b: number) => number | boolean | null): FunctionBody {
  return ([a, b], ctx) => {
    const x = operand(a, ctx, 0);
    const y = operand(b, ctx, 1);
    if (!x || !y || (x.length === 0 && y.length === 0)) return null;
    const n = Math.max(x.length, y.length);
    const out: unknown[] = [];
    for (let j = 0; j < n; j++) {
      const p = x.at(j);
      const q = y.at(j);
      out.push(p === null || q === null ? null : fn(p, q));
    }
    return out;
  };
}

function numbers(v: Value): number[] | null {
  const s = series(v);
  return s ? s.filter((x): x is number => x !== null && !Number.isNaN(x)) : null;
}

function stats(v: Value): Record<string, number | null> | null {
  const s = series(v);
  if (!s) return null;
  let min: number | null = null;
  let max: number | null = null;
  let minIdx = -1;
  let maxIdx = -1;
  let sum = 0;
  let count = 0;
  s.forEach((x, i) => {
    if (x === null || Number.isNaN(x)) return;
    if (min === null || x < min) {
      min = x;
      minIdx = i;
    }
    if (max === null || x > max) {
      max = x;
      maxIdx = i;
    }
    sum += x;
    count++;
  });
  const avg = count ? sum / count : NaN;
  let sq = 0;
  for (const x of s) if (x !== null && !Number.isNaN(x)) sq += (x - avg) ** 2;
  const variance = count > 1 ? sq / (count - 1) : count === 1 ? 0 : NaN;
  return { min, min_idx: minIdx, max, max_idx: maxIdx, avg, stdev: Math.sqrt(variance), variance, sum, len: s.length };
}

function fitLine(v: Value): Record<string, unknown> | null {
  const s = series(v);
  if (!s) return null;
  const pts = s.map((y, x) => [x, y] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  const n = pts.length;
  if (n === 0) return null;
  const mx = pts.reduce((a, p) => a + p[0], 0) / n;
  const my = pts.reduce((a, p) => a + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const interception = my - slope * mx;
  const lineFit = s.map((_, x) => interception + slope * x);
  let ssRes = 0;
  let ssTot = 0;
  for (const [x, y] of pts) {
    ssRes += (y - (interception + slope * x)) ** 2;
    ssTot += (y - my) ** 2;
  }
  const variance = n > 1 ? ssTot / (n - 1) : 0;
  const rvariance = n > 1 ? ssRes / (n - 1) : 0;
  return { rsquare: ssTot === 0 ? 1 : 1 - ssRes / ssTot, slope, variance, rvariance, interception, line_fit: lineFit };
}

function fillDirection(values: unknown[], missing: (x: unknown) => boolean, forward: boolean): unknown[] {
  const out = [...values];
  let last: unknown = undefined;
  const idx = forward ? [...out.keys()] : [...out.keys()].reverse();
  for (const i of idx) {
    if (missing(out[i])) {
      if (last !== undefined) out[i] = last;
    } else {
      last = out[i];
    }
  }
  return out;
}

function missingTest(placeholder: Value): (x: unknown) => boolean {
  return isNull(placeholder) ? (x) => x === null || x === undefined : (x) => x === placeholder || x === null;
}

defineFunctions({
  series_abs: unary(Math.abs),
  series_acos: unary(Math.acos),
  series_asin: unary(Math.asin),
  series_atan: unary(Math.atan),
  series_ceiling: unary(Math.ceil),
  series_floor: unary(Math.floor),
  series_cos: unary(Math.cos),
  series_sin: unary(Math.sin),
  series_tan: unary(Math.tan),
  series_exp: unary(Math.exp),
  series_log: unary(Math.log),
  series_sign: unary((x) => (x > 0 ? 1 : x < 0 ? -1 : 0)),
  series_add: binary((a, b) => a + b),
  series_subtract: binary((a, b) => a - b),
  series_multiply: binary((a, b) => a * b),
  series_divide: binary((a, b) => a / b),
  series_pow: binary((a, b) => a ** b),
  series_equals: binary((a, b) => a === b),
  series_not_equals: binary((a, b) => a !== b),
  series_greater: binary((a, b) => a > b),
  series_greater_equals: binary((a, b) => a >= b),
  series_less: binary((a, b) => a < b),
  series_less_equals: binary((a, b) => a <= b),
  series_sum: ([v]) => {
    const s = numbers(v);
    return s ? s.reduce((a, x) => a + x, 0) : null;
  },
  series_product: ([v]) => {
    const s = numbers(v);
    return s ? s.reduce((a, x) => a * x, 1) : null;
  },
  series_magnitude: ([v]) => {
    const s = numbers(v);
    return s ? Math.sqrt(s.reduce((a, x) => a + x * x, 0)) : null;
  },
  series_dot_product: ([a, b], ctx) => {
    const x = operand(a, ctx, 0);
    const y = operand(b, ctx, 1);
    if (!x || !y) return null;
    const n = Math.max(x.length, y.length);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const p = x.at(j);
      const q = y.at(j);
      if (p !== null && q !== null) sum += p * q;
    }
    return sum;
  },
  series_cosine_similarity: ([a, b]) => {
    const x = series(a);
    const y = series(b);
    if (!x || !y || x.length !== y.length) return null;
    let dot = 0;
    let nx = 0;
    let ny = 0;
    for (let i = 0; i < x.length; i++) {
      const p = x[i] ?? 0;
      const q = y[i] ?? 0;
      dot += p * q;
      nx += p * p;
      ny += q * q;
    }
    return dot / Math.sqrt(nx * ny);
  },
  series_pearson_correlation: ([a, b]) => {
    const x = series(a);
    const y = series(b);
    if (!x || !y || x.length !== y.length || x.length === 0) return null;
    const pairs = x
      .map((p, i) => [p, y[i]] as const)
      .filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
    const n = pairs.length;
    const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
    const my = pairs.reduce((s, p) => s + p[1], 0) / n;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (const [p, q] of pairs) {
      sxy += (p - mx) * (q - my);
      sxx += (p - mx) ** 2;
      syy += (q - my) ** 2;
    }
    return sxy / Math.sqrt(sxx * syy);
  },
  series_stats_dynamic: ([v]) => stats(v),
  series_fit_line_dynamic: ([v]) => fitLine(v),
  series_fill_forward: ([v, placeholder]) =>
    Array.isArray(v) ? fillDirection(v, missingTest(placeholder ?? null), true) : null,
  series_fill_backward: ([v, placeholder]) =>
    Array.isArray(v) ? fillDirection(v, missingTest(placeholder ?? null), false) : null,
  series_fill_const: ([v, constant, placeholder], ctx) => {
    if (!Array.isArray(v)) return null;
    const missing = missingTest(placeholder ?? null);
    const c = constant === undefined ? 0 : argType(ctx, 1) === 'dynamic' ? constant : num(constant);
    return v.map((x) => (missing(x) ? c : x));
  },
  series_fill_linear: ([v, placeholder, fillEdges, constant]) => {
    if (!Array.isArray(v)) return null;
    const missing = missingTest(placeholder ?? null);
    const edges = fillEdges === undefined || fillEdges === null ? true : fillEdges === true;
    const out: unknown[] = [...v];
    const known = v.map((x, i) => (missing(x) || typeof x !== 'number' ? -1 : i)).filter((i) => i >= 0);
    // Interpolated values are reals: a dynamic array cannot tell 111.0 from 111 once parsed.
    if (known.length === 0) return out.map(() => (constant === undefined || constant === null ? 0 : constant));
    for (let k = 0; k + 1 < known.length; k++) {
      const i = known[k];
      const j = known[k + 1];
      for (let m = i + 1; m < j; m++) {
        const a = v[i] as number;
        const b = v[j] as number;
        const val = a + ((b - a) * (m - i)) / (j - i);
        out[m] = val;
      }
    }
    const first = known[0];
    const last = known[known.length - 1];
    for (let m = 0; m < first; m++) out[m] = edges ? v[first] : (constant ?? null);
    for (let m = last + 1; m < v.length; m++) out[m] = edges ? v[last] : (constant ?? null);
    return out;
  },
  series_iir: ([v, numerators, denominators]) => {
    const x = series(v);
    const b = series(numerators);
    const a = series(denominators);
    if (!x || !b || !a || a.length === 0 || !a[0]) return null;
    const y: number[] = [];
    for (let n = 0; n < x.length; n++) {
      let acc = 0;
      for (let i = 0; i < b.length; i++) if (n - i >= 0) acc += (b[i] ?? 0) * (x[n - i] ?? 0);
      for (let j = 1; j < a.length; j++) if (n - j >= 0) acc -= (a[j] ?? 0) * y[n - j];
      y.push(acc / (a[0] as number));
    }
    return y;
  },
  series_seasonal: ([v, period]) => {
    const s = series(v);
    if (!s) return null;
    const p = period === undefined ? null : int(period);
    if (p === null)
      throw new KqlError(
        'local engine does not support series_seasonal() without an explicit period',
        undefined,
        'KqlUnsupported',
      );
    if (p <= 0) return null;
    // Each phase's seasonal value is the median of the values at that phase.
    const phases: number[][] = Array.from({ length: Math.min(p, s.length) }, () => []);
    s.forEach((x, i) => {
      if (x !== null && !Number.isNaN(x)) phases[i % p].push(x);
    });
    const medians = phases.map((values) => {
      if (values.length === 0) return null;
      values.sort((a, b) => a - b);
      const mid = values.length >> 1;
      return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    });
    return s.map((_, i) => medians[i % p]);
  },
});
