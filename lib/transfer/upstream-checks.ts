import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { vaultDefinition } from "@/lib/providers/vault/definition";
import type { ResolveHost } from "@/lib/providers/upstream/guarded-lookup";
import { openConfig } from "@/lib/secret-providers/connection-config";
import { fenceAllows, fencedConnection, type FencedConnection } from "@/lib/secret-providers/provider-path-fence";
import { resolvedAddressProblems } from "@/lib/secret-providers/resolved-address-rules";
import { vaultMountAnswer, type VaultLookupConnection } from "@/lib/secrets/vault-mount-check";
import type { BundlePayload } from "./payload";
import { summarize } from "./payload";

/** How the import will treat each bundle connection (by bundle id) and secret (by path). */
export interface PlannedActions {
  connections: Array<{ item: { id: string; name: string }; action: "create" | "replace" | "skip"; id: string }>;
  secrets: Array<{ item: { secretPath: string }; action: "create" | "replace" | "skip" }>;
}

/**
 * The checks of an import that look outside this server (DNS, Vault), run BEFORE its transaction
 * so that no database write lock is held while waiting on the network, with the same rules as
 * the API's doors:
 * - a connection the bundle creates or replaces whose host name resolves to a metadata address
 *   is refused, as on POST/PUT /api/secret-providers;
 * - a `vault` secret whose path Vault reports on a non-KV engine is refused, as on POST/PUT
 *   /api/secrets. A Vault that cannot answer (an import made before it is reachable) lets the
 *   secret in, as a save does: resolve and test ask again and fail closed. Each connection and
 *   mount is asked once; a connection that could not answer is not asked again in this import.
 */
export async function checkBundleUpstreams(payload: BundlePayload, planned: PlannedActions, resolveHost?: ResolveHost): Promise<void> {
  // A connection refused for its address is not used for Vault lookups.
  refuse(await metadataProblems(payload, planned, resolveHost));
  refuse(await nonKvMountProblems(payload, planned, resolveHost));
}

function refuse(problems: string[]): void {
  if (problems.length === 0) return;
  throw new AppError(
    "validation_error",
    `${problems.length} item${problems.length === 1 ? "" : "s"} in the bundle break${problems.length === 1 ? "s" : ""} this server's rules, so nothing was imported:\n${summarize(problems)}`,
    { problems },
  );
}

async function metadataProblems(payload: BundlePayload, planned: PlannedActions, resolveHost?: ResolveHost): Promise<string[]> {
  const written = new Set(planned.connections.filter((s) => s.action !== "skip").map((s) => s.item.id));
  const found = await Promise.all(
    payload.connections
      .filter((c) => written.has(c.id))
      .map(async (c) =>
        Object.entries(await resolvedAddressProblems(c.type, c.config, resolveHost)).map(
          ([field, message]) => `connection "${c.name}": ${field}: ${message}`,
        ),
      ),
  );
  return found.flat();
}

async function nonKvMountProblems(payload: BundlePayload, planned: PlannedActions, resolveHost?: ResolveHost): Promise<string[]> {
  const written = new Set(planned.secrets.filter((s) => s.action !== "skip").map((s) => s.item.secretPath));
  const steps = new Map(planned.connections.map((s) => [s.item.id, s]));
  const bundleConnections = new Map(payload.connections.map((c) => [c.id, c]));
  // A connection the import keeps (skip) is read as it is here; one it writes, as the bundle has it,
  // under a lookup key of its own that is forgotten afterwards.
  // Each lookup carries the fence the connection will have, so nothing is asked about a path it may not read.
  type Lookup = VaultLookupConnection & { answered: boolean; fence: FencedConnection };
  const lookups = new Map<string, Lookup>();
  const temporary: string[] = [];
  const lookupFor = async (bundleId: string): Promise<Lookup | null> => {
    const step = steps.get(bundleId);
    const connection = bundleConnections.get(bundleId);
    if (!step || !connection || connection.type !== vaultDefinition.type) return null;
    let lookup = lookups.get(bundleId);
    if (!lookup) {
      if (step.action === "skip") {
        const row = await db().secretProvider.findUnique({ where: { id: step.id } });
        if (!row || row.type !== vaultDefinition.type) return null;
        lookup = {
          connectionKey: `${row.id}:${row.version}`,
          config: openConfig(row),
          resolveHost,
          answered: true,
          fence: fencedConnection(row),
        };
      } else {
        const key = `import-${newId()}`;
        temporary.push(key);
        // A replaced connection whose bundle entry has no fence keeps the local one (as the import writes it).
        const kept =
          connection.allowedProviderPaths === undefined && step.action === "replace"
            ? await db().secretProvider.findUnique({
                where: { id: step.id },
                select: { type: true, config: true, allowedProviderPaths: true },
              })
            : null;
        const fence = kept
          ? fencedConnection(kept)
          : { type: connection.type, config: connection.config, allowedProviderPaths: connection.allowedProviderPaths ?? null };
        lookup = { connectionKey: `${key}:0`, config: connection.config, resolveHost, answered: true, fence };
      }
      lookups.set(bundleId, lookup);
    }
    return lookup;
  };

  const problems: string[] = [];
  try {
    for (const secret of payload.secrets) {
      if (secret.provider !== vaultDefinition.type || !secret.providerPath || !secret.secretProviderId || !written.has(secret.secretPath))
        continue;
      if (vaultDefinition.checkPath(secret.providerPath)) continue; // the transaction's checks report it
      const lookup = await lookupFor(secret.secretProviderId);
      if (!lookup?.answered || !fenceAllows(lookup.fence, secret.providerPath)) continue; // outside the fence: the transaction refuses it
      const answer = await vaultMountAnswer(lookup, secret.providerPath);
      if (answer.kv === null) lookup.answered = false;
      if (answer.kv === false) problems.push(`secret ${secret.secretPath}: providerPath: ${answer.problem}`);
    }
  } finally {
    for (const key of temporary) vaultAdapter.forget(key);
  }
  return problems;
}
