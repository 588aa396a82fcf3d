// What the reasoning rules need from the world: which tables exist and a way to run KQL.
// The local analyzer backs it with the lake engine; tests may back it with a fake.
import type { Logger, QueryResult } from '../../types';
import { throwIfAborted, UserError } from '../../errors';
import type { EvidenceItem } from '../types';

export type Row = Record<string, unknown>;

export interface ReasoningContext {
  hasTable(name: string): boolean;
  /** Runs KQL exactly as given (the window is in the query as datetime literals). */
  query(kql: string, signal?: AbortSignal): Promise<QueryResult>;
  logger: Logger;
  signal?: AbortSignal;
  /** Collects rule queries that could not run on this lake (reported in the disclaimer). */
  skipped?: string[];
}

/** Wire-form rows → objects keyed by column name. */
export function rowsOf(result: QueryResult): Row[] {
  return result.rows.map((r) => {
    const o: Row = {};
    result.columns.forEach((c, i) => (o[c.name] = r[i] ?? null));
    return o;
  });
}

export async function runRows(ctx: ReasoningContext, kql: string): Promise<Row[]> {
  throwIfAborted(ctx.signal);
  try {
    return rowsOf(await ctx.query(kql, ctx.signal));
  } catch (e) {
    // A lake whose tables lack a column a rule needs: the rule is skipped (and reported), not the analysis.
    if (e instanceof UserError && !ctx.signal?.aborted) {
      ctx.logger.warn(`analyzer rule query failed, rule skipped: ${e.message}`);
      ctx.skipped?.push(`${kql.split('\n')[0].trim()}: ${e.message}`);
      return [];
    }
    throw e;
  }
}

/** A signal the rules found: evidence plus tags that drive recommendations and the narrative. */
export interface Finding {
  rule: string;
  evidence: EvidenceItem & { weight: number };
  tags: string[];
  /** One short clause for the narrative, e.g. "a password-spray pattern from 3 IP addresses". */
  clause: string;
}

export class Findings {
  readonly items: Finding[] = [];
  add(f: Finding): void {
    this.items.push(f);
  }
  score(): number {
    return this.items.reduce((s, f) => s + f.evidence.weight, 0);
  }
  has(tag: string): boolean {
    return this.items.some((f) => f.evidence.weight > 0 && f.tags.includes(tag));
  }
  positive(): Finding[] {
    return this.items.filter((f) => f.evidence.weight > 0);
  }
}

export function num(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
}

export function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str).filter(Boolean);
  if (typeof v === 'string' && v.startsWith('[')) {
    try {
      const p = JSON.parse(v);
      if (Array.isArray(p)) return p.map(str).filter(Boolean);
    } catch {
      /* not JSON */
    }
  }
  const s = str(v);
  return s ? [s] : [];
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Bounded list for prose: "a, b, c and 4 more". */
export function some(items: string[], max = 3): string {
  const uniq = [...new Set(items)];
  if (uniq.length <= max) return joinAnd(uniq);
  return `${uniq.slice(0, max).join(', ')} and ${uniq.length - max} more`;
}
