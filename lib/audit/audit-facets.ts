import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { visibleTo } from "./audit-visibility";

/**
 * The actions and actors that occur in the part of the audit log `viewer` may see, for the filter
 * controls (a non-admin's choices name no one else). Read-only.
 */
export async function listAuditFacets(viewer: Actor): Promise<{ actions: string[]; actors: string[] }> {
  const visible = visibleTo(viewer);
  const [actions, actors] = await Promise.all([
    db().auditEvent.findMany({ where: visible, distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    db().auditEvent.findMany({
      distinct: ["actorLabel"],
      where: { ...visible, actorLabel: { not: null } },
      select: { actorLabel: true },
      orderBy: { actorLabel: "asc" },
      take: 200,
    }),
  ]);
  return {
    actions: actions.map((row) => row.action),
    actors: actors.map((row) => row.actorLabel).filter((label): label is string => label !== null),
  };
}
