import type { InterpretedFailure } from "../upstream/call-upstream";
import { parseRetryAfter } from "../upstream/call-upstream";
import { OUTSIDE_TEXT_MAX_CHARS } from "@/lib/validation/text";
import { isTransientNetworkFailure, networkFailure, providerError, providerTimeout, upstreamCode } from "../upstream/errors";
import { AppError } from "@/lib/errors";
import { azureKvDefinition } from "./definition";
import type { SignInKind } from "./sign-in";

/**
 * Azure SDK errors → AppError: RestError from the vault (statusCode + code such as
 * SecretNotFound), AuthenticationError from the token endpoint (error such as invalid_client),
 * CredentialUnavailableError / AggregateAuthenticationError when no credential could be found.
 */
const PROVIDER = azureKvDefinition.name;

/** OAuth errors that mean "try again later" rather than "wrong credentials". */
const UNAVAILABLE_OAUTH = new Set(["temporarily_unavailable", "server_error"]);

interface AzureErrorShape {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  errorResponse?: { error?: string };
  response?: { headers?: { get(name: string): string | undefined } };
}

/** What to check when the token endpoint refuses, for each way of signing in. */
const SIGN_IN_HINTS: Record<SignInKind, string> = {
  secret: "Check tenantId, clientId and clientSecret (client secrets expire), and authorityHost for sovereign clouds.",
  certificate:
    "Check tenantId and clientId, and that this certificate (not an older or newer one) is uploaded to the app registration and not expired; authorityHost for sovereign clouds.",
  federated:
    "Check tenantId and clientId, and that the app registration or managed identity has a federated credential whose issuer, subject and audience (usually api://AzureADTokenExchange) match the token in federatedTokenFile.",
  default: "Check the server's managed identity or environment credentials, and authorityHost for sovereign clouds.",
};

/** An AppError of ours (a refused token file) that MSAL wrapped on its way out. */
function ownError(error: unknown): AppError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AppError) return e;
  }
  return undefined;
}

export function interpretAzureError(error: unknown, name: string, signIn: SignInKind = "secret"): InterpretedFailure {
  const own = ownError(error);
  if (own) return { error: own, retryable: false };
  const e = (error ?? {}) as AzureErrorShape;
  const status = e.statusCode;
  const fail = (reason: string, extra: Record<string, unknown> = {}, retryable = false): InterpretedFailure => {
    const retryAfterMs = retryable ? parseRetryAfter(e.response?.headers?.get("retry-after")) : undefined;
    return {
      error: providerError(PROVIDER, reason, { upstreamStatus: status, ...extra }),
      retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  };

  if (e.name === "AbortError") return { error: providerTimeout(PROVIDER, 0, ""), retryable: false };
  if (e.name === "CredentialUnavailableError" && signIn !== "default") {
    // An app registration's credential is "unavailable" when MSAL cannot load the authority's
    // metadata: the host refused (by the metadata guard too) or unreachable, or an unknown tenant.
    return fail("cannot use the sign-in authority: its metadata could not be loaded for this tenant", {
      upstreamCode: e.name,
      hint: "Check authorityHost (reachable, not a metadata address) and tenantId.",
      stage: "auth",
    });
  }
  if (e.name === "CredentialUnavailableError" || e.name === "AggregateAuthenticationError") {
    return fail(
      "no credentials: set tenantId and clientId with a clientSecret, clientCertificate or federatedTokenFile, or give the server a managed identity",
      {
        upstreamCode: e.name,
        stage: "auth",
      },
    );
  }
  if (e.name === "AuthenticationError" || e.name === "AuthenticationRequiredError") {
    // MSAL reports the token endpoint's OAuth error as "invalid_client: ... AADSTS7000215: ...":
    // only the two codes are kept, never the description (it can quote request data). Not
    // retried: after a 429/5xx MSAL itself blocks new token requests for a while.
    const message = typeof e.message === "string" ? e.message.slice(0, OUTSIDE_TEXT_MAX_CHARS) : "";
    const code = upstreamCode(e.errorResponse?.error ?? /^([a-z_]{1,100}):/.exec(message)?.[1], "authentication_failed");
    const aadsts = /AADSTS(\d{4,8})/.exec(message)?.[0];
    if (UNAVAILABLE_OAUTH.has(code) || (status !== undefined && status >= 500)) {
      return fail(`the token endpoint is unavailable (${code})`, { upstreamCode: code });
    }
    return fail(`authentication failed at the token endpoint (${aadsts ? `${code}, ${aadsts}` : code})`, {
      upstreamCode: code,
      hint: SIGN_IN_HINTS[signIn],
      stage: "auth",
    });
  }
  if (status === undefined) {
    const network = networkFailure(error);
    if (network) {
      return {
        error: providerError(PROVIDER, `cannot reach the vault: ${network.reason} (${network.code})`, { upstreamCode: network.code }),
        retryable: isTransientNetworkFailure(network.code),
      };
    }
  }
  const code = upstreamCode(e.code);
  if (code === "PARSE_ERROR" || e.name === "SyntaxError") {
    return fail("malformed reply: the vault's answer was not the JSON Key Vault sends", { upstreamCode: "MalformedReply" });
  }
  const upstream = { upstreamCode: code };
  if (status === 404) return fail(`secret ${name} not found (${code})`, { ...upstream, stage: "not_found" });
  if (status === 403) {
    return fail(`access denied to secret ${name} (${code})`, {
      ...upstream,
      hint: "The identity needs the Key Vault Secrets User role (RBAC vaults) or the Get secret permission in the vault's access policy.",
      stage: "permission",
    });
  }
  if (status === 401) return fail(`the vault did not accept the token (${code})`, { ...upstream, stage: "auth" });
  if (status === 429) return fail(`throttled reading ${name} (${code})`, upstream, true);
  if (status !== undefined && status >= 500) return fail(`service error reading ${name} (${code}, HTTP ${status})`, upstream, true);
  return fail(`request for ${name} failed (${code}${status ? `, HTTP ${status}` : ""})`, upstream);
}
