import type { AppError } from "@/lib/errors";
import { processShared } from "@/lib/process-shared";
import { UsageCounter } from "./usage-counter";

/**
 * Where upstream calls and value-cache answers are counted, per connection (a map increment; the
 * counts reach the database through usage-flush.ts). One counter per process, shared by every
 * bundle that loads this module.
 *
 * A call is one request to the manager's API as it bills them: one attempt of callUpstream (a
 * retry is another call; AWS BatchGetSecretValue for 20 secrets is one call), made once however
 * many resolves share it (single flight). Sign-in requests (OAuth tokens) are not counted.
 */
// Held per bundle once found, so a count costs no lookup on globalThis.
let counter: UsageCounter | undefined;

export function usageCounter(): UsageCounter {
  return (counter ??= processShared("usage.counter", () => new UsageCounter()));
}

/** A connection key is `<connection id>:<connection version>` (lib/providers/adapter.ts). */
function connectionIdOf(connectionKey: string): string {
  const colon = connectionKey.lastIndexOf(":");
  return colon > 0 ? connectionKey.slice(0, colon) : connectionKey;
}

export function countUpstreamCall(connectionKey: string): void {
  usageCounter().count(connectionIdOf(connectionKey), "calls");
}

export function countUpstreamFailure(connectionKey: string, error: AppError): void {
  const shared = usageCounter();
  const id = connectionIdOf(connectionKey);
  shared.count(id, "errors");
  if (isThrottling(error)) shared.count(id, "throttled");
}

export function countCacheAnswer(connectionId: string, hit: boolean): void {
  usageCounter().count(connectionId, hit ? "cacheHits" : "cacheMisses");
}

const THROTTLING_CODES = /thrott|toomanyrequests|ratelimit|limitexceeded|resource_exhausted/i;

/** The manager answered "slow down": HTTP 429, or its own throttling code (AWS ThrottlingException, gRPC RESOURCE_EXHAUSTED). */
export function isThrottling(error: AppError): boolean {
  const { upstreamStatus, upstreamCode } = error.extra as { upstreamStatus?: unknown; upstreamCode?: unknown };
  return upstreamStatus === 429 || (typeof upstreamCode === "string" && THROTTLING_CODES.test(upstreamCode));
}
