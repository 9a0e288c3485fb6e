import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyChange } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { storeLineage } from "@/lib/lineage/lineage-store";
import { recordSecretChange } from "@/lib/secrets/watch/change-log";
import type { Observed, RefreshTarget } from "./check-upstream";

/**
 * A new upstream version of an external secret, recorded once across all instances:
 *  - in its lineage (secret_versions), with its keyed fingerprint;
 *  - then, in one transaction, the refresh state's new baseline (only if the state is still the one
 *    this check started from, so a second, overlapping check records nothing), the change log row
 *    `upstream_changed` (what watchers get as a `change` event, and what other consumers of the
 *    change log read) and the audit event `secret.upstream_changed` (path, connection, old and new
 *    version ids; never a value);
 *  - then the change notice, which drops the cached value on every instance (the next resolve
 *    reads the new one) and wakes the watch streams.
 */
export interface UpstreamChange {
  target: RefreshTarget;
  /** The refresh state as stored, which must still hold for this change to be recorded. */
  stored: Observed & { revision: number };
  /** What readers had: the stored baseline, or the lineage's latest version. */
  before: Observed;
  after: Observed & { fingerprint: string };
}

export const REFRESH_ACTOR = { kind: "system", label: "upstream refresh" } as const;

export async function recordUpstreamChange({ target, stored, before, after }: UpstreamChange): Promise<boolean> {
  const now = Date.now();
  await storeLineage({
    seen: [{ secretId: target.id, version: after.version, fingerprint: after.fingerprint, firstAt: now, lastAt: now }],
    reads: [],
  });
  // A manager without version ids (Vault KV v1): lineage numbered the version; watchers get that number.
  const version =
    after.version ??
    (
      await db().secretVersion.findFirst({
        where: { secretId: target.id, fingerprint: after.fingerprint },
        orderBy: [{ firstSeenAt: "desc" }],
        select: { version: true },
      })
    )?.version ??
    null;

  const recorded = await db().$transaction(async (tx) => {
    const { count } = await tx.secretRefreshState.updateMany({
      where: { secretId: target.id, secretRevision: stored.revision, lastVersion: stored.version, lastFingerprint: stored.fingerprint },
      data: { lastVersion: after.version, lastFingerprint: after.fingerprint, failures: 0, checkedAt: new Date(now) },
    });
    if (count === 0) return false;
    await recordSecretChange(tx, {
      secretId: target.id,
      secretPath: target.secretPath,
      kind: "upstream_changed",
      version,
      fingerprint: after.fingerprint,
    });
    await recordAudit(
      {
        actor: REFRESH_ACTOR,
        action: "secret.upstream_changed",
        target: { type: "secret", id: target.id, label: target.secretPath },
        outcome: "success",
        details: {
          connection: target.connection.name,
          connectionId: target.connection.id,
          providerPath: target.providerPath,
          oldVersion: before.version,
          newVersion: version,
        },
      },
      tx,
    );
    return true;
  });
  if (recorded) notifyChange({ kind: "secret", id: target.id });
  return recorded;
}
