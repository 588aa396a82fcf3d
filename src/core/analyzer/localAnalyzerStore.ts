// Persists the local analyzer's jobs so they survive the server process: after a window reload the new
// local MCP server answers polls for analyses the old one started (finished results are served as they
// were; analyses that were still running are run again — the reasoning is deterministic).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { AnalysisRequest, AnalysisResult } from './types';

export interface StoredJob {
  analysisId: string;
  request: AnalysisRequest;
  state: 'running' | 'completed' | 'failed';
  startedAt: number;
  completedAt?: number;
  result?: AnalysisResult;
  error?: string;
  code?: string;
}

export interface AnalysisStore {
  load(analysisId: string): StoredJob | undefined;
  save(job: StoredJob): void;
  /** Drops jobs that finished before `before` (ms since epoch). */
  prune(before: number): void;
}

const ID = /^[A-Za-z0-9-]{8,64}$/;

/** One JSON file per analysis in a folder (per lake). Failures to write are logged by the caller, never fatal. */
export class FileAnalysisStore implements AnalysisStore {
  constructor(readonly dir: string) {}

  /** The store folder for a lake under a base folder. */
  static forLake(baseDir: string, lakeDir: string): FileAnalysisStore {
    const key = crypto.createHash('sha256').update(path.resolve(lakeDir)).digest('hex').slice(0, 16);
    return new FileAnalysisStore(path.join(baseDir, key));
  }

  private file(id: string): string | undefined {
    return ID.test(id) ? path.join(this.dir, `${id}.json`) : undefined;
  }

  load(analysisId: string): StoredJob | undefined {
    const f = this.file(analysisId);
    if (!f) return undefined;
    try {
      const job = JSON.parse(fs.readFileSync(f, 'utf8')) as StoredJob;
      return job && job.analysisId === analysisId && job.request ? job : undefined;
    } catch {
      return undefined;
    }
  }

  save(job: StoredJob): void {
    const f = this.file(job.analysisId);
    if (!f) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${f}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(job));
    fs.renameSync(tmp, f);
  }

  prune(before: number): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (!n.endsWith('.json')) continue;
      const f = path.join(this.dir, n);
      try {
        if (fs.statSync(f).mtimeMs < before) fs.rmSync(f, { force: true });
      } catch {
        /* gone already */
      }
    }
  }
}
