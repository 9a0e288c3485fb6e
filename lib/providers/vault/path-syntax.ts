/**
 * The syntax of a Vault KV path, in one place for both the check when a secret is saved
 * (definition.checkPath, also run in the browser) and the request when it is fetched (paths.ts),
 * so that nothing is accepted on save that can never be fetched.
 * Only what a Vault path may hold (spaces included, as in key names); no blank, "." or ".."
 * segments that would re-route the request. Each segment is URL-encoded when sent. Surrounding
 * whitespace and slashes are forgiven.
 */
const SEGMENTS = /^[A-Za-z0-9_.@:+=,~ -]+(\/[A-Za-z0-9_.@:+=,~ -]+)*$/;

/** The path without surrounding whitespace and slashes, or null when it is not a Vault path. */
export function cleanVaultPathOrNull(path: string): string | null {
  const clean = path.trim().replace(/^\/+|\/+$/g, "");
  if (!clean || !SEGMENTS.test(clean)) return null;
  if (clean.split("/").some((s) => s.trim() === "" || s === "." || s === "..")) return null;
  return clean;
}

/** A mount and at least one segment under it: what a secret's providerPath must name. */
export function isVaultSecretPath(path: string): boolean {
  const clean = cleanVaultPathOrNull(path);
  return clean !== null && clean.includes("/");
}
