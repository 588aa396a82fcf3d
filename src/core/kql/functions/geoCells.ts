// Geospatial grid cells: S2 (s2js, a port of Google's S2 library), H3 (h3-js, Uber's reference library
// compiled to JavaScript) and geohash (ngeohash). Tokens in and out are strings; an invalid token,
// coordinate or level gives null (the *_to_* functions that return a token give an empty string).
import type * as H3 from 'h3-js';
import type * as Geohash from 'ngeohash';
import type { s2 } from 's2js';
import { KqlError } from '../../errors';
import { defineFunctions, type Value } from './define';
import { int, isNull, num, str } from './helpers';
import { S2, lngLatArgs, parsePolygons, pointGeoJson, toLngLat, toPoint, type LngLat } from './geoShapes';

/** An optional integer argument within [min, max]: its default when absent, null when given but invalid. */
function levelArg(args: Value[], i: number, dflt: number, min: number, max: number): number | null {
  if (args.length <= i) return dflt;
  const n = isNull(args[i]) ? null : int(args[i]);
  return n !== null && n >= min && n <= max ? n : null;
}

// The cell libraries load on their first call (lazy requires keep them out of start-up).
let h3Module: typeof H3 | undefined;
let geohashModule: typeof Geohash | undefined;
const h3 = (): typeof H3 => (h3Module ??= require('h3-js') as typeof H3);
const geohash = (): typeof Geohash => (geohashModule ??= require('ngeohash') as typeof Geohash);

function polygonOf(ring: LngLat[]): Record<string, unknown> {
  return { type: 'Polygon', coordinates: [ring] };
}

// ---------------------------------------------------------------------------------------------
// S2

/** The cell id of a token such as `89c259`, or null when it names no cell. */
function s2Cell(v: Value): bigint | null {
  const token = str(v);
  if (!/^[0-9a-fA-F]{1,16}$/.test(token)) return null;
  const id = S2().cellid.fromToken(token.toLowerCase());
  return S2().cellid.valid(id) ? id : null;
}

const MAX_COVERING_CELLS = 65536;

/** The level-`level` S2 cells that cover the polygons (Kusto: at most 65,536 tokens, else null). */
function s2Covering(polygons: s2.Polygon[], level: number): string[] | null {
  const areaSteradians = polygons.reduce((sum, p) => sum + p.area(), 0);
  const cellSteradians = (4 * Math.PI) / (6 * 4 ** level);
  if (areaSteradians / cellSteradians > MAX_COVERING_CELLS) return null;
  const coverer = new (S2().RegionCoverer)({ minLevel: level, maxLevel: level, maxCells: MAX_COVERING_CELLS });
  const ids = new Set<bigint>();
  for (const p of polygons) for (const id of coverer.covering(p)) ids.add(id);
  if (ids.size > MAX_COVERING_CELLS) return null;
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((id) => S2().cellid.toToken(id));
}

// ---------------------------------------------------------------------------------------------
// H3

function h3Cell(v: Value): string | null {
  const token = str(v);
  return /^[0-9a-fA-F]{15,16}$/.test(token) && h3().isValidCell(token) ? token.toLowerCase() : null;
}

function h3Point(cell: string): LngLat {
  const [lat, lng] = h3().cellToLatLng(cell);
  return [lng, lat];
}

// ---------------------------------------------------------------------------------------------
// Geohash

const GEOHASH_RE = /^[0-9bcdefghjkmnpqrstuvwxyz]{1,18}$/;

function geohashArg(v: Value): string | null {
  const g = str(v).toLowerCase();
  return GEOHASH_RE.test(g) ? g : null;
}

defineFunctions({
  geo_point_to_s2cell: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const level = levelArg(args, 2, 11, 0, 30);
    if (!p || level === null) return '';
    return S2().cellid.toToken(S2().cellid.parent(S2().cellid.fromPoint(toPoint(p)), level));
  },
  geo_s2cell_to_central_point: (args) => {
    const id = s2Cell(args[0]);
    return id === null ? null : pointGeoJson(toLngLat(S2().cellid.point(id)));
  },
  geo_s2cell_to_polygon: (args) => {
    const id = s2Cell(args[0]);
    if (id === null) return null;
    const cell = S2().Cell.fromCellID(id);
    const ring = [0, 1, 2, 3, 0].map((k) => toLngLat(cell.vertex(k)));
    return polygonOf(ring);
  },
  geo_s2cell_neighbors: (args) => {
    const id = s2Cell(args[0]);
    if (id === null) return null;
    const tokens = S2()
      .cellid.allNeighbors(id, S2().cellid.level(id))
      .map((n) => S2().cellid.toToken(n));
    return [...new Set(tokens)];
  },
  geo_polygon_to_s2cells: (args) => {
    const poly = isNull(args[0]) ? null : parsePolygons(args[0]);
    const level = levelArg(args, 1, 11, 0, 30);
    const radius = args.length > 2 ? num(args[2]) : 0;
    if (!poly || level === null || radius === null || radius < 0) return null;
    if (radius > 0)
      throw new KqlError(
        'local engine does not support geo_polygon_to_s2cells() with a buffer radius',
        undefined,
        'KqlUnsupported',
      );
    return s2Covering(poly.polygons, level);
  },

  geo_point_to_h3cell: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const res = levelArg(args, 2, 6, 0, 15);
    return p && res !== null ? h3().latLngToCell(p[1], p[0], res) : '';
  },
  geo_h3cell_level: (args) => {
    const cell = h3Cell(args[0]);
    return cell === null ? null : h3().getResolution(cell);
  },
  geo_h3cell_parent: (args) => {
    const cell = h3Cell(args[0]);
    if (cell === null) return '';
    const level = h3().getResolution(cell);
    const res = levelArg(args, 1, level - 1, 0, level - 1);
    return res === null || res < 0 ? '' : h3().cellToParent(cell, res);
  },
  geo_h3cell_children: (args) => {
    const cell = h3Cell(args[0]);
    if (cell === null) return null;
    const level = h3().getResolution(cell);
    // Kusto allows at most five levels below the cell (up to 16,807 children).
    const res = levelArg(args, 1, level + 1, level + 1, Math.min(15, level + 5));
    return res === null ? null : h3().cellToChildren(cell, res);
  },
  geo_h3cell_neighbors: (args) => {
    const cell = h3Cell(args[0]);
    return cell === null
      ? null
      : h3()
          .gridDisk(cell, 1)
          .filter((c) => c !== cell);
  },
  geo_h3cell_rings: (args) => {
    const cell = h3Cell(args[0]);
    const distance = isNull(args[1]) ? null : int(args[1]);
    if (cell === null || distance === null || distance < 0 || distance > 142) return null;
    return h3().gridDiskDistances(cell, distance);
  },
  geo_h3cell_to_central_point: (args) => {
    const cell = h3Cell(args[0]);
    return cell === null ? null : pointGeoJson(h3Point(cell));
  },
  geo_h3cell_to_polygon: (args) => {
    const cell = h3Cell(args[0]);
    return cell === null ? null : polygonOf(h3().cellToBoundary(cell, true) as LngLat[]);
  },

  geo_point_to_geohash: (args) => {
    const p = lngLatArgs(args[0], args[1]);
    const accuracy = levelArg(args, 2, 5, 1, 18);
    return p && accuracy !== null ? geohash().encode(p[1], p[0], accuracy) : '';
  },
  geo_geohash_to_central_point: (args) => {
    const g = geohashArg(args[0]);
    if (g === null) return null;
    const { latitude, longitude } = geohash().decode(g);
    return pointGeoJson([longitude, latitude]);
  },
  geo_geohash_to_polygon: (args) => {
    const g = geohashArg(args[0]);
    if (g === null) return null;
    const [minLat, minLng, maxLat, maxLng] = geohash().decode_bbox(g);
    return polygonOf([
      [minLng, minLat],
      [maxLng, minLat],
      [maxLng, maxLat],
      [minLng, maxLat],
      [minLng, minLat],
    ]);
  },
  geo_geohash_neighbors: (args) => {
    const g = geohashArg(args[0]);
    return g === null ? null : [...new Set(geohash().neighbors(g))].filter((n) => n !== g);
  },
});
