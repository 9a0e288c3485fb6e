/**
 * Per-connection, per-day counters of upstream calls, kept in memory (one instance per process):
 * counting is a map increment, with no database write on the resolve path. A flush takes what
 * was counted since the last one (`take`) and gives it back (`putBack`) when the write failed, so
 * nothing is lost or counted twice by one process.
 */
export const USAGE_FIELDS = ["calls", "errors", "throttled", "cacheHits", "cacheMisses"] as const;
export type UsageField = (typeof USAGE_FIELDS)[number];
export type UsageCounts = Record<UsageField, number>;

export interface DayCounts extends UsageCounts {
  connectionId: string;
  /** "YYYY-MM-DD", UTC. */
  day: string;
}

export function emptyCounts(): UsageCounts {
  return { calls: 0, errors: 0, throttled: 0, cacheHits: 0, cacheMisses: 0 };
}

/** The UTC day of an epoch-milliseconds instant, as "YYYY-MM-DD". */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class UsageCounter {
  private counts = new Map<string, DayCounts>();
  /** The day of the last count, and since when it is that day: a count does not format a date each time. */
  private today = { day: "", from: 0, until: 0 };

  constructor(private readonly now: () => number = Date.now) {}

  count(connectionId: string, field: UsageField, n = 1): void {
    const day = this.dayNow();
    const key = `${connectionId}|${day}`;
    let entry = this.counts.get(key);
    if (!entry) {
      entry = { connectionId, day, ...emptyCounts() };
      this.counts.set(key, entry);
    }
    entry[field] += n;
  }

  /** Everything counted since the last take, and forgets it. */
  take(): DayCounts[] {
    const taken = [...this.counts.values()];
    this.counts = new Map();
    return taken;
  }

  /** Gives back counts a failed flush did not store; they are added to whatever was counted meanwhile. */
  putBack(entries: DayCounts[]): void {
    for (const entry of entries) {
      const key = `${entry.connectionId}|${entry.day}`;
      const current = this.counts.get(key);
      if (!current) this.counts.set(key, { ...entry });
      else for (const field of USAGE_FIELDS) current[field] += entry[field];
    }
  }

  get size(): number {
    return this.counts.size;
  }

  private dayNow(): string {
    const now = this.now();
    if (now < this.today.from || now >= this.today.until) {
      const from = Date.parse(`${utcDay(now)}T00:00:00.000Z`);
      this.today = { day: utcDay(now), from, until: from + 86_400_000 };
    }
    return this.today.day;
  }
}
