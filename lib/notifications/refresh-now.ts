import "server-only";
import { notifyChange } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { describeError, log } from "@/lib/log";
import { fenceAllows, fencedConnection } from "@/lib/secret-providers/provider-path-fence";
import { fetchExternalValue } from "@/lib/secrets/resolve/external-values";
import { parseProviderConfig } from "@/lib/secrets/secret-view";

/**
 * The hand-off from a notification to the cache: these secrets changed upstream, so what is cached
 * of them is dropped, here and (through the change event, on PostgreSQL) on every other instance,
 * and they are read again from upstream in the background so the next resolve finds the new value
 * ready. The drop is what makes the next resolve right; the re-read only makes it fast.
 * Resolves once the cache is dropped, without waiting for the re-reads.
 */
export async function refreshNow(secretIds: string[]): Promise<void> {
  for (const id of secretIds) notifyChange({ kind: "secret", id });
  if (secretIds.length === 0) return;
  const rows = await db().secret.findMany({ where: { id: { in: secretIds } }, include: { secretProvider: true } });
  for (const row of rows) {
    const connection = row.secretProvider;
    if (!connection || !row.providerPath) continue;
    // A path the connection's fence no longer allows is not read, as a resolve would not read it.
    if (!fenceAllows(fencedConnection(connection), row.providerPath)) continue;
    fetchExternalValue({ id: row.id, version: row.version, providerPath: row.providerPath, providerConfig: parseProviderConfig(row.providerConfig), connection }).catch(
      (error: unknown) => log.warn("re-reading a secret after a change notification failed", { secretId: row.id, ...describeError(error) }),
    );
  }
}
