import { randomBytes } from "node:crypto";

/**
 * Row ids are made here, not by the database, because a ciphertext's associated data names its
 * row: the id must exist before the value is encrypted. 16 random bytes, URL-safe, sortable prefix
 * by creation time so lists and logs read in order.
 */
export function newId(): string {
  const time = Date.now().toString(36).padStart(9, "0");
  return `${time}${randomBytes(10).toString("base64url").replace(/[-_]/g, "x")}`;
}

/**
 * Whether a string could name a row: ours are [A-Za-z0-9_-] (a little wider than newId makes, for
 * ids from imports). Anything else names nothing, so it is a 404 or a field error at the edge and
 * never reaches a query (PostgreSQL cannot even compare text holding a null byte).
 */
export function looksLikeId(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(value);
}
