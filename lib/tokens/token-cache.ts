import { rowCache } from "@/lib/cache/row-cache";
import { db } from "@/lib/db/client";

/**
 * What authenticating a bearer token needs of its row and of its creating user, kept in memory by
 * token hash so that a request does not read the database. Revoking or creating a token sends a
 * `token` event, changing a user (role, disabled, password, deletion) a `user` event that drops every
 * token of that user; so a demotion or a disable reaches the user's tokens at once, as before. Rows
 * changed without an event (by another process on SQLite) are read again after TOKEN_CACHE_TTL_MS.
 */
export interface CachedToken {
  id: string;
  name: string;
  role: string;
  scope: string | null;
  tokenHash: string;
  revoked: boolean;
  /** Epoch ms; checked against the clock on every request. */
  expiresAt: number | null;
  issuedByUser: boolean;
  createdById: string | null;
  createdBy: { role: string; disabled: boolean } | null;
  /** Epoch ms of the last stamp, written or sent; updated in place so a minute has one stamp. */
  lastUsedAt: number | null;
}

export const TOKEN_CACHE_TTL_MS = 3_000;
const MAX_TOKENS = 10_000;

const cache = rowCache<CachedToken>("tokenCache", { maxEntries: MAX_TOKENS, ttlMs: TOKEN_CACHE_TTL_MS }, (event) => {
  if (event.kind === "token") return (t) => t.id === event.id;
  if (event.kind === "user") return (t) => t.createdById === event.id;
  return undefined;
});

/** The token with this hash, from memory or the database; null when no token has it (not kept). */
export function findTokenByHash(tokenHash: string): Promise<CachedToken | null> {
  return cache().get(tokenHash, async () => {
    const row = await db().apiToken.findUnique({
      where: { tokenHash },
      include: { createdBy: { select: { role: true, disabled: true } } },
    });
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      scope: row.scope,
      tokenHash: row.tokenHash,
      revoked: row.revokedAt !== null,
      expiresAt: row.expiresAt?.getTime() ?? null,
      issuedByUser: row.issuedByUser,
      createdById: row.createdById,
      createdBy: row.createdBy,
      lastUsedAt: row.lastUsedAt?.getTime() ?? null,
    };
  });
}
