// Whether chart data is a real time series worth drawing unasked: enough distinct points in time, and
// series that are lines rather than one dot each (one row per IP with a "first seen" time is a table).
export interface ChartShape {
  x: number[];
  series: { values: (number | null)[] }[];
}

export const MIN_TIME_POINTS = 5;
export const MIN_POINTS_PER_SERIES = 3;

export function isRealTimeSeries(data: ChartShape): boolean {
  if (data.x.length < MIN_TIME_POINTS || !data.series.length) return false;
  const points = data.series.map((s) => s.values.filter((v) => v !== null && Number.isFinite(v)).length);
  const average = points.reduce((a, b) => a + b, 0) / points.length;
  return average >= MIN_POINTS_PER_SERIES && Math.max(...points) >= MIN_TIME_POINTS;
}
