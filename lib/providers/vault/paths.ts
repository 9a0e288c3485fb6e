import { providerError } from "../upstream/errors";
import { vaultDefinition } from "./definition";
import { builtInMountProblem, cleanVaultPathOrNull } from "./path-syntax";

/**
 * Vault KV paths as users write them → the API path read under /v1/. KV v2 keeps values under
 * `<mount>/data/<rest>`; users usually write `<mount>/<rest>` (as `vault kv get` does), so `data/`
 * is inserted after the mount unless it is already there. KV v1 paths are read as written.
 */
export type KvVersion = "1" | "2";

export interface NormalizedVaultPath {
  apiPath: string;
  kvVersion: KvVersion;
  /** True when `data/` was inserted, so a 404 may mean "this mount is really KV v1". */
  insertedData: boolean;
}

/** upstreamCode of a path refused because its mount is not a KV engine (a 400 where a path is being chosen). */
export const NOT_KV_MOUNT = "not_kv_mount";

export function cleanVaultPath(path: string): string {
  const clean = cleanVaultPathOrNull(path);
  if (clean === null) {
    throw providerError(
      vaultDefinition.name,
      `invalid path "${path.slice(0, 200)}": write mount/path/to/secret, e.g. secret/my-app/api-key`,
    );
  }
  const builtIn = builtInMountProblem(clean);
  if (builtIn) throw providerError(vaultDefinition.name, `invalid path "${clean}": ${builtIn}`, { upstreamCode: NOT_KV_MOUNT });
  return clean;
}

/**
 * `mount` is the mount's path when known (mount detection), e.g. "team/kv"; otherwise the first
 * segment is taken as the mount, which is right for the usual single-segment mounts.
 */
export function normalizeVaultPath(path: string, kvVersion: string = "2", mount?: string): NormalizedVaultPath {
  const clean = cleanVaultPath(path);
  const mountPath = (mount ?? clean.split("/")[0]!).replace(/^\/+|\/+$/g, "");
  const rest = clean.startsWith(`${mountPath}/`) ? clean.slice(mountPath.length + 1) : "";
  // On either KV version a path names a secret under its mount, never the mount itself.
  if (!rest) {
    throw providerError(vaultDefinition.name, `invalid path "${clean}": it names the mount ${mountPath}/ but no secret under it`);
  }
  if (kvVersion === "1") return { apiPath: clean, kvVersion: "1", insertedData: false };
  if (rest.startsWith("data/")) return { apiPath: clean, kvVersion: "2", insertedData: false };
  return { apiPath: `${mountPath}/data/${rest}`, kvVersion: "2", insertedData: true };
}

/** The secret as FetchedSecret wants it: one key → its value; several → the whole map as JSON. */
export function vaultValue(fields: Record<string, unknown>): string {
  const entries = Object.values(fields);
  if (entries.length === 1) {
    const only = entries[0];
    return typeof only === "string" ? only : JSON.stringify(only);
  }
  return JSON.stringify(fields);
}
