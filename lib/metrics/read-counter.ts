import { processShared } from "@/lib/process-shared";

/**
 * Secret reads by outcome since this process started, for GET /api/metrics: each path of a single
 * or batch resolve is one read; `denied` is a scope or fence refusal, `failure` anything else that
 * returned no value (not found, a manager's error, a timeout). A map increment on the resolve path.
 */
export type ReadOutcome = "success" | "failure" | "denied";

const counts = (): Record<ReadOutcome, number> => processShared("metrics.reads", () => ({ success: 0, failure: 0, denied: 0 }));

export function countRead(outcome: ReadOutcome, n = 1): void {
  counts()[outcome] += n;
}

export function readCounts(): Readonly<Record<ReadOutcome, number>> {
  return { ...counts() };
}
