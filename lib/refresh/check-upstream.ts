import "server-only";
import { fingerprint } from "@/lib/crypto/fingerprint";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { keyring } from "@/lib/keys/keyring";
import type { FetchedSecret, FetchSecretRequest } from "@/lib/providers/adapter";
import { providerAdapters } from "@/lib/providers/adapters";
import { maxCallsPerMinute } from "@/lib/providers/definition";
import { isProviderType } from "@/lib/providers/registry";
import { openConfig } from "@/lib/secret-providers/connection-config";
import type { ConnectionRow } from "@/lib/secret-providers/connection-view";
import { SAFETY_NET_MS, withDeadline } from "@/lib/secrets/resolve/external-values";
import type { SecretProviderConfig } from "@/lib/secrets/secret-schemas";
import { reserveCall } from "./refresh-budget";

/**
 * One upstream check of one external secret: what version its manager holds now, by the adapter's
 * cheapest call (lib/providers/<type>/adapter.ts currentVersion), and, only when that differs from
 * what was last seen and the check did not read it already, the value itself for its keyed
 * fingerprint (never kept, never logged). Every call goes through callUpstream, so usage counts
 * it, and, when the connection sets maxCallsPerMinute, first takes a slot of its budget.
 */
export interface RefreshTarget {
  id: string;
  secretPath: string;
  providerPath: string;
  providerConfig: SecretProviderConfig;
  connection: ConnectionRow;
}

/** What the manager holds: a version id (null when it gives none) and, when read, the value's fingerprint. */
export interface Observed {
  version: string | null;
  fingerprint: string | null;
}

export type CheckOutcome =
  | { kind: "observed"; observed: Observed }
  /** The reference pins a version: nothing upstream can change under it. */
  | { kind: "pinned" }
  /** The budget has no slot now: try again at `at`, nothing was called. */
  | { kind: "postponed"; at: number };

/** A slot of the budget, when the connection has one; the caller waits for it if it is within `maxWaitMs`. */
async function takeSlot(
  connection: ConnectionRow,
  config: Record<string, string>,
  maxWaitMs: number,
  signal: AbortSignal,
): Promise<number | null> {
  const perMinute = maxCallsPerMinute(config);
  if (perMinute === null) return null;
  const reservation = await reserveCall(connection.id, perMinute, maxWaitMs);
  if ("nextFreeAt" in reservation) return reservation.nextFreeAt;
  await sleepUntil(reservation.at, signal);
  return null;
}

export async function checkUpstream(target: RefreshTarget, known: Observed, signal: AbortSignal): Promise<CheckOutcome> {
  const { connection } = target;
  if (!isProviderType(connection.type)) throw new Error(`unknown provider type ${connection.type}`);
  const adapter = providerAdapters[connection.type];
  const config = openConfig(connection);
  const budgeted = maxCallsPerMinute(config) !== null;
  const timeoutMs = env().PROVENANCE_PROVIDER_TIMEOUT_MS;
  const request: FetchSecretRequest = {
    connectionKey: `${connection.id}:${connection.version}`,
    config,
    timeoutMs,
    path: target.providerPath,
    version: target.providerConfig.version,
    // Within a budget every call is one attempt: a retry would be a call the budget did not grant.
    ...(budgeted ? { maxAttempts: 1 } : {}),
  };
  const net = <T>(promise: Promise<T>) =>
    withDeadline(promise, SAFETY_NET_MS + timeoutMs, `timed out checking ${target.providerPath} upstream`);

  const postponeTo = await takeSlot(connection, config, 0, signal);
  if (postponeTo !== null) return { kind: "postponed", at: postponeTo };
  const found = adapter.currentVersion
    ? await net(adapter.currentVersion(request))
    : { version: null, fetched: await net(adapter.fetchSecret(request)) };
  if (found === null) return { kind: "pinned" };
  const version = found.version ?? found.fetched?.version ?? null;
  const print = (fetched: FetchedSecret) => fingerprint(keyring(), fetched.value);
  if (found.fetched) return { kind: "observed", observed: { version, fingerprint: print(found.fetched) } };
  // A version id alone: enough when it is the one already known, or when nothing is known yet
  // (the baseline needs no fingerprint). A new one is read, for the fingerprint lineage and
  // watchers get: one call more per change, none per unchanged check.
  if (version === known.version || (known.version === null && known.fingerprint === null))
    return { kind: "observed", observed: { version, fingerprint: null } };
  // The second call of a change waits for its slot (at most one gap of the budget).
  await takeSlot(connection, config, Number.POSITIVE_INFINITY, signal);
  const fetched = await net(adapter.fetchSecret(request));
  return { kind: "observed", observed: { version: fetched.version ?? version, fingerprint: print(fetched) } };
}

/** The versions lineage holds for the secret since its last edit, newest first: the baseline of a first check. */
export async function lineageBaseline(secretId: string, since: Date): Promise<Observed> {
  const latest = await db().secretVersion.findFirst({
    where: { secretId, lastSeenAt: { gte: since } },
    orderBy: [{ firstSeenAt: "desc" }],
  });
  return { version: latest?.version ?? null, fingerprint: latest?.fingerprint ?? null };
}

function sleepUntil(at: number, signal: AbortSignal): Promise<void> {
  const ms = at - Date.now();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new Error("the upstream refresh is stopping"));
      },
      { once: true },
    );
  });
}
