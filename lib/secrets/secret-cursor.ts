import { isSecretPath } from "./secret-path";

/**
 * List pages are addressed by cursors that clients treat as opaque: the base64url of a
 * secretPath, meaning "the secrets after (or before) this path". A path rather than an offset keeps
 * pages stable while secrets are added or removed elsewhere in the list; a deleted path still
 * marks a place in the order.
 */
export function encodeCursor(secretPath: string): string {
  return Buffer.from(secretPath, "utf8").toString("base64url");
}

/** The path a cursor names, or null when it is not one this server could have made. */
export function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  const secretPath = Buffer.from(cursor, "base64url").toString("utf8");
  // Canonical form only: another spelling of the same bytes is not a cursor we handed out.
  if (!isSecretPath(secretPath) || encodeCursor(secretPath) !== cursor) return null;
  return secretPath;
}

export const PAGE_LIMIT_MAX = 1000;

/** `?limit=N`: a whole number from 1 to PAGE_LIMIT_MAX, written plainly (no sign, exponent or leading zero). */
export function parsePageLimit(text: string): number | null {
  if (!/^[1-9][0-9]{0,3}$/.test(text)) return null;
  const limit = Number(text);
  return limit <= PAGE_LIMIT_MAX ? limit : null;
}
