/**
 * Which versions of which secrets this process saw and who read them, kept in memory between
 * flushes (lineage-flush.ts): recording is a map update keyed by strings, no database write on the
 * resolve path. `take` hands everything to a flush; `putBack` returns what a failed flush could
 * not store, merged with whatever was recorded meanwhile.
 */
export interface SeenVersion {
  secretId: string;
  /** The stored version number or the upstream version id; null when the manager gives none. */
  version: string | null;
  fingerprint: string;
  firstAt: number;
  lastAt: number;
}

export interface VersionRead {
  secretId: string;
  version: string | null;
  /** Names the version when `version` is null (matched to the stored row at flush time). */
  fingerprint: string;
  /** `token:<id>` or `user:<id>`. */
  reader: string;
  lastAt: number;
}

export interface LineageBatch {
  seen: SeenVersion[];
  reads: VersionRead[];
}

export class LineageCounter {
  private seen = new Map<string, SeenVersion>();
  private reads = new Map<string, VersionRead>();

  /** A value of this secret was fetched (or, stored, first read here) with this fingerprint. */
  sawVersion(secretId: string, version: string | null, fingerprint: string, at: number, lastAt = at): void {
    const key = `${secretId}|${version ?? ""}|${fingerprint}`;
    const entry = this.seen.get(key);
    if (!entry) this.seen.set(key, { secretId, version, fingerprint, firstAt: at, lastAt });
    else {
      entry.firstAt = Math.min(entry.firstAt, at);
      entry.lastAt = Math.max(entry.lastAt, lastAt);
    }
  }

  read(secretId: string, version: string | null, fingerprint: string, reader: string, at: number): void {
    const key = `${secretId}|${version ?? ""}|${fingerprint}|${reader}`;
    const entry = this.reads.get(key);
    if (entry) entry.lastAt = Math.max(entry.lastAt, at);
    else this.reads.set(key, { secretId, version, fingerprint, reader, lastAt: at });
  }

  take(): LineageBatch {
    const batch = { seen: [...this.seen.values()], reads: [...this.reads.values()] };
    this.seen = new Map();
    this.reads = new Map();
    return batch;
  }

  putBack(batch: LineageBatch): void {
    for (const s of batch.seen) this.sawVersion(s.secretId, s.version, s.fingerprint, s.firstAt, s.lastAt);
    for (const r of batch.reads) this.read(r.secretId, r.version, r.fingerprint, r.reader, r.lastAt);
  }

  get size(): number {
    return this.seen.size + this.reads.size;
  }
}
