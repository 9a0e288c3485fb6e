import { onChange } from "@/lib/change-events";
import { ShortLivedCache } from "@/lib/cache/short-lived-cache";
import { db } from "@/lib/db/client";
import { processShared } from "@/lib/process-shared";

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

// One per process (lib/process-shared.ts): both of Next's bundles share one cache and one listener.
function cache(): ShortLivedCache<SecretRow> {
  const secrets = processShared("secretLookup", () => {
    const created = new ShortLivedCache<SecretRow>({ maxEntries: MAX_SECRETS, ttlMs: SECRET_LOOKUP_TTL_MS });
    onChange((event) => {
      if (event.kind === "all") created.clear();
      else if (event.kind === "secret") created.dropWhere((s) => s.id === event.id);
      else if (event.kind === "connection") created.dropWhere((s) => s.secretProviderId === event.id);
    });
    return created;
  });
  secrets.readFrom(db());
  return secrets;
}

function readSecret(secretPath: string) {
  return db().secret.findUnique({ where: { secretPath }, include: { secretProvider: true } });
}

/** The secret at this path with its connection, or null when there is none. */
export function findSecretByPath(secretPath: string): Promise<SecretRow | null> {
  return cache().get(secretPath, () => readSecret(secretPath));
}
