import { expect } from "vitest";
import { AppError } from "@/lib/errors";
import { rejectionOf } from "../../support/rejection";

/** Awaits a call that must fail with an AppError and returns it for closer inspection. */
export function appErrorFrom(promise: Promise<unknown>): Promise<AppError> {
  return rejectionOf(promise, AppError);
}

/** Nothing the caller may show (message, extras) contains any of the given credential values. */
export function expectNoCredentials(error: AppError, credentials: readonly string[]): void {
  const visible = JSON.stringify(error.toBody());
  for (const credential of credentials) expect(visible).not.toContain(credential);
}

/**
 * How far past its deadline a call may return: event-loop lag on a busy machine, not retries
 * (an SDK retrying behind our back, or a missing deadline, overshoots by seconds).
 */
export const DEADLINE_SLACK_MS = 400;
