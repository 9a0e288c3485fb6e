import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";

/**
 * A connection's maxCallsPerMinute for the upstream refresh, held across all instances: calls are
 * spaced 60 / maxCallsPerMinute seconds apart (table refresh_budgets, one row per connection), so
 * no minute ever holds more. Each call claims the next free slot with a conditional UPDATE (the
 * slot it read is still the row's), which two instances cannot both win.
 */
export type Reservation = { at: number } | { nextFreeAt: number };

const TRIES = 5;

/**
 * Takes the next slot if it comes within `maxWaitMs` (the caller waits until `at`); otherwise takes
 * nothing and says when the next one is free.
 */
export async function reserveCall(connectionId: string, perMinute: number, maxWaitMs: number, now = Date.now()): Promise<Reservation> {
  const gapMs = 60_000 / perMinute;
  for (let tries = 0; tries < TRIES; tries++) {
    const row = await db().refreshBudget.findUnique({ where: { connectionId } });
    if (!row) {
      try {
        await db().refreshBudget.create({ data: { connectionId, nextCallAt: new Date(now + gapMs) } });
        return { at: now };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        continue; // another instance made the row first: read it
      }
    }
    const slot = Math.max(row.nextCallAt.getTime(), now);
    if (slot - now > maxWaitMs) return { nextFreeAt: slot };
    const { count } = await db().refreshBudget.updateMany({
      where: { connectionId, nextCallAt: row.nextCallAt },
      data: { nextCallAt: new Date(slot + gapMs) },
    });
    if (count === 1) return { at: slot };
  }
  // Lost every race: the budget is busy; try again a slot later.
  return { nextFreeAt: now + gapMs };
}
