// Member access into dynamic columns, computed once per table column and path and kept while the column lives:
// `LocationDetails.city` becomes a column of its own on first use, and `tostring()` of it a dictionary-encoded
// string column, so repeated queries filter and group it like any string column.
import { AnyCol, StrCol } from '../columnar/columns';
import { bagGet, toBags, valueToString } from '../columnar/values';

/** Paths kept per dynamic column (the oldest goes first); each costs one reference per row. */
const MAX_PATHS_PER_COLUMN = 16;

const members = new WeakMap<AnyCol, Map<string, AnyCol>>();
const texts = new WeakMap<AnyCol, StrCol>();

/** `base[key]` for every row, from the cache when this column and key were asked for before. */
export function memberColumn(base: AnyCol, key: string | number): AnyCol {
  let byKey = members.get(base);
  if (!byKey) {
    byKey = new Map();
    members.set(base, byKey);
  }
  const id = `${typeof key}:${key}`;
  const hit = byKey.get(id);
  if (hit) return hit;
  const src = base.data,
    n = src.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = access(src[i], key);
  const col: AnyCol = { k: 'a', data: out };
  if (byKey.size >= MAX_PATHS_PER_COLUMN) byKey.delete(byKey.keys().next().value!);
  byKey.set(id, col);
  return col;
}

/** `tostring()` of every row of a dynamic column, dictionary-encoded; kept while the column lives. */
export function textColumn(col: AnyCol): StrCol {
  const hit = texts.get(col);
  if (hit) return hit;
  const src = col.data,
    n = src.length;
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const index = new Map<string, number>();
  let last: unknown = undefined,
    lastCode = -1;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v === last && lastCode >= 0 && typeof v !== 'object') {
      codes[i] = lastCode;
      continue;
    }
    const s = valueToString(v, 'dynamic');
    let c = index.get(s);
    if (c === undefined) {
      c = dict.length;
      dict.push(s);
      index.set(s, c);
    }
    codes[i] = c;
    last = v;
    lastCode = c;
  }
  const out: StrCol = { k: 's', codes, dict };
  texts.set(col, out);
  return out;
}

/** Dynamic member/element access. */
export function access(b: unknown, k: unknown): unknown {
  if (b === null || b === undefined || k === null || k === undefined) return null;
  if (typeof b === 'string') {
    const t = b.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        b = toBags(JSON.parse(t));
      } catch {
        return null;
      }
    } else return null;
  }
  if (Array.isArray(b)) {
    if (typeof k !== 'number') return null;
    const i = k < 0 ? b.length + k : k;
    const v = b[i];
    return v === undefined ? null : v;
  }
  if (typeof b === 'object') {
    const v = bagGet(b as Record<string, unknown>, String(k));
    return v === undefined ? null : v;
  }
  return null;
}
