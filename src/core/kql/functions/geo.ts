// Geospatial measures on the sphere: distances, azimuths, containment, lines and polygons, as the
// KQL reference documents them (metres, radians, GeoJSON in and out, null for invalid input).
import type { s2 } from 's2js';
import { KqlError } from '../../errors';
import { defineFunctions, type Value } from './define';
import { isNull, num, str } from './helpers';
import {
  EARTH_RADIUS_M,
  S2,
  boundaries,
  closestOnPolylines,
  lngLatArgs,
  parseLines,
  parsePolygons,
  pointGeoJson,
  polygonContains,
  polygonsOverlap,
  polyline,
  toLngLat,
  toPoint,
  type LngLat,
  type ParsedPolygon,
} from './geoShapes';
import { parseWkt } from './geoWkt';

const TWO_PI = 2 * Math.PI;

/** Initial bearing of the geodesic from a to b, clockwise from north, in [0, 2π); null for the same point. */
function azimuth(a: LngLat, b: LngLat): number | null {
  if (toPoint(a).distance(toPoint(b)) === 0) return null;
  const [f1, f2] = [a[1], b[1]].map((d) => (d * Math.PI) / 180);
  const dl = ((b[0] - a[0]) * Math.PI) / 180;
  const y = Math.sin(dl) * Math.cos(f2);
  const x = Math.cos(f1) * Math.sin(f2) - Math.sin(f1) * Math.cos(f2) * Math.cos(dl);
  const az = Math.atan2(y, x);
  return az < 0 ? az + TWO_PI : az;
}

function metres(angle: number): number {
  return angle * EARTH_RADIUS_M;
}

/** The argument as a valid polygon, or null. */
function polygonArg(v: Value): ParsedPolygon | null {
  return isNull(v) ? null : parsePolygons(v);
}

/** Area, perimeter and centroid of a MultiPolygon are those of the union of its parts; overlapping parts
 *  would need polygon union, which the local engine does not have: it says so instead of adding them up. */
function requireDisjoint(fn: string, p: ParsedPolygon): void {
  if (p.polygons.length > 1 && polygonsOverlap(p.polygons)) {
    throw new KqlError(
      `local engine does not support ${fn}() of a MultiPolygon whose polygons overlap`,
      undefined,
      'KqlUnsupported',
    );
  }
}

/** An optional tolerance in metres within [min, max]; the default when the argument is absent. */
function toleranceArg(args: Value[], i: number, dflt: number, min: number, max: number): number | null {
  if (args.length <= i) return dflt;
  const t = num(args[i]);
  return t !== null && t >= min && t <= max ? t : null;
}

/** Splits the planar edge a→b (straight in longitude/latitude) until each piece lies within `tolerance`
 *  metres of its geodesic, halving each time; returns the added interior points. */
function densifyEdge(a: LngLat, b: LngLat, tolerance: number, depth = 0): LngLat[] {
  const mid: LngLat = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const geodesic = new (S2().Polyline)([toPoint(a), toPoint(b)]);
  const m = toPoint(mid);
  const [onGeodesic] = geodesic.project(m);
  if (depth >= 20 || metres(m.distance(onGeodesic)) <= tolerance) return [];
  return [...densifyEdge(a, mid, tolerance, depth + 1), mid, ...densifyEdge(mid, b, tolerance, depth + 1)];
}

const MAX_DENSIFIED_POINTS = 1 << 20;

function densify(coords: LngLat[], tolerance: number): LngLat[] | null {
  const out: LngLat[] = [coords[0]];
  for (let i = 1; i < coords.length; i++) {
    out.push(...densifyEdge(coords[i - 1], coords[i], tolerance), coords[i]);
    if (out.length > MAX_DENSIFIED_POINTS) return null;
  }
  return out;
}

/** Douglas-Peucker on the sphere: keeps the vertices of `pts[from..to]` farther than `tolerance` metres from
 *  the geodesic that would replace them. */
function douglasPeucker(pts: LngLat[], from: number, to: number, tolerance: number, keep: boolean[]): void {
  if (to - from < 2) return;
  const chord = new (S2().Polyline)([toPoint(pts[from]), toPoint(pts[to])]);
  let farthest = -1;
  let worst = -1;
  for (let i = from + 1; i < to; i++) {
    const p = toPoint(pts[i]);
    const d = metres(p.distance(chord.project(p)[0]));
    if (d > worst) [worst, farthest] = [d, i];
  }
  if (worst <= tolerance) return;
  keep[farthest] = true;
  douglasPeucker(pts, from, farthest, tolerance, keep);
  douglasPeucker(pts, farthest, to, tolerance, keep);
}

/** Vertices closer than `tolerance` to the previous kept one merge into it (the last vertex stays the end). */
function mergeClose(pts: LngLat[], tolerance: number): LngLat[] {
  const out: LngLat[] = [pts[0]];
  for (let i = 1; i < pts.length; i++) {
    const near = metres(toPoint(out[out.length - 1]).distance(toPoint(pts[i]))) <= tolerance;
    if (!near) out.push(pts[i]);
    else if (i === pts.length - 1 && out.length > 1) out[out.length - 1] = pts[i];
  }
  return out;
}

/** A simplified line: vertices within `tolerance` merge, then Douglas-Peucker; null when it collapses to a point. */
function simplifyLine(line: LngLat[], tolerance: number): LngLat[] | null {
  const pts = mergeClose(line, tolerance);
  if (pts.length < 2) return null;
  const keep = pts.map((_, i) => i === 0 || i === pts.length - 1);
  douglasPeucker(pts, 0, pts.length - 1, tolerance, keep);
  return pts.filter((_, i) => keep[i]);
}

/** A simplified closed ring (first vertex kept, split at the vertex farthest from it); null when it collapses. */
function simplifyRing(ring: LngLat[], tolerance: number): LngLat[] | null {
  const open = mergeClose(ring.slice(0, -1), tolerance);
  if (open.length < 3) return null;
  const start = toPoint(open[0]);
  let far = 1;
  for (let i = 2; i < open.length; i++)
    if (start.distance(toPoint(open[i])) > start.distance(toPoint(open[far]))) far = i;
  const pts = [...open, open[0]];
  const keep = pts.map((_, i) => i === 0 || i === far || i === pts.length - 1);
  douglasPeucker(pts, 0, far, tolerance, keep);
  douglasPeucker(pts, far, pts.length - 1, tolerance, keep);
  const out = pts.filter((_, i) => keep[i]);
  return out.length >= 4 ? out : null;
}

// ---------------------------------------------------------------------------------------------
// Intersections of geodesic segments.

type Vec = s2.Point;

function vec(p: Vec): [number, number, number] {
  return [p.x, p.y, p.z];
}

function cross(a: number[], b: number[]): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function norm(a: number[]): number {
  return Math.hypot(a[0], a[1], a[2]);
}

const ON_ARC = 1e-12;

/** Whether x lies on the (shorter) arc a–b. */
function onArc(x: Vec, a: Vec, b: Vec): boolean {
  return Math.abs(a.distance(x) + x.distance(b) - a.distance(b)) <= ON_ARC;
}

type Piece = { kind: 'point'; at: Vec } | { kind: 'line'; from: Vec; to: Vec };

/** What two geodesic segments share: nothing, a point, or (on the same great circle) a segment. */
function segmentIntersection(a0: Vec, a1: Vec, b0: Vec, b1: Vec): Piece | null {
  const n1 = cross(vec(a0), vec(a1));
  const n2 = cross(vec(b0), vec(b1));
  const d = cross(n1, n2);
  const len = norm(d);
  if (len <= 1e-15 * norm(n1) * norm(n2)) {
    // Same great circle: the overlap of the two arcs, if any.
    const inside = [b0, b1].filter((p) => onArc(p, a0, a1)).concat([a0, a1].filter((p) => onArc(p, b0, b1)));
    const distinct: Vec[] = [];
    for (const p of inside) if (!distinct.some((q) => q.distance(p) <= ON_ARC)) distinct.push(p);
    if (distinct.length === 0) return null;
    if (distinct.length === 1) return { kind: 'point', at: distinct[0] };
    // Order the ends along a0→a1.
    distinct.sort((p, q) => a0.distance(p) - a0.distance(q));
    return { kind: 'line', from: distinct[0], to: distinct[distinct.length - 1] };
  }
  for (const sign of [1, -1]) {
    const x = S2().Point.fromCoords((sign * d[0]) / len, (sign * d[1]) / len, (sign * d[2]) / len);
    if (onArc(x, a0, a1) && onArc(x, b0, b1)) return { kind: 'point', at: x };
  }
  return null;
}

/** GeoJSON of the shared points and segments of two sets of lines (Kusto's geo_intersection_2lines shapes). */
function intersectionGeoJson(a: LngLat[][], b: LngLat[][]): Record<string, unknown> {
  const known = new Map<string, LngLat>();
  for (const c of [...a.flat(), ...b.flat()]) known.set(toPoint(c).toString(), c);
  // Report an input vertex with its own coordinates rather than a recomputed approximation of them.
  const coordsOf = (p: Vec): LngLat => {
    for (const c of known.values()) if (toPoint(c).distance(p) <= ON_ARC) return c;
    return toLngLat(p);
  };
  const points: Vec[] = [];
  const lines: [Vec, Vec][] = [];
  for (const la of a)
    for (const lb of b) {
      for (let i = 1; i < la.length; i++)
        for (let j = 1; j < lb.length; j++) {
          const piece = segmentIntersection(toPoint(la[i - 1]), toPoint(la[i]), toPoint(lb[j - 1]), toPoint(lb[j]));
          if (piece?.kind === 'point') points.push(piece.at);
          else if (piece?.kind === 'line') lines.push([piece.from, piece.to]);
        }
    }
  const onLine = (p: Vec) => lines.some(([f, t]) => onArc(p, f, t));
  const lonePoints: LngLat[] = [];
  for (const p of points) {
    if (onLine(p)) continue;
    const c = coordsOf(p);
    if (!lonePoints.some((q) => q[0] === c[0] && q[1] === c[1])) lonePoints.push(c);
  }
  const lineCoordsOut = lines.map(([f, t]) => [coordsOf(f), coordsOf(t)]);
  const geometries: Record<string, unknown>[] = [];
  if (lonePoints.length === 1) geometries.push(pointGeoJson(lonePoints[0]));
  else if (lonePoints.length > 1) geometries.push({ type: 'MultiPoint', coordinates: lonePoints });
  if (lineCoordsOut.length === 1) geometries.push({ type: 'LineString', coordinates: lineCoordsOut[0] });
  else if (lineCoordsOut.length > 1) geometries.push({ type: 'MultiLineString', coordinates: lineCoordsOut });
  return geometries.length === 1 ? geometries[0] : { type: 'GeometryCollection', geometries };
}

/** The parts of the lines inside the polygon: each edge is cut where it crosses a ring, and a piece is
 *  kept when its middle is inside. Pieces that only touch the boundary are not kept. */
function clipLines(lines: LngLat[][], poly: ParsedPolygon): LngLat[][] {
  const rings = poly.rings.flat();
  const out: LngLat[][] = [];
  let current: LngLat[] | null = null;
  const flush = () => {
    if (current && current.length > 1) out.push(current);
    current = null;
  };
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [a, b] = [toPoint(line[i - 1]), toPoint(line[i])];
      const length = a.distance(b);
      if (length === 0) continue;
      const cuts: { t: number; at: LngLat }[] = [
        { t: 0, at: line[i - 1] },
        { t: 1, at: line[i] },
      ];
      for (const ring of rings) {
        for (let j = 1; j < ring.length; j++) {
          const piece = segmentIntersection(a, b, toPoint(ring[j - 1]), toPoint(ring[j]));
          const points = piece === null ? [] : piece.kind === 'point' ? [piece.at] : [piece.from, piece.to];
          for (const p of points) {
            const t = a.distance(p) / length;
            if (t > 0 && t < 1) cuts.push({ t, at: toLngLat(p) });
          }
        }
      }
      cuts.sort((x, y) => x.t - y.t);
      for (let k = 1; k < cuts.length; k++) {
        const [from, to] = [cuts[k - 1], cuts[k]];
        if (to.t - from.t <= 1e-12) continue;
        const mid = S2().Point.fromVector(toPoint(from.at).vector.add(toPoint(to.at).vector).normalize());
        if (!polygonContains(poly, mid)) {
          flush();
          continue;
        }
        if (!current) current = [from.at];
        current.push(to.at);
      }
    }
    flush();
  }
  return out;
}

/** The union of lines as few polylines as possible: repeated edges count once and edges that meet end to end at
 *  a vertex no other edge uses are chained. Edges that overlap only in part would need noding: refused. */
function unionLines(lines: LngLat[][]): LngLat[][] {
  const key = (p: LngLat) => `${p[0]},${p[1]}`;
  const edges: [LngLat, LngLat][] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [a, b] = [line[i - 1], line[i]];
      if (key(a) === key(b)) continue;
      const k = [key(a), key(b)].sort().join('|');
      if (seen.has(k)) continue;
      seen.add(k);
      edges.push([a, b]);
    }
  }
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const piece = segmentIntersection(
        toPoint(edges[i][0]),
        toPoint(edges[i][1]),
        toPoint(edges[j][0]),
        toPoint(edges[j][1]),
      );
      if (piece?.kind === 'line')
        throw new KqlError(
          'local engine does not support geo_union_lines_array() of lines that overlap in part of an edge',
          undefined,
          'KqlUnsupported',
        );
    }
  }
  const byVertex = new Map<string, number[]>();
  edges.forEach(([a, b], i) => {
    for (const p of [a, b]) byVertex.set(key(p), [...(byVertex.get(key(p)) ?? []), i]);
  });
  const used = new Array<boolean>(edges.length).fill(false);
  /** The next unused edge through a vertex that joins exactly two edges, and its far end. */
  const next = (at: LngLat): LngLat | null => {
    const incident = byVertex.get(key(at)) ?? [];
    const free = incident.filter((e) => !used[e]);
    if (incident.length !== 2 || free.length !== 1) return null;
    used[free[0]] = true;
    const [a, b] = edges[free[0]];
    return key(a) === key(at) ? b : a;
  };
  const out: LngLat[][] = [];
  edges.forEach(([a, b], i) => {
    if (used[i]) return;
    used[i] = true;
    const chain = [a, b];
    for (let p = next(b); p; p = next(chain[chain.length - 1])) chain.push(p);
    for (let p = next(a); p; p = next(chain[0])) chain.unshift(p);
    out.push(chain);
  });
  return out;
}

function linesIntersect(a: LngLat[][], b: LngLat[][]): boolean {
  return a.some((la) => b.some((lb) => polyline(la).intersects(polyline(lb)) || sharesVertex(la, lb)));
}

function sharesVertex(a: LngLat[], b: LngLat[]): boolean {
  return a.some((p) => b.some((q) => toPoint(p).distance(toPoint(q)) === 0));
}

// ---------------------------------------------------------------------------------------------

defineFunctions({
  geo_distance_2points: (args) => {
    const a = lngLatArgs(args[0], args[1]);
    const b = lngLatArgs(args[2], args[3]);
    return a && b ? metres(toPoint(a).distance(toPoint(b))) : null;
  },
  geo_point_in_circle: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const c = lngLatArgs(args[2], args[3]);
    const radius = num(args[4]);
    if (!p || !c || radius === null || !(radius >= 0)) return null;
    return metres(toPoint(p).distance(toPoint(c))) <= radius;
  },
  geo_azimuth: (args) => {
    const a = lngLatArgs(args[0], args[1]);
    const b = lngLatArgs(args[2], args[3]);
    return a && b ? azimuth(a, b) : null;
  },
  geo_angle: (args) => {
    const p1 = lngLatArgs(args[0], args[1]);
    const p2 = lngLatArgs(args[2], args[3]);
    const p3 = lngLatArgs(args[4], args[5]);
    if (!p1 || !p2 || !p3) return null;
    const first = azimuth(p2, p1);
    const second = azimuth(p2, p3);
    if (first === null || second === null) return null;
    return (((second - first) % TWO_PI) + TWO_PI) % TWO_PI;
  },
  geo_point_in_polygon: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const poly = polygonArg(args[2]);
    return p && poly ? polygonContains(poly, toPoint(p)) : null;
  },
  geo_distance_point_to_polygon: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const poly = polygonArg(args[2]);
    if (!p || !poly) return null;
    const x = toPoint(p);
    return polygonContains(poly, x) ? 0 : metres(closestOnPolylines(boundaries(poly), x).angle);
  },
  geo_closest_point_on_polygon: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const poly = polygonArg(args[2]);
    if (!p || !poly) return null;
    const x = toPoint(p);
    return pointGeoJson(polygonContains(poly, x) ? p : toLngLat(closestOnPolylines(boundaries(poly), x).point));
  },
  geo_distance_point_to_line: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const lines = parseLines(args[2]);
    return p && lines ? metres(closestOnPolylines(lines.map(polyline), toPoint(p)).angle) : null;
  },
  geo_closest_point_on_line: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const lines = parseLines(args[2]);
    return p && lines ? pointGeoJson(toLngLat(closestOnPolylines(lines.map(polyline), toPoint(p)).point)) : null;
  },
  geo_line_length: (args) => {
    const lines = parseLines(args[0]);
    return lines ? metres(lines.reduce((sum, l) => sum + polyline(l).length(), 0)) : null;
  },
  geo_line_centroid: (args) => {
    const lines = parseLines(args[0]);
    if (!lines) return null;
    const sum = lines.map((l) => polyline(l).centroid().vector).reduce((a, b) => a.add(b));
    return sum.norm() === 0 ? null : pointGeoJson(toLngLat(S2().Point.fromVector(sum.normalize())));
  },
  geo_line_interpolate_point: (args) => {
    const lines = parseLines(args[0]);
    const fraction = num(args[1]);
    if (!lines || lines.length !== 1 || fraction === null || !(fraction >= 0 && fraction <= 1)) return null;
    const line = polyline(lines[0]);
    if (line.points.length < 2) return null;
    return pointGeoJson(toLngLat(line.interpolate(fraction)[0]));
  },
  geo_line_locate_point: (args) => {
    const lines = parseLines(args[0]);
    const p = lngLatArgs(args[1], args[2]);
    if (!lines || lines.length !== 1 || !p) return null;
    const line = polyline(lines[0]);
    if (line.points.length < 2) return null;
    const [closest, next] = line.project(toPoint(p));
    return line.uninterpolate(closest, next);
  },
  geo_line_densify: (args) => {
    const lines = parseLines(args[0]);
    const tolerance = toleranceArg(args, 1, 10, 0.1, 10000);
    if (!lines || tolerance === null) return null;
    const dense = lines.map((l) => densify(l, tolerance));
    if (dense.some((l) => l === null)) return null;
    const type = (args[0] as { type: string }).type;
    return { type, coordinates: type === 'LineString' ? dense[0] : dense };
  },
  geo_line_simplify: (args) => {
    const lines = parseLines(args[0]);
    const tolerance = toleranceArg(args, 1, 10, 0, Infinity);
    if (!lines || tolerance === null) return null;
    const simple = lines.map((l) => simplifyLine(l, tolerance));
    if (simple.some((l) => l === null)) return null;
    const type = (args[0] as { type: string }).type;
    return { type, coordinates: type === 'LineString' ? simple[0] : simple };
  },
  geo_polygon_simplify: (args) => {
    const poly = polygonArg(args[0]);
    const tolerance = toleranceArg(args, 1, 10, 0, Infinity);
    if (!poly || tolerance === null) return null;
    const simple = poly.rings.map((rings) => rings.map((r) => simplifyRing(r, tolerance)));
    if (simple.flat().some((r) => r === null)) return null;
    const type = (args[0] as { type: string }).type;
    return { type, coordinates: type === 'Polygon' ? simple[0] : simple };
  },
  geo_union_lines_array: (args) => {
    if (!Array.isArray(args[0]) || args[0].length === 0) return null;
    const lines: LngLat[][] = [];
    for (const item of args[0] as Value[]) {
      const parsed = parseLines(item);
      if (!parsed) return null;
      lines.push(...parsed);
    }
    const chains = unionLines(lines);
    return chains.length === 1
      ? { type: 'LineString', coordinates: chains[0] }
      : { type: 'MultiLineString', coordinates: chains };
  },
  geo_polygon_densify: (args) => {
    const poly = polygonArg(args[0]);
    const tolerance = toleranceArg(args, 1, 10, 0.1, 10000);
    if (!poly || tolerance === null) return null;
    const dense = poly.rings.map((rings) => rings.map((r) => densify(r, tolerance)));
    if (dense.flat().some((r) => r === null)) return null;
    const type = (args[0] as { type: string }).type;
    return { type, coordinates: type === 'Polygon' ? dense[0] : dense };
  },
  geo_polygon_area: (args) => {
    const poly = polygonArg(args[0]);
    if (!poly) return null;
    requireDisjoint('geo_polygon_area', poly);
    return poly.polygons.reduce((sum, p) => sum + p.area(), 0) * EARTH_RADIUS_M * EARTH_RADIUS_M;
  },
  geo_polygon_perimeter: (args) => {
    const poly = polygonArg(args[0]);
    if (!poly) return null;
    requireDisjoint('geo_polygon_perimeter', poly);
    return metres(boundaries(poly).reduce((sum, l) => sum + l.length(), 0));
  },
  geo_polygon_centroid: (args) => {
    const poly = polygonArg(args[0]);
    if (!poly) return null;
    requireDisjoint('geo_polygon_centroid', poly);
    const sum = poly.polygons.map((p) => p.centroid().vector).reduce((a, b) => a.add(b));
    return sum.norm() === 0 ? null : pointGeoJson(toLngLat(S2().Point.fromVector(sum.normalize())));
  },
  geo_intersects_2lines: (args) => {
    const a = parseLines(args[0]);
    const b = parseLines(args[1]);
    return a && b ? linesIntersect(a, b) : null;
  },
  geo_intersection_2lines: (args) => {
    const a = parseLines(args[0]);
    const b = parseLines(args[1]);
    return a && b ? intersectionGeoJson(a, b) : null;
  },
  geo_intersects_line_with_polygon: (args) => {
    const lines = parseLines(args[0]);
    const poly = polygonArg(args[1]);
    if (!lines || !poly) return null;
    const rings = poly.rings.flat();
    return lines.some((l) => polygonContains(poly, toPoint(l[0]))) || linesIntersect(lines, rings);
  },
  geo_intersection_line_with_polygon: (args) => {
    const lines = parseLines(args[0]);
    const poly = polygonArg(args[1]);
    if (!lines || !poly) return null;
    const pieces = clipLines(lines, poly);
    if (pieces.length === 0) return { type: 'GeometryCollection', geometries: [] };
    return pieces.length === 1
      ? { type: 'LineString', coordinates: pieces[0] }
      : { type: 'MultiLineString', coordinates: pieces };
  },
  geo_intersects_2polygons: (args) => {
    const a = polygonArg(args[0]);
    const b = polygonArg(args[1]);
    return a && b ? a.polygons.some((p) => b.polygons.some((q) => p.intersects(q))) : null;
  },
  geo_from_wkt: (args) => (isNull(args[0]) ? null : parseWkt(str(args[0]))),
});
