import { AppError, isAppError } from "@/lib/errors";
import { networkFailure } from "./errors";

/**
 * A short circuit breaker per provider connection. When a manager hangs or cannot be reached,
 * every call to it waits out the whole timeout; after FAILURES_TO_OPEN such failures in a row
 * the connection is not tried for OPEN_MS, and calls fail at once with a clear error instead of
 * piling up. Then calls go through again; the first success closes the breaker, another failure
 * opens it again. An answer of any kind (a 404, a 403) proves the manager is there and resets it.
 * Per instance: each server learns about its own connections.
 */
export const FAILURES_TO_OPEN = 5;
export const OPEN_MS = 5_000;

interface State {
  failures: number;
  openUntil: number;
}

/** Timeouts and failures to connect: the manager did not answer at all. */
function isUnreachable(error: unknown): boolean {
  if (!isAppError(error)) return false;
  if (error.code === "provider_timeout") return true;
  if (error.code !== "provider_error") return false;
  const code = error.extra.upstreamCode;
  return typeof code === "string" && networkFailure({ code }) !== null;
}

export class CircuitBreaker {
  private readonly states = new Map<string, State>();

  constructor(private readonly now: () => number = Date.now) {}

  async run<T>(key: string, provider: string, call: () => Promise<T>): Promise<T> {
    const state = this.states.get(key);
    const now = this.now();
    if (state && state.openUntil > now) {
      const seconds = Math.max(1, Math.ceil((state.openUntil - now) / 1000));
      throw new AppError(
        "provider_error",
        `${provider}: not tried: the last ${state.failures} calls to this connection timed out or could not connect; trying again in ${seconds} s`,
        { upstreamCode: "CircuitOpen", retryAfterSeconds: seconds },
      );
    }
    try {
      const result = await call();
      this.states.delete(key);
      return result;
    } catch (error) {
      if (isUnreachable(error)) {
        // Read again: calls made at the same time fail at the same time, and each must count.
        const failures = (this.states.get(key)?.failures ?? 0) + 1;
        this.states.set(key, { failures, openUntil: failures >= FAILURES_TO_OPEN ? this.now() + OPEN_MS : 0 });
      } else if (isAppError(error) && error.code === "provider_error") {
        this.states.delete(key); // it answered
      }
      throw error;
    }
  }

  /** A connection changed or was deleted: start afresh. */
  forget(key: string): void {
    this.states.delete(key);
  }
}
