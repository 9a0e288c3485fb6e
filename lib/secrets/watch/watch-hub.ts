import { onChange } from "@/lib/change-events";
import { describeError, log } from "@/lib/log";
import { changesAfter, changesSince, latestChangeId, pruneChangeLog, type SecretChangeRow } from "./change-log";
import { processShared } from "@/lib/process-shared";

/**
 * One reader of the change log per process, however many watchers are connected: it is woken by
 * change events (this instance's own changes at once, other instances' through PostgreSQL
 * notifications) and every few seconds regardless, reads the new rows once and hands each to the
 * watchers it concerns. Rows that committed late (a transaction that took its id before another
 * that committed first) are caught by re-reading the last few seconds; each row is delivered once.
 */
export interface Watcher {
  wants(secretPath: string): boolean;
  send(row: SecretChangeRow): void;
}

const POLL_MS = 2_000;
const LATE_COMMIT_MS = 5_000;
const BATCH = 500;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private lastId: number | undefined;
  /** Ids delivered in the last LATE_COMMIT_MS, so the re-read of recent rows sends nothing twice. */
  private readonly recent = new Map<number, number>();
  private pumping = false;
  private again = false;
  private started = false;
  /** When the current run of watchers began: rows from before are not news. */
  private since = 0;

  /**
   * Adds a watcher; it hears changes committed from now on. An idle hub reads nothing, so the
   * first watcher after a quiet spell moves it to the log's end: old rows are history (what
   * Last-Event-ID replays), not news.
   */
  async add(watcher: Watcher): Promise<() => void> {
    this.start();
    if (this.watchers.size === 0) {
      this.since = Date.now();
      this.lastId = await latestChangeId();
      this.recent.clear();
    }
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  get size(): number {
    return this.watchers.size;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    onChange((event) => {
      if (event.kind === "secret" || event.kind === "all") this.wake();
    });
    setInterval(() => this.wake(), POLL_MS).unref();
    setInterval(
      () => void pruneChangeLog().catch((error: unknown) => log.warn("could not prune the secret change log", describeError(error))),
      PRUNE_EVERY_MS,
    ).unref();
  }

  wake(): void {
    if (this.watchers.size === 0) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => (this.pumping = false));
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      try {
        const from = this.lastId ?? (this.lastId = await latestChangeId());
        const now = Date.now();
        const rows = [...(await changesAfter(from, BATCH)), ...(await changesSince(new Date(now - LATE_COMMIT_MS), BATCH))].sort(
          (a, b) => a.id - b.id,
        );
        for (const row of rows) {
          // Skipped: sent already, from before these watchers came, or an old row a late read found.
          const at = row.changedAt.getTime();
          if (this.recent.has(row.id) || at < this.since || (row.id <= from && at < now - LATE_COMMIT_MS)) continue;
          this.recent.set(row.id, now);
          this.lastId = Math.max(this.lastId ?? 0, row.id);
          for (const watcher of this.watchers) if (watcher.wants(row.secretPath)) watcher.send(row);
        }
        for (const [id, at] of this.recent) if (at < now - 2 * LATE_COMMIT_MS) this.recent.delete(id);
        if (rows.length >= BATCH) this.again = true;
      } catch (error) {
        // The next change event or poll tries again; watchers stay connected.
        log.warn("could not read the secret change log", describeError(error));
      }
    } while (this.again);
  }
}

/** The process's hub (lib/process-shared.ts: the fast path and the route handlers share it). */
export function watchHub(): WatchHub {
  return processShared("watchHub", () => new WatchHub());
}
