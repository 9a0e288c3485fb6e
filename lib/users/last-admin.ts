import { db } from "@/lib/db/client";
import { env, isSqliteUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";

type Transaction = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

/**
 * Refuses to take admin rights away from `userId` (demote, disable, delete) unless another enabled
 * admin remains. Call it inside the transaction that writes the change.
 *
 * A plain count-then-update is not enough on PostgreSQL: under READ COMMITTED two admins demoting
 * each other both count two admins, and both commit. So the enabled admins' rows are locked first
 * (FOR UPDATE): the second transaction waits for the first to commit, and its count then sees the
 * first change. SQLite needs no lock: it has one writer at a time, and a transaction whose reads went
 * stale fails to write instead of committing over the other.
 */
export async function keepAnotherAdmin(tx: Transaction, userId: string): Promise<void> {
  if (!isSqliteUrl(env().DATABASE_URL)) {
    await tx.$queryRaw`SELECT id FROM users WHERE role = 'admin' AND NOT disabled FOR UPDATE`;
  }
  const others = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (others === 0) throw new AppError("conflict", "This is the last active admin; make another admin first.");
}
