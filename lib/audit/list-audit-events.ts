import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { auditEventView, type AuditEventView } from "./audit-event-view";
import { visibleTo } from "./audit-visibility";

export type { AuditEventView };

export interface AuditEventFilter {
  /** Part of the actor's label (an email or token name), or an actor id. */
  actor?: string | null;
  /** An exact action (`secret.create`) or a family ending in a dot (`secret.`). */
  action?: string | null;
  /** Part of the target's label (a secret path, a connection name), or a target id. */
  target?: string | null;
  outcome?: string | null;
  /** Inclusive lower and exclusive upper bound on the event time. */
  from?: Date | null;
  to?: Date | null;
}

export interface AuditEventPage {
  events: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export const AUDIT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/**
 * The audit log as `viewer` may see it (all of it for admins, their own events for everyone
 * else), newest first, filtered and paged. Read-only: audit rows are only ever written by
 * recordAudit. Page numbers (rather than a cursor) so a reader can say "page 3" and jump back;
 * events are ordered by time then id, so equal timestamps never shuffle between pages.
 */
export async function listAuditEvents(options: {
  viewer: Actor;
  filter?: AuditEventFilter;
  page?: number;
  pageSize?: number;
}): Promise<AuditEventPage> {
  const pageSize = clamp(Math.trunc(options.pageSize ?? AUDIT_PAGE_SIZE), 1, MAX_PAGE_SIZE);
  const where = { AND: [visibleTo(options.viewer), whereClause(options.filter ?? {})] };
  const total = await db().auditEvent.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = clamp(Math.trunc(options.page ?? 1) || 1, 1, pageCount);
  const rows = await db().auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
  });
  return { events: rows.map(auditEventView), total, page, pageSize, pageCount };
}

function whereClause(filter: AuditEventFilter) {
  const actor = filter.actor?.trim();
  const action = filter.action?.trim();
  const target = filter.target?.trim();
  const outcome = filter.outcome?.trim();
  const at = {
    ...(filter.from && isValidDate(filter.from) ? { gte: filter.from } : {}),
    ...(filter.to && isValidDate(filter.to) ? { lt: filter.to } : {}),
  };
  return {
    AND: [
      actor ? { OR: [{ actorLabel: { contains: actor } }, { actorId: actor }] } : {},
      action ? (action.endsWith(".") ? { action: { startsWith: action } } : { action }) : {},
      target ? { OR: [{ targetLabel: { contains: target } }, { targetId: target }] } : {},
      outcome ? { outcome } : {},
      Object.keys(at).length > 0 ? { at } : {},
    ],
  };
}

function isValidDate(date: Date): boolean {
  return !Number.isNaN(date.getTime());
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
