import { providerError } from "../upstream/errors";
import { gcpSmDefinition } from "./definition";
import { cleanGcpPath, GCP_FULL_PATH, GCP_SECRET_PATH, GCP_SHORT_PATH, GCP_VERSION } from "./path-syntax";

/**
 * A secret's providerPath → the full version name AccessSecretVersion takes (CONTRACT path rules):
 *   my-secret                        → projects/{projectId}/secrets/my-secret/versions/{version|latest}
 *   projects/p/secrets/s             → projects/p/secrets/s/versions/{version|latest}
 *   projects/p/secrets/s/versions/N  → as written (the path's own version wins over providerConfig.version)
 */
export function expandGcpPath(path: string, projectId: string, version?: string): string {
  const clean = cleanGcpPath(path);
  if (GCP_FULL_PATH.test(clean)) return clean;
  const wanted = version ?? "latest";
  if (!GCP_VERSION.test(wanted)) {
    throw providerError(gcpSmDefinition.name, `invalid version "${wanted.slice(0, 70)}": use a version number, an alias or latest`);
  }
  if (GCP_SHORT_PATH.test(clean)) return `projects/${projectId}/secrets/${clean}/versions/${wanted}`;
  if (GCP_SECRET_PATH.test(clean)) return `${clean}/versions/${wanted}`;
  throw providerError(
    gcpSmDefinition.name,
    `invalid path "${clean.slice(0, 200)}": write my-secret, projects/p/secrets/my-secret or projects/p/secrets/my-secret/versions/N`,
  );
}

/** "projects/123/secrets/s/versions/7" → "7". */
export function versionOf(name: string | null | undefined): string | null {
  const match = /\/versions\/([^/]+)$/.exec(name ?? "");
  return match ? match[1]! : null;
}
