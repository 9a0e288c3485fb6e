import { db, type Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { LineageBatch, SeenVersion, VersionRead } from "./lineage-counter";

/**
 * The lineage tables (secret_versions, secret_version_reads). Every write is an insert or a
 * conditional update that only moves times forward, so several instances flushing the same rows
 * in any order end with the same result.
 */
type VersionClient = Pick<Db, "secretVersion">;

/** Stored versions written (create, edit, import), in the transaction of the write itself. */
export async function recordStoredVersions(client: VersionClient, versions: Array<{ secretId: string; version: string; fingerprint: string }>, at: Date): Promise<void> {
  if (versions.length === 0) return;
  await client.secretVersion.deleteMany({ where: { OR: versions.map(({ secretId, version }) => ({ secretId, version })) } });
  await client.secretVersion.createMany({ data: versions.map((v) => ({ ...v, firstSeenAt: at, lastSeenAt: at })) });
}

export async function storeLineage(batch: LineageBatch): Promise<void> {
  // What was noted for a secret deleted since (its rows went with it) is dropped, not stored anew.
  const ids = [...new Set([...batch.seen, ...batch.reads].map((entry) => entry.secretId))];
  if (ids.length === 0) return;
  const existing = new Set((await db().secret.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id));
  for (const seen of batch.seen) if (existing.has(seen.secretId)) await storeSeen(seen);
  for (const read of batch.reads) if (existing.has(read.secretId)) await storeRead(read);
}

async function storeSeen(seen: SeenVersion): Promise<void> {
  const { secretId, fingerprint } = seen;
  if (seen.version !== null) {
    await createOrTouch(secretId, seen.version, fingerprint, seen.firstAt, seen.lastAt);
    return;
  }
  // No upstream version id: a new version is a fingerprint that differs from the last one seen,
  // numbered on from the versions already known.
  for (let tries = 0; tries < 3; tries++) {
    const latest = await db().secretVersion.findFirst({ where: { secretId }, orderBy: [{ firstSeenAt: "desc" }] });
    if (latest?.fingerprint === fingerprint) {
      await touchVersion(secretId, latest.version, seen.lastAt);
      return;
    }
    const count = await db().secretVersion.count({ where: { secretId } });
    try {
      await db().secretVersion.create({ data: { secretId, version: String(count + 1), fingerprint, firstSeenAt: new Date(seen.firstAt), lastSeenAt: new Date(seen.lastAt) } });
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // another instance numbered it first: look again
    }
  }
}

async function createOrTouch(secretId: string, version: string, fingerprint: string, firstAt: number, lastAt: number): Promise<void> {
  if (await touchVersion(secretId, version, lastAt)) return;
  try {
    await db().secretVersion.create({ data: { secretId, version, fingerprint, firstSeenAt: new Date(firstAt), lastSeenAt: new Date(lastAt) } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await touchVersion(secretId, version, lastAt);
  }
}

/** Moves lastSeenAt forward; false when there is no such version yet. */
async function touchVersion(secretId: string, version: string, at: number): Promise<boolean> {
  const when = new Date(at);
  const { count } = await db().secretVersion.updateMany({ where: { secretId, version, lastSeenAt: { lt: when } }, data: { lastSeenAt: when } });
  if (count > 0) return true;
  return (await db().secretVersion.count({ where: { secretId, version } })) > 0;
}

async function storeRead(read: VersionRead): Promise<void> {
  const { secretId, reader } = read;
  const version = read.version ?? (await versionByFingerprint(secretId, read.fingerprint));
  if (version === null) return; // its version row could not be stored; nothing to attach the read to
  // Serving a version is seeing it: a stored version's lastSeenAt follows its reads.
  await touchVersion(secretId, version, read.lastAt);
  const when = new Date(read.lastAt);
  const where = { secretId, version, reader };
  const { count } = await db().secretVersionRead.updateMany({ where: { ...where, lastReadAt: { lt: when } }, data: { lastReadAt: when } });
  if (count > 0) return;
  try {
    await db().secretVersionRead.create({ data: { ...where, lastReadAt: when } });
  } catch (error) {
    // The row exists (a later read, or another instance just made it): move it forward if ours is later.
    if (!isUniqueViolation(error)) throw error;
    await db().secretVersionRead.updateMany({ where: { ...where, lastReadAt: { lt: when } }, data: { lastReadAt: when } });
  }
}

async function versionByFingerprint(secretId: string, fingerprint: string): Promise<string | null> {
  const row = await db().secretVersion.findFirst({ where: { secretId, fingerprint }, orderBy: [{ firstSeenAt: "desc" }], select: { version: true } });
  return row?.version ?? null;
}
