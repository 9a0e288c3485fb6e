import type { FetchedSecret } from "@/lib/providers/adapter";

/**
 * The in-memory cache of values fetched from external managers. Values live only in this
 * process's memory, never on disk.
 *
 * - Per-entry TTL (the secret's cacheTtlSeconds, or the server default); 0 disables caching.
 * - Concurrent misses for one key share one upstream call (single flight).
 * - When a refresh fails upstream, the last good value is served, marked stale, up to a
 *   maximum staleness (as AWS's own caching client does), so a manager's outage does not
 *   become ours.
 * - Bounded by entry count and total size; least recently used entries go first.
 * - Keys name the secret and connection versions, so an edited secret or connection never
 *   serves an old value; `dropWhere` frees entries as soon as a change is announced.
 */
export interface CacheResult {
  fetched: FetchedSecret;
  fetchedAt: number;
  cached: boolean;
  stale: boolean;
}

interface Entry {
  fetched: FetchedSecret;
  fetchedAt: number;
  freshUntil: number;
  staleUntil: number;
  size: number;
}

export interface CachePolicy {
  ttlMs: number;
  maxStaleMs: number;
  /** Whether an error may be answered with the last good value (upstream failures only). */
  serveStaleOn: (error: unknown) => boolean;
}

export class ValueCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  private bytes = 0;

  constructor(
    private readonly limits: { maxEntries: number; maxBytes: number },
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, policy: CachePolicy, load: () => Promise<FetchedSecret>): Promise<CacheResult> {
    const entry = this.entries.get(key);
    if (entry && this.now() < entry.freshUntil) {
      this.touch(key, entry);
      return { fetched: entry.fetched, fetchedAt: entry.fetchedAt, cached: true, stale: false };
    }
    try {
      const fresh = await this.loadOnce(key, policy, load);
      return { fetched: fresh.fetched, fetchedAt: fresh.fetchedAt, cached: false, stale: false };
    } catch (error) {
      const last = this.entries.get(key);
      if (last && this.now() < last.staleUntil && policy.serveStaleOn(error)) {
        return { fetched: last.fetched, fetchedAt: last.fetchedAt, cached: true, stale: true };
      }
      throw error;
    }
  }

  /** Removes every entry whose key matches, e.g. all of one secret or one connection. */
  dropWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (matches(key)) this.remove(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private loadOnce(key: string, policy: CachePolicy, load: () => Promise<FetchedSecret>): Promise<Entry> {
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = load()
      .then((fetched) => {
        const fetchedAt = this.now();
        const entry: Entry = {
          fetched,
          fetchedAt,
          freshUntil: fetchedAt + policy.ttlMs,
          staleUntil: fetchedAt + policy.ttlMs + policy.maxStaleMs,
          size: sizeOf(fetched),
        };
        if (policy.ttlMs > 0) this.store(key, entry);
        return entry;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private store(key: string, entry: Entry): void {
    this.remove(key);
    if (entry.size > this.limits.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.size;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.remove(oldest);
    }
  }

  private touch(key: string, entry: Entry): void {
    // Map iteration order is insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.size;
  }
}

function sizeOf(fetched: FetchedSecret): number {
  return fetched.value.length * 2 + (fetched.fields ? JSON.stringify(fetched.fields).length * 2 : 0) + 64;
}
