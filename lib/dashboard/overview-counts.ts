import { db } from "@/lib/db/client";

export interface OverviewCounts {
  secrets: { stored: number; external: number };
  connections: { total: number; failing: number; untested: number };
  activeTokens: number;
  activeUsers: number;
}

/** Counts for the dashboard's overview page. Read-only; no values, no credentials. */
export async function overviewCounts(): Promise<OverviewCounts> {
  const now = new Date();
  const [stored, all, connections, failing, untested, activeTokens, activeUsers] = await Promise.all([
    db().secret.count({ where: { provider: "provenance" } }),
    db().secret.count(),
    db().secretProvider.count(),
    db().secretProvider.count({ where: { lastTestOk: false } }),
    db().secretProvider.count({ where: { lastTestAt: null } }),
    db().apiToken.count({ where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } }),
    db().user.count({ where: { disabled: false } }),
  ]);
  return {
    secrets: { stored, external: all - stored },
    connections: { total: connections, failing, untested },
    activeTokens,
    activeUsers,
  };
}
