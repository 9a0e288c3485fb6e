import type { Actor } from "@/lib/auth/actor";
import { scopeAllows } from "@/lib/auth/scope";
import { db } from "@/lib/db/client";
import { notFound, validationError } from "@/lib/errors";
import { looksLikeId } from "@/lib/ids";
import { isProviderType, PROVIDER_TYPES } from "@/lib/providers/registry";
import { isValidPrefix, matchesPrefix } from "./secret-path";
import { PROVENANCE_PROVIDER } from "./secret-schemas";
import { secretViewSelect, toSecretView, type SecretView } from "./secret-view";

export interface ListSecretsFilter {
  prefix?: string | null;
  provider?: string | null;
  secretProviderId?: string | null;
}

// GET /api/secrets[?prefix=a.b] — what the caller may see: a scoped token sees only its paths
export async function listSecrets(options: { actor: Actor; filter?: ListSecretsFilter }): Promise<SecretView[]> {
  const { prefix, provider, secretProviderId } = options.filter ?? {};
  const fields: Record<string, string> = {};
  if (prefix && !isValidPrefix(prefix)) fields.prefix = "Prefix must be a dotted secret path such as stripe or stripe.live";
  if (provider && provider !== PROVENANCE_PROVIDER && !isProviderType(provider)) {
    fields.provider = `Provider must be "${PROVENANCE_PROVIDER}" or one of ${PROVIDER_TYPES.join(", ")}`;
  }
  if (secretProviderId && !looksLikeId(secretProviderId)) fields.secretProviderId = "Not a connection id";
  if (Object.keys(fields).length > 0) throw validationError(fields);
  const rows = await db().secret.findMany({
    where: {
      // A coarse filter for the database; matchesPrefix below applies the exact, case-sensitive rule.
      ...(prefix ? { secretPath: { startsWith: prefix.replace(/\.$/, "") } } : {}),
      ...(provider ? { provider } : {}),
      ...(secretProviderId ? { secretProviderId } : {}),
    },
    select: secretViewSelect,
    orderBy: { secretPath: "asc" },
  });
  return rows
    .filter((row) => (!prefix || matchesPrefix(row.secretPath, prefix)) && scopeAllows(options.actor.scope, row.secretPath))
    .map(toSecretView);
}

// GET /api/secrets/:id — 404 also when the caller's scope does not cover it (it is not theirs to see)
export async function getSecret(options: { actor: Actor; id: string }): Promise<SecretView> {
  const row = await db().secret.findUnique({ where: { id: options.id }, select: secretViewSelect });
  if (!row || !scopeAllows(options.actor.scope, row.secretPath)) throw notFound("Secret");
  return toSecretView(row);
}
