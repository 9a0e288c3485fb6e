import { providerError } from "../upstream/errors";
import { gcpSmDefinition } from "./definition";

/**
 * A secret's providerPath → the full version name AccessSecretVersion takes (CONTRACT path rules):
 *   my-secret                        → projects/{projectId}/secrets/my-secret/versions/{version|latest}
 *   projects/p/secrets/s             → projects/p/secrets/s/versions/{version|latest}
 *   projects/p/secrets/s/versions/N  → as written (the path's own version wins over providerConfig.version)
 */
const SECRET_ID = "[A-Za-z0-9_-]{1,255}";
const PROJECT = "[A-Za-z0-9.:-]{1,100}"; // ids, numbers and domain-scoped ids (example.com:proj)
const VERSION = "(?:latest|[1-9][0-9]{0,18}|[A-Za-z][A-Za-z0-9_-]{0,62})"; // a number, latest, or an alias

const SHORT = new RegExp(`^${SECRET_ID}$`);
const SECRET = new RegExp(`^projects/${PROJECT}/secrets/${SECRET_ID}$`);
const FULL = new RegExp(`^projects/${PROJECT}/secrets/${SECRET_ID}/versions/${VERSION}$`);
const VERSION_ONLY = new RegExp(`^${VERSION}$`);

export function expandGcpPath(path: string, projectId: string, version?: string): string {
  const clean = path.trim().replace(/^\/+|\/+$/g, "");
  if (FULL.test(clean)) return clean;
  const wanted = version ?? "latest";
  if (!VERSION_ONLY.test(wanted)) {
    throw providerError(gcpSmDefinition.name, `invalid version "${wanted.slice(0, 70)}": use a version number, an alias or latest`);
  }
  if (SHORT.test(clean)) return `projects/${projectId}/secrets/${clean}/versions/${wanted}`;
  if (SECRET.test(clean)) return `${clean}/versions/${wanted}`;
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
