import type { Actor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { describeWait } from "@/lib/rate-limit/sliding-window";
import { consumeSynced } from "@/lib/rate-limit/synced-window";

/**
 * Resolves per token (or signed-in user) per minute, across every instance. A batch counts each
 * of its paths (a batch larger than the whole limit counts as the limit, so it can still run in
 * an idle minute). A leaked token can then read at a bounded rate, and a runaway client cannot
 * starve the others or run up the external managers' bills. Counted in memory and shared through
 * the database about once a second (see synced-window.ts): no database round trip per resolve.
 */
export async function enforceResolveLimit(actor: Actor, paths: number): Promise<void> {
  const limit = env().PROVENANCE_RESOLVE_LIMIT_PER_MINUTE;
  const decision = await consumeSynced({ name: "resolve.caller", limit, windowMs: 60_000 }, `${actor.kind}:${actor.id}`, Date.now(), paths);
  if (decision.allowed) return;
  const who = actor.kind === "token" ? "this token" : "your account";
  throw new AppError(
    "rate_limited",
    `Too many resolve requests from ${who} (limit ${limit} secrets per minute; a batch counts each of its paths). ` +
      `Try again in ${describeWait(decision.retryAfterSeconds)}.`,
    { retryAfterSeconds: decision.retryAfterSeconds },
  );
}
