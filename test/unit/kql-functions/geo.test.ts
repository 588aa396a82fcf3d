import { strict as assert } from 'assert';
import { call } from './helpers';
import { rows } from '../kql/helpers';

const R = 'real' as const;
const D = 'dynamic' as const;
const S = 'string' as const;

/** Great-circle distance on the 6,371.01 km sphere, written out independently of the library. */
function haversine(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6371010 * Math.asin(Math.sqrt(a));
}

function close(actual: unknown, expected: number, tolerance = 1e-6): void {
  assert.equal(typeof actual, 'number', `expected a number, got ${JSON.stringify(actual)}`);
  assert.ok(
    Math.abs((actual as number) - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not ${expected}`,
  );
}

const square = (lng: number, lat: number, half: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng - half, lat - half],
      [lng + half, lat - half],
      [lng + half, lat + half],
      [lng - half, lat + half],
      [lng - half, lat - half],
    ],
  ],
});

describe('kql functions: geospatial measures', () => {
  it('measures distances in metres on a sphere and refuses coordinates out of range', () => {
    close(
      call('geo_distance_2points', [-0.1276, 51.5072, 2.3522, 48.8566], [R, R, R, R], R),
      haversine(-0.1276, 51.5072, 2.3522, 48.8566),
    );
    assert.equal(call('geo_distance_2points', [181, 0, 0, 0], [R, R, R, R], R), null);
    assert.equal(call('geo_distance_2points', [0, 91, 0, 0], [R, R, R, R], R), null);
    assert.equal(call('geo_point_in_circle', [0, 0.001, 0, 0, 200], [R, R, R, R, R], 'bool'), true);
    assert.equal(call('geo_point_in_circle', [0, 0.01, 0, 0, 200], [R, R, R, R, R], 'bool'), false);
    assert.equal(call('geo_point_in_circle', [0, 0, 0, 0, -1], [R, R, R, R, R], 'bool'), null);
  });

  it('gives azimuths clockwise from north in radians, and the clockwise angle between two lines', () => {
    close(call('geo_azimuth', [0, 0, 0, 10], [R, R, R, R], R), 0);
    close(call('geo_azimuth', [0, 0, 10, 0], [R, R, R, R], R), Math.PI / 2);
    close(call('geo_azimuth', [0, 0, -10, 0], [R, R, R, R], R), (3 * Math.PI) / 2);
    assert.equal(call('geo_azimuth', [5, 5, 5, 5], [R, R, R, R], R), null);
    // From the line back to the north to the line going east: a quarter turn clockwise.
    close(call('geo_angle', [0, 1, 0, 0, 1, 0], [R, R, R, R, R, R], R), Math.PI / 2);
    assert.equal(call('geo_angle', [0, 0, 0, 0, 1, 0], [R, R, R, R, R, R], R), null);
  });

  it('tests points against polygons whatever the ring orientation, with holes and MultiPolygons', () => {
    const ccw = square(10, 20, 1);
    const cw = { type: 'Polygon', coordinates: [[...ccw.coordinates[0]].reverse()] };
    for (const polygon of [ccw, cw]) {
      assert.equal(call('geo_point_in_polygon', [10, 20, polygon], [R, R, D], 'bool'), true);
      assert.equal(call('geo_point_in_polygon', [12, 20, polygon], [R, R, D], 'bool'), false);
    }
    const withHole = { type: 'Polygon', coordinates: [ccw.coordinates[0], square(10, 20, 0.2).coordinates[0]] };
    assert.equal(call('geo_point_in_polygon', [10, 20, withHole], [R, R, D], 'bool'), false);
    assert.equal(call('geo_point_in_polygon', [10.5, 20, withHole], [R, R, D], 'bool'), true);
    const multi = { type: 'MultiPolygon', coordinates: [ccw.coordinates, square(-50, -10, 1).coordinates] };
    assert.equal(call('geo_point_in_polygon', [-50, -10, multi], [R, R, D], 'bool'), true);
  });

  it('returns null for invalid polygons: open rings, too few distinct vertices, bad coordinates, wrong shape', () => {
    const invalid = [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 95],
            [0, 0],
          ],
        ],
      },
      { type: 'Polygon' },
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      'not a shape',
    ];
    for (const polygon of invalid)
      assert.equal(call('geo_point_in_polygon', [0.5, 0.2, polygon], [R, R, D], 'bool'), null, JSON.stringify(polygon));
  });

  it('measures polygons: area in square metres, perimeter along geodesics, centroid as a GeoJSON point', () => {
    // A 0.01° square at the equator is very nearly a plane square of 1,111.95 m sides.
    const side = haversine(0, 0, 0.01, 0);
    const small = square(0.005, 0.005, 0.005);
    close(call('geo_polygon_area', [small], [D], R), side * side, 1e-4);
    close(call('geo_polygon_perimeter', [small], [D], R), 4 * side, 1e-4);
    const c = call('geo_polygon_centroid', [small], [D], D) as { type: string; coordinates: number[] };
    assert.equal(c.type, 'Point');
    close(c.coordinates[0], 0.005);
    close(c.coordinates[1], 0.005, 1e-4);
  });

  it('says it cannot measure a MultiPolygon whose parts overlap rather than adding the parts up', () => {
    const overlapping = {
      type: 'MultiPolygon',
      coordinates: [square(0, 0, 1).coordinates, square(0.5, 0.5, 1).coordinates],
    };
    assert.throws(() => call('geo_polygon_area', [overlapping], [D], R), /MultiPolygon whose polygons overlap/);
    const disjoint = { type: 'MultiPolygon', coordinates: [square(0, 0, 1).coordinates, square(5, 5, 1).coordinates] };
    const sum =
      (call('geo_polygon_area', [square(0, 0, 1)], [D], R) as number) +
      (call('geo_polygon_area', [square(5, 5, 1)], [D], R) as number);
    close(call('geo_polygon_area', [disjoint], [D], R), sum);
  });

  it('measures distance to a polygon (zero inside) and finds the closest point on its boundary', () => {
    const sq = square(0, 0, 1);
    assert.equal(call('geo_distance_point_to_polygon', [0, 0, sq], [R, R, D], R), 0);
    // Due east of the square on the equator: the closest boundary point is on the edge at longitude 1.
    close(call('geo_distance_point_to_polygon', [2, 0, sq], [R, R, D], R), haversine(1, 0, 2, 0), 1e-6);
    const p = call('geo_closest_point_on_polygon', [2, 0, sq], [R, R, D], D) as { coordinates: number[] };
    close(p.coordinates[0], 1);
    close(p.coordinates[1], 0, 1e-9);
  });

  it('measures lines: length, centroid, interpolation, location of a point and distance to it', () => {
    const line = {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 0],
        [2, 0],
      ],
    };
    close(call('geo_line_length', [line], [D], R), haversine(0, 0, 2, 0));
    const multi = {
      type: 'MultiLineString',
      coordinates: [
        [
          [0, 0],
          [1, 0],
        ],
        [
          [0, 1],
          [0, 2],
        ],
      ],
    };
    close(call('geo_line_length', [multi], [D], R), haversine(0, 0, 1, 0) + haversine(0, 1, 0, 2));
    const mid = call('geo_line_interpolate_point', [line, 0.5], [D, R], D) as { coordinates: number[] };
    close(mid.coordinates[0], 1);
    close(call('geo_line_locate_point', [line, 1.5, 0.1], [D, R, R], R), 0.75, 1e-4);
    close(call('geo_distance_point_to_line', [1, 0.01, line], [R, R, D], R), haversine(1, 0, 1, 0.01), 1e-6);
    const centroid = call('geo_line_centroid', [line], [D], D) as { coordinates: number[] };
    close(centroid.coordinates[0], 1);
    assert.equal(call('geo_line_interpolate_point', [line, 1.5], [D, R], D), null);
    assert.equal(call('geo_line_length', [{ type: 'LineString', coordinates: [[1, 1]] }], [D], R), null);
    assert.equal(
      call(
        'geo_line_length',
        [
          {
            type: 'LineString',
            coordinates: [
              [0, 0],
              [180, 0],
            ],
          },
        ],
        [D],
        R,
      ),
      null,
      'an edge of 180° has no single geodesic',
    );
  });

  it('densifies planar edges into geodesic ones: meridians stay, long east-west edges get points', () => {
    const meridian = {
      type: 'LineString',
      coordinates: [
        [10, 0],
        [10, 5],
      ],
    };
    assert.deepEqual(call('geo_line_densify', [meridian], [D], D), meridian);
    const parallel = {
      type: 'LineString',
      coordinates: [
        [0, 60],
        [10, 60],
      ],
    };
    const dense = call('geo_line_densify', [parallel, 1000], [D, R], D) as { coordinates: number[][] };
    assert.ok(dense.coordinates.length > 2);
    assert.deepEqual(dense.coordinates[0], [0, 60]);
    assert.deepEqual(dense.coordinates[dense.coordinates.length - 1], [10, 60]);
    assert.ok(
      dense.coordinates.every((c) => c[1] === 60),
      'new points lie on the planar edge',
    );
    assert.equal(call('geo_line_densify', [parallel, 0], [D, R], D), null);
    const poly = call('geo_polygon_densify', [square(0, 60, 5), 1000], [D, R], D) as {
      type: string;
      coordinates: number[][][];
    };
    assert.equal(poly.type, 'Polygon');
    assert.ok(poly.coordinates[0].length > 5);
  });

  it('simplifies lines and polygons within a tolerance in metres; a shape that collapses is null', () => {
    // A 0.00001° wiggle is about 1 m: gone at the default 10 m, kept at 0.5 m.
    const wiggly = {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [0.01, 0.00001],
        [0.02, 0],
        [0.03, 0.00001],
        [0.04, 0],
      ],
    };
    assert.deepEqual(call('geo_line_simplify', [wiggly], [D], D), {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [0.04, 0],
      ],
    });
    assert.equal(
      (call('geo_line_simplify', [wiggly, 0.5], [D, R], D) as { coordinates: unknown[] }).coordinates.length,
      5,
    );
    const bent = {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [0.01, 0.01],
        [0.02, 0],
      ],
    };
    assert.deepEqual(call('geo_line_simplify', [bent, 10], [D, R], D), bent, 'a 1 km bend stays');
    assert.equal(call('geo_line_simplify', [bent, -1], [D, R], D), null);
    assert.equal(
      call('geo_line_simplify', [bent, 100000], [D, R], D),
      null,
      'the whole line is within 100 km of one point',
    );
    const withMidpoint = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [0.5, 0.000001],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    assert.deepEqual(call('geo_polygon_simplify', [withMidpoint], [D], D), {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    });
    assert.equal(call('geo_polygon_simplify', [withMidpoint, 1e6], [D, R], D), null);
  });

  it('unions lines: shared edges count once, lines meeting end to end become one', () => {
    const ab = {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 0],
        [2, 0],
      ],
    };
    const bc = {
      type: 'LineString',
      coordinates: [
        [1, 0],
        [2, 0],
        [2, 1],
      ],
    };
    assert.deepEqual(call('geo_union_lines_array', [[ab, bc]], [D], D), {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 0],
        [2, 0],
        [2, 1],
      ],
    });
    const apart = {
      type: 'LineString',
      coordinates: [
        [10, 10],
        [11, 10],
      ],
    };
    assert.deepEqual(call('geo_union_lines_array', [[ab, apart]], [D], D), {
      type: 'MultiLineString',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [2, 0],
        ],
        [
          [10, 10],
          [11, 10],
        ],
      ],
    });
    assert.equal(call('geo_union_lines_array', [[ab, { type: 'LineString', coordinates: [[1, 1]] }]], [D], D), null);
    const partial = {
      type: 'LineString',
      coordinates: [
        [0.5, 0],
        [1.5, 0],
      ],
    };
    assert.throws(() => call('geo_union_lines_array', [[ab, partial]], [D], D), /overlap in part/);
  });

  it('intersects lines and polygons', () => {
    const a = {
      type: 'LineString',
      coordinates: [
        [0, -1],
        [0, 1],
      ],
    };
    const b = {
      type: 'LineString',
      coordinates: [
        [-1, 0],
        [1, 0],
      ],
    };
    const far = {
      type: 'LineString',
      coordinates: [
        [10, 10],
        [11, 11],
      ],
    };
    assert.equal(call('geo_intersects_2lines', [a, b], [D, D], 'bool'), true);
    assert.equal(call('geo_intersects_2lines', [a, far], [D, D], 'bool'), false);
    const x = call('geo_intersection_2lines', [a, b], [D, D], D) as { type: string; coordinates: number[] };
    assert.equal(x.type, 'Point');
    close(x.coordinates[0], 0, 1e-9);
    close(x.coordinates[1], 0, 1e-9);
    assert.deepEqual(call('geo_intersection_2lines', [a, far], [D, D], D), {
      type: 'GeometryCollection',
      geometries: [],
    });
    assert.deepEqual(call('geo_intersection_2lines', [a, a], [D, D], D), {
      type: 'LineString',
      coordinates: [
        [0, -1],
        [0, 1],
      ],
    });
    assert.equal(call('geo_intersection_2lines', [a, { type: 'LineString', coordinates: [[3, 3]] }], [D, D], D), null);
    assert.equal(call('geo_intersects_line_with_polygon', [a, square(0, 0, 0.5)], [D, D], 'bool'), true);
    assert.equal(call('geo_intersects_line_with_polygon', [far, square(0, 0, 0.5)], [D, D], 'bool'), false);
    // A meridian through a square keeps the part inside; through a square with a hole, two parts.
    const clipped = call(
      'geo_intersection_line_with_polygon',
      [
        {
          type: 'LineString',
          coordinates: [
            [0, -3],
            [0, 0.5],
          ],
        },
        square(0, 0, 1),
      ],
      [D, D],
      D,
    ) as { type: string; coordinates: number[][] };
    assert.equal(clipped.type, 'LineString');
    // The square's southern edge is a geodesic, which bows towards the pole between its corners.
    assert.ok(clipped.coordinates[0][1] < -1 && clipped.coordinates[0][1] > -1.001, String(clipped.coordinates[0][1]));
    assert.deepEqual(clipped.coordinates[1], [0, 0.5]);
    const holed = { type: 'Polygon', coordinates: [square(0, 0, 1).coordinates[0], square(0, 0, 0.2).coordinates[0]] };
    const parts = call(
      'geo_intersection_line_with_polygon',
      [
        {
          type: 'LineString',
          coordinates: [
            [0, -3],
            [0, 3],
          ],
        },
        holed,
      ],
      [D, D],
      D,
    ) as { type: string; coordinates: number[][][] };
    assert.equal(parts.type, 'MultiLineString');
    assert.equal(parts.coordinates.length, 2);
    assert.deepEqual(call('geo_intersection_line_with_polygon', [far, square(0, 0, 1)], [D, D], D), {
      type: 'GeometryCollection',
      geometries: [],
    });
    assert.equal(call('geo_intersects_2polygons', [square(0, 0, 1), square(1.5, 0, 1)], [D, D], 'bool'), true);
    assert.equal(call('geo_intersects_2polygons', [square(0, 0, 1), square(5, 0, 1)], [D, D], 'bool'), false);
  });

  it('reads WKT into GeoJSON and refuses malformed text', () => {
    assert.deepEqual(call('geo_from_wkt', ['POINT (30 10)'], [S], D), { type: 'Point', coordinates: [30, 10] });
    assert.deepEqual(call('geo_from_wkt', ['MULTIPOINT ((10 40), (40 30))'], [S], D), {
      type: 'MultiPoint',
      coordinates: [
        [10, 40],
        [40, 30],
      ],
    });
    assert.deepEqual(call('geo_from_wkt', ['POLYGON ((30 10, 40 40, 20 40, 30 10))'], [S], D), {
      type: 'Polygon',
      coordinates: [
        [
          [30, 10],
          [40, 40],
          [20, 40],
          [30, 10],
        ],
      ],
    });
    assert.deepEqual(call('geo_from_wkt', ['GEOMETRYCOLLECTION (POINT (4 6), LINESTRING (4 6, 7 10))'], [S], D), {
      type: 'GeometryCollection',
      geometries: [
        { type: 'Point', coordinates: [4, 6] },
        {
          type: 'LineString',
          coordinates: [
            [4, 6],
            [7, 10],
          ],
        },
      ],
    });
    for (const bad of [
      'LINESTRING',
      'POINT (1)',
      'POINT (200 1)',
      'POLYGON ((0 0, 1 0, 1 1, 0 1))',
      'CIRCLE (1 1)',
      'POINT (1 2) trailing',
    ]) {
      assert.equal(call('geo_from_wkt', [bad], [S], D), null, bad);
    }
  });
});

describe('kql functions: geospatial cells', () => {
  it('H3: a point gets a cell of the asked resolution that contains it; parents, children, neighbours and rings', () => {
    const cell = call('geo_point_to_h3cell', [-0.1276, 51.5072, 7], [R, R, 'int'], S) as string;
    assert.match(cell, /^87[0-9a-f]{13}$/);
    assert.equal(call('geo_h3cell_level', [cell], [S], 'int'), 7);
    const polygon = call('geo_h3cell_to_polygon', [cell], [S], D);
    assert.equal(call('geo_point_in_polygon', [-0.1276, 51.5072, polygon], [R, R, D], 'bool'), true);
    const centre = call('geo_h3cell_to_central_point', [cell], [S], D) as { coordinates: number[] };
    assert.equal(
      call('geo_point_to_h3cell', [centre.coordinates[0], centre.coordinates[1], 7], [R, R, 'int'], S),
      cell,
    );
    const parent = call('geo_h3cell_parent', [cell], [S], S) as string;
    assert.equal(call('geo_h3cell_level', [parent], [S], 'int'), 6);
    assert.ok((call('geo_h3cell_children', [parent], [S], D) as string[]).includes(cell));
    assert.equal((call('geo_h3cell_children', [parent, 8], [S, 'int'], D) as string[]).length, 49);
    assert.equal(call('geo_h3cell_children', [parent, 12], [S, 'int'], D), null, 'at most five levels down');
    assert.equal((call('geo_h3cell_neighbors', [cell], [S], D) as string[]).length, 6);
    const rings = call('geo_h3cell_rings', [cell, 2], [S, 'int'], D) as string[][];
    assert.deepEqual(
      rings.map((r) => r.length),
      [1, 6, 12],
    );
    assert.deepEqual(rings[0], [cell]);
  });

  it('H3: invalid cells, coordinates and resolutions give null (or an empty token)', () => {
    assert.equal(call('geo_point_to_h3cell', [300, 1, 6], [R, R, 'int'], S), '');
    assert.equal(call('geo_point_to_h3cell', [1, 1, 16], [R, R, 'int'], S), '');
    assert.equal(call('geo_point_to_h3cell', [1, 1, null], [R, R, 'int'], S), '');
    assert.equal(call('geo_h3cell_level', ['abc'], [S], 'int'), null);
    assert.equal(call('geo_h3cell_to_polygon', ['@'], [S], D), null);
    assert.equal(call('geo_h3cell_parent', ['123'], [S], S), '');
    assert.equal(call('geo_h3cell_rings', ['abc', 1], [S, 'int'], D), null);
  });

  it('S2: tokens by level, cell polygons that contain the point, neighbours and polygon coverings', () => {
    const token = call('geo_point_to_s2cell', [-0.1276, 51.5072, 10], [R, R, 'int'], S) as string;
    assert.match(token, /^[0-9a-f]{1,16}$/);
    assert.equal(
      call('geo_point_to_s2cell', [-0.1276, 51.5072], [R, R], S),
      call('geo_point_to_s2cell', [-0.1276, 51.5072, 11], [R, R, 'int'], S),
      'level 11 by default',
    );
    const polygon = call('geo_s2cell_to_polygon', [token], [S], D) as { coordinates: number[][][] };
    assert.equal(polygon.coordinates[0].length, 5);
    assert.equal(call('geo_point_in_polygon', [-0.1276, 51.5072, polygon], [R, R, D], 'bool'), true);
    const centre = call('geo_s2cell_to_central_point', [token], [S], D) as { coordinates: number[] };
    assert.equal(
      call('geo_point_to_s2cell', [centre.coordinates[0], centre.coordinates[1], 10], [R, R, 'int'], S),
      token,
    );
    const neighbours = call('geo_s2cell_neighbors', [token], [S], D) as string[];
    assert.equal(neighbours.length, 8);
    assert.ok(!neighbours.includes(token));
    const covering = call('geo_polygon_to_s2cells', [square(-0.1276, 51.5072, 0.05), 10], [D, 'int'], D) as string[];
    assert.ok(covering.includes(token));
    assert.equal(call('geo_polygon_to_s2cells', [square(0, 0, 40), 30], [D, 'int'], D), null, 'more than 65,536 cells');
    assert.equal(call('geo_point_to_s2cell', [1, 1, 31], [R, R, 'int'], S), '');
    assert.equal(call('geo_s2cell_to_polygon', ['a'], [S], D), null);
  });

  it('geohash: the published example encodes as expected; cells, centres and neighbours', () => {
    assert.equal(call('geo_point_to_geohash', [10.40744, 57.64911, 11], [R, R, 'int'], S), 'u4pruydqqvj');
    assert.equal(call('geo_point_to_geohash', [10.40744, 57.64911], [R, R], S), 'u4pru');
    const polygon = call('geo_geohash_to_polygon', ['u4pru'], [S], D);
    assert.equal(call('geo_point_in_polygon', [10.40744, 57.64911, polygon], [R, R, D], 'bool'), true);
    const centre = call('geo_geohash_to_central_point', ['u4pru'], [S], D) as { coordinates: number[] };
    assert.equal(
      call('geo_point_to_geohash', [centre.coordinates[0], centre.coordinates[1], 5], [R, R, 'int'], S),
      'u4pru',
    );
    assert.equal((call('geo_geohash_neighbors', ['u4pru'], [S], D) as string[]).length, 8);
    assert.equal(call('geo_geohash_to_polygon', ['a'], [S], D), null, 'a is not a geohash letter');
    assert.equal(call('geo_point_to_geohash', [200, 1, 8], [R, R, 'int'], S), '');
  });

  it('groups rows by cell and filters by polygon inside a query', async () => {
    const got =
      await rows(`datatable(name:string, lng:real, lat:real)["a", 0.001, 0.001, "b", 0.002, 0.002, "c", 30, 30]
      | where geo_point_in_polygon(lng, lat, dynamic(${JSON.stringify(square(0, 0, 1))}))
      | summarize n = count() by cell = geo_point_to_h3cell(lng, lat, 5)`);
    assert.equal(got.length, 1);
    assert.equal(got[0][1], 2);
  });
});
