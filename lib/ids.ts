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
