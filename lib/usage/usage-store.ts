import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { USAGE_FIELDS, type DayCounts } from "./usage-counter";

/**
 * Adds one process's counts to the shared rows (provider_usage_days): an increment of the existing
 * row, or the row itself when there is none yet. Increments, never overwrites, so several instances
 * flushing the same connection and day add up, on SQLite and PostgreSQL alike.
 */
export async function addUsage(entry: DayCounts): Promise<void> {
  const where = { connectionId: entry.connectionId, day: entry.day };
  const increments = Object.fromEntries(USAGE_FIELDS.map((field) => [field, { increment: entry[field] }]));
  const updated = await db().providerUsageDay.updateMany({ where, data: increments });
  if (updated.count > 0) return;
  // Counts that arrive after their connection was deleted (and its rows with it) are dropped.
  if ((await db().secretProvider.count({ where: { id: entry.connectionId } })) === 0) return;
  try {
    await db().providerUsageDay.create({ data: { ...entry } });
  } catch (error) {
    // Another instance created the row between our update and create: add to it.
    if (!isUniqueViolation(error)) throw error;
    await db().providerUsageDay.updateMany({ where, data: increments });
  }
}

/** Stored rows of one connection from `fromDay` on ("YYYY-MM-DD", inclusive), oldest first. */
export function storedUsage(connectionId: string, fromDay: string) {
  return db().providerUsageDay.findMany({ where: { connectionId, day: { gte: fromDay } }, orderBy: { day: "asc" } });
}
