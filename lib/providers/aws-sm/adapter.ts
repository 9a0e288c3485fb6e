import "server-only";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { GetSecretValueCommandInput, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { AdapterContext, FetchedSecret, FetchSecretRequest, ProviderAdapter } from "../adapter";
import { callUpstream } from "../upstream/call-upstream";
import { ConnectionCache } from "../upstream/connection-cache";
import { CHECKING_CONNECTION, fetchingPath, providerError, redirectRefusal } from "../upstream/errors";
import { guardedAgent } from "../upstream/guarded-lookup";
import { loadSdk } from "../upstream/load-sdk";
import { declaredLength, MAX_REPLY_BYTES, readCapped, replyCap, replyTooLarge } from "../upstream/reply-size";
import { awsSmDefinition } from "./definition";
import { interpretAwsError } from "./upstream-errors";

type AwsSdk = typeof import("@aws-sdk/client-secrets-manager");
interface AwsClient {
  sdk: AwsSdk;
  client: SecretsManagerClient;
}

const PROVIDER = awsSmDefinition.name;
const clients = new ConnectionCache<AwsClient>((entry) => entry.client.destroy());

function clientFor(context: AdapterContext): Promise<AwsClient> {
  return clients.get(context.connectionKey, async () => {
    const sdk = await loadSdk(awsSmDefinition, () => import("@aws-sdk/client-secrets-manager"));
    const { region, accessKeyId, secretAccessKey, endpoint } = context.config;
    const client = new sdk.SecretsManagerClient({
      region,
      // Without keys the SDK's default chain applies (env, shared config, IAM role).
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
      ...(endpoint ? { endpoint } : {}),
      // callUpstream owns retries and the deadline, so the SDK makes exactly one attempt, and a
      // slow reply becomes an error (without throwOnRequestTimeout the SDK only logs a warning).
      maxAttempts: 1,
      // Connections resolve through the metadata guard. The SDK's handler never follows
      // redirects, so the signed request cannot be sent on to another host.
      requestHandler: {
        requestTimeout: context.timeoutMs,
        throwOnRequestTimeout: true,
        httpAgent: guardedAgent("http:", context.resolveHost),
        httpsAgent: guardedAgent("https:", context.resolveHost),
      },
    });
    capReplySize(client);
    return { sdk, client };
  });
}

/**
 * Reads each raw reply under the size cap before the SDK's deserializer sees it (the middleware
 * sits inside the deserializer, next to the HTTP handler), so an oversized reply is cut off.
 */
function capReplySize(client: SecretsManagerClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; headers?: Record<string, string>; body?: unknown };
      const body = response.body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
      if (body && typeof body[Symbol.asyncIterator] === "function") {
        const cap = replyCap(response.statusCode);
        const bytes = await readCapped(body, declaredLength(response.headers?.["content-length"]), cap);
        const secretId = (args.input as { SecretId?: unknown }).SecretId;
        if (bytes === null && cap === MAX_REPLY_BYTES) {
          throw replyTooLarge(PROVIDER, typeof secretId === "string" ? `for ${secretId}` : `to ${context.commandName ?? "the request"}`, { upstreamStatus: response.statusCode });
        }
        // An oversized error reply is dropped unread: the SDK then reports its status alone.
        response.body = Readable.from(bytes === null ? [] : [bytes]);
      }
      return result;
    },
    { step: "deserialize", priority: "low", name: "provenanceReplySizeCap" },
  );
}

/** AWS version IDs are UUIDs (32-64 hex digits and dashes); anything else is a stage such as AWSPREVIOUS. */
export function awsVersionSelector(version: string | undefined): Pick<GetSecretValueCommandInput, "VersionId" | "VersionStage"> {
  if (!version) return {};
  return /^[0-9a-fA-F-]{32,64}$/.test(version) ? { VersionId: version } : { VersionStage: version };
}

async function getSecretValue(context: AdapterContext, secretId: string, version: string | undefined, doing: string) {
  // Loading the SDK and making the client is local work, done before the upstream budget starts:
  // a cold import on a busy machine must not be mistaken for a slow AWS.
  const { sdk, client } = await clientFor(context);
  return callUpstream({
    provider: PROVIDER,
    doing,
    timeoutMs: context.timeoutMs,
    run: async ({ signal, remainingMs }) => {
      return client.send(new sdk.GetSecretValueCommand({ SecretId: secretId, ...awsVersionSelector(version) }), {
        abortSignal: signal,
        requestTimeout: remainingMs,
      });
    },
    interpret: (error) => {
      const redirected = redirectRefusal(PROVIDER, error, `for ${secretId}`);
      return redirected ? { error: redirected, retryable: false } : interpretAwsError(error, secretId);
    },
  });
}

export const awsSmAdapter: ProviderAdapter = {
  async fetchSecret(request: FetchSecretRequest): Promise<FetchedSecret> {
    const output = await getSecretValue(request, request.path, request.version, fetchingPath(request.path));
    let value: string;
    if (typeof output.SecretString === "string") value = output.SecretString;
    else if (output.SecretBinary instanceof Uint8Array) value = Buffer.from(output.SecretBinary).toString("base64");
    else throw providerError(PROVIDER, `malformed reply for ${request.path}: neither SecretString nor SecretBinary`);
    return { value, version: output.VersionId ?? null };
  },

  /**
   * GetSecretValue on a name that cannot exist. AWS authenticates the request before it looks the
   * name up, so ResourceNotFoundException proves the endpoint answers and the keys are valid, and
   * so does AccessDeniedException: least-privilege roles may read only their own secrets (test a
   * real providerPath for that). ListSecrets was not chosen: it needs a permission read-only roles
   * rarely have, and it is not scoped to any secret.
   */
  async checkConnection(context: AdapterContext): Promise<void> {
    const probe = `provenance-connection-check-${randomUUID()}`;
    try {
      await getSecretValue(context, probe, undefined, CHECKING_CONNECTION);
    } catch (error) {
      const code = (error as { extra?: { upstreamCode?: unknown } }).extra?.upstreamCode;
      if (code === "ResourceNotFoundException" || code === "AccessDeniedException") return;
      throw error;
    }
  },

  forget(connectionId: string): void {
    clients.forget(connectionId);
  },
};
