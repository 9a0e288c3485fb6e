import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { changesAfter, changesSince, latestChangeId } from "@/lib/secrets/watch/change-log";
import { enqueueDeliveries } from "./delivery-store";
import { webhookEvent } from "./webhook-event";

/**
 * Copies new rows of the secret change log (the rows the watch stream sends: created, updated,
 * deleted, upstream changes and whatever kind is added later) into the webhook outbox. Reading the
 * log rather than hooking each writer means every change that reaches watchers reaches the webhook
 * too, whichever code (or CLI import) wrote it.
 *
 * The position read up to is kept in the settings table, so a restart carries on where the last
 * instance stopped; rows that committed late (a transaction that took its id before another that
 * committed first) are caught by re-reading the last LATE_COMMIT_MS; the outbox's unique change id
 * drops what was queued already. A change older than the log's resume window (1 h) when first seen,
 * after every instance was down that long, is history and not sent.
 */
const CURSOR_SETTING = "webhooks.change_cursor";
const LATE_COMMIT_MS = 30_000;
const BATCH = 200;

/** Queues what changed since the last call; returns how many deliveries were added. */
export async function queueNewChanges(now = Date.now()): Promise<number> {
  const stored = await readCursor();
  // First run with a webhook configured: from now on (plus the late-commit re-read), not the whole log.
  const cursor = stored ?? (await latestChangeId());
  let position = cursor;
  let added = 0;
  for (;;) {
    const rows = await changesAfter(position, BATCH, now);
    added += await enqueueDeliveries(rows.map(webhookEvent));
    if (rows.length > 0) position = rows[rows.length - 1]!.id;
    if (rows.length < BATCH) break;
  }
  added += await enqueueDeliveries(
    (await changesSince(new Date(now - LATE_COMMIT_MS), BATCH)).filter((row) => row.id <= cursor).map(webhookEvent),
  );
  if (stored === null || position !== cursor) await writeCursor(position);
  return added;
}

async function readCursor(): Promise<number | null> {
  const row = await db().setting.findUnique({ where: { key: CURSOR_SETTING } });
  const value = row ? Number(row.value) : NaN;
  return Number.isSafeInteger(value) ? value : null;
}

/** Another instance may write a smaller position meanwhile; it then re-reads a few rows the outbox already holds. */
async function writeCursor(position: number): Promise<void> {
  const value = String(position);
  try {
    await db().setting.upsert({ where: { key: CURSOR_SETTING }, create: { key: CURSOR_SETTING, value }, update: { value } });
  } catch (error) {
    // Two instances creating the setting at once: the loser updates the row the winner made.
    if (!isUniqueViolation(error)) throw error;
    await db().setting.update({ where: { key: CURSOR_SETTING }, data: { value } });
  }
}
