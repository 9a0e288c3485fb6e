import type { Actor } from "@/lib/auth/actor";
import { isRole, type Role } from "@/lib/auth/roles";
import { roleOnBehalfOf } from "@/lib/auth/user-actor";
import { db } from "@/lib/db/client";
import { findTokenByHash, type CachedToken } from "./token-cache";
import { hashToken, looksLikeToken, tokenMatchesHash } from "./token-secret";

/** Last-used times are written at most this often per token, so reads don't turn into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Looks a bearer token up by its hash (in memory, see token-cache.ts). The lookup is by an
 * unguessable digest, so timing reveals nothing about stored tokens. Returns null for unknown,
 * revoked or expired tokens, and for tokens whose user has been disabled or deleted.
 */
export async function authenticateToken(token: string, sourceIp: string | null): Promise<Actor | null> {
  if (!looksLikeToken(token)) return null;
  const record = await findTokenByHash(hashToken(token));
  if (!record || !tokenMatchesHash(token, record.tokenHash) || record.revoked || !isRole(record.role)) return null;
  const now = Date.now();
  if (record.expiresAt !== null && record.expiresAt <= now) return null;
  const role = tokenRole(record.role, record.issuedByUser, record.createdBy);
  if (role === null) return null;

  stampLastUsed(record, now);
  return {
    kind: "token",
    id: record.id,
    label: record.name,
    role,
    scope: record.scope,
    userId: record.createdById,
    sourceIp,
  };
}

/**
 * Records when the token was last used, at most once a minute per token, off the request's path:
 * the request never waits for the write, and a missed stamp never fails it.
 */
function stampLastUsed(record: CachedToken, now: number): void {
  if (record.lastUsedAt !== null && now - record.lastUsedAt <= LAST_USED_RESOLUTION_MS) return;
  record.lastUsedAt = now; // before the write, so that concurrent requests do not each send one
  void db()
    .apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } })
    .catch(() => undefined);
}

/**
 * The role a token acts with now: the lower of its own and its user's current role (so demoting a
 * user demotes every token the user made), none once that user is disabled or deleted. A CLI-made
 * token has no user and acts with its own role.
 */
function tokenRole(own: Role, issuedByUser: boolean, user: { role: string; disabled: boolean } | null): Role | null {
  if (user) return roleOnBehalfOf(user, own);
  return issuedByUser ? null : own;
}
