import { db, type Db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { parseDatabaseUrl } from "@/lib/db/url";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/sqlite/client";
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
 * before that time need not move it again (a fetched value's version and its read carry the same time).
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
  const seen = batch.seen.filter((entry) => existing.has(entry.secretId));
  await storeIdentifiedVersions(seen, touched);
  for (const entry of seen) if (entry.version === null) await storeUnnumberedVersion(entry, touched);
  await storeReads(
    batch.reads.filter((read) => existing.has(read.secretId)),
    touched,
  );
}

/**
 * Rows per statement of the bulk writes below: a flush writes one statement per table and this
 * many rows instead of one per secret (a batch resolve of 100 paths notes 100 versions and 100
 * reads), well under either database's limit on bound parameters.
 */
const ROWS_PER_STATEMENT = 200;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

/**
 * A time as a statement's parameter where nothing around it gives it a type (a VALUES list
 * joined in an UPDATE): PostgreSQL would take it for text, SQLite stores times as text anyway.
 */
function timeParam(at: number): Prisma.Sql {
  const when = new Date(at);
  return parseDatabaseUrl(env().DATABASE_URL).dialect === "postgres" ? Prisma.sql`CAST(${when} AS TIMESTAMP(3))` : Prisma.sql`${when}`;
}

/**
 * Versions with an id (stored versions, upstream version ids), all in one upsert: a new row, or
 * lastSeenAt moved forward; firstSeenAt and the fingerprint stay as first stored. Entries for the
 * same version (the same id noted with two fingerprints) become one row, as the first of them
 * would have made it and the others moved it, so no statement touches a row twice.
 */
async function storeIdentifiedVersions(seen: SeenVersion[], touched: Touched): Promise<void> {
  const rows = new Map<string, SeenVersion & { version: string }>();
  for (const entry of seen) {
    if (entry.version === null) continue;
    const key = versionKey(entry.secretId, entry.version);
    const row = rows.get(key);
    if (row) row.lastAt = Math.max(row.lastAt, entry.lastAt);
    else rows.set(key, { ...entry, version: entry.version });
  }
  for (const chunk of chunks([...rows.values()])) {
    const values = chunk.map(
      (row) => Prisma.sql`(${row.secretId}, ${row.version}, ${row.fingerprint}, ${new Date(row.firstAt)}, ${new Date(row.lastAt)})`,
    );
    await db().$executeRaw`
      INSERT INTO "secret_versions" ("secret_id", "version", "fingerprint", "first_seen_at", "last_seen_at")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("secret_id", "version") DO UPDATE SET "last_seen_at" = excluded."last_seen_at"
      WHERE "secret_versions"."last_seen_at" < excluded."last_seen_at"`;
  }
  for (const row of rows.values()) noteTouched(touched, row.secretId, row.version, row.lastAt);
}

/** A version without an id (Vault KV v1), one at a time: its number depends on the rows before it. */
async function storeUnnumberedVersion(seen: SeenVersion, touched: Touched): Promise<void> {
  const { secretId, fingerprint } = seen;
  // No upstream version id: a new version is a fingerprint that differs from the last one seen,
  // numbered on from the versions already known.
  for (let tries = 0; tries < 3; tries++) {
    const latest = await db().secretVersion.findFirst({ where: { secretId }, orderBy: [{ firstSeenAt: "desc" }] });
    if (latest?.fingerprint === fingerprint) {
      await moveLastSeen(secretId, latest.version, seen.lastAt);
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

/** Moves lastSeenAt forward (nothing when there is no such version, or it was seen later already). */
async function moveLastSeen(secretId: string, version: string, at: number): Promise<void> {
  const when = new Date(at);
  await db().secretVersion.updateMany({ where: { secretId, version, lastSeenAt: { lt: when } }, data: { lastSeenAt: when } });
}

/**
 * Reads, in two statements per chunk: the versions they were served moved forward (a stored
 * version's lastSeenAt follows its reads; never a new version row), then one row per version and
 * reader, created or moved forward to the latest read.
 */
async function storeReads(reads: VersionRead[], touched: Touched): Promise<void> {
  const byFingerprint = new Map<string, Promise<string | null>>();
  const rows = new Map<string, { secretId: string; version: string; reader: string; lastAt: number }>();
  for (const read of reads) {
    const { secretId, reader } = read;
    let version = read.version;
    if (version === null) {
      const key = `${secretId}|${read.fingerprint}`;
      let found = byFingerprint.get(key);
      if (!found) byFingerprint.set(key, (found = versionByFingerprint(secretId, read.fingerprint)));
      version = await found;
    }
    if (version === null) continue; // its version row could not be stored; nothing to attach the read to
    const key = `${versionKey(secretId, version)}|${reader}`;
    const row = rows.get(key);
    if (row) row.lastAt = Math.max(row.lastAt, read.lastAt);
    else rows.set(key, { secretId, version, reader, lastAt: read.lastAt });
  }

  // Serving a version is seeing it: moved only where this flush has not already moved it as far.
  const moves = new Map<string, { secretId: string; version: string; at: number }>();
  for (const row of rows.values()) {
    const key = versionKey(row.secretId, row.version);
    if ((touched.get(key) ?? -Infinity) >= row.lastAt) continue;
    const move = moves.get(key);
    if (move) move.at = Math.max(move.at, row.lastAt);
    else moves.set(key, { secretId: row.secretId, version: row.version, at: row.lastAt });
  }
  for (const chunk of chunks([...moves.values()])) {
    const values = chunk.map((move) => Prisma.sql`(${move.secretId}, ${move.version}, ${timeParam(move.at)})`);
    await db().$executeRaw`
      UPDATE "secret_versions" SET "last_seen_at" = v."column3"
      FROM (VALUES ${Prisma.join(values)}) AS v
      WHERE "secret_versions"."secret_id" = v."column1" AND "secret_versions"."version" = v."column2"
        AND "secret_versions"."last_seen_at" < v."column3"`;
  }
  for (const move of moves.values()) noteTouched(touched, move.secretId, move.version, move.at);

  for (const chunk of chunks([...rows.values()])) {
    const values = chunk.map((row) => Prisma.sql`(${row.secretId}, ${row.version}, ${row.reader}, ${new Date(row.lastAt)})`);
    await db().$executeRaw`
      INSERT INTO "secret_version_reads" ("secret_id", "version", "reader", "last_read_at")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("secret_id", "version", "reader") DO UPDATE SET "last_read_at" = excluded."last_read_at"
      WHERE "secret_version_reads"."last_read_at" < excluded."last_read_at"`;
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
