import type { Actor } from "@/lib/auth/actor";
import { fingerprint } from "@/lib/crypto/fingerprint";
import { keyring } from "@/lib/keys/keyring";
import { processShared } from "@/lib/process-shared";
import type { FetchedSecret } from "@/lib/providers/adapter";
import { LineageCounter } from "./lineage-counter";

/**
 * Where the resolve path notes which version of a secret it served and to whom (every successful
 * resolve, single or batch, through either door). A fingerprint is computed once per value a
 * process holds, not per read: external values by the fetched object (the value cache hands out
 * the same object until it fetches again), stored values by secret version. The notes reach the
 * database through lineage-flush.ts.
 */
interface LineageState {
  counter: LineageCounter;
  external: WeakMap<FetchedSecret, string>;
  stored: Map<string, string>;
}

/** Stored versions whose fingerprint a process remembers; past this the memo starts over. */
const MAX_STORED_FINGERPRINTS = 20_000;

// Held per bundle once found, so a read costs no lookup on globalThis.
let state: LineageState | undefined;

export function lineageState(): LineageState {
  return (state ??= processShared("lineage.state", (): LineageState => ({
    counter: new LineageCounter(),
    external: new WeakMap(),
    stored: new Map(),
  })));
}

export function readerKey(actor: Pick<Actor, "kind" | "id">): string {
  return `${actor.kind}:${actor.id}`;
}

/** An external value was served; `fresh` when it was just fetched upstream (not from the cache). */
export function noteExternalRead(secretId: string, fetched: FetchedSecret, fresh: boolean, actor: Actor, at: number): void {
  const { counter, external } = lineageState();
  let print = external.get(fetched);
  if (print === undefined) {
    print = fingerprint(keyring(), fetched.value);
    external.set(fetched, print);
    fresh = true;
  }
  if (fresh) counter.sawVersion(secretId, fetched.version, print, at);
  counter.read(secretId, fetched.version, print, readerKey(actor), at);
}

/** A stored value was served: `value` is the whole stored value (before any jsonKey), for its fingerprint only. */
export function noteStoredRead(secretId: string, version: number, value: string, actor: Actor, at: number): void {
  const { counter, stored } = lineageState();
  const label = String(version);
  const key = `${secretId}:${label}`;
  let print = stored.get(key);
  if (print === undefined) {
    if (stored.size >= MAX_STORED_FINGERPRINTS) stored.clear();
    print = fingerprint(keyring(), value);
    stored.set(key, print);
    // Versions written before lineage was recorded get their row from their first read.
    counter.sawVersion(secretId, label, print, at);
  }
  counter.read(secretId, label, print, readerKey(actor), at);
}
