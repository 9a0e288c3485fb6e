import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";

/**
 * Sliding-window rate limits whose counters live in the database, so a limit holds across every
 * instance behind a load balancer (and survives a restart). Each rule counts events per subject in
 * fixed buckets of `windowMs`; the estimate weights the previous bucket by how much of it still
 * overlaps the sliding window, which avoids the double burst a plain fixed window allows at its
 * edges. Counting is atomic (one upsert), so parallel requests can never all slip under a limit.
 */
export interface LimitRule {
  /** Stable name, part of the stored key, e.g. "resolve.token". */
  name: string;
  /** Events allowed per window; 0 turns the rule off. */
  limit: number;
  windowMs: number;
}

export type LimitDecision = { allowed: true; hit: CountedHit | null } | { allowed: false; retryAfterSeconds: number };

/** A counted event, which the caller may take back (e.g. a sign-in that turned out right). */
export interface CountedHit {
  refund(): Promise<void>;
}

/** Float noise allowed when comparing the weighted estimate with the limit. */
const ROUNDING = 1e-9;

/**
 * Counts `weight` events (one by default; a batch counts each of its items) for `subject` under
 * `rule`; events over the limit are not counted. A weight above the limit is counted as the
 * limit, so that a large batch still passes in an otherwise idle window.
 */
export async function consume(rule: LimitRule, subject: string, now = Date.now(), weight = 1): Promise<LimitDecision> {
  if (rule.limit <= 0) return { allowed: true, hit: null };
  const events = Math.max(1, Math.min(Math.floor(weight), rule.limit));
  const key = storedKey(rule, subject);
  const bucketStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const current = await increment(key, bucketStart, events);
  const previous = await hitsIn(key, bucketStart - rule.windowMs);
  const elapsed = (now - bucketStart) / rule.windowMs;

  const hit: CountedHit = { refund: () => decrement(key, bucketStart, events) };
  if (previous * (1 - elapsed) + current <= rule.limit + ROUNDING) {
    void sweepExpired(now);
    return { allowed: true, hit };
  }
  await hit.refund();
  return { allowed: false, retryAfterSeconds: retryAfterSeconds(rule, previous, current - events, now - bucketStart, events) };
}

/**
 * How long until `events` more events fit (one by default), if nothing else is counted meanwhile. Within this bucket
 * the previous bucket's weight shrinks linearly; failing that, in the next bucket this bucket
 * becomes the shrinking "previous" one.
 */
export function retryAfterSeconds(rule: LimitRule, previous: number, current: number, elapsedMs: number, events = 1): number {
  const { limit, windowMs } = rule;
  const room = limit - current - events; // what the previous bucket's weighted share may still be
  let waitMs: number;
  if (room >= 0 && previous > 0) {
    const within = windowMs * (1 - room / previous) - elapsedMs;
    waitMs = within <= windowMs - elapsedMs ? Math.max(within, 0) : nextBucketWait();
  } else {
    waitMs = nextBucketWait();
  }
  // Rounded to the microsecond first, so that float noise (0.30000000000000004) cannot add a second,
  // while a real fraction of a millisecond (67000.43 ms) still rounds up to the next second.
  return Math.max(1, Math.ceil(Math.round(waitMs * 1000) / 1_000_000));

  function nextBucketWait(): number {
    const untilNextBucket = windowMs - elapsedMs;
    return untilNextBucket + (current > 0 ? Math.max(0, windowMs * (1 - (limit - events) / current)) : 0);
  }
}

/** A wait for people: "45 seconds", "12 minutes". */
export function describeWait(seconds: number): string {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

/** Subjects (addresses, emails, token ids) are stored as digests: bounded keys, no personal data. */
export function storedKey(rule: LimitRule, subject: string): string {
  return `${rule.name}:${createHash("sha256").update(subject).digest("base64url").slice(0, 32)}`;
}

/** Adds events to a stored bucket (atomically) and returns its new total. */
export async function increment(key: string, bucketStart: number, events: number): Promise<number> {
  const rows = await db().$queryRaw<{ hits: number | bigint }[]>`
    INSERT INTO "rate_limit_hits" ("key", "bucket_start", "hits") VALUES (${key}, ${BigInt(bucketStart)}, ${events})
    ON CONFLICT ("key", "bucket_start") DO UPDATE SET "hits" = "rate_limit_hits"."hits" + ${events}
    RETURNING "hits"`;
  return Number(rows[0]?.hits ?? events);
}

async function decrement(key: string, bucketStart: number, events: number): Promise<void> {
  await db().$executeRaw`
    UPDATE "rate_limit_hits" SET "hits" = CASE WHEN "hits" > ${events} THEN "hits" - ${events} ELSE 0 END
    WHERE "key" = ${key} AND "bucket_start" = ${BigInt(bucketStart)} AND "hits" > 0`;
}

async function hitsIn(key: string, bucketStart: number): Promise<number> {
  const row = await db().rateLimitHit.findUnique({
    where: { key_bucketStart: { key, bucketStart: BigInt(bucketStart) } },
    select: { hits: true },
  });
  return row?.hits ?? 0;
}

/** The stored totals of these keys' buckets (absent rows are left out). */
export async function storedTotals(
  keys: string[],
  bucketStarts: number[],
): Promise<Array<{ key: string; bucketStart: number; hits: number }>> {
  const rows = await db().rateLimitHit.findMany({
    where: { key: { in: keys }, bucketStart: { in: bucketStarts.map((b) => BigInt(b)) } },
    select: { key: true, bucketStart: true, hits: true },
  });
  return rows.map((row) => ({ key: row.key, bucketStart: Number(row.bucketStart), hits: row.hits }));
}

/** Buckets older than this can no longer count towards any rule (the longest window is an hour). */
const RETENTION_MS = 3 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 5 * 60 * 1000;
let lastSweep = 0;

/** Drops dead buckets now and then; best effort, off the request's path. */
export async function sweepExpired(now: number): Promise<void> {
  if (now - lastSweep < SWEEP_EVERY_MS) return;
  lastSweep = now;
  await db()
    .rateLimitHit.deleteMany({ where: { bucketStart: { lt: BigInt(now - RETENTION_MS) } } })
    .catch(() => undefined);
}
