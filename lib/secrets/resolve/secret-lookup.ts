import { rowCache } from "@/lib/cache/row-cache";
import { db } from "@/lib/db/client";

/**
 * The secret row (with its connection) a resolve reads, kept in memory by secret path so that a
 * resolve does not ask the database each time. Values stay encrypted here, as stored. Kept current
 * by change events: `secret` (an edit, a rename, a delete) drops that secret, `connection` (config,
 * fence, credentials) every secret of that connection; creating a secret needs nothing, since
 * unknown paths are not kept. Writes nobody announces (another process on SQLite) show after
 * SECRET_LOOKUP_TTL_MS.
 */
export type SecretRow = NonNullable<Awaited<ReturnType<typeof readSecret>>>;

export const SECRET_LOOKUP_TTL_MS = 3_000;
const MAX_SECRETS = 10_000;

const cache = rowCache<SecretRow>("secretLookup", { maxEntries: MAX_SECRETS, ttlMs: SECRET_LOOKUP_TTL_MS }, (event) => {
  if (event.kind === "secret") return (s) => s.id === event.id;
  if (event.kind === "connection") return (s) => s.secretProviderId === event.id;
  return undefined;
});

function readSecret(secretPath: string) {
  return db().secret.findUnique({ where: { secretPath }, include: { secretProvider: true } });
}

/** The secret at this path with its connection, or null when there is none. */
export function findSecretByPath(secretPath: string): Promise<SecretRow | null> {
  return cache().get(secretPath, () => readSecret(secretPath));
}

/** Paths read in one query at most (well under SQLite's limit on bound parameters). */
const PATHS_PER_QUERY = 500;

/**
 * The secrets at these paths, with one query for all those not in memory (a batch resolve's
 * paths), kept like findSecretByPath's rows; so the batch's own lookups then find them here.
 */
export async function findSecretsByPaths(secretPaths: string[]): Promise<Map<string, SecretRow | null>> {
  return cache().getMany(secretPaths, async (missing) => {
    const rows = new Map<string, SecretRow>();
    for (let i = 0; i < missing.length; i += PATHS_PER_QUERY) {
      const found = await db().secret.findMany({
        where: { secretPath: { in: missing.slice(i, i + PATHS_PER_QUERY) } },
        include: { secretProvider: true },
      });
      for (const row of found) rows.set(row.secretPath, row);
    }
    return rows;
  });
}
