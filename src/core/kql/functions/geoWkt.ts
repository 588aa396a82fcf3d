// Well-known text (WKT) to GeoJSON for geo_from_wkt(): POINT, LINESTRING, POLYGON, their MULTI forms and
// GEOMETRYCOLLECTION, with [longitude, latitude] coordinates; anything malformed or out of range is null.
import { validLngLat } from './geoShapes';

type Json = Record<string, unknown>;

class WktReader {
  private i = 0;
  constructor(private readonly text: string) {}

  private skip(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i])) this.i++;
  }

  atEnd(): boolean {
    this.skip();
    return this.i >= this.text.length;
  }

  peek(ch: string): boolean {
    this.skip();
    return this.text[this.i] === ch;
  }

  expect(ch: string): void {
    if (!this.peek(ch)) throw new SyntaxError(`expected '${ch}'`);
    this.i++;
  }

  word(): string {
    this.skip();
    const m = /^[A-Za-z]+/.exec(this.text.slice(this.i));
    if (!m) throw new SyntaxError('expected a geometry type');
    this.i += m[0].length;
    return m[0].toUpperCase();
  }

  number(): number {
    this.skip();
    const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!m) throw new SyntaxError('expected a number');
    this.i += m[0].length;
    return Number(m[0]);
  }

  /** `x y` (a third and fourth ordinate, Z and M, are read and dropped). */
  position(): [number, number] {
    const lng = this.number();
    const lat = this.number();
    while (!this.peek(',') && !this.peek(')')) this.number();
    if (!validLngLat(lng, lat)) throw new RangeError('coordinates out of range');
    return [lng, lat];
  }

  list<T>(item: () => T): T[] {
    this.expect('(');
    const out = [item()];
    while (this.peek(',')) {
      this.i++;
      out.push(item());
    }
    this.expect(')');
    return out;
  }
}

function lineString(r: WktReader): [number, number][] {
  const pts = r.list(() => r.position());
  if (pts.length < 2) throw new SyntaxError('a line needs two points');
  return pts;
}

function polygon(r: WktReader): [number, number][][] {
  return r.list(() => {
    const ring = r.list(() => r.position());
    const [first, last] = [ring[0], ring[ring.length - 1]];
    if (ring.length < 4 || first[0] !== last[0] || first[1] !== last[1]) throw new SyntaxError('a ring must be closed');
    return ring;
  });
}

function geometry(r: WktReader): Json {
  const type = r.word();
  switch (type) {
    case 'POINT': {
      const [p] = r.list(() => r.position());
      return { type: 'Point', coordinates: p };
    }
    case 'LINESTRING':
      return { type: 'LineString', coordinates: lineString(r) };
    case 'POLYGON':
      return { type: 'Polygon', coordinates: polygon(r) };
    case 'MULTIPOINT':
      // Both MULTIPOINT (1 1, 2 2) and MULTIPOINT ((1 1), (2 2)) are WKT.
      return {
        type: 'MultiPoint',
        coordinates: r.list(() => {
          if (!r.peek('(')) return r.position();
          const [p] = r.list(() => r.position());
          return p;
        }),
      };
    case 'MULTILINESTRING':
      return { type: 'MultiLineString', coordinates: r.list(() => lineString(r)) };
    case 'MULTIPOLYGON':
      return { type: 'MultiPolygon', coordinates: r.list(() => polygon(r)) };
    case 'GEOMETRYCOLLECTION':
      return { type: 'GeometryCollection', geometries: r.list(() => geometry(r)) };
    default:
      throw new SyntaxError(`unknown geometry type ${type}`);
  }
}

/** The GeoJSON of a WKT text, or null when the text is not valid WKT. */
export function parseWkt(text: string): Json | null {
  const r = new WktReader(text);
  try {
    const g = geometry(r);
    return r.atEnd() ? g : null;
  } catch {
    return null;
  }
}
