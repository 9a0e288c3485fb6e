/**
 * Per-connection cache of SDK clients (or anything built from a connection's config), keyed by
 * `connectionKey` = `${connectionId}:${version}`: a changed config gets a new version and so a new
 * client, and `forget(connectionId)` drops every version. Creation is cached as a promise so
 * concurrent first calls share one client; a failed creation is not cached.
 */
export class ConnectionCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly dispose?: (value: T) => void) {}

  get(connectionKey: string, create: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(connectionKey);
    if (!entry) {
      entry = create();
      this.entries.set(connectionKey, entry);
      entry.catch(() => {
        if (this.entries.get(connectionKey) === entry) this.entries.delete(connectionKey);
      });
    }
    return entry;
  }

  /** Drops one entry, e.g. a client left unusable by a failed initialisation. */
  delete(connectionKey: string): void {
    const entry = this.entries.get(connectionKey);
    this.entries.delete(connectionKey);
    if (entry && this.dispose) {
      const dispose = this.dispose;
      entry.then((value) => dispose(value)).catch(() => {});
    }
  }

  forget(connectionId: string): void {
    const prefix = `${connectionId}:`;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) this.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
