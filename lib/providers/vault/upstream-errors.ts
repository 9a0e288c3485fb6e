import type { ProviderConfig } from "../definition";
import type { InterpretedFailure } from "../upstream/call-upstream";
import type { FailureStage } from "../upstream/failure-stage";
import { isTransientNetworkFailure, networkFailure, providerError, providerTimeout } from "../upstream/errors";
import { vaultDefinition } from "./definition";
import type { NormalizedVaultPath } from "./paths";
import { VaultHttpError } from "./vault-http";

const PROVIDER = vaultDefinition.name;
export const LOOKUP_SELF = "auth/token/lookup-self";
export const MOUNTS_PREFIX = "sys/internal/ui/mounts/";

/** What was being read, so hints can say what to change. */
export interface VaultReadContext {
  config: ProviderConfig;
  /** Set when reading a secret (not for lookup-self or mount detection). */
  normalized?: NormalizedVaultPath;
}

export function interpretVaultError(error: unknown, context: VaultReadContext): InterpretedFailure {
  if (error instanceof VaultHttpError) return interpretStatus(error, context);
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return { error: providerTimeout(PROVIDER, 0, ""), retryable: false };
  }
  const network = networkFailure(error);
  if (network) {
    return {
      error: providerError(PROVIDER, `cannot reach ${hostOf(context.config)}: ${network.reason} (${network.code})`, {
        upstreamCode: network.code,
      }),
      retryable: isTransientNetworkFailure(network.code),
    };
  }
  return { error: providerError(PROVIDER, `the request to ${hostOf(context.config)} failed`), retryable: false };
}

function interpretStatus(error: VaultHttpError, { config, normalized }: VaultReadContext): InterpretedFailure {
  const { status, apiPath } = error;
  const upstream = error.upstreamMessage(config);
  const detail = `HTTP ${status}${upstream ? `: ${upstream}` : ""}`;
  const fail = (reason: string, hint?: string, retryable = false, stage?: FailureStage): InterpretedFailure => ({
    error: providerError(PROVIDER, reason, { upstreamStatus: status, ...(hint ? { hint } : {}), ...(stage ? { stage } : {}) }),
    retryable,
    ...(retryable && error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  });

  if (status >= 300 && status < 400) {
    return fail(
      `redirected instead of answering for ${apiPath} (HTTP ${status})`,
      "Point vaultUrl at the active node (or the load balancer), not a standby that redirects.",
    );
  }
  if (/^auth\/.+\/login$/.test(apiPath) && (status === 400 || status === 401 || status === 403)) {
    const method = config.authMethod ?? "token";
    const what =
      method === "approle"
        ? "the role ID and secret ID"
        : `the role ${config.role ?? ""} and the token in ${config.jwtFile ?? "the service-account token file"}`;
    return fail(
      `signing in with ${method} at ${apiPath} was refused (${detail})`,
      `Check ${what}, and that the auth method is enabled at auth/${config.authMount ?? method} (set authMount if it is mounted elsewhere).`,
      false,
      "auth",
    );
  }
  if (status === 403 && apiPath === LOOKUP_SELF) {
    return fail(
      `the token was rejected (${detail})`,
      `The token may be expired or revoked${config.namespace ? `, or not valid in namespace ${config.namespace}` : ""}.`,
      false,
      "auth",
    );
  }
  if (status === 403 && apiPath.startsWith(MOUNTS_PREFIX)) {
    return fail(
      `permission denied detecting the mount of ${apiPath.slice(MOUNTS_PREFIX.length)} (${detail})`,
      `Vault is asked which engine serves a path before it is read; the token needs some capability on the secret's path for that.`,
      false,
      "permission",
    );
  }
  if (status === 403) {
    return fail(
      `permission denied reading ${apiPath} (${detail})`,
      `Check that the token is valid${config.namespace ? ` in namespace ${config.namespace}` : ""} and that its policy grants "read" on ${apiPath}.`,
      false,
      "permission",
    );
  }
  if (status === 404) {
    const metadata = (error.body as { data?: { metadata?: { version?: unknown; deletion_time?: unknown } } } | null)?.data?.metadata;
    if (metadata && (metadata.deletion_time || metadata.version !== undefined)) {
      return fail(
        `version ${String(metadata.version ?? "?")} of ${apiPath} is deleted or destroyed (HTTP 404)`,
        undefined,
        false,
        "not_found",
      );
    }
    let hint: string | undefined;
    if (normalized?.insertedData)
      hint = `The path was read as KV v2 (data/ inserted). If the mount is KV v1, set kvVersion to "1" (or "auto").`;
    if (normalized?.kvVersion === "1" && error.warnings().some((w) => /versioned K\/V/i.test(w))) {
      hint = `The mount is KV v2: set kvVersion to "2" (or "auto") so data/ is inserted.`;
    }
    return fail(`secret ${apiPath} not found (HTTP 404)`, hint, false, "not_found");
  }
  if (status === 429) return fail(`rate limited reading ${apiPath} (${detail})`, undefined, true);
  if (status >= 500)
    return fail(`server error reading ${apiPath} (${detail})`, status === 503 ? "Vault may be sealed or in standby." : undefined, true);
  return fail(`request for ${apiPath} refused (${detail})`);
}

function hostOf(config: ProviderConfig): string {
  try {
    return new URL(config.vaultUrl ?? "").host;
  } catch {
    return "the Vault server";
  }
}
