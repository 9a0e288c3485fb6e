import "server-only";
import { processShared } from "@/lib/process-shared";
import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { SecretClient } from "@azure/keyvault-secrets";
import type { AdapterContext, FetchedSecret, FetchSecretRequest, ProviderAdapter } from "../adapter";
import type { ProviderConfig } from "../definition";
import { callUpstream } from "../upstream/call-upstream";
import { ConnectionCache } from "../upstream/connection-cache";
import { CHECK_SECRET, CHECKING_CONNECTION, crossOriginRedirect, fetchingPath, providerError } from "../upstream/errors";
import { guardedAgent } from "../upstream/guarded-lookup";
import { loadSdk } from "../upstream/load-sdk";
import { declaredLength, MAX_REPLY_BYTES, readCapped, replyCap, replyTooLarge } from "../upstream/reply-size";
import { azureKvDefinition } from "./definition";
import { signInCredential, signInKind } from "./sign-in";
import { interpretAzureError } from "./upstream-errors";

const PROVIDER = azureKvDefinition.name;
const clients = processShared("azure-kv.clients", () => new ConnectionCache<SecretClient>());

/** Key Vault's own domains (public and sovereign clouds). Only for these is the challenge's resource checked. */
const KEY_VAULT_DOMAINS = [
  "vault.azure.net",
  "vault.azure.cn",
  "vault.usgovcloudapi.net",
  "vault.microsoftazure.de",
  "managedhsm.azure.net",
];

/** Private-link domains → the cloud whose Key Vault scope their tokens are for. */
const PRIVATE_LINK_DOMAINS: Record<string, string> = {
  "vaultcore.azure.net": "vault.azure.net",
  "vaultcore.azure.cn": "vault.azure.cn",
  "vaultcore.usgovcloudapi.net": "vault.usgovcloudapi.net",
};

function domainOf(hostname: string, domains: readonly string[]): string | undefined {
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  return domains.find((domain) => host === domain || host.endsWith(`.${domain}`));
}

export function isKnownKeyVaultHost(hostname: string): boolean {
  return domainOf(hostname, KEY_VAULT_DOMAINS) !== undefined;
}

/**
 * The scope Key Vault tokens are asked for: the cloud of the configured vaultUrl (public Azure for
 * private endpoints and emulators), never what a server's 401 challenge names. A host that answers
 * with a challenge for its own resource would otherwise receive a token minted for it, or for any
 * other Azure API it named (Graph, Resource Manager), issued to the connection's identity.
 */
export function keyVaultScope(vaultUrl: string): string {
  const hostname = new URL(vaultUrl).hostname;
  const privateLink = domainOf(hostname, Object.keys(PRIVATE_LINK_DOMAINS));
  const domain =
    domainOf(hostname, KEY_VAULT_DOMAINS) ?? (privateLink ? PRIVATE_LINK_DOMAINS[privateLink] : undefined) ?? "vault.azure.net";
  return `https://${domain}/.default`;
}

/**
 * The SDK's challenge policy asks for whatever scope and tenant the 401 names; this credential
 * ignores both and asks for the fixed scope, in the configured tenant.
 */
function withFixedScope(credential: TokenCredential, scope: string): TokenCredential {
  return { getToken: (_scopes, options) => credential.getToken(scope, { ...options, tenantId: undefined }) };
}

/** Every status streams, so our client reads the body itself, under the cap. */
const STREAM_EVERY_STATUS = new Set([Number.POSITIVE_INFINITY]);

/**
 * A policy next to the transport (perRetry policies sit after signing, so it sees every single
 * HTTP exchange): each reply is read as it streams in and cut off past MAX_REPLY_BYTES, before
 * the SDK would buffer and parse it; a redirect to another host gets a clear error. The SDK
 * follows redirects only within the same origin; a cross-origin one would otherwise surface as
 * an unreadable reply.
 */
const guardReplies: PipelinePolicy = {
  name: "provenanceReplyGuard",
  async sendRequest(request, next) {
    request.streamResponseStatusCodes = STREAM_EVERY_STATUS;
    const response = await next(request);
    const redirected =
      response.status >= 300 && response.status < 400
        ? crossOriginRedirect(PROVIDER, response.status, request.url, response.headers.get("location"))
        : null;
    if (redirected) {
      response.readableStreamBody?.resume();
      throw redirected;
    }
    const stream = response.readableStreamBody;
    if (stream) {
      const cap = replyCap(response.status);
      const bytes = await readCapped(stream, declaredLength(response.headers.get("content-length")), cap);
      if (bytes === null && cap === MAX_REPLY_BYTES)
        throw replyTooLarge(PROVIDER, `from ${new URL(request.url).host}`, { upstreamStatus: response.status });
      // An oversized error reply is dropped unread: the SDK then reports its status alone.
      response.bodyAsText = bytes === null ? "" : bytes.toString("utf8");
      response.readableStreamBody = undefined;
    }
    return response;
  },
};

function clientFor(context: AdapterContext): Promise<SecretClient> {
  return clients.get(context.connectionKey, async () => {
    const [secrets, identity] = await Promise.all([
      loadSdk(azureKvDefinition, () => import("@azure/keyvault-secrets")),
      loadSdk(azureKvDefinition, () => import("@azure/identity")),
    ]);
    const config: ProviderConfig = context.config;
    const url = new URL(config.vaultUrl ?? "");
    // One attempt per call inside the SDK: callUpstream retries and owns the deadline.
    const retryOptions = { maxRetries: 0 };
    const signIn = signInCredential(identity, context);
    const credential = withFixedScope(signIn, keyVaultScope(url.toString()));
    return new secrets.SecretClient(url.toString(), credential, {
      agent: guardedAgent(url.protocol === "http:" ? "http:" : "https:", context.resolveHost),
      additionalPolicies: [{ policy: guardReplies, position: "perRetry" }],
      allowInsecureConnection: url.protocol === "http:",
      // Private endpoints and emulators answer the auth challenge for vault.azure.net from
      // another host name; for real vault domains the SDK's check stays on. Either way the
      // token's scope is fixed (withFixedScope), so a challenge cannot choose it.
      disableChallengeResourceVerification: !isKnownKeyVaultHost(url.hostname),
      retryOptions,
    });
  });
}

const NAME_RULE = /^[0-9a-zA-Z-]{1,127}$/;

function checkName(name: string, version: string | undefined): void {
  if (!NAME_RULE.test(name)) {
    throw providerError(
      PROVIDER,
      `invalid secret name "${name.slice(0, 130)}": Key Vault names are 1-127 letters, digits and dashes (the name, not the URL)`,
    );
  }
  if (version !== undefined && !/^[0-9a-zA-Z]{1,64}$/.test(version)) {
    throw providerError(PROVIDER, `invalid version "${version.slice(0, 70)}": Key Vault versions are 32 letters and digits`);
  }
}

/** `label`: how messages name the secret (the name itself unless it is the check's made-up one). */
async function getSecret(context: AdapterContext, name: string, version: string | undefined, doing: string, label = name) {
  // Loading the SDKs and making the client is local work, done before the upstream budget starts.
  const client = await clientFor(context);
  return callUpstream({
    provider: PROVIDER,
    doing,
    timeoutMs: context.timeoutMs,
    connectionKey: context.connectionKey,
    maxAttempts: context.maxAttempts,
    run: async ({ signal }) => client.getSecret(name, { ...(version ? { version } : {}), abortSignal: signal }),
    interpret: (error) => interpretAzureError(error, label, signInKind(context.config)),
  });
}

export const azureKvAdapter: ProviderAdapter = {
  async fetchSecret(request: FetchSecretRequest): Promise<FetchedSecret> {
    checkName(request.path, request.version);
    const secret = await getSecret(request, request.path, request.version, fetchingPath(request.path));
    if (typeof secret.value !== "string") throw providerError(PROVIDER, `malformed reply for ${request.path}: no value in it`);
    return { value: secret.value, version: secret.properties.version ?? null };
  },

  /**
   * Key Vault has no call for the current version without the value (listing versions needs the
   * List permission and pages through every version), so the check reads the secret, as a resolve
   * does, and hands the value on with its version. A pinned version never changes.
   */
  async currentVersion(request: FetchSecretRequest) {
    if (request.version) return null;
    const fetched = await azureKvAdapter.fetchSecret(request);
    return { version: fetched.version, fetched };
  },

  /**
   * Reads a secret that cannot exist: the token must be issued and accepted before Key Vault
   * looks the name up, so SecretNotFound proves reachability and credentials. A 403 fails the
   * check, unlike AWS: Key Vault permissions are usually vault-wide, so 403 here means no secret
   * will be readable. Listing secrets was not chosen: read-only identities often lack "List".
   */
  async checkConnection(context: AdapterContext): Promise<void> {
    const probe = `provenance-connection-check-${randomUUID()}`;
    try {
      await getSecret(context, probe, undefined, CHECKING_CONNECTION, CHECK_SECRET);
    } catch (error) {
      const extra = (error as { extra?: Record<string, unknown> }).extra ?? {};
      if (extra.upstreamCode === "SecretNotFound") return;
      if (extra.upstreamStatus === 403) {
        throw providerError(
          PROVIDER,
          `signed in, but the identity may not read secrets in this vault (${String(extra.upstreamCode)})`,
          extra,
        );
      }
      throw error;
    }
  },

  forget(connectionId: string): void {
    clients.forget(connectionId);
  },
};
