// Analysis results for their lifetime (one hour at the service), keyed by entity, window and workspace:
// asking again within the hour shows the cached verdict with its age instead of spending a run.
// Expired entries stay (marked) for a day so the Analyses view can offer a re-run. In-flight analyses are
// recorded too, so a reloaded window resumes polling them instead of starting again.
import type { Clock } from './clock';
import type { StateStore } from './store';
import type { AnalysisEntity, AnalysisRequest, AnalysisResult } from './types';

const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 300;

export interface CacheEntry {
  key: string;
  request: AnalysisRequest;
  /** Backend/workspace scope the result belongs to (e.g. `local:/lake` or `azure:<resource id>`). */
  scope: string;
  result: AnalysisResult;
  storedAt: number;
  expiresAt: number;
}

export interface CacheLookup extends CacheEntry {
  ageMs: number;
  expired: boolean;
}

export interface InFlightRecord {
  jobId: string;
  analysisId: string;
  request: AnalysisRequest;
  scope: string;
  createdAt: number;
  startedAt: number;
}

export interface CacheOptions {
  store: StateStore;
  clock: Clock;
  /** Read per call (a setting); the service keeps results for one hour. */
  lifetimeMs: () => number;
  storeKey?: string;
}

/** The entity as the cache compares it: UPNs case-insensitively, URLs normalised by the URL parser. */
export function normalizeEntityId(entity: AnalysisEntity): string {
  const id = entity.id.trim();
  if (entity.type === 'User') return id.toLowerCase();
  try {
    return new URL(id).href;
  } catch {
    return id;
  }
}

/**
 * Cache key: entity, window and workspace. The window enters as its length, so the same question
 * ("this user, last 7 days, this workspace") asked again within the result's lifetime is a hit even
 * though the clock moved on.
 */
export function cacheKey(request: AnalysisRequest, scope: string): string {
  const length = Date.parse(request.endTime) - Date.parse(request.startTime);
  return [
    request.entity.type,
    normalizeEntityId(request.entity),
    Number.isFinite(length) ? length : 'bad',
    scope,
    request.workspaceId ?? '',
  ].join('|');
}

interface Persisted {
  entries: CacheEntry[];
  inflight: InFlightRecord[];
}

export class AnalysisCache {
  private readonly store: StateStore;
  private readonly clock: Clock;
  private readonly lifetimeMs: () => number;
  private readonly storeKey: string;
  private entries: CacheEntry[];
  private flights: InFlightRecord[];

  constructor(options: CacheOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.lifetimeMs = options.lifetimeMs;
    this.storeKey = options.storeKey ?? 'sentinelWorkbench.analyzer.cache';
    const saved = this.store.get<Partial<Persisted>>(this.storeKey);
    this.entries = Array.isArray(saved?.entries) ? saved!.entries.filter(isEntry) : [];
    this.flights = Array.isArray(saved?.inflight) ? saved!.inflight.filter(isFlight) : [];
    this.prune();
  }

  /** The cached result for this question, with its age; `expired` marks one past its lifetime. */
  get(request: AnalysisRequest, scope: string): CacheLookup | undefined {
    const key = cacheKey(request, scope);
    this.prune();
    const entry = this.entries.find((e) => e.key === key);
    return entry ? this.describe(entry) : undefined;
  }

  put(request: AnalysisRequest, scope: string, result: AnalysisResult): CacheLookup {
    const now = this.clock.now();
    const key = cacheKey(request, scope);
    const byLifetime = now + this.lifetimeMs();
    const byServer = result.expiresAt ? Date.parse(result.expiresAt) : NaN;
    const entry: CacheEntry = {
      key,
      request,
      scope,
      result,
      storedAt: now,
      expiresAt: Number.isFinite(byServer) ? Math.min(byServer, byLifetime) : byLifetime,
    };
    this.entries = [entry, ...this.entries.filter((e) => e.key !== key)];
    this.prune();
    this.save();
    return this.describe(entry);
  }

  /** Every kept entry, newest first (fresh and expired). */
  list(): CacheLookup[] {
    this.prune();
    return this.entries.map((e) => this.describe(e));
  }

  delete(key: string): void {
    this.entries = this.entries.filter((e) => e.key !== key);
    this.save();
  }

  /** Analyses accepted by the service and not finished yet. */
  inflight(): InFlightRecord[] {
    return this.flights.slice();
  }

  addInflight(record: InFlightRecord): void {
    this.flights = [...this.flights.filter((f) => f.jobId !== record.jobId), record];
    this.save();
  }

  removeInflight(jobId: string): void {
    const before = this.flights.length;
    this.flights = this.flights.filter((f) => f.jobId !== jobId);
    if (this.flights.length !== before) this.save();
  }

  private describe(e: CacheEntry): CacheLookup {
    const now = this.clock.now();
    // A shorter lifetime setting applies to entries stored before it changed.
    const expiresAt = Math.min(e.expiresAt, e.storedAt + this.lifetimeMs());
    return { ...e, expiresAt, ageMs: Math.max(0, now - e.storedAt), expired: now >= expiresAt };
  }

  private prune(): void {
    const now = this.clock.now();
    this.entries = this.entries.filter((e) => now - e.expiresAt < KEEP_EXPIRED_MS).slice(0, MAX_ENTRIES);
    // An in-flight analysis older than the result lifetime cannot be fetched any more.
    this.flights = this.flights.filter((f) => now - f.startedAt < Math.max(this.lifetimeMs(), 60_000) + 60 * 60_000);
  }

  private save(): void {
    const value: Persisted = { entries: this.entries, inflight: this.flights };
    void Promise.resolve(this.store.update(this.storeKey, value)).catch(() => undefined);
  }
}

function isEntry(e: unknown): e is CacheEntry {
  const x = e as CacheEntry;
  return (
    !!x &&
    typeof x.key === 'string' &&
    typeof x.storedAt === 'number' &&
    typeof x.expiresAt === 'number' &&
    !!x.result &&
    !!x.request
  );
}

function isFlight(f: unknown): f is InFlightRecord {
  const x = f as InFlightRecord;
  return (
    !!x &&
    typeof x.jobId === 'string' &&
    typeof x.analysisId === 'string' &&
    !!x.request &&
    typeof x.startedAt === 'number'
  );
}
