// Query history: every run (file, query text, backend, time range, rows, duration, when) in an index file,
// and — when saving results is on — each result in its own file, so reopening an entry shows its rows
// without running the query again. Results are capped in total size: the oldest results go first, the
// entries stay (they can be re-run). Results hold workspace data: the folder is chosen by the caller
// (the extension's global storage), never the workspace.
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { QueryResult } from './types';

export interface HistoryEntry {
  id: string;
  /** ISO time of the run. */
  ranAt: string;
  query: string;
  title: string;
  /** The file the query came from (a URI string), when it came from one. */
  source?: string;
  /** Line of the query block in that file (0-based). */
  line?: number;
  backend: string;
  timeRange: string;
  rows?: number;
  durationMs: number;
  /** The error message of a failed run. */
  error?: string;
  /** Bytes of the stored result; absent when none is stored (off, too big, failed, or pruned). */
  resultBytes?: number;
}

export interface HistoryOptions {
  /** Folder of the index and the results. */
  dir: string;
  /** Most entries kept; default 200. */
  maxEntries?: number;
  /** Total bytes of stored results; default 50 MB. */
  maxResultBytes?: number;
  /** Whether results are stored at all (read per call, so a setting change applies at once). */
  storeResults?: () => boolean;
}

const INDEX = 'history.json';

function isEntry(v: unknown): v is HistoryEntry {
  const e = v as HistoryEntry;
  return (
    !!e &&
    typeof e === 'object' &&
    typeof e.id === 'string' &&
    /^[\w-]+$/.test(e.id) &&
    typeof e.query === 'string' &&
    typeof e.ranAt === 'string' &&
    typeof e.title === 'string'
  );
}

export class QueryHistory {
  private entries: HistoryEntry[] | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: HistoryOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  private resultFile(id: string): string {
    return path.join(this.options.dir, 'results', `${id}.json`);
  }

  /** Newest first. A missing or unreadable index is an empty history. */
  async list(): Promise<HistoryEntry[]> {
    if (!this.entries) {
      try {
        const parsed = JSON.parse(await fs.promises.readFile(path.join(this.options.dir, INDEX), 'utf8')) as unknown;
        this.entries = Array.isArray(parsed) ? parsed.filter(isEntry) : [];
      } catch {
        this.entries = [];
      }
    }
    return [...this.entries];
  }

  get(id: string): HistoryEntry | undefined {
    return this.entries?.find((e) => e.id === id);
  }

  /** Records a run; stores its result when allowed and it fits under the cap. Returns the entry. */
  async add(run: Omit<HistoryEntry, 'id' | 'resultBytes'>, result?: QueryResult): Promise<HistoryEntry> {
    const entries = await this.list();
    const entry: HistoryEntry = { ...run, id: randomUUID() };
    const cap = this.options.maxResultBytes ?? 50 * 1024 * 1024;
    if (result && (this.options.storeResults?.() ?? true)) {
      const text = JSON.stringify(result);
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes <= cap) {
        await fs.promises.mkdir(path.dirname(this.resultFile(entry.id)), { recursive: true });
        await fs.promises.writeFile(this.resultFile(entry.id), text, 'utf8');
        entry.resultBytes = bytes;
      }
    }
    const next = [entry, ...entries].slice(0, this.options.maxEntries ?? 200);
    const dropped = entries.filter((e) => !next.includes(e));
    await this.prune(next, cap, dropped);
    this.entries = next;
    await this.save();
    return entry;
  }

  /** Keeps stored results under the cap, oldest first out; removes results of dropped entries. */
  private async prune(entries: HistoryEntry[], cap: number, dropped: HistoryEntry[]): Promise<void> {
    let total = 0;
    const remove = [...dropped.filter((e) => e.resultBytes !== undefined)];
    for (const e of entries) {
      if (e.resultBytes === undefined) continue;
      if (total + e.resultBytes > cap) {
        remove.push(e);
        e.resultBytes = undefined;
      } else {
        total += e.resultBytes;
      }
    }
    await Promise.all(remove.map((e) => fs.promises.rm(this.resultFile(e.id), { force: true })));
  }

  /** The stored result of an entry, or undefined when none is stored (or it cannot be read). */
  async result(id: string): Promise<QueryResult | undefined> {
    const entry = (await this.list()).find((e) => e.id === id);
    if (!entry || entry.resultBytes === undefined) return undefined;
    try {
      const r = JSON.parse(await fs.promises.readFile(this.resultFile(id), 'utf8')) as QueryResult;
      return Array.isArray(r?.columns) && Array.isArray(r?.rows) ? r : undefined;
    } catch {
      return undefined;
    }
  }

  /** Removes every stored result (keeps the entries), e.g. when the user turns storing off. */
  async clearResults(): Promise<void> {
    const entries = await this.list();
    for (const e of entries) e.resultBytes = undefined;
    this.entries = entries;
    await fs.promises.rm(path.join(this.options.dir, 'results'), { recursive: true, force: true });
    await this.save();
  }

  async clear(): Promise<void> {
    this.entries = [];
    await fs.promises.rm(path.join(this.options.dir, 'results'), { recursive: true, force: true });
    await this.save();
  }

  private save(): Promise<void> {
    const entries = this.entries ?? [];
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await fs.promises.mkdir(this.options.dir, { recursive: true });
        const file = path.join(this.options.dir, INDEX);
        // Write then rename: a crash mid-write never leaves a torn index.
        await fs.promises.writeFile(`${file}.tmp`, JSON.stringify(entries), 'utf8');
        await fs.promises.rename(`${file}.tmp`, file);
      });
    return this.writing;
  }
}
