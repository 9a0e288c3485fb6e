import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { describeError, log } from "@/lib/log";
import { processShared } from "@/lib/process-shared";

/**
 * Retention: events older than PROVENANCE_AUDIT_RETENTION_DAYS (0 keeps them forever) are
 * deleted by a timer, once shortly after start and then hourly, off every request's path, in
 * chunks so that no statement holds the table for long. Several instances may prune at once:
 * each deletes by the same rule, and deleting rows another instance already deleted deletes nothing.
 */
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** The first prune waits for start-up to settle rather than compete with the first requests. */
const FIRST_PRUNE_AFTER_MS = 5_000;
const PRUNE_CHUNK = 5_000;

interface PruneState {
  timers: NodeJS.Timeout[];
  pruning: boolean;
}

// One per process (lib/process-shared.ts): one timer and one prune at a time, whichever of Next's
// copies of lib/ started it.
function pruneState(): PruneState {
  return processShared("audit.prune", (): PruneState => ({ timers: [], pruning: false }));
}

/** Starts the retention timers (once per process; they do not keep it alive). */
export function startAuditPruning(): void {
  const state = pruneState();
  if (state.timers.length > 0) return;
  state.timers.push(setTimeout(() => void pruneExpiredAudit(), FIRST_PRUNE_AFTER_MS).unref());
  state.timers.push(setInterval(() => void pruneExpiredAudit(), PRUNE_EVERY_MS).unref());
}

/** Deletes expired events now; returns how many. Never throws (a failed prune is logged and retried next hour). */
export async function pruneExpiredAudit(now = Date.now()): Promise<number> {
  const days = env().PROVENANCE_AUDIT_RETENTION_DAYS;
  const state = pruneState();
  if (days <= 0 || state.pruning) return 0;
  state.pruning = true;
  let deleted = 0;
  try {
    const cutoff = new Date(now - days * 24 * 60 * 60 * 1000);
    for (;;) {
      const expired = await db().auditEvent.findMany({ where: { at: { lt: cutoff } }, select: { id: true }, take: PRUNE_CHUNK });
      if (expired.length === 0) break;
      deleted += (await db().auditEvent.deleteMany({ where: { id: { in: expired.map((e) => e.id) } } })).count;
      if (expired.length < PRUNE_CHUNK) break;
    }
    if (deleted > 0) log.info("pruned expired audit events", { deleted, retentionDays: days });
  } catch (error) {
    log.warn("could not prune expired audit events", describeError(error));
  } finally {
    state.pruning = false;
  }
  return deleted;
}
