// GeoJSON shapes for the geo_* functions, read the way Kusto documents them: coordinates are
// [longitude, latitude] in degrees on a sphere (WGS-84 interpreted spherically), edges are geodesics,
// and anything invalid (bad coordinates, too few vertices, an edge of 180° or more, a self-crossing
// ring) makes the function return null. Geometry is done with s2js, a port of the S2 library.
import type { s2 } from 's2js';
import { num } from './helpers';
import type { Value } from './define';

let s2Module: typeof s2 | undefined;
/** s2js, loaded on the first geo call (a lazy require keeps it out of start-up). */
export function S2(): typeof s2 {
  return (s2Module ??= (require('s2js') as typeof import('s2js')).s2);
}

/** The sphere Kusto measures on (S2's mean Earth radius), in metres. */
export const EARTH_RADIUS_M = 6371010;
const DEG = Math.PI / 180;

export type LngLat = [number, number];

export function validLngLat(lng: number | null, lat: number | null): boolean {
  return (
    lng !== null &&
    lat !== null &&
    Number.isFinite(lng) &&
    Number.isFinite(lat) &&
    Math.abs(lng) <= 180 &&
    Math.abs(lat) <= 90
  );
}

/** Two numeric arguments as a valid [lng, lat], or null. */
export function lngLatArgs(lng: Value, lat: Value): LngLat | null {
  const x = num(lng);
  const y = num(lat);
  return validLngLat(x, y) ? [x!, y!] : null;
}

export function toPoint([lng, lat]: LngLat): s2.Point {
  return S2().Point.fromLatLng(S2().LatLng.fromDegrees(lat, lng));
}

export function toLngLat(p: s2.Point): LngLat {
  const ll = S2().LatLng.fromPoint(p);
  return [ll.lng / DEG, ll.lat / DEG];
}

export function pointGeoJson([lng, lat]: LngLat): Record<string, unknown> {
  return { type: 'Point', coordinates: [lng, lat] };
}

/** A GeoJSON position as [lng, lat] (extra ordinates such as altitude are ignored), or null. */
function position(v: unknown): LngLat | null {
  if (!Array.isArray(v) || v.length < 2) return null;
  const lng = typeof v[0] === 'number' ? v[0] : null;
  const lat = typeof v[1] === 'number' ? v[1] : null;
  return validLngLat(lng, lat) ? [lng!, lat!] : null;
}

function sameLngLat(a: LngLat, b: LngLat): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** An edge shorter than 180° (Kusto refuses antipodal vertices: the geodesic between them is not unique). */
function edgeOk(a: LngLat, b: LngLat): boolean {
  return toPoint(a).distance(toPoint(b)) < Math.PI - 1e-12;
}

/** A line: at least two positions and every edge shorter than 180°; null otherwise. */
export function lineCoords(v: unknown): LngLat[] | null {
  if (!Array.isArray(v) || v.length < 2) return null;
  const pts: LngLat[] = [];
  for (const c of v) {
    const p = position(c);
    if (!p) return null;
    pts.push(p);
  }
  for (let i = 1; i < pts.length; i++) if (!sameLngLat(pts[i - 1], pts[i]) && !edgeOk(pts[i - 1], pts[i])) return null;
  return pts;
}

function shape(v: Value): { type: string; coordinates: unknown } | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  return typeof o.type === 'string' && Array.isArray(o.coordinates)
    ? { type: o.type, coordinates: o.coordinates }
    : null;
}

/** A LineString or MultiLineString as its lines of positions, or null when invalid. */
export function parseLines(v: Value): LngLat[][] | null {
  const s = shape(v);
  if (!s) return null;
  if (s.type === 'LineString') {
    const l = lineCoords(s.coordinates);
    return l ? [l] : null;
  }
  if (s.type === 'MultiLineString') {
    const ls = s.coordinates as unknown[];
    if (ls.length === 0) return null;
    const out: LngLat[][] = [];
    for (const c of ls) {
      const l = lineCoords(c);
      if (!l) return null;
      out.push(l);
    }
    return out;
  }
  return null;
}

/** An s2 polyline of distinct consecutive vertices (a repeated vertex adds nothing to a geodesic line). */
export function polyline(line: LngLat[]): s2.Polyline {
  const pts: s2.Point[] = [];
  for (let i = 0; i < line.length; i++) if (i === 0 || !sameLngLat(line[i - 1], line[i])) pts.push(toPoint(line[i]));
  return new (S2().Polyline)(pts);
}

export interface ParsedPolygon {
  /** Each polygon's rings as given (closed: first = last), shell first. */
  rings: LngLat[][][];
  /** One s2 polygon per GeoJSON polygon (shell and holes). */
  polygons: s2.Polygon[];
}

/** A ring's loop: at least 4 positions, closed, 3+ distinct vertices, not crossing itself; the smaller of
 *  the two regions it bounds (so both orientations mean the same area, as Kusto documents). */
function ringLoop(v: unknown): { coords: LngLat[]; loop: s2.Loop } | null {
  if (!Array.isArray(v) || v.length < 4) return null;
  const coords: LngLat[] = [];
  for (const c of v) {
    const p = position(c);
    if (!p) return null;
    coords.push(p);
  }
  if (!sameLngLat(coords[0], coords[coords.length - 1])) return null;
  const vertices: LngLat[] = [];
  for (const c of coords.slice(0, -1))
    if (!vertices.length || !sameLngLat(vertices[vertices.length - 1], c)) vertices.push(c);
  if (vertices.length > 1 && sameLngLat(vertices[0], vertices[vertices.length - 1])) vertices.pop();
  if (vertices.length < 3) return null;
  for (let i = 0; i < vertices.length; i++) if (!edgeOk(vertices[i], vertices[(i + 1) % vertices.length])) return null;
  const loop = new (S2().Loop)(vertices.map(toPoint));
  if (loop.validate()) return null;
  loop.normalize();
  return { coords, loop };
}

function polygonOf(v: unknown): { rings: LngLat[][]; polygon: s2.Polygon } | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const rings: LngLat[][] = [];
  const loops: s2.Loop[] = [];
  for (const r of v) {
    const parsed = ringLoop(r);
    if (!parsed) return null;
    rings.push(parsed.coords);
    loops.push(parsed.loop);
  }
  const polygon = new (S2().Polygon)(loops);
  return polygon.validate() ? null : { rings, polygon };
}

/** A Polygon or MultiPolygon, or null when invalid. */
export function parsePolygons(v: Value): ParsedPolygon | null {
  const s = shape(v);
  if (!s) return null;
  const parts =
    s.type === 'Polygon' ? [s.coordinates] : s.type === 'MultiPolygon' ? (s.coordinates as unknown[]) : null;
  if (!parts || parts.length === 0) return null;
  const out: ParsedPolygon = { rings: [], polygons: [] };
  for (const part of parts) {
    const p = polygonOf(part);
    if (!p) return null;
    out.rings.push(p.rings);
    out.polygons.push(p.polygon);
  }
  return out;
}

/** Whether the polygons of a MultiPolygon overlap (their union is then not the sum of the parts). */
export function polygonsOverlap(polygons: s2.Polygon[]): boolean {
  for (let i = 0; i < polygons.length; i++)
    for (let j = i + 1; j < polygons.length; j++) if (polygons[i].intersects(polygons[j])) return true;
  return false;
}

export function polygonContains(p: ParsedPolygon, point: s2.Point): boolean {
  return p.polygons.some((poly) => poly.containsPoint(point));
}

/** Every ring of every polygon as a closed s2 polyline (for distances to the boundary). */
export function boundaries(p: ParsedPolygon): s2.Polyline[] {
  return p.rings.flat().map((ring) => polyline(ring));
}

/** The closest point to `target` on any of the polylines, with its angular distance. */
export function closestOnPolylines(lines: s2.Polyline[], target: s2.Point): { point: s2.Point; angle: number } {
  let best = { point: target, angle: Infinity };
  for (const line of lines) {
    const [q] = line.points.length === 1 ? [line.points[0]] : line.project(target);
    const angle = target.distance(q);
    if (angle < best.angle) best = { point: q, angle };
  }
  return best;
}
