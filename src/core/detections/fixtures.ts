// Fixture tables for one test case, held in memory and handed to the local engine as a Lake. Files are
// read with the lake's own loaders (JSONL, Log Analytics CSV, JSON), so a fixture behaves as a lake table.
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import type { Lake, LakeInfo, LakeTableInfo } from '../lake/lake';
import type { ColumnarTable } from '../columnar/columns';
import { firstChar, loadCsv, loadJsonArray, loadJsonDocument, loadJsonl, TableAccumulator } from '../lake/load';
import type { KqlType, ResultColumn } from '../types';
import { SchemaMap, schemaOf } from './schema';

export { normaliseSchema, schemaOf } from './schema';
export type { SchemaMap } from './schema';
import type { TableSource } from './testFile';

/** Reads fixture files once per runner; a file is read again only when it changed. */
export class FixtureCache {
  private files = new Map<string, { mtimeMs: number; table: Promise<ColumnarTable> }>();

  async table(name: string, source: TableSource, baseDir: string, schema: SchemaMap): Promise<ColumnarTable> {
    const types = schemaOf(name, schema);
    if (Array.isArray(source)) {
      const acc = new TableAccumulator(name, types);
      for (const row of source) acc.addObject(row);
      return acc.finish();
    }
    const file = path.resolve(baseDir, source);
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      throw new UserError(`fixture for ${name} not found: ${source}`, 'MissingFixture');
    }
    const key = `${name}\u0000${file}\u0000${JSON.stringify(types ?? null)}`;
    const hit = this.files.get(key);
    if (hit && hit.mtimeMs === stat.mtimeMs) return hit.table;
    const table = readFixture(name, file, types);
    this.files.set(key, { mtimeMs: stat.mtimeMs, table });
    table.catch(() => this.files.delete(key));
    return table;
  }
}

async function readFixture(
  name: string,
  file: string,
  types: Record<string, KqlType> | undefined,
): Promise<ColumnarTable> {
  const acc = new TableAccumulator(name, types);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') await loadJsonl(file, acc);
  else if (ext === '.csv') await loadCsv(file, acc);
  else if (ext === '.json') {
    if ((await firstChar(file)) === '[') await loadJsonArray(file, acc);
    else await loadJsonDocument(file, acc);
  } else throw new UserError(`fixture ${path.basename(file)} for ${name}: use .jsonl, .csv or .json`, 'BadFixture');
  const t = acc.finish();
  if (t.skippedRows)
    throw new UserError(
      `fixture ${path.basename(file)} for ${name}: ${t.skippedRows} row(s) are not valid`,
      'BadFixture',
    );
  return t;
}

/** The case's tables as a Lake: fixtures, plus empty tables for every table with a schema. */
export class FixtureLake implements Lake {
  readonly dir = '<fixtures>';
  readonly name = 'fixtures';
  readonly workspaceId = 'fixtures';

  constructor(
    private readonly given: Map<string, ColumnarTable>,
    private readonly schema: SchemaMap,
  ) {}

  tableNames(): string[] {
    return [...new Set([...this.given.keys(), ...Object.keys(this.schema)])];
  }

  hasTable(name: string): boolean {
    return this.given.has(name) || name in this.schema;
  }

  tables(): LakeTableInfo[] {
    return this.tableNames().map((name) => ({ name, file: '<fixture>', format: 'jsonl' as const }));
  }

  async columns(table: string): Promise<ResultColumn[]> {
    return (await this.loadTable(table)).fields.map((f) => ({ name: f.name, type: f.type }));
  }

  async loadTable(table: string): Promise<ColumnarTable> {
    const t = this.given.get(table);
    if (t) return t;
    const types = schemaOf(table, this.schema);
    if (!types) throw new UserError(`table not found in the fixtures: ${table}`, 'MissingTable');
    return new TableAccumulator(table, types).finish();
  }

  async info(): Promise<LakeInfo> {
    return { dir: this.dir, name: this.name, workspaceId: this.workspaceId, tables: [], skipped: [] };
  }

  async appendRows(): Promise<void> {
    throw new UserError('fixture tables are read-only');
  }
}

/** Latest TimeGenerated (epoch ms) over the tables, or undefined when no row has one. */
export function latestTime(tables: Iterable<ColumnarTable>): number | undefined {
  let hi = -Infinity;
  for (const t of tables) {
    const tg = t.fields.find((f) => f.name === 'TimeGenerated' && f.type === 'datetime');
    if (!tg || tg.col.k !== 'n') continue;
    const d = tg.col.data;
    for (let i = 0; i < t.length; i++) if (d[i] > hi) hi = d[i]; // NaN (null) never compares greater
  }
  return hi === -Infinity ? undefined : hi / 1000;
}
