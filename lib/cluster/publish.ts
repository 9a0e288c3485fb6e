import type { ChangeEvent } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { describeError, log } from "@/lib/log";
import { CHANGE_CHANNEL, clusterDatabaseUrl, encodeChange } from "./channel";

/**
 * Tells the other server processes on this PostgreSQL database about a change (see channel.ts).
 * Sent through the application's pool as `pg_notify(channel, payload)` (bound parameters, no
 * quoting); delivered to listeners when it commits, which, outside a transaction, is at once.
 * Never throws: the change itself is committed, and what the others cache of it expires within seconds anyway.
 */
export function publishChange(event: ChangeEvent): Promise<void> {
  const sending = send(event).finally(() => inFlight.delete(sending));
  inFlight.add(sending);
  return sending;
}

const inFlight = new Set<Promise<void>>();

/** Waits for the announcements already sent off: a short-lived process (the CLI) calls it before it disconnects. */
export async function changesAnnounced(): Promise<void> {
  await Promise.all([...inFlight]);
}

async function send(event: ChangeEvent): Promise<void> {
  try {
    if (!clusterDatabaseUrl()) return; // SQLite: one process, in-process events only
    await db().$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, ${encodeChange(event)})`;
  } catch (error) {
    log.warn("could not announce a change to other instances", { kind: event.kind, ...describeError(error) });
  }
}
