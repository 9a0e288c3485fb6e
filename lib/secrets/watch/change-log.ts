import { fingerprint } from "@/lib/crypto/fingerprint";
import { db, type Db } from "@/lib/db/client";
import { keyring } from "@/lib/keys/keyring";
import { recordStoredVersions } from "@/lib/lineage/lineage-store";

/**
 * The secret change log (table secret_changes): what the watch stream sends, and what a watcher
 * that reconnects with Last-Event-ID is sent again. Rows carry path, version and a keyed
 * fingerprint, never a value. Written in the transaction of the change itself, so an event exists
 * exactly when the change does. Kinds: `created`, `updated`, `deleted` (writes here) and
 * `upstream_changed` (an external secret's manager holds a new version: lib/refresh).
 */
export type ChangeKind = "created" | "updated" | "deleted" | "upstream_changed";

export interface SecretChangeRow {
  id: number;
  secretId: string;
  secretPath: string;
  kind: string;
  version: string | null;
  fingerprint: string | null;
  changedAt: Date;
}

type ChangeClient = Pick<Db, "secretChange" | "secretVersion">;

/** Watchers may resume this far back; older rows are pruned. */
export const RESUME_WINDOW_MS = 60 * 60 * 1000;

export interface SecretChangeInput {
  secretId: string;
  secretPath: string;
  kind: ChangeKind;
  /** The stored revision, or for `upstream_changed` the manager's new version id. */
  version: number | string | null;
  /** The value, for its fingerprint only (never stored); null or absent when not known. */
  value?: string | null;
  /** The keyed fingerprint itself, when the caller has it and not the value (an upstream change). */
  fingerprint?: string | null;
}

export function recordSecretChange(client: ChangeClient, change: SecretChangeInput): Promise<void> {
  return recordSecretChanges(client, [change]);
}

export async function recordSecretChanges(client: ChangeClient, changes: SecretChangeInput[]): Promise<void> {
  if (changes.length === 0) return;
  // This server's clock, in milliseconds (SQLite's own CURRENT_TIMESTAMP has whole seconds).
  const changedAt = new Date();
  const rows = changes.map((change) => ({
    secretId: change.secretId,
    secretPath: change.secretPath,
    kind: change.kind,
    version: change.version === null ? null : String(change.version),
    fingerprint: change.value === undefined || change.value === null ? (change.fingerprint ?? null) : fingerprint(keyring(), change.value),
    changedAt,
  }));
  await client.secretChange.createMany({ data: rows });
  // A stored value written is a new version in the secret's lineage (lib/lineage); an upstream
  // change is recorded there by the refresh itself (lib/refresh), which keeps first-seen times.
  const written = rows.flatMap(({ secretId, kind, version, fingerprint }) =>
    (kind === "created" || kind === "updated") && version !== null && fingerprint !== null ? [{ secretId, version, fingerprint }] : [],
  );
  await recordStoredVersions(client, written, changedAt);
}

/** Rows after `afterId` (oldest first), at most `limit`, changed within the resume window. */
export function changesAfter(afterId: number, limit: number, now = Date.now()): Promise<SecretChangeRow[]> {
  return db().secretChange.findMany({
    where: { id: { gt: afterId }, changedAt: { gte: new Date(now - RESUME_WINDOW_MS) } },
    orderBy: { id: "asc" },
    take: limit,
  });
}

/** Rows changed since `since`, whatever their id: catches rows whose transaction committed late. */
export function changesSince(since: Date, limit: number): Promise<SecretChangeRow[]> {
  return db().secretChange.findMany({ where: { changedAt: { gte: since } }, orderBy: { id: "asc" }, take: limit });
}

export async function latestChangeId(): Promise<number> {
  const row = await db().secretChange.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return row?.id ?? 0;
}

/** Deletes rows past the resume window (with an hour's margin); returns how many. */
export async function pruneChangeLog(now = Date.now()): Promise<number> {
  const { count } = await db().secretChange.deleteMany({ where: { changedAt: { lt: new Date(now - 2 * RESUME_WINDOW_MS) } } });
  return count;
}
