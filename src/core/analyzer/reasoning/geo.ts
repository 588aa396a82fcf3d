// Pure geography helpers for the sign-in rules.
import { Row, num, str } from './context';

const HOUR = 3600_000;

export interface Trip {
  pair: [Row, Row];
  km: number;
  hours: number;
  kmh: number;
}

/**
 * Consecutive successful sign-in locations too far apart for the time between them (> 900 km/h over
 * > 500 km). Rows are hour bins (`Hour`, `Latitude`, `Longitude`); the fastest such hop is returned.
 */
export function impossibleTravel(rows: Row[]): Trip | undefined {
  const pts = rows
    .map((r) => ({ r, t: Date.parse(str(r.Hour)), lat: num(r.Latitude), lon: num(r.Longitude) }))
    .filter((p) => Number.isFinite(p.t) && (p.lat !== 0 || p.lon !== 0))
    .sort((a, b) => a.t - b.t);
  let best: Trip | undefined;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const km = haversineKm(a.lat, a.lon, b.lat, b.lon);
    if (km < 500) continue;
    // Hour bins: the real gap is at most (difference + 1 h); using the upper bound keeps false positives out.
    const hours = (b.t - a.t) / HOUR + 1;
    const kmh = km / hours;
    if (kmh > 900 && (!best || kmh > best.kmh)) best = { pair: [a.r, b.r], km, hours, kmh };
  }
  return best;
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}
