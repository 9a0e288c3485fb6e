import "server-only";
import { processShared } from "@/lib/process-shared";
import { randomUUID } from "node:crypto";
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import type { AdapterContext, FetchedSecret, FetchSecretRequest, ProviderAdapter } from "../adapter";
import type { ProviderConfig } from "../definition";
import { callUpstream, type InterpretedFailure } from "../upstream/call-upstream";
import { ConnectionCache } from "../upstream/connection-cache";
import { CHECK_SECRET, CHECKING_CONNECTION, fetchingPath, providerError } from "../upstream/errors";
import { MetadataAddressError, resolveAllowed, type ResolveHost } from "../upstream/guarded-lookup";
import { loadSdk, requireSdkDependency } from "../upstream/load-sdk";
import { MAX_REPLY_BYTES, replyTooLarge } from "../upstream/reply-size";
import { parseGrpcEndpoint } from "../url-rules";
import { accessTokenFor, credentialConfigOf, dropAccessToken, forgetAccessTokens, usesTokenExchange } from "./access-token";
import { crc32c } from "./crc32c";
import { gcpSmDefinition } from "./definition";
import { expandGcpPath, versionOf } from "./paths";
import { TokenCallError } from "./token-http";
import { interpretGcpError } from "./upstream-errors";

export { expandGcpPath } from "./paths";

const PROVIDER = gcpSmDefinition.name;
const SDK = "@google-cloud/secret-manager";
const clients = processShared("gcp-sm.clients", () => new ConnectionCache<GcpClient>(({ client }) => void client.close().catch(() => {})));

/**
 * A client built for a connection, with the place its keyless access token is put before each
 * call (null when the SDK makes its own from a key or the default credentials).
 */
interface GcpClient {
  client: SecretManagerServiceClient;
  bearer: { token: string } | null;
}

/**
 * A service-account key goes to the SDK, which signs its own JWTs with it (no token endpoint
 * call). An external account or impersonation gets an auth client that hands over the token
 * access-token.ts obtained inside the call's deadline.
 */
function authOptions(config: ProviderConfig): { options: object; bearer: GcpClient["bearer"] } {
  if (usesTokenExchange(config)) {
    const bearer = { token: "" };
    const authClient = {
      universeDomain: "googleapis.com",
      getRequestHeaders: async () => new Headers({ authorization: `Bearer ${bearer.token}` }),
    };
    return { options: { authClient }, bearer };
  }
  const key = credentialConfigOf(config);
  if (key?.kind !== "service_account") return { options: {}, bearer: null };
  // Only these two: the SDK signs its own JWTs with them.
  return { options: { credentials: { client_email: key.clientEmail, private_key: key.privateKey } }, bearer: null };
}

function clientFor(context: AdapterContext): Promise<GcpClient> {
  return clients.get(context.connectionKey, async () => {
    const sdk = await loadSdk(gcpSmDefinition, () => import("@google-cloud/secret-manager"));
    const config = context.config;
    const endpoint = config.apiEndpoint ? parseGrpcEndpoint(config.apiEndpoint) : null;
    if (config.apiEndpoint && !endpoint) throw providerError(PROVIDER, "apiEndpoint must be host[:port]");
    let sslCreds: unknown;
    if (endpoint?.insecure) {
      // Plain-text gRPC (emulators; the config rules allow it only when the operator opted in).
      // The credentials object must come from the grpc-js the SDK itself loads.
      const gax = requireSdkDependency<typeof import("google-gax")>(gcpSmDefinition, SDK, "google-gax");
      sslCreds = gax.grpc.credentials.createInsecure();
    }
    const auth = authOptions(config);
    const client = new sdk.SecretManagerServiceClient({
      projectId: config.projectId,
      ...auth.options,
      ...(endpoint ? { apiEndpoint: endpoint.host, port: endpoint.port ?? 443 } : {}),
      ...(sslCreds ? { sslCreds: sslCreds as never } : {}),
      // grpc-js refuses a larger message itself (RESOURCE_EXHAUSTED, "larger than max").
      "grpc.max_receive_message_length": MAX_REPLY_BYTES,
    });
    return { client, bearer: auth.bearer };
  });
}

/**
 * grpc-js resolves host names itself and takes no custom lookup, so a configured apiEndpoint is
 * resolved and checked just before each call instead. This does not cover a DNS answer that
 * changes between this check and grpc-js's own resolution (rebinding); the connect-time guard
 * of the HTTP providers does. Other resolution failures are left for grpc-js to report.
 */
async function checkEndpointResolution(config: ProviderConfig, resolve: ResolveHost | undefined): Promise<void> {
  const endpoint = config.apiEndpoint ? parseGrpcEndpoint(config.apiEndpoint) : null;
  if (!endpoint) return;
  try {
    await resolveAllowed(endpoint.host, resolve);
  } catch (error) {
    if (error instanceof MetadataAddressError) throw error;
  }
}

/** A reply over the size cap is refused by grpc-js as RESOURCE_EXHAUSTED; it is no quota problem, and not retried. */
function interpretReply(error: unknown, name: string): InterpretedFailure {
  if (error instanceof TokenCallError) return error.failure;
  const e = (error ?? {}) as { code?: unknown; details?: unknown; message?: unknown };
  if (e.code === 8 && /larger than max/i.test(`${String(e.details ?? "")} ${String(e.message ?? "")}`)) {
    return { error: replyTooLarge(PROVIDER, `for ${name}`), retryable: false };
  }
  return interpretGcpError(error, name);
}

/**
 * One Secret Manager call with everything every call needs: the client made before the upstream
 * budget starts, sign-in awaited by us, the endpoint check, a fresh keyless token, one bounded
 * attempt, and the cleanup a failed sign-in or a refused keyless token calls for.
 * `label`: how messages name the version (the name itself unless it is the check's made-up one).
 */
async function callSecretManager<T>(
  context: AdapterContext,
  options: {
    name: string;
    doing: string;
    label?: string;
    call: (client: SecretManagerServiceClient, callOptions: { timeout: number; retry: null }) => Promise<T>;
  },
): Promise<T> {
  let initFailed = false;
  // Loading the SDK and making the client is local work, done before the upstream budget starts.
  const { client, bearer } = await clientFor(context);
  try {
    return await callUpstream({
      provider: PROVIDER,
      doing: options.doing,
      timeoutMs: context.timeoutMs,
      connectionKey: context.connectionKey,
      maxAttempts: context.maxAttempts,
      run: async ({ remainingMs, signal }) => {
        // Sign-in problems (no default credentials) surface here; awaiting them ourselves keeps
        // the SDK's own initialize() from turning them into unhandled rejections.
        await client.initialize().catch((error: unknown) => {
          initFailed = true;
          throw error;
        });
        await checkEndpointResolution(context.config, context.resolveHost);
        if (bearer) bearer.token = await accessTokenFor(context, signal);
        // The SDK's default retry settings run for minutes: one bounded attempt per call.
        return options.call(client, { timeout: Math.max(1, remainingMs), retry: null });
      },
      interpret: (error) => interpretReply(error, options.label ?? options.name),
    });
  } catch (error) {
    // A client whose initialisation failed stays failed: build a fresh one next time.
    if (initFailed) clients.delete(context.connectionKey);
    // A keyless token Secret Manager no longer takes (revoked, or its grant changed): make a new one next time.
    if (bearer && (error as { extra?: { upstreamCode?: unknown } }).extra?.upstreamCode === "UNAUTHENTICATED")
      dropAccessToken(context.connectionKey);
    throw error;
  }
}

/** AccessSecretVersion: the payload. */
async function accessVersion(context: AdapterContext, name: string, doing: string, label = name) {
  return callSecretManager(context, {
    name,
    doing,
    label,
    call: async (client, callOptions) => (await client.accessSecretVersion({ name }, callOptions))[0],
  });
}

/** GetSecretVersion: a version's metadata (its resolved name and state), never its payload. */
async function versionMetadata(context: AdapterContext, name: string) {
  return callSecretManager(context, {
    name,
    doing: `checking the version of ${name}`,
    call: async (client, callOptions) => (await client.getSecretVersion({ name }, callOptions))[0],
  });
}

export const gcpSmAdapter: ProviderAdapter = {
  async fetchSecret(request: FetchSecretRequest): Promise<FetchedSecret> {
    const name = expandGcpPath(request.path, request.config.projectId ?? "", request.version);
    const version = await accessVersion(request, name, fetchingPath(request.path));
    const data = version.payload?.data;
    if (data === undefined || data === null) throw providerError(PROVIDER, `malformed reply for ${name}: no payload`);
    const bytes = typeof data === "string" ? Buffer.from(data, "base64") : Buffer.from(data);
    const expected = version.payload?.dataCrc32c;
    if (expected !== undefined && expected !== null && crc32c(bytes) !== Number(String(expected))) {
      throw providerError(PROVIDER, `payload checksum mismatch for ${name}: the data was corrupted on the way`);
    }
    return { value: bytes.toString("utf8"), version: versionOf(version.name) };
  },

  /**
   * GetSecretVersion on the name a read would access (`versions/latest` or an alias): Google
   * answers with the version number it stands for, without the payload. A numbered version, in
   * the path or in providerConfig.version, never changes.
   */
  async currentVersion(request: FetchSecretRequest) {
    const name = expandGcpPath(request.path, request.config.projectId ?? "", request.version);
    if (/\/versions\/\d+$/.test(name)) return null;
    const metadata = await versionMetadata(request, name);
    const version = versionOf(metadata.name);
    if (!version) throw providerError(PROVIDER, `malformed reply for ${name}: no version name`);
    return { version };
  },

  /**
   * Accesses a version of a secret that cannot exist. The call is authenticated before the name
   * is looked up, so NOT_FOUND proves reachability and credentials; so does PERMISSION_DENIED,
   * since Google returns it for unknown names when access is granted per secret (test a real
   * providerPath for that). ListSecrets was not chosen: it needs project-wide list permission.
   */
  async checkConnection(context: AdapterContext): Promise<void> {
    const name = `projects/${context.config.projectId ?? ""}/secrets/provenance-connection-check-${randomUUID()}/versions/latest`;
    try {
      await accessVersion(context, name, CHECKING_CONNECTION, CHECK_SECRET);
    } catch (error) {
      const extra = (error as { extra?: { upstreamCode?: unknown; upstreamService?: unknown } }).extra;
      // Only Secret Manager's own answer proves it; IAM refusing an impersonation is a failure.
      if (extra?.upstreamService === undefined && (extra?.upstreamCode === "NOT_FOUND" || extra?.upstreamCode === "PERMISSION_DENIED"))
        return;
      throw error;
    }
  },

  forget(connectionId: string): void {
    clients.forget(connectionId);
    forgetAccessTokens(connectionId);
  },
};
