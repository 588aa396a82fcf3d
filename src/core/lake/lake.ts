// The local lake: a folder with one file per table (.jsonl, .csv, .json, .parquet), optional lake.json and schema.json.
// Tables load lazily on first use and stay cached; appendRows writes JSONL and drops the cache.
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import { KQL_TYPES, KqlType, Logger, ResultColumn, silentLogger } from '../types';
import type { ColumnarTable } from '../columnar/columns';
import { formatDatetime, parseDatetime } from '../columnar/convert';
import {
  firstChar,
  lineNumbersAt,
  loadCsvParallel,
  loadJsonArray,
  loadJsonDocument,
  loadJsonlParallel,
  TableAccumulator,
} from './load';
import { loadParquet, parquetProblem } from './parquet';
import { builtinSchema } from './schemas';
import { MIN_SNAPSHOT_BYTES, readSnapshot, SnapshotStore, writeSnapshot } from './snapshot';

export interface LakeTableInfo {
  name: string;
  file: string;
  format: 'jsonl' | 'csv' | 'json' | 'parquet';
}

export interface LakeTableStats {
  name: string;
  rows: number;
  skippedRows: number;
  /** Cells that could not be read as their column's type (kept as null). */
  skippedCells?: number;
  minTime?: string;
  maxTime?: string;
}

/** A folder entry that looks like a table file but is not read (a folder, a link out of the lake, a device…). */
export interface SkippedLakeEntry {
  file: string;
  reason: string;
}

export interface LakeInfo {
  dir: string;
  name: string;
  workspaceId: string;
  now?: string;
  tables: LakeTableStats[];
  /** Entries named like tables that were not read, and why. */
  skipped: SkippedLakeEntry[];
}

export interface Lake {
  readonly dir: string;
  readonly name: string;
  readonly workspaceId: string;
  /** Pinned clock from lake.json, if any. */
  readonly now?: Date;
  tableNames(): string[];
  hasTable(name: string): boolean;
  tables(): LakeTableInfo[];
  /** Column names and types (built-in schema, schema.json, or inferred). */
  columns(table: string): Promise<ResultColumn[]>;
  /** The declared schema (schema.json over the built-in one) of a table, with or without a file; else undefined. */
  declaredColumns?(table: string): ResultColumn[] | undefined;
  /** Tables the lake's schema.json declares, with or without a file (a wildcard union reads them too). */
  declaredTableNames?(): string[];
  info(signal?: AbortSignal): Promise<LakeInfo>;
  /** Appends rows to the table's file (JSONL) and invalidates its cache. Creates the table if missing. */
  appendRows(table: string, rows: Record<string, unknown>[]): Promise<void>;
  /** Drops a table's cache so the next read sees the file as it is now (another process may have appended). */
  invalidate?(table: string): void;
  /** The table's data in columnar form (the local engine reads it). Loads on first use, then cached. */
  loadTable?(table: string, signal?: AbortSignal): Promise<ColumnarTable>;
  /**
   * Some columns of a table, read from its file for one query and not cached (a one-shot query): the table has
   * every row and only those of `columns` it has. Undefined when the lake would rather load the whole table (it
   * is cached already, comes from or goes to a snapshot, or its format is not read column by column).
   */
  loadColumns?(table: string, columns: Iterable<string>, signal?: AbortSignal): Promise<ColumnarTable | undefined>;
  /** Entries named like tables that were skipped (folders, links out of the lake, devices), and why. */
  skippedEntries?(): SkippedLakeEntry[];
  /** Drops a table's cached data and looks at the folder again (another process changed the file). */
  refresh?(table: string): void;
  /** Tables whose data is loaded (or loading). */
  cachedTables?(): string[];
  /** Called after appendRows changed a table's file. */
  onTableChanged?(listener: (table: string) => void): void;
}

const FORMATS: Record<string, LakeTableInfo['format']> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.json': 'json',
  '.parquet': 'parquet',
};
const RESERVED = new Set(['lake', 'schema']);

class FolderLake implements Lake {
  readonly name: string;
  readonly workspaceId: string;
  readonly now?: Date;
  // table and column names from files are data: maps, never object keys
  private readonly schemas = new Map<string, Record<string, KqlType>>();
  private tableFiles = new Map<string, LakeTableInfo>();
  private skipped: SkippedLakeEntry[] = [];
  private cache = new Map<string, Promise<ColumnarTable>>();
  private changeListeners: ((table: string) => void)[] = [];

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
    private readonly snapshots?: SnapshotStore,
  ) {
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch {
      throw new UserError(`lake folder not found: ${dir}`, 'LakeNotFound');
    }
    if (!st.isDirectory()) throw new UserError(`not a folder: ${dir}`, 'LakeNotFound');
    const meta = readJsonFile(path.join(dir, 'lake.json')) as
      { name?: unknown; workspaceId?: unknown; now?: unknown } | undefined;
    this.name = typeof meta?.name === 'string' ? meta.name : path.basename(path.resolve(dir));
    this.workspaceId = typeof meta?.workspaceId === 'string' ? meta.workspaceId : 'local';
    if (typeof meta?.now === 'string') {
      const us = parseDatetime(meta.now);
      if (us === null) throw new UserError(`${path.join(dir, 'lake.json')}: "now" is not a date-time: ${meta.now}`);
      this.now = new Date(us / 1000);
    }
    const schema = readJsonFile(path.join(dir, 'schema.json'));
    if (schema && typeof schema === 'object') {
      for (const [t, cols] of Object.entries(schema as Record<string, unknown>)) {
        if (!cols || typeof cols !== 'object') continue;
        const s = Object.create(null) as Record<string, KqlType>;
        for (const [c, ty] of Object.entries(cols as Record<string, unknown>)) {
          const norm = String(ty)
            .toLowerCase()
            .replace(/^boolean$/, 'bool')
            .replace(/^double$/, 'real');
          if ((KQL_TYPES as readonly string[]).includes(norm)) s[c] = norm as KqlType;
          else this.logger.warn(`schema.json: ${t}.${c} has unknown type ${String(ty)}; inferring it`);
        }
        this.schemas.set(t, s);
      }
    }
    this.scan();
  }

  private scan(): void {
    this.tableFiles.clear();
    this.skipped = [];
    let real: string | undefined;
    for (const f of fs.readdirSync(this.dir).sort()) {
      const ext = path.extname(f).toLowerCase();
      const format = FORMATS[ext];
      if (!format) continue;
      const name = f.slice(0, -ext.length);
      if (RESERVED.has(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
      const file = path.join(this.dir, f);
      const why =
        unreadableEntry(file, (real ??= realDir(this.dir))) ??
        (format === 'parquet' ? parquetProblem(file) : undefined);
      if (why) {
        this.skipped.push({ file: f, reason: why });
        this.logger.warn(`lake: skipped ${f}: ${why}`);
        continue;
      }
      if (this.tableFiles.has(name)) {
        this.logger.warn(`lake: ${name} has more than one file; using ${this.tableFiles.get(name)!.file}`);
        continue;
      }
      this.tableFiles.set(name, { name, file, format });
    }
  }

  skippedEntries(): SkippedLakeEntry[] {
    return [...this.skipped];
  }

  cachedTables(): string[] {
    return [...this.cache.keys()];
  }

  refresh(table: string): void {
    this.cache.delete(table);
    this.scan();
  }

  onTableChanged(listener: (table: string) => void): void {
    this.changeListeners.push(listener);
  }

  tableNames(): string[] {
    return [...this.tableFiles.keys()];
  }
  hasTable(name: string): boolean {
    return this.tableFiles.has(name);
  }
  tables(): LakeTableInfo[] {
    return [...this.tableFiles.values()];
  }

  declaredTableNames(): string[] {
    return [...this.schemas.keys()];
  }

  declaredColumns(table: string): ResultColumn[] | undefined {
    const s = this.schemaOf(table);
    return s ? Object.entries(s).map(([name, type]) => ({ name, type })) : undefined;
  }

  private schemaOf(table: string): Record<string, KqlType> | undefined {
    const custom = this.schemas.get(table);
    const builtin = builtinSchema(table);
    if (custom && builtin) return { ...builtin, ...custom };
    return custom ?? (builtin ? { ...builtin } : undefined);
  }

  loadTable(table: string, signal?: AbortSignal): Promise<ColumnarTable> {
    let p = this.cache.get(table);
    if (!p) {
      const info = this.tableFiles.get(table);
      if (!info) return Promise.reject(new UserError(`table not found in the lake: ${table}`, 'MissingTable'));
      p = this.read(info, signal);
      this.cache.set(table, p);
      p.catch(() => this.cache.delete(table));
    }
    return p;
  }

  invalidate(table: string): void {
    this.cache.delete(table);
  }

  async loadColumns(
    table: string,
    columns: Iterable<string>,
    signal?: AbortSignal,
  ): Promise<ColumnarTable | undefined> {
    if (this.cache.has(table)) return undefined;
    const info = this.tableFiles.get(table);
    if (!info || (info.format !== 'jsonl' && info.format !== 'csv')) return undefined;
    const store = this.snapshots;
    if (store) {
      // a table big enough for a snapshot is read whole: from its snapshot, or to write one
      const st = statOf(info.file);
      if (!st || st.size >= (store.minBytes ?? MIN_SNAPSHOT_BYTES)) return undefined;
    }
    return this.read(info, signal, [...columns]);
  }

  private async read(info: LakeTableInfo, signal?: AbortSignal, keep?: string[]): Promise<ColumnarTable> {
    const t0 = Date.now();
    const schema = this.schemaOf(info.name);
    const store = keep ? undefined : this.snapshots;
    const before = store ? statOf(info.file) : undefined;
    const snapshotted = store && before && before.size >= (store.minBytes ?? MIN_SNAPSHOT_BYTES);
    if (snapshotted) {
      const t = readSnapshot(store, info.file, schema);
      if (t) {
        this.logger.debug(`lake: ${info.name} (${t.length} rows) from its snapshot in ${Date.now() - t0} ms`);
        return t;
      }
    }
    const acc = new TableAccumulator(info.name, schema, keep);
    let threads = 1;
    let parquet: ColumnarTable | undefined;
    if (info.format === 'parquet') {
      parquet = await loadParquet(info.file, info.name, schema, signal, (n, why) => {
        threads = n;
        if (why) this.logger.debug(`lake: ${info.name}: read on one thread (${why})`);
      });
    } else if (info.format === 'jsonl') {
      threads = await loadJsonlParallel(info.file, acc, schema, signal, (why) =>
        this.logger.debug(`lake: ${info.name}: read on one thread (${why})`),
      );
    } else if (info.format === 'csv') {
      threads = await loadCsvParallel(info.file, acc, schema, signal, (why) =>
        this.logger.debug(`lake: ${info.name}: read on one thread (${why})`),
      );
    } else if ((await firstChar(info.file)) === '[') await loadJsonArray(info.file, acc, signal);
    else await loadJsonDocument(info.file, acc, signal);
    const t = parquet ?? acc.finish();
    this.logger.debug(
      `lake: loaded ${info.name} (${t.length} rows${keep ? `, ${t.fields.length} column(s) the query reads` : ''}) in ${Date.now() - t0} ms${threads > 1 ? ` on ${threads} threads` : ''}`,
    );
    if (t.skippedRows || t.skippedCells) {
      let where = '';
      if (t.skippedAt?.length) {
        const lines = await lineNumbersAt(info.file, t.skippedAt).catch(() => []);
        if (lines.length)
          where = ` (${lines.length < t.skippedRows ? 'first at lines' : lines.length > 1 ? 'lines' : 'line'} ${lines.join(', ')})`;
      }
      this.logger.warn(
        `lake: ${info.name}: skipped ${t.skippedRows} malformed row(s)${where} and ${t.skippedCells} malformed cell(s)`,
      );
    }
    if (snapshotted) {
      // written once the current query has had its turn; only if the file did not change while it was read
      setImmediate(() => {
        const after = statOf(info.file);
        if (!after || after.size !== before.size || after.mtimeMs !== before.mtimeMs) return;
        writeSnapshot(store, info.file, schema, t, before).then(
          () => this.logger.debug(`lake: wrote the snapshot of ${info.name}`),
          (e) => this.logger.debug(`lake: no snapshot of ${info.name}: ${(e as Error).message}`),
        );
      });
    }
    return t;
  }

  async columns(table: string): Promise<ResultColumn[]> {
    if (!this.tableFiles.has(table)) {
      const s = this.schemaOf(table);
      if (s) return Object.entries(s).map(([name, type]) => ({ name, type }));
      throw new UserError(`table not found in the lake: ${table}`, 'MissingTable');
    }
    const t = await this.loadTable(table);
    return t.fields.map((f) => ({ name: f.name, type: f.type }));
  }

  async info(signal?: AbortSignal): Promise<LakeInfo> {
    const tables: LakeTableStats[] = [];
    for (const name of this.tableNames()) {
      const t = await this.loadTable(name, signal);
      const s: LakeTableStats = { name, rows: t.length, skippedRows: t.skippedRows, skippedCells: t.skippedCells };
      const tg = t.fields.find((f) => f.name === 'TimeGenerated' && f.type === 'datetime');
      if (tg && tg.col.k === 'n') {
        let lo = Infinity,
          hi = -Infinity;
        for (const v of tg.col.data) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (lo <= hi) {
          s.minTime = formatDatetime(lo);
          s.maxTime = formatDatetime(hi);
        }
      }
      tables.push(s);
    }
    return {
      dir: this.dir,
      name: this.name,
      workspaceId: this.workspaceId,
      now: this.now?.toISOString(),
      tables,
      skipped: this.skippedEntries(),
    };
  }

  async appendRows(table: string, rows: Record<string, unknown>[]): Promise<void> {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new UserError(`not a valid table name: ${table}`);
    let info = this.tableFiles.get(table);
    if (info && info.format !== 'jsonl') {
      throw new UserError(`cannot append to ${path.basename(info.file)}: only JSONL tables can be appended to`);
    }
    const file = info?.file ?? path.join(this.dir, `${table}.jsonl`);
    const skipped = this.skipped.find((e) => e.file === path.basename(file));
    if (skipped) throw new UserError(`cannot append to ${skipped.file}: it is ${skipped.reason}`, 'LakeEntrySkipped');
    let text = rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
    // Never through a link: O_NOFOLLOW also refuses a symlink put in place after the folder was scanned.
    const noFollow = fs.constants.O_NOFOLLOW ?? 0;
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(
        file,
        fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | noFollow,
        0o644,
      );
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'EISDIR') {
        throw new UserError(
          `cannot append to ${path.basename(file)}: it is ${code === 'ELOOP' ? 'a link' : 'a folder'}`,
          'LakeEntrySkipped',
        );
      }
      throw e;
    }
    try {
      const st = await fh.stat();
      if (!st.isFile())
        throw new UserError(`cannot append to ${path.basename(file)}: it is not a regular file`, 'LakeEntrySkipped');
      // Keep the file line-oriented even if its last line lacks a newline.
      if (st.size > 0) {
        const rd = await fs.promises.open(file, fs.constants.O_RDONLY | noFollow);
        try {
          const b = Buffer.alloc(1);
          await rd.read(b, 0, 1, st.size - 1);
          if (b[0] !== 10) text = '\n' + text;
        } finally {
          await rd.close();
        }
      }
      await fh.appendFile(text, 'utf8');
    } finally {
      await fh.close();
    }
    if (!info) {
      info = { name: table, file, format: 'jsonl' };
      this.tableFiles.set(table, info);
    }
    this.cache.delete(table);
    for (const l of this.changeListeners) l(table);
  }
}

function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** Why a folder entry named like a table is not read, or undefined when it is a readable file. */
function unreadableEntry(file: string, lakeReal: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    return `unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = fs.realpathSync(file);
    } catch {
      return 'a broken link';
    }
    const rel = path.relative(lakeReal, target);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return 'a link pointing outside the lake folder';
    try {
      st = fs.statSync(target);
    } catch {
      return 'a broken link';
    }
  }
  if (st.isDirectory()) return 'a folder';
  if (!st.isFile()) return 'not a regular file';
  return undefined;
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * `snapshots`: where to keep columnar snapshots of loaded tables (see snapshot.ts) so that the lake re-opens
 * fast; without it every open parses the files.
 */
export function openLake(dir: string, options: { logger?: Logger; snapshots?: SnapshotStore } = {}): Lake {
  return new FolderLake(dir, options.logger ?? silentLogger, options.snapshots);
}
