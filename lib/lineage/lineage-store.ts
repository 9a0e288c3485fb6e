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
export async function recordStoredVersions(
  client: VersionClient,
  versions: Array<{ secretId: string; version: string; fingerprint: string }>,
  at: Date,
): Promise<void> {
  if (versions.length === 0) return;
  await client.secretVersion.deleteMany({ where: { OR: versions.map(({ secretId, version }) => ({ secretId, version })) } });
  await client.secretVersion.createMany({ data: versions.map((v) => ({ ...v, firstSeenAt: at, lastSeenAt: at })) });
}

/**
 * Versions whose lastSeenAt this flush has already moved, to the time noted: a read of one at or
 * before that time need not move it again. A batch of reads would otherwise cost each version an
 * update that changes nothing and a count to tell "already later" from "missing".
 */
type Touched = Map<string, number>;

const versionKey = (secretId: string, version: string) => `${secretId}|${version}`;

function noteTouched(touched: Touched, secretId: string, version: string, at: number): void {
  const key = versionKey(secretId, version);
  touched.set(key, Math.max(touched.get(key) ?? at, at));
}

export async function storeLineage(batch: LineageBatch): Promise<void> {
  // What was noted for a secret deleted since (its rows went with it) is dropped, not stored anew.
  const ids = [...new Set([...batch.seen, ...batch.reads].map((entry) => entry.secretId))];
  if (ids.length === 0) return;
  const existing = new Set((await db().secret.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id));
  const touched: Touched = new Map();
  for (const seen of batch.seen) if (existing.has(seen.secretId)) await storeSeen(seen, touched);
  for (const read of batch.reads) if (existing.has(read.secretId)) await storeRead(read, touched);
}

async function storeSeen(seen: SeenVersion, touched: Touched): Promise<void> {
  const { secretId, fingerprint } = seen;
  if (seen.version !== null) {
    await createOrTouch(secretId, seen.version, fingerprint, seen.firstAt, seen.lastAt);
    noteTouched(touched, secretId, seen.version, seen.lastAt);
    return;
  }
  // No upstream version id: a new version is a fingerprint that differs from the last one seen,
  // numbered on from the versions already known.
  for (let tries = 0; tries < 3; tries++) {
    const latest = await db().secretVersion.findFirst({ where: { secretId }, orderBy: [{ firstSeenAt: "desc" }] });
    if (latest?.fingerprint === fingerprint) {
      await touchVersion(secretId, latest.version, seen.lastAt);
      noteTouched(touched, secretId, latest.version, seen.lastAt);
      return;
    }
    const count = await db().secretVersion.count({ where: { secretId } });
    try {
      await db().secretVersion.create({
        data: { secretId, version: String(count + 1), fingerprint, firstSeenAt: new Date(seen.firstAt), lastSeenAt: new Date(seen.lastAt) },
      });
      noteTouched(touched, secretId, String(count + 1), seen.lastAt);
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // another instance numbered it first: look again
    }
  }
}

async function createOrTouch(secretId: string, version: string, fingerprint: string, firstAt: number, lastAt: number): Promise<void> {
  if (await touchVersion(secretId, version, lastAt)) return;
  try {
    await db().secretVersion.create({
      data: { secretId, version, fingerprint, firstSeenAt: new Date(firstAt), lastSeenAt: new Date(lastAt) },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await touchVersion(secretId, version, lastAt);
  }
}

/** Moves lastSeenAt forward; false when there is no such version yet. */
async function touchVersion(secretId: string, version: string, at: number): Promise<boolean> {
  if (await moveLastSeen(secretId, version, at)) return true;
  return (await db().secretVersion.count({ where: { secretId, version } })) > 0;
}

/** Moves lastSeenAt forward; false when nothing moved (no such version, or it was seen later already). */
async function moveLastSeen(secretId: string, version: string, at: number): Promise<boolean> {
  const when = new Date(at);
  const { count } = await db().secretVersion.updateMany({
    where: { secretId, version, lastSeenAt: { lt: when } },
    data: { lastSeenAt: when },
  });
  return count > 0;
}

async function storeRead(read: VersionRead, touched: Touched): Promise<void> {
  const { secretId, reader } = read;
  const version = read.version ?? (await versionByFingerprint(secretId, read.fingerprint));
  if (version === null) return; // its version row could not be stored; nothing to attach the read to
  // Serving a version is seeing it: a stored version's lastSeenAt follows its reads.
  if ((touched.get(versionKey(secretId, version)) ?? -Infinity) < read.lastAt) {
    await moveLastSeen(secretId, version, read.lastAt);
    noteTouched(touched, secretId, version, read.lastAt);
  }
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
  const row = await db().secretVersion.findFirst({
    where: { secretId, fingerprint },
    orderBy: [{ firstSeenAt: "desc" }],
    select: { version: true },
  });
  return row?.version ?? null;
}
