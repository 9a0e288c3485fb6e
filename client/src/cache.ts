/**
 * The client's value cache. A value is fresh for its TTL; after that, for `staleMs` more, it is
 * still answered at once while one background request refreshes it (stale-while-revalidate); past
 * that it is fetched again before answering. Concurrent loads of one key share one request
 * (single flight), whether the key is missing or being refreshed. Nothing is written to disk.
 */
interface Entry<T> {
  value: T;
  freshUntil: number;
  staleUntil: number;
}

export class ValueCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly loading = new Map<string, Promise<T>>();

  constructor(
    private readonly staleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value while fresh, without starting anything: the hot path of a warm cache. */
  fresh(key: string): T | undefined {
    const entry = this.entries.get(key);
    return entry && this.now() < entry.freshUntil ? entry.value : undefined;
  }

  /** The cached value, or `load`'s; `ttlMs` 0 means never cached (single flight still applies). */
  get(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry) {
      const now = this.now();
      if (now < entry.freshUntil) return Promise.resolve(entry.value);
      if (now < entry.staleUntil) {
        // A failed refresh keeps the stale value until it expires; the next get tries again.
        this.load(key, ttlMs, load).catch(() => undefined);
        return Promise.resolve(entry.value);
      }
    }
    return this.load(key, ttlMs, load);
  }

  set(key: string, value: T, ttlMs: number): void {
    if (ttlMs <= 0) return void this.entries.delete(key);
    const freshUntil = this.now() + ttlMs;
    this.entries.set(key, { value, freshUntil, staleUntil: freshUntil + this.staleMs });
  }

  /** Drops one key, or everything. */
  delete(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }

  private load(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const tracked = load()
      .then((value) => {
        this.set(key, value, ttlMs);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, tracked);
    return tracked;
  }
}
