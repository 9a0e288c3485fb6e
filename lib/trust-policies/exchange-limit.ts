import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { consume, describeWait, type LimitRule } from "@/lib/rate-limit/sliding-window";

/**
 * Token exchanges are counted per source address before anything else is looked at (so a burst of
 * forged tokens cannot all be checked against issuers in parallel) and refunded when the exchange
 * succeeds: only failures add up, and the many jobs of a busy CI behind one address are not held up.
 * Kept in the database, so the limit holds across instances.
 */
function rule(): LimitRule {
  return { name: "token_exchange.address", limit: env().PROVENANCE_TOKEN_EXCHANGE_FAILURES_PER_MINUTE, windowMs: 60_000 };
}

/** Counts one attempt from `sourceIp`, or throws 429 rate_limited with Retry-After. */
export async function reserveExchangeAttempt(sourceIp: string | null): Promise<{ forgive(): Promise<void> }> {
  const decision = await consume(rule(), sourceIp ?? "unknown");
  if (!decision.allowed) {
    throw new AppError(
      "rate_limited",
      `Too many failed token exchanges from this address. Try again in ${describeWait(decision.retryAfterSeconds)}.`,
      {
        retryAfterSeconds: decision.retryAfterSeconds,
      },
    );
  }
  return { forgive: () => decision.hit?.refund() ?? Promise.resolve() };
}
