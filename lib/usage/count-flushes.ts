import { lineageFlusher } from "@/lib/lineage/lineage-flush";
import { usageFlusher } from "./usage-flush";

/**
 * Starts storing, every few seconds, what the resolve path counts in memory: connection usage
 * (lib/usage) and value lineage (lib/lineage). On SIGTERM/SIGINT a last flush starts at once, while
 * Next finishes the requests in flight before it exits; counts of the last moments may still be
 * lost if the database is slower than that, which costs a few numbers, never a request.
 */
export function startCountFlushes(): void {
  const flushers = [usageFlusher(), lineageFlusher()];
  for (const flusher of flushers) flusher.start();
  const flushAll = () => void Promise.all(flushers.map((f) => f.flushNow()));
  process.once("SIGTERM", flushAll);
  process.once("SIGINT", flushAll);
  process.once("beforeExit", flushAll);
}

/** Stores everything counted so far (a usage or versions answer is then exact for this process). */
export async function flushCountsNow(): Promise<void> {
  await Promise.all([usageFlusher().flushNow(), lineageFlusher().flushNow()]);
}
