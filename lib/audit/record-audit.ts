import type { AuditActor } from "@/lib/auth/actor";
import { db, type Db } from "@/lib/db/client";
import { sanitizeText } from "@/lib/api/text";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { describeError, log } from "@/lib/log";

export type AuditOutcome = "success" | "failure" | "denied";

export interface AuditEntry {
  /** null for anonymous attempts (e.g. a failed sign-in for an unknown account). */
  actor: AuditActor | null;
  action: string;
  target?: { type: string; id?: string | null; label?: string | null };
  outcome: AuditOutcome;
  sourceIp?: string | null;
  /**
   * Facts about the event: names of changed fields, counts, reasons. Never a value or credential:
   * callers pass field names, not contents.
   */
  details?: Record<string, string | number | boolean | null | string[]>;
}

type AuditClient = Pick<Db, "auditEvent">;

/** Writes one audit event; pass a transaction client to commit it with the change it records. */
export async function recordAudit(entry: AuditEntry, client?: AuditClient): Promise<void> {
  await (client ?? db()).auditEvent.create({ data: toRow(entry) });
  // Not from inside a caller's transaction: the prune must not wait on (or for) its locks.
  if (!client) void pruneExpiredAudit();
}

/** Writes many events in one statement. */
export async function recordAudits(entries: AuditEntry[], client?: AuditClient): Promise<void> {
  if (entries.length > 0) await (client ?? db()).auditEvent.createMany({ data: entries.map(toRow) });
  if (!client) void pruneExpiredAudit();
}

/**
 * Retention: events older than PROVENANCE_AUDIT_RETENTION_DAYS (0 keeps them forever) are
 * deleted, at most once an hour per instance, off the request's path, in chunks so that no
 * statement holds the table for long. Several instances may prune at once: each deletes by the
 * same rule, and deleting rows another instance already deleted deletes nothing.
 */
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const PRUNE_CHUNK = 5_000;
let lastPrune = 0;
let pruning = false;

export async function pruneExpiredAudit(now = Date.now()): Promise<number> {
  const days = env().PROVENANCE_AUDIT_RETENTION_DAYS;
  if (days <= 0 || pruning || now - lastPrune < PRUNE_EVERY_MS) return 0;
  lastPrune = now;
  pruning = true;
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
    pruning = false;
  }
  return deleted;
}

function toRow(entry: AuditEntry) {
  const actor = entry.actor;
  return {
    id: newId(),
    actorType: actor ? actor.kind : "anonymous",
    actorId: actor && actor.kind !== "system" ? actor.id : null,
    actorLabel: actor ? sanitizeText(actor.label) : null,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ? sanitizeText(entry.target.id, 200) : null,
    // Labels can echo what a caller sent (a path that failed validation): keep them storable.
    targetLabel: entry.target?.label ? sanitizeText(entry.target.label) : null,
    outcome: entry.outcome,
    sourceIp: entry.sourceIp ?? (actor && actor.kind !== "system" ? actor.sourceIp : null),
    details: entry.details ? JSON.stringify(entry.details) : null,
  };
}
