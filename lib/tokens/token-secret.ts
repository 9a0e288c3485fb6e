import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API tokens are 32 random bytes behind a recognisable prefix (so secret scanners and people
 * can tell what leaked). Only a SHA-256 hash is stored: the token has full entropy, so a slow
 * hash would add latency to every API call without adding safety.
 */
export const TOKEN_PREFIX = "pvn_";

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Whether a presented token matches a stored hash, compared in constant time. The database finds
 * the row by the digest (which reveals nothing about the token: timing can at most leak bits of a
 * SHA-256 the attacker chose), and this check makes the final comparison independent of where the
 * first differing byte is, whatever index or collation answered the lookup.
 */
export function tokenMatchesHash(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** What lists show of a token: enough to recognise it, useless to an attacker. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

export function looksLikeToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && value.length >= TOKEN_PREFIX.length + 40 && value.length <= 100;
}
