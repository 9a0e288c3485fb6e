import type { FetchedSecret } from "@/lib/providers/adapter";

/**
 * The in-memory cache of values fetched from external managers. Values live only in this
 * process's memory, never on disk.
 *
 * - Per-entry TTL (the secret's cacheTtlSeconds, or the server default); 0 disables caching.
 * - Concurrent misses for one key share one upstream call (single flight), even with a TTL of 0:
 *   a request joins a call that was in flight when it arrived, and it still does so when it gets
 *   here only after the call finished (busy with authentication and database reads on the way):
 *   it is answered as if it had joined on arrival, never with a value read before any request
 *   of the herd arrived. A request that arrived after the call finished starts its own.
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

/** How long a finished call's answer stays on hand for requests that arrived while it ran. */
export const SHARE_FINISHED_MS = 2_000;

interface Flight {
  promise: Promise<Entry>;
  /** When the call answered; undefined while it runs. */
  finishedAt?: number;
}

export class ValueCache {
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight>();
  private bytes = 0;

  constructor(
    private readonly limits: { maxEntries: number; maxBytes: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** `askedAt`: when the caller's request arrived (this cache's clock), to join a call in flight then. */
  async get(key: string, policy: CachePolicy, load: () => Promise<FetchedSecret>, askedAt?: number): Promise<CacheResult> {
    const entry = this.entries.get(key);
    if (entry && this.now() < entry.freshUntil) {
      this.touch(key, entry);
      return { fetched: entry.fetched, fetchedAt: entry.fetchedAt, cached: true, stale: false };
    }
    try {
      const fresh = await this.loadOnce(key, policy, load, askedAt);
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
    for (const key of [...this.flights.keys()]) if (matches(key)) this.flights.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private loadOnce(key: string, policy: CachePolicy, load: () => Promise<FetchedSecret>, askedAt: number | undefined): Promise<Entry> {
    const flight = this.flights.get(key);
    if (flight && (flight.finishedAt === undefined || (askedAt !== undefined && askedAt <= flight.finishedAt))) return flight.promise;
    const promise = load().then(
      (fetched) => {
        const fetchedAt = this.now();
        const entry: Entry = {
          fetched,
          fetchedAt,
          freshUntil: fetchedAt + policy.ttlMs,
          staleUntil: fetchedAt + policy.ttlMs + policy.maxStaleMs,
          size: sizeOf(fetched),
        };
        // A read dropped while it ran (dropWhere: the secret changed meanwhile) may carry the old
        // value: its callers get it, the cache does not keep it.
        if (policy.ttlMs > 0 && this.flights.get(key) === current) this.store(key, entry);
        current.finishedAt = fetchedAt;
        // Requests that arrived while it ran and are still on their way here take this answer.
        setTimeout(() => this.land(key, current), SHARE_FINISHED_MS).unref();
        return entry;
      },
      (error: unknown) => {
        // A failure is not shared past its own callers: the next caller tries again.
        this.land(key, current);
        throw error;
      },
    );
    // Read by the callbacks above, which run only after this line.
    const current: Flight = { promise };
    this.flights.set(key, current);
    return promise;
  }

  private land(key: string, flight: Flight): void {
    if (this.flights.get(key) === flight) this.flights.delete(key);
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
