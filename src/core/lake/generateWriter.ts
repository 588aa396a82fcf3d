// Buffered JSONL writers for the demo generator: rows are written in the table's built-in column
// order, every column present, so a generated file always matches its schema.
import * as fs from 'fs';
import * as path from 'path';
import type { KqlType } from '../types';
import { demoSchema } from './schemas';

const FLUSH_BYTES = 1 << 20;

export class TableWriter {
  readonly file: string;
  rows = 0;
  private readonly columns: [string, KqlType][];
  private readonly known: Set<string>;
  private fd: number;
  private chunks: string[] = [];
  private pending = 0;

  constructor(
    dir: string,
    readonly table: string,
  ) {
    const schema = demoSchema(table);
    if (!schema) throw new Error(`no built-in schema for demo table ${table}`);
    this.columns = Object.entries(schema);
    this.known = new Set(Object.keys(schema));
    this.file = path.join(dir, `${table}.jsonl`);
    this.fd = fs.openSync(this.file, 'w');
  }

  /** Writes one row. Missing strings become "", other missing values null; unknown columns are a bug. */
  write(row: Record<string, unknown>): void {
    for (const key in row) {
      if (!this.known.has(key)) throw new Error(`demo generator: ${this.table} has no column ${key}`);
    }
    const out: Record<string, unknown> = {};
    for (const [name, type] of this.columns) {
      // Sentinel's copies of Defender XDR tables carry the event time twice: Timestamp mirrors TimeGenerated
      const v = row[name] === undefined && name === 'Timestamp' ? row.TimeGenerated : row[name];
      out[name] = v === undefined ? (type === 'string' ? '' : null) : v;
    }
    const line = JSON.stringify(out) + '\n';
    this.chunks.push(line);
    this.pending += line.length;
    this.rows++;
    if (this.pending >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (!this.chunks.length) return;
    fs.writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Closes without caring about errors (used when generation fails). */
  abandon(): void {
    if (this.fd < 0) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    this.fd = -1;
  }
}
