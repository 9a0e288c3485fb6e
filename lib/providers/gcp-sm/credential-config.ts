import { TOKEN_FILE_PATTERN } from "../definition";
import { checkProviderUrl, type UrlRuleOptions } from "../url-rules";

/**
 * What `serviceAccountJson` may hold: a service-account key, or a Workload Identity Federation
 * credential configuration (`"type": "external_account"`, as `gcloud iam workload-identity-pools
 * create-cred-config` writes it). Pure, so the form runs the same checks as the server.
 *
 * Of the external account's subject-token sources only `credential_source.file` is taken, and the
 * file is read through the token-file allowlist (PROVENANCE_TOKEN_FILE_DIRS). `url`, `executable`
 * and `environment_id` (AWS) are refused: they would have the server fetch addresses or run
 * programs that whoever edits a connection chooses. `token_url` and
 * `service_account_impersonation_url` are where credentials go, so they follow the provider URL
 * rules (https, no metadata address); changing them means entering the whole (sensitive) JSON again.
 */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const JWT_TOKEN_TYPES = ["urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token"];

export interface ServiceAccountKey {
  kind: "service_account";
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
}

export interface ExternalAccount {
  kind: "external_account";
  audience: string;
  subjectTokenType: string;
  tokenUrl: string;
  /** The file holding the subject token (an OIDC ID token), read at every exchange. */
  tokenFile: string;
  /** IAM Credentials generateAccessToken URL of the service account to act as, if any. */
  impersonationUrl?: string;
}

export type GcpCredentialConfig = ServiceAccountKey | ExternalAccount;

type Parsed = { config: GcpCredentialConfig; problem?: undefined } | { config?: undefined; problem: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function serviceAccountKey(key: Record<string, unknown>): Parsed {
  if (typeof key.client_email !== "string" || key.client_email === "") return { problem: "Service account JSON must contain client_email" };
  if (typeof key.private_key !== "string" || !key.private_key.includes("PRIVATE KEY")) {
    return { problem: "Service account JSON must contain a private_key" };
  }
  const privateKeyId = typeof key.private_key_id === "string" && key.private_key_id !== "" ? key.private_key_id : undefined;
  return {
    config: {
      kind: "service_account",
      clientEmail: key.client_email,
      privateKey: key.private_key,
      ...(privateKeyId ? { privateKeyId } : {}),
    },
  };
}

const REFUSED_SOURCES: Record<string, string> = {
  url: "credential_source.url is not supported: Provenance does not fetch subject tokens from URLs. Mount the token as a file and use credential_source.file",
  executable:
    "credential_source.executable is not supported: Provenance does not run programs named in a connection. Write the token to a file and use credential_source.file",
  environment_id:
    "AWS credential sources (credential_source.environment_id) are not supported: use an OIDC token file (credential_source.file)",
  certificate:
    "X.509 credential sources (credential_source.certificate) are not supported: use an OIDC token file (credential_source.file)",
};

function externalAccount(config: Record<string, unknown>, opts: UrlRuleOptions): Parsed {
  const source = config.credential_source;
  if (!isObject(source)) return { problem: "External account configuration must contain a credential_source with a file" };
  for (const [key, problem] of Object.entries(REFUSED_SOURCES)) if (source[key] !== undefined) return { problem };
  if (typeof source.file !== "string" || !TOKEN_FILE_PATTERN.test(source.file)) {
    return { problem: "credential_source.file must be an absolute file path, e.g. /var/run/secrets/tokens/gcp-token" };
  }
  const format = source.format;
  if (format !== undefined && (!isObject(format) || (format.type !== undefined && format.type !== "text"))) {
    return { problem: 'credential_source.format must be {"type": "text"}: the file must hold the token itself' };
  }
  if (typeof config.audience !== "string" || config.audience.trim() === "") {
    return { problem: "External account configuration must contain an audience (the workload identity pool provider)" };
  }
  if (typeof config.subject_token_type !== "string" || !JWT_TOKEN_TYPES.includes(config.subject_token_type)) {
    return { problem: `subject_token_type must be one of ${JWT_TOKEN_TYPES.join(", ")} (an OIDC token)` };
  }
  if (typeof config.token_url !== "string") return { problem: "External account configuration must contain a token_url" };
  const tokenUrlProblem = checkProviderUrl(config.token_url, opts);
  if (tokenUrlProblem) return { problem: `token_url: ${tokenUrlProblem}` };
  const impersonation = config.service_account_impersonation_url;
  if (impersonation !== undefined) {
    if (typeof impersonation !== "string") return { problem: "service_account_impersonation_url must be a URL" };
    const problem = checkProviderUrl(impersonation, opts);
    if (problem) return { problem: `service_account_impersonation_url: ${problem}` };
  }
  return {
    config: {
      kind: "external_account",
      audience: config.audience,
      subjectTokenType: config.subject_token_type,
      tokenUrl: config.token_url,
      tokenFile: source.file,
      ...(typeof impersonation === "string" ? { impersonationUrl: impersonation } : {}),
    },
  };
}

/** Reads an already-parsed serviceAccountJson value: the credential configuration, or what is wrong with it. */
export function readCredentialConfig(parsed: unknown, opts: UrlRuleOptions): Parsed {
  if (!isObject(parsed)) return { problem: "Must be a service account key or an external account configuration (a JSON object)" };
  if (parsed.type === "external_account") return externalAccount(parsed, opts);
  if (parsed.type !== undefined && parsed.type !== "service_account") {
    return { problem: 'Service account JSON must have "type": "service_account" or "external_account"' };
  }
  return serviceAccountKey(parsed);
}

/** The check the field definition runs: an error message or null. */
export function checkCredentialConfig(parsed: unknown, opts: UrlRuleOptions): string | null {
  return readCredentialConfig(parsed, opts).problem ?? null;
}

/** For cross-field rules: whether the stored text is an external account that impersonates by itself. */
export function impersonatesByItself(serviceAccountJson: string | undefined): boolean {
  if (!serviceAccountJson) return false;
  try {
    const parsed = JSON.parse(serviceAccountJson) as unknown;
    return isObject(parsed) && parsed.type === "external_account" && parsed.service_account_impersonation_url !== undefined;
  } catch {
    return false;
  }
}

/** A service account's email: name@project.iam.gserviceaccount.com (and Google's own default accounts). */
export const SERVICE_ACCOUNT_EMAIL = /^[a-z0-9][a-z0-9._-]{0,99}@[a-z0-9][a-z0-9.-]{0,99}\.gserviceaccount\.com$/;

/**
 * What a pasted or uploaded serviceAccountJson is, in words without any secret part: the service
 * account a key belongs to (client_email is an identifier), or that it is a federation config.
 * Null when it is neither.
 */
export function describeCredentialText(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const read = readCredentialConfig(parsed, { allowInsecure: true });
  if (read.config?.kind === "service_account") return `service account ${read.config.clientEmail}`;
  if (read.config?.kind === "external_account") return "workload identity federation configuration";
  return null;
}
