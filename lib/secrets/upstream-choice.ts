import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { PROVENANCE_PROVIDER, type SecretProviderConfig } from "./secret-schemas";

/**
 * A scope is a fence (CONTRACT "Trust rules"): a path-scoped token reaches values only through
 * secrets whose upstream someone unscoped chose. Choosing an upstream path is not bound by secret
 * paths at all (a `stripe.*` token could point `stripe.alias` at any path the connection's
 * credential reads), so a scoped token may not do it: not on create, update, or a connection test.
 */
export function refuseScopedUpstreamChoice(actor: Pick<Actor, "scope">, what: string): void {
  if (actor.scope === null) return;
  throw new AppError(
    "forbidden",
    `A token with a path scope (${actor.scope}) cannot ${what}; only the upstream of secrets stored in Provenance is its own to choose.`,
  );
}

/** What decides which upstream bytes a secret returns. */
interface Upstream {
  provider: string;
  providerPath: string | null;
  secretProviderId: string | null;
  providerConfig: SecretProviderConfig;
}

/**
 * Whether a write changes where an external secret reads from: its provider, connection, provider
 * path, version, or jsonKey. jsonKey counts for external secrets because clearing or changing it
 * returns other members of the same upstream JSON, which the secret's author chose not to expose.
 * For a stored secret the token writes the value itself, so jsonKey there is its own business.
 * `before` is null for a new secret.
 */
export function changesUpstream(before: Upstream | null, after: Upstream): boolean {
  const external = (s: Upstream | null) => s !== null && s.provider !== PROVENANCE_PROVIDER;
  if (!external(before) && !external(after)) return false;
  if (before === null) return true;
  return (
    before.provider !== after.provider ||
    before.providerPath !== after.providerPath ||
    before.secretProviderId !== after.secretProviderId ||
    (before.providerConfig.version ?? null) !== (after.providerConfig.version ?? null) ||
    (before.providerConfig.jsonKey ?? null) !== (after.providerConfig.jsonKey ?? null)
  );
}
