import "server-only";
import { db } from "@/lib/db/client";
import { fencedConnection } from "@/lib/secret-providers/provider-path-fence";
import { PROVENANCE_PROVIDER } from "@/lib/secrets/secret-schemas";
import { namesSecret, shortName, type UpstreamName } from "./upstream-name";

/**
 * The external secrets a notification's upstream names refer to, across every connection of the
 * right type. Candidates are narrowed in the database by type (and connection, when named) and
 * compared in memory by upstream-name.ts, which knows each manager's spellings.
 */
const MAX_MATCHES = 1000;

export interface MatchedSecret {
  id: string;
  secretPath: string;
}

export async function secretsNamed(names: UpstreamName[]): Promise<MatchedSecret[]> {
  const found = new Map<string, MatchedSecret>();
  for (const name of names) {
    const rows = await db().secret.findMany({
      where: {
        provider: name.type === "any" ? { not: PROVENANCE_PROVIDER } : name.type,
        ...(name.type === "any" && name.connectionId !== undefined ? { secretProviderId: name.connectionId } : {}),
        providerPath: pathContaining(name) === undefined ? { not: null } : { contains: pathContaining(name) },
      },
      select: {
        id: true,
        secretPath: true,
        providerPath: true,
        secretProvider: { select: { id: true, type: true, config: true, allowedProviderPaths: true } },
      },
      orderBy: { secretPath: "asc" },
    });
    for (const row of rows) {
      if (!row.secretProvider || !row.providerPath || found.has(row.id)) continue;
      const connection = { id: row.secretProvider.id, ...fencedConnection(row.secretProvider) };
      if (namesSecret(name, { providerPath: row.providerPath, connection })) found.set(row.id, { id: row.id, secretPath: row.secretPath });
      if (found.size >= MAX_MATCHES) return [...found.values()];
    }
  }
  return [...found.values()];
}

/** Text every spelling of the name contains (AWS and GCP secret names), so the database narrows first. */
function pathContaining(name: UpstreamName): string | undefined {
  return name.type === "aws-sm" || name.type === "gcp-sm" ? shortName(name) : undefined;
}
