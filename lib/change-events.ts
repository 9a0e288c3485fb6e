import { publishChange } from "@/lib/cluster/publish";
import { describeError, log } from "@/lib/log";

/**
 * Notice that a secret or a provider connection changed or was deleted, so caches built on them
 * (the resolve caches, SDK clients) drop what they hold; likewise a token (revoked, created) or a
 * user (role, disabled, password), for the token cache. Listeners must be cheap and must not throw.
 *
 * Across processes: on PostgreSQL, `notifyChange` also tells the other server processes on the
 * same database (lib/cluster: NOTIFY out, one LISTEN connection in). Those processes hear it
 * through `deliverChange`. `{kind: "all"}` means "drop everything": the listening connection was
 * (re)established and events may have been missed while it was down.
 *
 * The value cache does not hang on these notices (its keys carry the secret's and the connection's
 * versions; the notices free old values and SDK clients early). The row caches of the read path do:
 * tokens (lib/tokens/token-cache.ts) and secret rows (lib/secrets/resolve/secret-lookup.ts) are
 * dropped by them at once, and read again after a few seconds anyway, for writes nobody announces
 * (another process on SQLite). So every write that changes a secret, a connection, a token or a
 * user sends its notice after its transaction commits.
 */
export type ChangeEvent = { kind: ChangeKind; id: string } | { kind: "all" };

export const CHANGE_KINDS = ["secret", "connection", "token", "user"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

type Listener = (event: ChangeEvent) => void;

// On globalThis: Next bundles instrumentation (where the cluster listener starts) and the route
// handlers (where the caches live) separately, and each bundle gets its own copy of this module.
const globalForChanges = globalThis as typeof globalThis & { __provenanceChangeListeners?: Set<Listener> };
const listeners = (globalForChanges.__provenanceChangeListeners ??= new Set<Listener>());

export function onChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A change made by this process (after its transaction committed): local caches, then the others. */
export function notifyChange(event: ChangeEvent): void {
  deliverChange(event);
  // Fire and forget: never fails (it logs), and the request does not wait for it.
  void publishChange(event);
}

/** Runs the local listeners only: for changes announced by another instance. Returns how many ran. */
export function deliverChange(event: ChangeEvent): number {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      // The change is committed; a faulty listener must not turn that into a failed request.
      log.error("change listener failed", { kind: event.kind, ...describeError(error) });
    }
  }
  return listeners.size;
}
