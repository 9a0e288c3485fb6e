import { processShared } from "@/lib/process-shared";
import { PeriodicFlush } from "./periodic-flush";
import type { DayCounts } from "./usage-counter";
import { usageCounter } from "./usage-meter";
import { addUsage } from "./usage-store";

/** How often this process's counts are added to the shared rows. */
export const USAGE_FLUSH_MS = 5_000;

export function usageFlusher(): PeriodicFlush {
  return processShared("usage.flusher", () => new PeriodicFlush("connection usage counts", () => flushUsageCounts(), USAGE_FLUSH_MS));
}

/** Adds each taken row to the database; rows not yet added go back to the counter when one fails. */
export async function flushUsageCounts(counter = usageCounter(), add: (entry: DayCounts) => Promise<void> = addUsage): Promise<void> {
  const taken = counter.take();
  for (let i = 0; i < taken.length; i++) {
    try {
      await add(taken[i]!);
    } catch (error) {
      counter.putBack(taken.slice(i));
      throw error;
    }
  }
}
