import { AppError } from "@/lib/errors";

/**
 * Optimistic concurrency over HTTP: responses carry `ETag: "v<version>"`, and a write sent with
 * `If-Match` only applies to that version (412 otherwise). Without If-Match the write still
 * never overwrites a concurrent one it did not read: lib/ updates conditionally on the version.
 */
export function etagFor(version: number): string {
  return `"v${version}"`;
}

export function expectedVersion(headers: Headers): number | undefined {
  const header = headers.get("if-match");
  if (header === null || header.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"v(\d{1,10})"\s*$/.exec(header);
  if (!match) throw new AppError("precondition_failed", 'If-Match must be an ETag from a previous response, e.g. "v3".');
  return Number(match[1]);
}
