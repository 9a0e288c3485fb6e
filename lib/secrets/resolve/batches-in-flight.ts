import type { Actor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { processShared } from "@/lib/process-shared";

/**
 * Batch resolves one caller (token or signed-in user) may have running at once, on this
 * instance. The per-minute limit bounds how many a caller starts; this bounds how much of the
 * server (memory, sockets, upstream calls) one caller holds at any moment, however fast it
 * starts them. Past the bound: 429 with Retry-After, nothing started.
 */
const running = processShared("resolve.batchesInFlight", () => new Map<string, number>());

export function enterBatch(actor: Actor): () => void {
  const limit = env().PROVENANCE_RESOLVE_BATCHES_IN_FLIGHT;
  if (limit <= 0) return () => {};
  const key = `${actor.kind}:${actor.id}`;
  const count = running.get(key) ?? 0;
  if (count >= limit) {
    const who = actor.kind === "token" ? "this token" : "your account";
    throw new AppError(
      "rate_limited",
      `Too many batch resolves in flight from ${who} (at most ${limit} at once). Wait for one to finish; try again in 1 second.`,
      { retryAfterSeconds: 1 },
    );
  }
  running.set(key, count + 1);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    const now = (running.get(key) ?? 1) - 1;
    if (now <= 0) running.delete(key);
    else running.set(key, now);
  };
}
