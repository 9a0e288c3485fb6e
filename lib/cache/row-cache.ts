import { onChange, type ChangeEvent } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { processShared } from "@/lib/process-shared";
import { ShortLivedCache } from "./short-lived-cache";

/**
 * A ShortLivedCache of database rows, one per process (lib/process-shared.ts, so both of Next's
 * bundles share it and its listener), that change events keep current: `all` empties it, and
 * `drops(event)` names the rows any other event makes stale (nothing, when it returns undefined).
 * It also empties itself when the database client changes (readFrom).
 */
export function rowCache<V>(
  name: string,
  options: { maxEntries: number; ttlMs: number },
  drops: (event: Exclude<ChangeEvent, { kind: "all" }>) => ((row: V) => boolean) | undefined,
): () => ShortLivedCache<V> {
  return () => {
    const cache = processShared(name, () => {
      const created = new ShortLivedCache<V>(options);
      onChange((event) => {
        if (event.kind === "all") return created.clear();
        const stale = drops(event);
        if (stale) created.dropWhere(stale);
      });
      return created;
    });
    cache.readFrom(db());
    return cache;
  };
}
