import { db } from "@/lib/db/client";

/** The actions and actors that occur in the audit log, for the filter controls. Read-only. */
export async function listAuditFacets(): Promise<{ actions: string[]; actors: string[] }> {
  const [actions, actors] = await Promise.all([
    db().auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    db().auditEvent.findMany({
      distinct: ["actorLabel"],
      where: { actorLabel: { not: null } },
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
