/**
 * A small in-memory map for rows read on every request (tokens, secret metadata), so the hot path
 * does not ask the database each time. Kept correct by two things:
 * - change events drop entries at once (`dropWhere`, `clear`), in this process and, through
 *   lib/cluster, in the others on the same PostgreSQL database;
 * - a short time to live, for writes nobody announces (the CLI on SQLite writes from another process).
 *
 * A load that overlaps a drop is answered but not kept: it may have read the row from before the
 * change, and keeping it would undo the drop. Misses for one key share one load. Only found rows are
 * kept (a load answering null is not), so something created is seen at once. Bounded: past
 * `maxEntries` the oldest entry goes.
 */
export class ShortLivedCache<V> {
  private readonly entries = new Map<string, { value: V; loadedAt: number }>();
  private readonly loading = new Map<string, Promise<V | null>>();
  /** Bumped by every drop: a load started under an older generation may hold what was dropped. */
  private generation = 0;
  private source: object | undefined;

  constructor(private readonly options: { maxEntries: number; ttlMs: number }) {}

  async get(key: string, load: () => Promise<V | null>, now = Date.now()): Promise<V | null> {
    const hit = this.fresh(key, now);
    if (hit !== undefined) return hit;
    const pending = this.loading.get(key);
    if (pending) return pending;
    return this.track(key, load(), now);
  }

  /**
   * Several keys at once: the fresh ones from memory, those already loading joined, and all the
   * others in one `loadMany` (which answers the rows it found, by key). For a batch that would
   * otherwise ask the database once per key.
   */
  async getMany(keys: string[], loadMany: (keys: string[]) => Promise<Map<string, V>>, now = Date.now()): Promise<Map<string, V | null>> {
    const answers = new Map<string, Promise<V | null> | V>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const hit = this.fresh(key, now);
      const pending = hit === undefined ? this.loading.get(key) : undefined;
      if (hit !== undefined) answers.set(key, hit);
      else if (pending) answers.set(key, pending);
      else missing.push(key);
    }
    if (missing.length > 0) {
      const loaded = loadMany(missing);
      for (const key of missing)
        answers.set(
          key,
          this.track(
            key,
            loaded.then((rows) => rows.get(key) ?? null),
            now,
          ),
        );
    }
    const values = await Promise.all(answers.values());
    return new Map([...answers.keys()].map((key, index) => [key, values[index]!]));
  }

  /** The kept value while it is fresh; undefined otherwise. */
  private fresh(key: string, now: number): V | undefined {
    const hit = this.entries.get(key);
    return hit && now - hit.loadedAt < this.options.ttlMs ? hit.value : undefined;
  }

  /** Registers a load of `key`: concurrent callers join it, and its row is kept unless a drop overtook it. */
  private track(key: string, load: Promise<V | null>, now: number): Promise<V | null> {
    const generation = this.generation;
    const loaded = load.then(
      (value) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        if (value === null) this.entries.delete(key);
        else if (generation === this.generation) this.keep(key, value, now);
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  /**
   * Rows belong to the database client they were read through: a new client (another database,
   * as in tests that move between two within one process) starts from an empty cache.
   */
  readFrom(source: object): void {
    if (this.source === source) return;
    if (this.source !== undefined) this.clear();
    this.source = source;
  }

  /** Drops every entry whose value matches (e.g. every token of one user). */
  dropWhere(matches: (value: V) => boolean): void {
    this.generation++;
    this.loading.clear(); // later callers must not join a load that may predate the change
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.dropWhere(() => true);
  }

  get size(): number {
    return this.entries.size;
  }

  private keep(key: string, value: V, loadedAt: number): void {
    this.entries.delete(key); // re-inserted last: the Map's order is the age order
    this.entries.set(key, { value, loadedAt });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
