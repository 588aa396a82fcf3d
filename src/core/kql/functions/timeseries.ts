// Time-series analysis functions that return several values (series_fit_line, series_stats, series_decompose,
// series_decompose_anomalies) and series_outliers. A multi-value function returns a JS array of its values in
// Kusto's order; the translator spreads it into one column per value with `__tuple_item`.
import { defineFunctions, type Value } from './define';
import { isNull } from './helpers';

function numbers(v: Value): (number | null)[] | null {
  if (!Array.isArray(v)) return null;
  return v.map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : typeof x === 'boolean' ? (x ? 1 : 0) : null));
}

/** Linear regression of y over its index; null elements are left out of the fit. */
function lineFit(y: (number | null)[]): {
  slope: number;
  interception: number;
  rsquare: number;
  variance: number;
  rvariance: number;
  fit: number[];
} {
  const pts: [number, number][] = [];
  y.forEach((v, x) => {
    if (v !== null) pts.push([x, v]);
  });
  const n = pts.length;
  const mx = n ? pts.reduce((a, p) => a + p[0], 0) / n : 0;
  const my = n ? pts.reduce((a, p) => a + p[1], 0) / n : 0;
  let sxy = 0,
    sxx = 0;
  for (const [x, v] of pts) {
    sxy += (x - mx) * (v - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const interception = my - slope * mx;
  let ssRes = 0,
    ssTot = 0;
  for (const [x, v] of pts) {
    ssRes += (v - (interception + slope * x)) ** 2;
    ssTot += (v - my) ** 2;
  }
  return {
    slope,
    interception,
    rsquare: ssTot === 0 ? 1 : 1 - ssRes / ssTot,
    variance: n > 1 ? ssTot / (n - 1) : 0,
    rvariance: n > 1 ? ssRes / (n - 1) : 0,
    fit: y.map((_, x) => interception + slope * x),
  };
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Percentile with linear interpolation between closest ranks (p in 0..100). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const r = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(r),
    hi = Math.ceil(r);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (r - lo);
}

/** The period (2 … n/2) with the highest autocorrelation, if it reaches the threshold; else 0 (no season). */
function detectPeriod(xs: number[], threshold: number): number {
  const n = xs.length;
  if (n < 8) return 0;
  const m = mean(xs);
  const d = xs.map((x) => x - m);
  const denom = d.reduce((a, x) => a + x * x, 0);
  if (denom === 0) return 0;
  let best = 0,
    bestScore = threshold;
  for (let p = 2; p <= Math.floor(n / 2); p++) {
    let s = 0;
    for (let i = 0; i + p < n; i++) s += d[i] * d[i + p];
    const score = s / denom;
    if (score > bestScore + 1e-9) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

interface Decomposition {
  baseline: number[];
  seasonal: number[];
  trend: number[];
  residual: (number | null)[];
}

function decompose(
  v: Value,
  seasonalityArg: Value,
  trendArg: Value,
  testPointsArg: Value,
  thresholdArg: Value,
): Decomposition | null {
  const ys = numbers(v);
  if (!ys) return null;
  const n = ys.length;
  const testPoints = Math.max(0, Math.min(n, typeof testPointsArg === 'number' ? Math.floor(testPointsArg) : 0));
  const train = ys.slice(0, n - testPoints);
  const filled = train.map((x) => x ?? 0);
  const kind = typeof trendArg === 'string' ? trendArg.toLowerCase() : 'linefit';
  let trend: number[];
  if (kind === 'none') trend = ys.map(() => 0);
  else if (kind === 'avg') {
    const m = mean(train.filter((x): x is number => x !== null));
    trend = ys.map(() => m);
  } else {
    const f = lineFit(train);
    trend = ys.map((_, x) => f.interception + f.slope * x);
  }
  const threshold = typeof thresholdArg === 'number' ? thresholdArg : 0.6;
  let period = typeof seasonalityArg === 'number' && Number.isFinite(seasonalityArg) ? Math.floor(seasonalityArg) : -1;
  const detrended = filled.map((x, i) => x - trend[i]);
  if (period < 0) period = detectPeriod(detrended, threshold);
  const seasonal = ys.map(() => 0);
  if (period >= 2 && period <= n) {
    const sums = new Array(period).fill(0),
      counts = new Array(period).fill(0);
    train.forEach((x, i) => {
      if (x !== null) {
        sums[i % period] += x - trend[i];
        counts[i % period]++;
      }
    });
    for (let i = 0; i < n; i++) seasonal[i] = counts[i % period] ? sums[i % period] / counts[i % period] : 0;
  }
  const baseline = ys.map((_, i) => trend[i] + seasonal[i]);
  const residual = ys.map((x, i) => (x === null ? null : x - baseline[i]));
  return { baseline, seasonal, trend, residual };
}

/** Tukey-fence scores: how many interquartile ranges a value lies above Q3 (positive) or below Q1 (negative). */
function outlierScores(xs: (number | null)[], minPct: number, maxPct: number): (number | null)[] {
  const sorted = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const q1 = percentile(sorted, minPct),
    q3 = percentile(sorted, maxPct);
  const iqr = q3 - q1;
  return xs.map((x) => {
    if (x === null || Number.isNaN(q1)) return null;
    if (x > q3) return iqr === 0 ? (x === q3 ? 0 : Infinity) : (x - q3) / iqr;
    if (x < q1) return iqr === 0 ? -Infinity : -(q1 - x) / iqr;
    return 0;
  });
}

defineFunctions({
  /** The i-th value of a multi-value function's result. */
  __tuple_item: ([t, i]) => (Array.isArray(t) && typeof i === 'number' ? (t[i] ?? null) : null),
  series_fit_line: ([v]) => {
    const ys = numbers(v);
    if (!ys || ys.every((x) => x === null)) return null;
    const f = lineFit(ys);
    return [f.rsquare, f.slope, f.variance, f.rvariance, f.interception, f.fit];
  },
  series_stats: ([v, ignoreNonfinite]) => {
    if (!Array.isArray(v)) return null;
    const raw = v.map((x) => (typeof x === 'number' ? x : null));
    if (ignoreNonfinite !== true && raw.some((x) => x !== null && !Number.isFinite(x)))
      return [NaN, -1, NaN, -1, NaN, NaN, NaN];
    const xs = raw.map((x) => (x !== null && Number.isFinite(x) ? x : null));
    let min: number | null = null,
      max: number | null = null,
      minIdx = -1,
      maxIdx = -1,
      sum = 0,
      count = 0;
    xs.forEach((x, i) => {
      if (x === null) return;
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
    const avg = count ? sum / count : null;
    let sq = 0;
    for (const x of xs) if (x !== null && avg !== null) sq += (x - avg) ** 2;
    const variance = count > 1 ? sq / (count - 1) : count === 1 ? 0 : null;
    return [
      min,
      count ? minIdx : null,
      max,
      count ? maxIdx : null,
      avg,
      variance === null ? null : Math.sqrt(variance),
      variance,
    ];
  },
  series_decompose: ([v, seasonality, trend, testPoints, threshold]) => {
    const d = decompose(v, seasonality ?? -1, trend ?? 'linefit', testPoints ?? 0, threshold ?? 0.6);
    return d ? [d.baseline, d.seasonal, d.trend, d.residual] : null;
  },
  series_decompose_anomalies: ([v, threshold, seasonality, trend, testPoints, method, seasonalityThreshold]) => {
    const d = decompose(v, seasonality ?? -1, trend ?? 'avg', testPoints ?? 0, seasonalityThreshold ?? 0.6);
    if (!d) return null;
    const k = typeof threshold === 'number' ? threshold : 1.5;
    const tukey = typeof method === 'string' && method.toLowerCase() === 'tukey';
    const scores = outlierScores(d.residual, tukey ? 25 : 10, tukey ? 75 : 90);
    const flags = scores.map((s) => (s === null ? 0 : s > k ? 1 : s < -k ? -1 : 0));
    return [flags, scores.map((s) => (s === null ? 0 : s)), d.baseline];
  },
  series_outliers: ([v, kind, ignoreVal, minPct, maxPct]) => {
    const ys = numbers(v);
    if (!ys) return null;
    const xs = isNull(ignoreVal ?? null) ? ys : ys.map((x) => (x === ignoreVal ? null : x));
    const tukey = typeof kind === 'string' && kind.toLowerCase() === 'tukey';
    const lo = !tukey && typeof minPct === 'number' ? minPct : tukey ? 25 : 10;
    const hi = !tukey && typeof maxPct === 'number' ? maxPct : tukey ? 75 : 90;
    return outlierScores(xs, lo, hi).map((s) => (s === null ? 0 : s));
  },
});
