import { processShared } from "@/lib/process-shared";
import { PeriodicFlush } from "@/lib/usage/periodic-flush";
import { lineageState } from "./lineage-meter";
import { storeLineage } from "./lineage-store";

/** How often the versions seen and the reads noted in memory are stored. */
export const LINEAGE_FLUSH_MS = 5_000;

export function lineageFlusher(): PeriodicFlush {
  return processShared(
    "lineage.flusher",
    () =>
      new PeriodicFlush(
        "secret version reads",
        async () => {
          const { counter } = lineageState();
          const batch = counter.take();
          try {
            await storeLineage(batch);
          } catch (error) {
            // Whatever was already stored is stored again harmlessly: every write only moves times forward.
            counter.putBack(batch);
            throw error;
          }
        },
        LINEAGE_FLUSH_MS,
      ),
  );
}
