import { normalizeProviderPath } from "@/lib/secret-providers/provider-path-fence";

/**
 * What a notification names upstream, and whether a secret's providerPath (read through its
 * connection) is that secret. Matching errs towards a match: an extra match costs one re-read,
 * a missed one leaves a stale value until the cache expires.
 */
export type UpstreamName =
  /** An AWS secret name, partial ARN or full ARN. */
  | { type: "aws-sm"; id: string }
  /** A GCP secret resource name, projects/<project id or number>/secrets/<name>. */
  | { type: "gcp-sm"; resource: string }
  /** An Azure Key Vault secret: the vault's name, the object's name, and its URL when known. */
  | { type: "azure-kv"; vaultName: string; objectName: string; objectUrl?: string }
  /** A path or name as a connection's secrets spell it (the generic webhook), maybe of one connection. */
  | { type: "any"; path: string; connectionId?: string };

export interface CandidateSecret {
  providerPath: string;
  connection: { id: string; type: string; config: Record<string, string> };
}

export function namesSecret(name: UpstreamName, secret: CandidateSecret): boolean {
  const { connection } = secret;
  switch (name.type) {
    case "aws-sm":
      return connection.type === "aws-sm" && sameAwsSecret(name.id, secret.providerPath, connection.config.region);
    case "gcp-sm":
      return (
        connection.type === "gcp-sm" &&
        sameGcpSecret(name.resource, normalizeProviderPath("gcp-sm", connection.config, secret.providerPath))
      );
    case "azure-kv":
      return (
        connection.type === "azure-kv" &&
        sameAzureVault(name, connection.config.vaultUrl) &&
        secret.providerPath.trim().toLowerCase() === name.objectName.toLowerCase()
      );
    case "any": {
      if (name.connectionId !== undefined && name.connectionId !== connection.id) return false;
      if (connection.type === "aws-sm") return sameAwsSecret(name.path, secret.providerPath, connection.config.region);
      return (
        normalizeProviderPath(connection.type, connection.config, name.path) ===
        normalizeProviderPath(connection.type, connection.config, secret.providerPath)
      );
    }
  }
}

const AWS_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:(.+)$/;

/** The names an AWS secret id may stand for: a full ARN ends in -<6 random characters> that a partial one lacks. */
function awsNames(id: string): { names: string[]; region?: string } {
  const arn = AWS_ARN.exec(id.trim());
  if (!arn) return { names: [id.trim()] };
  const rest = arn[2]!;
  const withoutSuffix = rest.replace(/-[A-Za-z0-9]{6}$/, "");
  return { names: withoutSuffix === rest ? [rest] : [rest, withoutSuffix], region: arn[1] };
}

export function sameAwsSecret(notified: string, providerPath: string, connectionRegion: string | undefined): boolean {
  if (notified.trim() === providerPath.trim()) return true;
  const a = awsNames(notified);
  const b = awsNames(providerPath);
  const region = a.region ?? b.region;
  if (a.region && b.region && a.region !== b.region) return false;
  if (region && connectionRegion && region !== connectionRegion) return false;
  return a.names.some((name) => b.names.includes(name));
}

/** The part of an AWS or GCP name every spelling of it contains: the name without ARN suffix or project. */
export function shortName(name: Extract<UpstreamName, { type: "aws-sm" | "gcp-sm" }>): string {
  if (name.type === "gcp-sm") return GCP_RESOURCE.exec(name.resource)?.[2] ?? name.resource;
  const names = awsNames(name.id).names;
  return names[names.length - 1]!;
}

const GCP_RESOURCE = /^projects\/([^/]+)\/secrets\/([^/]+)$/;

/**
 * Notifications may name the project by number where the connection names it by id: a numeric
 * project then matches on the secret's name alone.
 */
export function sameGcpSecret(notified: string, normalizedPath: string): boolean {
  if (notified === normalizedPath) return true;
  const a = GCP_RESOURCE.exec(notified);
  const b = GCP_RESOURCE.exec(normalizedPath);
  if (!a || !b || a[2] !== b[2]) return false;
  return a[1] === b[1] || /^\d+$/.test(a[1]!);
}

/** The connection's vault: its host's first label is the vault's name, or its address is the object's. */
function sameAzureVault(name: { vaultName: string; objectUrl?: string }, vaultUrl: string | undefined): boolean {
  if (!vaultUrl) return false;
  let url: URL;
  try {
    url = new URL(vaultUrl);
  } catch {
    return false;
  }
  if (url.hostname.split(".")[0]!.toLowerCase() === name.vaultName.toLowerCase()) return true;
  if (!name.objectUrl) return false;
  try {
    return new URL(name.objectUrl).origin === url.origin;
  } catch {
    return false;
  }
}
