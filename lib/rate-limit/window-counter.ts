import { retryAfterSeconds, type LimitDecision, type LimitRule } from "./sliding-window";

/**
 * Sliding-window counts kept in memory and shared with the other instances in the background (see
 * lib/secrets/resolve/resolve-limit.ts for the sync): the same window and the same estimate as
 * sliding-window.ts (the previous bucket weighted by how much of it still overlaps), without a
 * database write per event. Per key and bucket it holds the shared total last read from the
 * database (every instance's events, ours included), plus this instance's events not yet sent and
 * those being sent. A decision counts all three, so it is exact for one instance and lags the others
 * by one sync.
 */
interface Bucket {
  shared: number;
  unsent: number;
  sending: number;
}

export interface UnsentCount {
  key: string;
  bucketStart: number;
  events: number;
}

/** Float noise allowed when comparing the weighted estimate with the limit. */
const ROUNDING = 1e-9;

export class WindowCounter {
  private readonly keys = new Map<string, Map<number, Bucket>>();

  constructor(readonly windowMs: number) {}

  /**
   * Counts `weight` events (a weight above the limit counts as the limit, so a large batch still
   * passes in an idle window) when they fit; events refused are not counted.
   */
  consume(rule: LimitRule, key: string, now: number, weight = 1): LimitDecision {
    if (rule.limit <= 0) return { allowed: true, hit: null };
    const events = Math.max(1, Math.min(Math.floor(weight), rule.limit));
    const bucketStart = this.bucketOf(now);
    const current = this.total(key, bucketStart);
    const previous = this.total(key, bucketStart - this.windowMs);
    const elapsed = (now - bucketStart) / this.windowMs;
    if (previous * (1 - elapsed) + current + events > rule.limit + ROUNDING) {
      return { allowed: false, retryAfterSeconds: retryAfterSeconds(rule, previous, current, now - bucketStart, events) };
    }
    this.bucket(key, bucketStart).unsent += events;
    return { allowed: true, hit: null };
  }

  /** Every unsent count, now marked as being sent; each must come back through `sent` or `unsent`. */
  takeUnsent(): UnsentCount[] {
    const taken: UnsentCount[] = [];
    for (const [key, buckets] of this.keys) {
      for (const [bucketStart, bucket] of buckets) {
        if (bucket.unsent === 0) continue;
        taken.push({ key, bucketStart, events: bucket.unsent });
        bucket.sending += bucket.unsent;
        bucket.unsent = 0;
      }
    }
    return taken;
  }

  /** A send went through; `sharedTotal` is the bucket's total across instances afterwards. */
  sent(count: UnsentCount, sharedTotal: number): void {
    const bucket = this.bucket(count.key, count.bucketStart);
    bucket.sending -= count.events;
    bucket.shared = Math.max(bucket.shared, sharedTotal);
  }

  /** A send failed: the events are sent again next time. */
  unsent(count: UnsentCount): void {
    const bucket = this.bucket(count.key, count.bucketStart);
    bucket.sending -= count.events;
    bucket.unsent += count.events;
  }

  /** A bucket's total across instances as read from the database (it includes what we sent). */
  observe(key: string, bucketStart: number, sharedTotal: number): void {
    const bucket = this.bucket(key, bucketStart);
    bucket.shared = Math.max(bucket.shared, sharedTotal);
  }

  /** Whether this key's shared totals have been read (or it has been counted here) since it was last idle. */
  knows(key: string): boolean {
    return this.keys.has(key);
  }

  /** Marks a key whose shared totals were just read (`observe` each row found) as known. */
  learned(key: string): void {
    if (!this.keys.has(key)) this.keys.set(key, new Map());
  }

  /** The keys counted in the window at `now`, whose shared totals are worth reading. */
  activeKeys(): string[] {
    return [...this.keys.keys()];
  }

  /** The buckets that can still count at `now`: the current and the previous one. */
  liveBuckets(now: number): [number, number] {
    const current = this.bucketOf(now);
    return [current, current - this.windowMs];
  }

  /** Forgets buckets that can no longer count (nothing of theirs left to send), and keys left empty. */
  prune(now: number): void {
    const oldest = this.bucketOf(now) - this.windowMs;
    for (const [key, buckets] of this.keys) {
      for (const [bucketStart, bucket] of buckets) {
        if (bucketStart < oldest && bucket.unsent === 0 && bucket.sending === 0) buckets.delete(bucketStart);
      }
      if (buckets.size === 0) this.keys.delete(key);
    }
  }

  private bucketOf(now: number): number {
    return Math.floor(now / this.windowMs) * this.windowMs;
  }

  private total(key: string, bucketStart: number): number {
    const bucket = this.keys.get(key)?.get(bucketStart);
    return bucket ? bucket.shared + bucket.unsent + bucket.sending : 0;
  }

  private bucket(key: string, bucketStart: number): Bucket {
    let buckets = this.keys.get(key);
    if (!buckets) this.keys.set(key, (buckets = new Map()));
    let bucket = buckets.get(bucketStart);
    if (!bucket) buckets.set(bucketStart, (bucket = { shared: 0, unsent: 0, sending: 0 }));
    return bucket;
  }
}
