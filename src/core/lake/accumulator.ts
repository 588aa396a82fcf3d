// Typed columns being filled by the loaders (load.ts and the byte-level readers), one table at a time.
import type { KqlType } from '../types';
import { appendCols, Col, ColBuilder, ColumnarTable, nullCol, Storage, storageOf } from '../columnar/columns';
import { coerceRaw, inferType } from '../columnar/convert';

/** Rows read by one accumulator, as {@link TableAccumulator.exportPartial} hands them over. */
export interface PartialTable {
  rows: number;
  skippedRows: number;
  skippedCells: number;
  skippedAt: number[];
  /** schema columns, in schema order; col null = every row null */
  known: { name: string; col: Col | null }[];
  /** other columns, raw values, one per row */
  extra: { name: string; values: unknown[] }[];
}

/** How many skipped rows' places are kept (the warning names their lines). */
export const MAX_SKIPPED_AT = 10;

/** A schema column being filled. */
export interface ShapeTarget {
  readonly type: KqlType;
  readonly b: ColBuilder;
}

/**
 * A schema column a pruned load does not keep: readers push into it as into any column (so the fast row paths
 * stay the same) and the values are dropped.
 */
class DiscardBuilder extends ColBuilder {
  override get length(): number {
    return 0;
  }
  override pushString(): void {}
  override pushAsciiBytes(): void {}
  override pushNumber(): void {}
  override pushBool(): void {}
  override pushAny(): void {}
  override pushNulls(): void {}
  override pushNull(): void {}
  override push(): void {}
}

/** Whether a pruned load drops this column's values (a reader may then skip the work of reading them). */
export function isDropped(t: ShapeTarget): boolean {
  return t.b instanceof DiscardBuilder;
}

/**
 * Accumulates rows into typed columns; unknown columns are inferred when the load finishes. `keep` (a pruned
 * load): only these columns are kept, the others are read and dropped; rows are counted and skipped exactly as
 * in a full load.
 */
export class TableAccumulator {
  private known = new Map<string, ShapeTarget>();
  private extra = new Map<string, unknown[]>();
  private order: string[] = [];
  rows = 0;
  skippedRows = 0;
  skippedCells = 0;
  /** file byte offsets of the first skipped rows ({@link MAX_SKIPPED_AT}) */
  skippedAt: number[] = [];

  private readonly keep?: ReadonlySet<string>;

  constructor(
    readonly name: string,
    schema: Record<string, KqlType> | undefined,
    keep?: Iterable<string>,
  ) {
    if (keep) this.keep = new Set(keep);
    if (schema) for (const [c, t] of Object.entries(schema)) this.addKnown(c, t);
  }

  private addKnown(name: string, type: KqlType): void {
    const b =
      this.keep && !this.keep.has(name)
        ? new DiscardBuilder(storageOf(type), 0)
        : new ColBuilder(storageOf(type), 4096, true);
    this.known.set(name, { type, b });
    this.order.push(name);
  }

  /** The columns a pruned load keeps (undefined: every column). */
  kept(): string[] | undefined {
    return this.keep ? [...this.keep] : undefined;
  }

  private dropped(name: string): boolean {
    return this.keep !== undefined && !this.keep.has(name);
  }

  /** Counts a malformed row that starts at byte `at` of the file (undefined: place unknown). */
  skipRow(at?: number): void {
    this.skippedRows++;
    if (at !== undefined && this.skippedAt.length < MAX_SKIPPED_AT) this.skippedAt.push(at);
  }

  /** Declares a column's type (from a file that carries types) unless the schema already knows it. */
  declare(name: string, type: KqlType): void {
    if (this.known.has(name) || this.rows > 0) return;
    this.addKnown(name, type);
  }

  /** Adds one row given as parallel arrays of names and raw values. */
  addRow(names: string[], values: unknown[]): void {
    this.flushMissing();
    const r = this.rows;
    let seenKnown = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const k = this.known.get(name);
      if (k) {
        seenKnown++;
        let v = coerceRaw(values[i], k.type);
        if (v === undefined) {
          this.skippedCells++;
          v = null;
        }
        // a column repeated in one row: keep the first
        if (k.b.length > r) continue;
        if (v === null || v === '') k.b.pushNull();
        else k.b.push(v);
      } else if (!this.dropped(name)) {
        let arr = this.extra.get(name);
        if (!arr) {
          arr = [];
          this.extra.set(name, arr);
          this.order.push(name);
        }
        if (arr.length > r) continue;
        while (arr.length < r) arr.push(null);
        arr.push(values[i] === undefined ? null : values[i]);
      }
    }
    if (seenKnown < this.known.size) for (const k of this.known.values()) if (k.b.length === r) k.b.pushNull();
    this.rows++;
  }

  // Rows of one file usually share their keys in one order: remember the last shape and, while rows keep it,
  // write each value straight into its column without name lookups.
  private shapeKeys: string[] | null = null;
  private shapeTargets: (ShapeTarget | null)[] = [];
  private shapeMissing: ColBuilder[] = [];
  private shapeInfo: { keys: string[]; targets: ShapeTarget[] } | null = null;
  // Shaped rows whose missing schema columns have not yet been given their nulls (they get them in one call each
  // before anything reads or fills those columns).
  private pendingNulls = 0;

  private flushMissing(): void {
    const k = this.pendingNulls;
    if (k === 0) return;
    this.pendingNulls = 0;
    for (const b of this.shapeMissing) b.pushNulls(k);
  }

  addObject(o: Record<string, unknown>): void {
    const keys = this.shapeKeys;
    if (keys) {
      let j = 0;
      let same = true;
      for (const k in o) {
        if (keys[j] !== k) {
          same = false;
          break;
        }
        j++;
      }
      if (same && j === keys.length) {
        this.addShaped(o, keys);
        return;
      }
      this.flushMissing();
    }
    const names = Object.keys(o);
    const values = new Array(names.length);
    for (let i = 0; i < names.length; i++) values[i] = o[names[i]];
    this.addRow(names, values);
    // learn this shape if it has no unknown or repeated columns
    const targets = names.map((n) => this.known.get(n) ?? null);
    if (targets.every((t) => t !== null) && new Set(names).size === names.length) {
      this.shapeKeys = names;
      this.shapeTargets = targets;
      this.shapeInfo = { keys: names, targets: targets as ShapeTarget[] };
      const present = new Set(names);
      this.shapeMissing = [...this.known].filter(([n]) => !present.has(n)).map(([, k]) => k.b);
    } else {
      this.shapeKeys = null;
      this.shapeInfo = null;
    }
  }

  private addShaped(o: Record<string, unknown>, keys: string[]): void {
    const targets = this.shapeTargets;
    for (let i = 0; i < keys.length; i++) this.pushRaw(targets[i]!, o[keys[i]]);
    this.endShapedRow();
  }

  /** Pushes one value as JSON.parse gives it into a schema column, coerced to the column's type. */
  pushRaw(t: ShapeTarget, v: unknown): void {
    const b = t.b;
    if (t.type === 'string' && typeof v === 'string') {
      b.pushString(v);
      return;
    }
    if (t.type === 'dynamic' && v !== null && typeof v === 'object') {
      b.pushAny(v);
      return;
    }
    let x = coerceRaw(v, t.type);
    if (x === undefined) {
      this.skippedCells++;
      x = null;
    }
    if (x === null || x === '') b.pushNull();
    else b.push(x);
  }

  /** Ends a row whose values were pushed in the order of {@link shape}: the schema columns it lacks get nulls. */
  endShapedRow(): void {
    this.pendingNulls++;
    this.rows++;
  }

  /**
   * The keys the last object rows had, in order, with their schema columns, while every key is a schema column
   * seen once (a reader may then push each value straight into its column); else null.
   */
  shape(): { keys: string[]; targets: ShapeTarget[] } | null {
    return this.shapeInfo;
  }

  /** The schema column of a name (CSV headers), or undefined. */
  target(name: string): ShapeTarget | undefined {
    return this.known.get(name);
  }

  /** Pushes one CSV cell's text into a schema column, coerced to the column's type. */
  pushCell(t: ShapeTarget, raw: string): void {
    let v = coerceRaw(raw, t.type);
    if (v === undefined) {
      this.skippedCells++;
      v = null;
    }
    if (v === null || v === '') t.b.pushNull();
    else t.b.push(v);
  }

  /** The schema columns whose names are not in `names`. */
  targetsNotIn(names: Set<string>): ShapeTarget[] {
    return [...this.known].filter(([n]) => !names.has(n)).map(([, t]) => t);
  }

  /** Appends one raw value of a column the schema does not know, at the current row (a CSV cell). */
  pushExtra(name: string, v: unknown): void {
    if (this.dropped(name)) return;
    this.flushMissing();
    let arr = this.extra.get(name);
    if (!arr) {
      arr = [];
      this.extra.set(name, arr);
      this.order.push(name);
    }
    const r = this.rows;
    if (arr.length > r) return;
    while (arr.length < r) arr.push(null);
    arr.push(v === undefined ? null : v);
  }

  /** The rows so far in a form that can be posted to another thread and appended with {@link absorb}. */
  exportPartial(): PartialTable {
    this.flushMissing();
    return {
      rows: this.rows,
      skippedRows: this.skippedRows,
      skippedCells: this.skippedCells,
      skippedAt: this.skippedAt,
      known: [...this.known]
        .filter(([name]) => !this.dropped(name))
        .map(([name, k]) => ({ name, col: k.b.allNull ? null : k.b.finish() })),
      extra: this.order
        .filter((n) => !this.known.has(n))
        .map((name) => {
          const values = this.extra.get(name)!;
          while (values.length < this.rows) values.push(null);
          return { name, values };
        }),
    };
  }

  // columns of rows appended by absorb(), after the builder's own rows
  // (a number: that many rows, all null)
  private tails = new Map<string, (Col | number)[]>();

  /** Appends the rows of a partial table read by an accumulator with the same schema (the rows that follow). */
  absorb(p: PartialTable): void {
    this.flushMissing();
    for (const { name, col } of p.known) {
      if (!this.known.has(name)) throw new Error(`lake: partial table has an unexpected column ${name}`);
      let t = this.tails.get(name);
      if (!t) {
        t = [];
        this.tails.set(name, t);
      }
      t.push(col ?? p.rows);
    }
    for (const { name, values } of p.extra) {
      let arr = this.extra.get(name);
      if (!arr) {
        arr = [];
        this.extra.set(name, arr);
        this.order.push(name);
      }
      while (arr.length < this.rows) arr.push(null);
      for (let i = 0; i < values.length; i++) arr.push(values[i]);
    }
    this.rows += p.rows;
    this.skippedRows += p.skippedRows;
    this.skippedCells += p.skippedCells;
    for (const at of p.skippedAt ?? []) if (this.skippedAt.length < MAX_SKIPPED_AT) this.skippedAt.push(at);
    this.shapeKeys = null;
    this.shapeInfo = null;
  }

  finish(): ColumnarTable {
    this.flushMissing();
    const fields: ColumnarTable['fields'] = [];
    // Schema columns a file never fills (most of a wide Sentinel schema) share one all-null column per storage:
    // columns are never changed in place, so they cost memory once per table instead of once per column.
    const nulls = new Map<string, Col>();
    const nullOf = (storage: Storage, n: number): Col => {
      let c = nulls.get(storage);
      if (!c) {
        c = nullCol(storage, n);
        nulls.set(storage, c);
      }
      return c;
    };
    for (const name of this.order) {
      if (this.dropped(name)) continue;
      const k = this.known.get(name);
      if (k) {
        const tails = this.tails.get(name) ?? [];
        const st = k.b.storage;
        let col: Col;
        if (k.b.allNull && tails.every((c) => typeof c === 'number')) col = nullOf(st, this.rows);
        else if (!tails.length) col = k.b.finish();
        else col = appendCols(st, [k.b.finish(), ...tails.map((c) => (typeof c === 'number' ? nullCol(st, c) : c))]);
        fields.push({ name, type: k.type, col });
        continue;
      }
      const raw = this.extra.get(name)!;
      while (raw.length < this.rows) raw.push(null);
      const type = inferType(raw);
      const b = new ColBuilder(storageOf(type), raw.length);
      for (const v of raw) {
        let x = coerceRaw(v, type);
        if (x === undefined) {
          this.skippedCells++;
          x = null;
        }
        b.push(x);
      }
      fields.push({ name, type, col: b.finish() });
    }
    return {
      name: this.name,
      length: this.rows,
      fields,
      skippedRows: this.skippedRows,
      skippedCells: this.skippedCells,
      ...(this.skippedAt.length ? { skippedAt: this.skippedAt } : {}),
    };
  }
}
