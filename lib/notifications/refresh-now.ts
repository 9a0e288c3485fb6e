import "server-only";
import { notifyChange } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { describeError, log } from "@/lib/log";
import { fenceAllows, fencedConnection } from "@/lib/secret-providers/provider-path-fence";
import { fetchExternalValue } from "@/lib/secrets/resolve/external-values";
import { parseProviderConfig } from "@/lib/secrets/secret-view";
import { checkSoon } from "@/lib/refresh/refresh-scheduler";
import { refreshIntervalMs } from "@/lib/refresh/refresh-state";

/**
 * The hand-off from a notification to the cache and the refresh: these secrets changed upstream,
 * so what is cached of them is dropped, here and (through the change event, on PostgreSQL) on
 * every other instance. Then the upstream refresh checks them at once (lib/refresh: the change is
 * recorded in lineage, audited as secret.upstream_changed and sent to watchers); secrets whose
 * refresh is off are read again in the background instead, so the next resolve finds the new
 * value ready. The drop is what makes the next resolve right; the rest makes it fast and seen.
 * Resolves once the cache is dropped and the checks are due, without waiting for them.
 */
export async function refreshNow(secretIds: string[]): Promise<void> {
  for (const id of secretIds) notifyChange({ kind: "secret", id });
  if (secretIds.length === 0) return;
  const rows = await db().secret.findMany({ where: { id: { in: secretIds } }, include: { secretProvider: true } });
  const refreshed = rows.filter((row) => refreshIntervalMs(parseProviderConfig(row.providerConfig)) > 0).map((row) => row.id);
  const checked = await checkSoon(refreshed);
  for (const row of rows) {
    if (checked.has(row.id)) continue;
    const connection = row.secretProvider;
    if (!connection || !row.providerPath) continue;
    // A path the connection's fence no longer allows is not read, as a resolve would not read it.
    if (!fenceAllows(fencedConnection(connection), row.providerPath)) continue;
    fetchExternalValue({
      id: row.id,
      version: row.version,
      providerPath: row.providerPath,
      providerConfig: parseProviderConfig(row.providerConfig),
      connection,
    }).catch((error: unknown) =>
      log.warn("re-reading a secret after a change notification failed", { secretId: row.id, ...describeError(error) }),
    );
  }
}
