import type { Actor } from "@/lib/auth/actor";
import { isRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { hashToken, looksLikeToken, tokenMatchesHash } from "./token-secret";

/** Last-used times are written at most this often per token, so reads don't turn into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Looks a bearer token up by its hash. The lookup is by an unguessable digest, so timing reveals
 * nothing about stored tokens. Returns null for unknown, revoked or expired tokens, and for
 * tokens whose creator has been disabled.
 */
export async function authenticateToken(token: string, sourceIp: string | null): Promise<Actor | null> {
  if (!looksLikeToken(token)) return null;
  const record = await db().apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { createdBy: { select: { disabled: true } } },
  });
  if (!record || !tokenMatchesHash(token, record.tokenHash) || record.revokedAt || !isRole(record.role)) return null;
  const now = Date.now();
  if (record.expiresAt && record.expiresAt.getTime() <= now) return null;
  if (record.createdBy?.disabled) return null;

  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db()
      .apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } })
      .catch(() => undefined); // A missed last-used stamp must never fail the request itself.
  }
  return {
    kind: "token",
    id: record.id,
    label: record.name,
    role: record.role,
    scope: record.scope,
    userId: record.createdById,
    sourceIp,
  };
}
