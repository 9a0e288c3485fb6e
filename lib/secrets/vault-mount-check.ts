import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { isAppError, validationError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { AdapterContext } from "@/lib/providers/adapter";
import { checkVaultKvMount } from "@/lib/providers/vault/adapter";
import { vaultDefinition } from "@/lib/providers/vault/definition";
import { NOT_KV_MOUNT } from "@/lib/providers/vault/paths";
import { openConfig } from "@/lib/secret-providers/connection-config";
import { fenceAllows, fencedConnection } from "@/lib/secret-providers/provider-path-fence";
import type { SecretTarget } from "./write-secrets";

/** A save waits at most this long for Vault's answer (or the provider timeout, if shorter). */
const SAVE_LOOKUP_MS = 2_000;
/**
 * After a connection's lookup timed out, saves through it stop asking for this long: creating many
 * secrets against a hanging Vault would otherwise cost the lookup's whole wait on every one of them.
 */
const UNANSWERED_PAUSE_MS = 30_000;
/** Connection cache key → until when saves do not ask it (per instance; bounded by the connections). */
const unanswered = new Map<string, number>();

function recentlyUnanswered(connectionKey: string): boolean {
  const until = unanswered.get(connectionKey);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  unanswered.delete(connectionKey);
  return false;
}

/** The Vault connection a lookup goes through: its cache key (`id:version`), full config and resolver. */
export type VaultLookupConnection = Omit<AdapterContext, "timeoutMs">;

type MountAnswer = { kv: true } | { kv: false; problem: string } | { kv: null };

/**
 * CONTRACT "Vault connections read KV secrets, nothing else", on save: which engine Vault says
 * serves the path, through the same mount lookup (and per-connection cache) as a read. When Vault
 * cannot answer (unreachable, refused, slow) the answer is unknown (`kv: null`) and the save goes
 * ahead: resolve and test ask again and fail closed. Never call this inside a transaction.
 */
export async function vaultMountAnswer(connection: VaultLookupConnection, providerPath: string): Promise<MountAnswer> {
  const { connectionKey, config, resolveHost } = connection;
  if (recentlyUnanswered(connectionKey)) return { kv: null };
  try {
    await checkVaultKvMount({
      connectionKey,
      config,
      resolveHost,
      path: providerPath,
      timeoutMs: Math.min(env().PROVENANCE_PROVIDER_TIMEOUT_MS, SAVE_LOOKUP_MS),
    });
    return { kv: true };
  } catch (error) {
    if (isAppError(error) && error.extra.upstreamCode === NOT_KV_MOUNT) return { kv: false, problem: error.message };
    log.debug("Vault mount lookup on save could not answer; the save goes ahead", { code: isAppError(error) ? error.code : "unexpected" });
    if (isAppError(error) && error.code === "provider_timeout") unanswered.set(connectionKey, Date.now() + UNANSWERED_PAUSE_MS);
    return { kv: null };
  }
}

/**
 * 400 when a `vault` secret's path is on a mount Vault reports as another engine. Only paths that
 * pass every local rule (syntax, connection of the right type, its fence) are asked about: the
 * transaction's checkSecretTarget reports the others, and nothing is sent for a path the
 * connection may not read anyway.
 */
export async function refuseNonKvVaultMount(target: SecretTarget): Promise<void> {
  if (target.provider !== vaultDefinition.type || !target.providerPath || !target.secretProviderId) return;
  if (vaultDefinition.checkPath(target.providerPath)) return;
  const row = await db().secretProvider.findUnique({ where: { id: target.secretProviderId } });
  if (!row || row.type !== vaultDefinition.type || !fenceAllows(fencedConnection(row), target.providerPath)) return;
  const answer = await vaultMountAnswer({ connectionKey: `${row.id}:${row.version}`, config: openConfig(row) }, target.providerPath);
  if (answer.kv === false) throw validationError({ providerPath: answer.problem });
}
