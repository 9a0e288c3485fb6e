import type { SecretChangeRow } from "@/lib/secrets/watch/change-log";

/**
 * The JSON body of one delivery, made from a change log row: what changed, where, and the keyed
 * fingerprint of the new value, never the value. `id` is the change log row's id, the same id the
 * watch stream sends as its event id: stable across retries, so a receiver drops duplicates by it.
 */
export interface WebhookEvent {
  id: string;
  /** secret.created | secret.updated | secret.deleted | secret.upstream_changed, or any later kind. */
  type: string;
  secretId: string;
  secretPath: string;
  version: string | null;
  fingerprint: string | null;
  occurredAt: string;
}

export function webhookEvent(row: SecretChangeRow): WebhookEvent {
  return {
    id: String(row.id),
    // Every kind the change log holds flows through as secret.<kind>, so a new kind needs no change here.
    type: row.kind.startsWith("secret.") ? row.kind : `secret.${row.kind}`,
    secretId: row.secretId,
    secretPath: row.secretPath,
    version: row.version,
    fingerprint: row.fingerprint,
    occurredAt: row.changedAt.toISOString(),
  };
}
