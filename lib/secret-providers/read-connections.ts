import { scopeAllows } from "@/lib/auth/scope";
import { db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { scopeWhere } from "@/lib/secrets/read-secrets";
import { maskConnection, type ConnectionView } from "./connection-view";

const withSecretCount = { _count: { select: { secrets: true } } } as const;

/**
 * `scope`: a scoped token's path scope. Its `secretCount` then counts only the secrets it can
 * see, so the number does not give away how many secrets live outside its scope.
 */
export async function listConnections(options: { scope?: string | null } = {}): Promise<ConnectionView[]> {
  const rows = await db().secretProvider.findMany({ include: withSecretCount, orderBy: { name: "asc" } });
  const visible = options.scope ? await countsWithinScope(options.scope) : undefined;
  return rows.map((row) => maskConnection(row, visible ? (visible.get(row.id) ?? 0) : row._count.secrets));
}

export async function getConnection(id: string, options: { scope?: string | null } = {}): Promise<ConnectionView> {
  const row = await db().secretProvider.findUnique({ where: { id }, include: withSecretCount });
  if (!row) throw notFound("Secret provider connection");
  const visible = options.scope ? await countsWithinScope(options.scope, id) : undefined;
  return maskConnection(row, visible ? (visible.get(row.id) ?? 0) : row._count.secrets);
}

/** What pages that only name or pick connections need: no credentials are read or decrypted for it. */
export async function listConnectionSummaries(): Promise<Array<{ id: string; name: string; type: string }>> {
  return db().secretProvider.findMany({ select: { id: true, name: true, type: true }, orderBy: { name: "asc" } });
}

/**
 * Per connection, how many of its secrets `scope` covers. The database narrows to the scope's
 * paths; the exact rule is applied here (the database's prefix match is coarser).
 */
async function countsWithinScope(scope: string, connectionId?: string): Promise<Map<string, number>> {
  const inScope = scopeWhere(scope);
  if (inScope === null) return new Map();
  const secrets = await db().secret.findMany({
    where: { AND: [connectionId ? { secretProviderId: connectionId } : { secretProviderId: { not: null } }, inScope] },
    select: { secretProviderId: true, secretPath: true },
  });
  const counts = new Map<string, number>();
  for (const { secretProviderId, secretPath } of secrets) {
    if (secretProviderId && scopeAllows(scope, secretPath)) counts.set(secretProviderId, (counts.get(secretProviderId) ?? 0) + 1);
  }
  return counts;
}
