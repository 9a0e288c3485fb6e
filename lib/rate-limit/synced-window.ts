import { describeError, log } from "@/lib/log";
import { increment, storedKey, storedTotals, sweepExpired, type LimitDecision, type LimitRule } from "./sliding-window";
import { WindowCounter } from "./window-counter";

/**
 * A sliding-window limit counted in memory and shared across instances without a database write
 * per event: every SYNC_EVERY_MS, each key's new events are added to its stored bucket (one upsert
 * per key, the same `rate_limit_hits` rows as sliding-window.ts) and every active key's stored
 * totals are read back. A decision uses the last known shared total plus what this instance counted
 * since, so one instance is exact and several together may overshoot by what the others counted
 * within one sync. A key seen for the first time is read once, so a restart does not reset it.
 * For limits where that is fine (resolve); sign-in keeps the exact database window.
 */
export const SYNC_EVERY_MS = 1_000;
/** Keys per read of stored totals. */
const READ_CHUNK = 500;

interface SyncState {
  counter: WindowCounter;
  timer?: NodeJS.Timeout;
  syncing: boolean;
  failing: boolean;
  /** First reads of keys in flight. */
  learning: Map<string, Promise<void>>;
}

/**
 * Counts `weight` events for `subject` under `rule` when they fit (see WindowCounter.consume).
 * Reads the database only the first time a key is seen (or seen again after two idle windows), so
 * that a new or restarted instance starts from the shared totals; the sync runs in the background.
 */
export async function consumeSynced(rule: LimitRule, subject: string, now = Date.now(), weight = 1): Promise<LimitDecision> {
  if (rule.limit <= 0) return { allowed: true, hit: null };
  const state = syncState(rule);
  state.timer ??= setInterval(() => void syncCounts(state), SYNC_EVERY_MS).unref();
  const key = storedKey(rule, subject);
  if (!state.counter.knows(key)) await learnKey(state, key, now);
  return state.counter.consume(rule, key, now, weight);
}

/** Reads a new key's shared totals, once however many requests wait for it; counts locally if that fails. */
function learnKey(state: SyncState, key: string, now: number): Promise<void> {
  let pending = state.learning.get(key);
  if (!pending) {
    pending = storedTotals([key], state.counter.liveBuckets(now))
      .then((rows) => {
        for (const row of rows) state.counter.observe(row.key, row.bucketStart, row.hits);
      })
      .catch((error: unknown) => log.warn("could not read shared rate limit counts; counting locally", describeError(error)))
      .finally(() => {
        state.counter.learned(key);
        state.learning.delete(key);
      });
    state.learning.set(key, pending);
  }
  return pending;
}

// On globalThis under a registered symbol per rule: Next loads lib modules once per bundle
// (instrumentation and route handlers), and both must count into one window with one sync timer.
type GlobalWithSync = typeof globalThis & Record<symbol, SyncState | undefined>;

function syncState(rule: LimitRule): SyncState {
  const store = globalThis as GlobalWithSync;
  const key = Symbol.for(`provenance.syncedWindow.${rule.name}`);
  return (store[key] ??= { counter: new WindowCounter(rule.windowMs), syncing: false, failing: false, learning: new Map() });
}

async function syncCounts(state: SyncState, now = Date.now()): Promise<void> {
  if (state.syncing) return; // a slow database: the next tick sends what piled up
  state.syncing = true;
  const { counter } = state;
  const taken = counter.takeUnsent();
  try {
    while (taken.length > 0) {
      const count = taken[0]!;
      counter.sent(count, await increment(count.key, count.bucketStart, count.events));
      taken.shift();
    }
    const keys = counter.activeKeys();
    const buckets = counter.liveBuckets(now);
    for (let i = 0; i < keys.length; i += READ_CHUNK) {
      for (const row of await storedTotals(keys.slice(i, i + READ_CHUNK), buckets)) counter.observe(row.key, row.bucketStart, row.hits);
    }
    counter.prune(now);
    void sweepExpired(now);
    if (state.failing) log.info("rate limit counts are shared with the database again");
    state.failing = false;
  } catch (error) {
    // Kept and sent with the next sync; meanwhile this instance goes on counting on its own.
    for (const count of taken) counter.unsent(count);
    if (!state.failing) log.warn("could not share rate limit counts with the database; retrying", describeError(error));
    state.failing = true;
  } finally {
    state.syncing = false;
  }
}
