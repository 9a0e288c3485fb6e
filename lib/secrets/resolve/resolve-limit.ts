import type { Actor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { consume, describeWait } from "@/lib/rate-limit/sliding-window";

/**
 * Resolve requests per token (or signed-in user) per minute, across every instance. A batch
 * counts once: it is one request, and its size is capped anyway. A leaked token can then read
 * at a bounded rate, and a runaway client cannot starve the others or run up the external
 * managers' bills.
 */
export async function enforceResolveLimit(actor: Actor): Promise<void> {
  const limit = env().PROVENANCE_RESOLVE_LIMIT_PER_MINUTE;
  const decision = await consume({ name: "resolve.caller", limit, windowMs: 60_000 }, `${actor.kind}:${actor.id}`);
  if (decision.allowed) return;
  const who = actor.kind === "token" ? "this token" : "your account";
  throw new AppError(
    "rate_limited",
    `Too many resolve requests from ${who} (limit ${limit} per minute). Try again in ${describeWait(decision.retryAfterSeconds)}.`,
    { retryAfterSeconds: decision.retryAfterSeconds },
  );
}
