// Vectors the evaluator passes around: a column of n values, or a constant.
import type { KqlType } from '../types';
import { BOOL_NULL, Col, ColBuilder, colGet, constCol, Storage, storageOf } from '../columnar/columns';

export interface ConstVec {
  k: 'c';
  v: unknown;
}
export type Vec = Col | ConstVec;

export function isConst(v: Vec): v is ConstVec {
  return v.k === 'c';
}

export function vget(v: Vec, i: number): unknown {
  return v.k === 'c' ? v.v : colGet(v, i);
}

/** Materialises a vector as a column of the storage its type implies. */
export function toCol(v: Vec, n: number, type: KqlType): Col {
  const st = storageOf(type);
  if (v.k === 'c') return constCol(st, v.v, n);
  if (v.k === st) return v;
  return convertCol(v, n, st);
}

export function convertCol(v: Col, n: number, st: Storage): Col {
  const b = new ColBuilder(st, n);
  for (let i = 0; i < n; i++) b.push(colGet(v, i));
  return b.finish();
}

/** Boolean vector → Uint8Array (1 = true; false and null = 0). */
export function truthy(v: Vec, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (v.k === 'c') {
    if (v.v === true) out.fill(1);
    return out;
  }
  if (v.k === 'b') {
    const d = v.data;
    for (let i = 0; i < n; i++) out[i] = d[i] === 1 ? 1 : 0;
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = colGet(v, i) === true ? 1 : 0;
  return out;
}

/** Builds a bool column from per-row results (true/false/null). */
export function boolFrom(n: number, f: (i: number) => boolean | null): Col {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = f(i);
    d[i] = r === null ? BOOL_NULL : r ? 1 : 0;
  }
  return { k: 'b', data: d };
}
