import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { newId } from "@/lib/ids";
import type { WebhookEvent } from "./webhook-event";

/**
 * The webhook_deliveries table: the outbox the dispatcher works from. Every write that could race
 * another instance is conditional (a unique change id on insert, the lease on claim and finish),
 * so deliveries are made once across instances without row locks, on SQLite and PostgreSQL alike.
 */
export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface ClaimedDelivery {
  id: string;
  changeId: number;
  eventType: string;
  payload: string;
  /** Attempts made before this one. */
  attempts: number;
}

/** Adds deliveries for events not queued yet; an event another instance queued first is skipped. Returns how many were added. */
export async function enqueueDeliveries(events: WebhookEvent[], now = new Date()): Promise<number> {
  if (events.length === 0) return 0;
  const ids = events.map((event) => Number(event.id));
  const known = new Set(
    (await db().webhookDelivery.findMany({ where: { changeId: { in: ids } }, select: { changeId: true } })).map((row) => row.changeId),
  );
  let added = 0;
  for (const event of events) {
    if (known.has(Number(event.id))) continue;
    try {
      await db().webhookDelivery.create({
        data: {
          id: newId(),
          changeId: Number(event.id),
          eventType: event.type,
          payload: JSON.stringify(event),
          status: "pending",
          nextAttemptAt: now,
          createdAt: now,
        },
      });
      added++;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // another instance queued it between our read and insert
    }
  }
  return added;
}

/**
 * Claims up to `limit` due deliveries for `owner` until `leaseUntil`: pending, due, and not leased
 * (or leased by an instance that stopped answering). A row another instance claimed first is skipped.
 */
export async function claimDue(options: { owner: string; limit: number; leaseUntil: Date; now?: Date }): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  const now = options.now ?? new Date();
  const free = { status: "pending", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
  const due = await db().webhookDelivery.findMany({
    where: { ...free, nextAttemptAt: { lte: now } },
    orderBy: [{ nextAttemptAt: "asc" }, { changeId: "asc" }],
    take: options.limit,
    select: { id: true, changeId: true, eventType: true, payload: true, attempts: true },
  });
  const claimed: ClaimedDelivery[] = [];
  for (const row of due) {
    const { count } = await db().webhookDelivery.updateMany({
      where: { id: row.id, attempts: row.attempts, ...free },
      data: { leaseUntil: options.leaseUntil, leaseOwner: options.owner },
    });
    if (count === 1) claimed.push(row);
  }
  return claimed;
}

/** Records a successful attempt. False when the lease had passed to another instance meanwhile. */
export async function markDelivered(delivery: ClaimedDelivery, owner: string, now = new Date()): Promise<boolean> {
  const { count } = await db().webhookDelivery.updateMany({
    where: { id: delivery.id, leaseOwner: owner, status: "pending" },
    data: { status: "delivered", attempts: delivery.attempts + 1, leaseUntil: null, leaseOwner: null, lastError: null, finishedAt: now },
  });
  return count === 1;
}

/** Records a failed attempt: due again at `retryAt`, or given up (`retryAt` null). */
export async function markFailed(
  delivery: ClaimedDelivery,
  owner: string,
  error: string,
  retryAt: Date | null,
  now = new Date(),
): Promise<boolean> {
  const { count } = await db().webhookDelivery.updateMany({
    where: { id: delivery.id, leaseOwner: owner, status: "pending" },
    data: {
      attempts: delivery.attempts + 1,
      lastError: error.slice(0, 200),
      leaseUntil: null,
      leaseOwner: null,
      ...(retryAt ? { nextAttemptAt: retryAt } : { status: "failed", finishedAt: now }),
    },
  });
  return count === 1;
}

/** Gives back the leases `owner` holds (a stopping instance), so another takes them over at once. */
export async function releaseLeases(owner: string): Promise<void> {
  await db().webhookDelivery.updateMany({ where: { leaseOwner: owner, status: "pending" }, data: { leaseUntil: null, leaseOwner: null } });
}

/** The earliest time a pending delivery is due, or null when none waits. */
export async function nextDueAt(): Promise<Date | null> {
  const row = await db().webhookDelivery.findFirst({
    where: { status: "pending" },
    orderBy: { nextAttemptAt: "asc" },
    select: { nextAttemptAt: true },
  });
  return row?.nextAttemptAt ?? null;
}

/** Deliveries by status (for GET /api/metrics). Finished ones count until they are pruned. */
export async function deliveryCounts(): Promise<Record<DeliveryStatus, number>> {
  const groups = await db().webhookDelivery.groupBy({ by: ["status"], _count: { _all: true } });
  const counts: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const group of groups) if (group.status in counts) counts[group.status as DeliveryStatus] = group._count._all;
  return counts;
}

/** Deletes finished deliveries older than `before`; returns how many. */
export async function pruneFinished(before: Date): Promise<number> {
  const { count } = await db().webhookDelivery.deleteMany({
    where: { status: { in: ["delivered", "failed"] }, finishedAt: { lt: before } },
  });
  return count;
}
