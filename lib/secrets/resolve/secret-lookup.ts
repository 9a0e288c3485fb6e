import { onChange } from "@/lib/change-events";
import { ShortLivedCache } from "@/lib/cache/short-lived-cache";
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

// On globalThis under a registered symbol: Next loads lib modules once per bundle (instrumentation
// and route handlers), and both must share one cache and one change listener.
const KEY = Symbol.for("provenance.secretLookup");
const globalForSecrets = globalThis as typeof globalThis & { [KEY]?: ShortLivedCache<SecretRow> };

function cache(): ShortLivedCache<SecretRow> {
  let created = globalForSecrets[KEY];
  if (!created) {
    const secrets = new ShortLivedCache<SecretRow>({ maxEntries: MAX_SECRETS, ttlMs: SECRET_LOOKUP_TTL_MS });
    onChange((event) => {
      if (event.kind === "all") secrets.clear();
      else if (event.kind === "secret") secrets.dropWhere((s) => s.id === event.id);
      else if (event.kind === "connection") secrets.dropWhere((s) => s.secretProviderId === event.id);
    });
    created = globalForSecrets[KEY] = secrets;
  }
  created.readFrom(db());
  return created;
}

function readSecret(secretPath: string) {
  return db().secret.findUnique({ where: { secretPath }, include: { secretProvider: true } });
}

/** The secret at this path with its connection, or null when there is none. */
export function findSecretByPath(secretPath: string): Promise<SecretRow | null> {
  return cache().get(secretPath, () => readSecret(secretPath));
}
