/**
 * The syntax of a GCP Secret Manager path (CONTRACT path rules), in one place for both the check
 * when a secret is saved (definition.checkPath, also run in the browser) and the expansion when it
 * is fetched (paths.ts), so that nothing is accepted on save that can never be fetched:
 *   my-secret | projects/p/secrets/my-secret | projects/p/secrets/my-secret/versions/N
 * Surrounding whitespace and slashes are forgiven.
 */
const SECRET_ID = "[A-Za-z0-9_-]{1,255}";
const PROJECT = "[A-Za-z0-9.:-]{1,100}"; // ids, numbers and domain-scoped ids (example.com:proj)
const VERSION = "(?:latest|[1-9][0-9]{0,18}|[A-Za-z][A-Za-z0-9_-]{0,62})"; // a number, latest, or an alias

export const GCP_SHORT_PATH = new RegExp(`^${SECRET_ID}$`);
export const GCP_SECRET_PATH = new RegExp(`^projects/${PROJECT}/secrets/${SECRET_ID}$`);
export const GCP_FULL_PATH = new RegExp(`^projects/${PROJECT}/secrets/${SECRET_ID}/versions/${VERSION}$`);
export const GCP_VERSION = new RegExp(`^${VERSION}$`);

export function cleanGcpPath(path: string): string {
  return path.trim().replace(/^\/+|\/+$/g, "");
}

export function isGcpPath(path: string): boolean {
  const clean = cleanGcpPath(path);
  return GCP_SHORT_PATH.test(clean) || GCP_SECRET_PATH.test(clean) || GCP_FULL_PATH.test(clean);
}
