import type { AuditActor } from "@/lib/auth/actor";
import { db, type Db } from "@/lib/db/client";
import { sanitizeText } from "@/lib/api/text";
import { newId } from "@/lib/ids";

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
export async function recordAudit(entry: AuditEntry, client: AuditClient = db()): Promise<void> {
  await client.auditEvent.create({ data: toRow(entry) });
}

/** Writes many events in one statement (a batch resolve reads many secrets at once). */
export async function recordAudits(entries: AuditEntry[], client: AuditClient = db()): Promise<void> {
  if (entries.length > 0) await client.auditEvent.createMany({ data: entries.map(toRow) });
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
