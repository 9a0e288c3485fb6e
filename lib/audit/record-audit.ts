import type { AuditActor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";
import { sanitizeText } from "@/lib/validation/text";
import { newId } from "@/lib/ids";
import type { AuditRow } from "./audit-event-view";
import { enqueueAuditRows, insertAuditRows } from "./audit-queue";
import { streamAuditEvents } from "./audit-stream";

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

/**
 * Records one event. With a transaction client it is written in the caller's transaction, to
 * commit with the change it records; without one it joins the next group write (audit-queue.ts).
 * Either way the promise resolves only once the row is written, and rejects if it was not.
 */
export async function recordAudit(entry: AuditEntry, client?: AuditClient): Promise<void> {
  await recordAudits([entry], client);
}

/** Records several events: in the caller's transaction, or together in the next group write. */
export async function recordAudits(entries: AuditEntry[], client?: AuditClient): Promise<void> {
  const rows = entries.map(toRow);
  if (!client) return enqueueAuditRows(rows);
  await insertAuditRows(client, rows);
  // Streamed once the insert returns, before the caller's transaction commits: if it then rolls
  // back (a rare failure between the two), the stream holds an event the database does not.
  streamAuditEvents(rows);
}

function toRow(entry: AuditEntry): AuditRow {
  const actor = entry.actor;
  return {
    id: newId(),
    // Set here rather than by the database: the time of the event, also for the stream's line.
    at: new Date(),
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
