import { Prisma } from "@/lib/generated/sqlite/client";
import { db } from "@/lib/db/client";
import { PROVENANCE_PROVIDER, REFRESH_SECONDS_DEFAULT, type SecretProviderConfig } from "@/lib/secrets/secret-schemas";
import { parseProviderConfig } from "@/lib/secrets/secret-view";
import { jittered } from "./refresh-timing";

/**
 * The refresh's bookkeeping per external secret (table secret_refresh_states): which secrets are
 * due, and the claim that makes one instance, and only one, check a due secret. The claim moves
 * nextCheckAt a jittered interval on in the same conditional UPDATE that checks it was due, so
 * a secret is checked at most once per interval across all instances, whether its check then
 * succeeds, fails or never finishes (a killed instance).
 */
export type RefreshStateRow = Awaited<ReturnType<typeof dueStates>>[number];

/** A secret whose refresh is off is looked at again this often (its row, not its manager). */
export const OFF_RECHECK_MS = 24 * 60 * 60 * 1000;
const SYNC_BATCH = 500;
/** Rows per statement of the sync's bulk upsert (7 parameters each: far under either database's limit). */
const ROWS_PER_STATEMENT = 250;

/** The interval of a secret, in milliseconds; 0 when its refresh is off. */
export function refreshIntervalMs(config: SecretProviderConfig): number {
  return (config.refreshSeconds ?? REFRESH_SECONDS_DEFAULT) * 1000;
}

/** When a secret whose baseline starts now is first due: one jittered interval on (never at once, so a restart does not ask about every secret together). */
function firstDue(config: SecretProviderConfig, now: number): Date {
  const interval = refreshIntervalMs(config);
  return new Date(now + (interval > 0 ? jittered(interval) : OFF_RECHECK_MS));
}

/**
 * Gives every external secret without a state row, or whose row belongs to an older revision of
 * the secret (an edit: another path, another pinned version), a fresh one: no baseline yet, due
 * one interval from now. Returns how many it (re)made.
 */
export async function syncStates(now = Date.now()): Promise<number> {
  const rows = await db().$queryRaw<Array<{ id: string; version: number | bigint; providerConfig: string }>>`
    SELECT s."id", s."version", s."provider_config" AS "providerConfig"
    FROM "secrets" s LEFT JOIN "secret_refresh_states" r ON r."secret_id" = s."id"
    WHERE s."provider" <> ${PROVENANCE_PROVIDER} AND (r."secret_id" IS NULL OR r."secret_revision" <> s."version")
    LIMIT ${SYNC_BATCH}`;
  // One statement per ROWS_PER_STATEMENT rows, not one write per secret: after a bulk import of
  // thousands of external secrets, each instance would otherwise make thousands of small writes,
  // which on SQLite queue behind (and in front of) the reads' audit commits.
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = rows
      .slice(i, i + ROWS_PER_STATEMENT)
      .map(
        (row) =>
          Prisma.sql`(${row.id}, ${Number(row.version)}, ${firstDue(parseProviderConfig(row.providerConfig), now)}, NULL, NULL, 0, NULL)`,
      );
    // Two instances may both do this; either's row is as good.
    await db().$executeRaw`
      INSERT INTO "secret_refresh_states"
        ("secret_id", "secret_revision", "next_check_at", "last_version", "last_fingerprint", "failures", "checked_at")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("secret_id") DO UPDATE SET
        "secret_revision" = excluded."secret_revision", "next_check_at" = excluded."next_check_at",
        "last_version" = NULL, "last_fingerprint" = NULL, "failures" = 0, "checked_at" = NULL`;
  }
  return rows.length;
}

/** Rows due now, oldest first. */
export function dueStates(limit: number, now = Date.now()) {
  return db().secretRefreshState.findMany({ where: { nextCheckAt: { lte: new Date(now) } }, orderBy: { nextCheckAt: "asc" }, take: limit });
}

/** Claims a due row by moving it to `nextAt`; false when another instance claimed it first (or it is no longer due). */
export async function claimState(secretId: string, nextAt: number, now = Date.now()): Promise<boolean> {
  const { count } = await db().secretRefreshState.updateMany({
    where: { secretId, nextCheckAt: { lte: new Date(now) } },
    data: { nextCheckAt: new Date(nextAt) },
  });
  return count === 1;
}

/** Sets when the row is next due (a postponement, a backoff), leaving the rest. */
export async function rescheduleState(secretId: string, nextAt: number, failures?: number): Promise<void> {
  await db().secretRefreshState.updateMany({
    where: { secretId },
    data: { nextCheckAt: new Date(nextAt), ...(failures === undefined ? {} : { failures }) },
  });
}

export async function dropState(secretId: string): Promise<void> {
  await db().secretRefreshState.deleteMany({ where: { secretId } });
}
