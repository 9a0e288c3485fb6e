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

/**
 * Vault's built-in mounts that are never KV engines: reading under them returns the connection's
 * own token (auth/token/lookup-self), other tokens' data, or the server's configuration. Refused
 * by their first segment, in any case, before anything is sent; every other mount is asked about
 * (sys/internal/ui/mounts) when read, and refused unless Vault reports a KV engine.
 */
const BUILT_IN_NON_KV_MOUNTS = ["auth", "sys", "identity", "cubbyhole"];

/** Why a clean path cannot be a KV secret, or null when its first segment is no built-in engine. */
export function builtInMountProblem(clean: string): string | null {
  const first = clean.split("/")[0]!.toLowerCase();
  return BUILT_IN_NON_KV_MOUNTS.includes(first) ? `${first}/ is not a KV secrets engine; Vault connections read KV secrets only` : null;
}
