import "server-only";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { GetSecretValueCommandInput, SecretsManagerClient, SecretValueEntry } from "@aws-sdk/client-secrets-manager";
import { isAppError } from "@/lib/errors";
import { processShared } from "@/lib/process-shared";
import type { AdapterContext, FetchedSecret, FetchSecretRequest, ProviderAdapter } from "../adapter";
import { callUpstream, type InterpretedFailure } from "../upstream/call-upstream";
import { ConnectionCache } from "../upstream/connection-cache";
import { CHECK_SECRET, CHECKING_CONNECTION, fetchingPath, providerError, redirectRefusal } from "../upstream/errors";
import { guardedAgent } from "../upstream/guarded-lookup";
import { loadSdk } from "../upstream/load-sdk";
import { declaredLength, MAX_REPLY_BYTES, readCapped, replyCap, replyTooLarge } from "../upstream/reply-size";
import { roleCredentials, type RoleCredentials } from "./assume-role";
import { awsSmDefinition } from "./definition";
import { interpretAwsError } from "./upstream-errors";

type AwsSdk = typeof import("@aws-sdk/client-secrets-manager");
interface AwsClient {
  sdk: AwsSdk;
  client: SecretsManagerClient;
  /** With a roleArn: the assumed role's session, which signs every request. */
  role?: RoleCredentials;
}

const PROVIDER = awsSmDefinition.name;
const clients = processShared(
  "aws-sm.clients",
  () =>
    new ConnectionCache<AwsClient>((entry) => {
      entry.client.destroy();
      entry.role?.destroy();
    }),
);
/** BatchGetSecretValue takes at most this many secret ids (SecretIdList). */
export const BATCH_READ_SIZE = 20;

function clientFor(context: AdapterContext): Promise<AwsClient> {
  return clients.get(context.connectionKey, async () => {
    const sdk = await loadSdk(awsSmDefinition, () => import("@aws-sdk/client-secrets-manager"));
    const { region, accessKeyId, secretAccessKey, endpoint, roleArn } = context.config;
    const role = roleArn ? await roleCredentials(context) : undefined;
    const client = new sdk.SecretsManagerClient({
      region,
      // A role's session when there is a role; else the keys; without keys the SDK's default
      // chain applies (env, shared config, IAM role).
      ...(role ? { credentials: role.provider } : accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
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
    return { sdk, client, role };
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
          throw replyTooLarge(PROVIDER, typeof secretId === "string" ? `for ${secretId}` : `to ${context.commandName ?? "the request"}`, {
            upstreamStatus: response.statusCode,
          });
        }
        // An oversized error reply is dropped unread: the SDK then reports its status alone.
        response.body = Readable.from(bytes === null ? [] : [bytes]);
      }
      return result;
    },
    { step: "deserialize", priority: "low", name: "provenanceReplySizeCap" },
  );
}

/**
 * A role's session refused as expired before its time (revoked, or a clock off): it is dropped
 * and the call tried again, which assumes the role afresh.
 */
function interpretFor(entry: AwsClient, error: unknown, what: string): InterpretedFailure {
  const failure = interpretAwsError(error, what);
  if (entry.role && failure.error.extra.upstreamCode === "ExpiredTokenException") {
    entry.role.drop();
    return { ...failure, retryable: true };
  }
  return failure;
}

/** AWS version IDs are UUIDs (32-64 hex digits and dashes); anything else is a stage such as AWSPREVIOUS. */
export function awsVersionSelector(version: string | undefined): Pick<GetSecretValueCommandInput, "VersionId" | "VersionStage"> {
  if (!version) return {};
  return /^[0-9a-fA-F-]{32,64}$/.test(version) ? { VersionId: version } : { VersionStage: version };
}

/** `label`: how messages name the secret (the id itself unless it is the check's made-up one). */
async function getSecretValue(context: AdapterContext, secretId: string, version: string | undefined, doing: string, label = secretId) {
  // Loading the SDK and making the client is local work, done before the upstream budget starts:
  // a cold import on a busy machine must not be mistaken for a slow AWS.
  const entry = await clientFor(context);
  const { sdk, client } = entry;
  return callUpstream({
    provider: PROVIDER,
    doing,
    timeoutMs: context.timeoutMs,
    connectionKey: context.connectionKey,
    maxAttempts: context.maxAttempts,
    run: async ({ signal, remainingMs }) => {
      return client.send(new sdk.GetSecretValueCommand({ SecretId: secretId, ...awsVersionSelector(version) }), {
        abortSignal: signal,
        requestTimeout: remainingMs,
      });
    },
    interpret: (error) => {
      const redirected = redirectRefusal(PROVIDER, error, `for ${label}`);
      return redirected ? { error: redirected, retryable: false } : interpretFor(entry, error, label);
    },
  });
}

/** DescribeSecret: the secret's metadata, with which version carries which stage; never the value. */
async function describeSecret(context: AdapterContext, secretId: string) {
  const entry = await clientFor(context);
  const { sdk, client } = entry;
  return callUpstream({
    provider: PROVIDER,
    doing: `checking the version of ${secretId}`,
    timeoutMs: context.timeoutMs,
    connectionKey: context.connectionKey,
    maxAttempts: context.maxAttempts,
    run: async ({ signal, remainingMs }) =>
      client.send(new sdk.DescribeSecretCommand({ SecretId: secretId }), { abortSignal: signal, requestTimeout: remainingMs }),
    interpret: (error) => {
      const redirected = redirectRefusal(PROVIDER, error, `for ${secretId}`);
      return redirected ? { error: redirected, retryable: false } : interpretFor(entry, error, secretId);
    },
  });
}

/** SecretString as is, SecretBinary as base64: the same for GetSecretValue and BatchGetSecretValue entries. */
function readValue(output: Pick<SecretValueEntry, "SecretString" | "SecretBinary" | "VersionId">, path: string): FetchedSecret {
  let value: string;
  if (typeof output.SecretString === "string") value = output.SecretString;
  else if (output.SecretBinary instanceof Uint8Array) value = Buffer.from(output.SecretBinary).toString("base64");
  else throw providerError(PROVIDER, `malformed reply for ${path}: neither SecretString nor SecretBinary`);
  return { value, version: output.VersionId ?? null };
}

async function batchGetSecretValue(context: AdapterContext, secretIds: string[]) {
  const entry = await clientFor(context);
  const { sdk, client } = entry;
  const what = `${secretIds.length} secrets`;
  return callUpstream({
    provider: PROVIDER,
    doing: `fetching ${what} (BatchGetSecretValue)`,
    timeoutMs: context.timeoutMs,
    connectionKey: context.connectionKey,
    run: async ({ signal, remainingMs }) =>
      client.send(new sdk.BatchGetSecretValueCommand({ SecretIdList: secretIds }), { abortSignal: signal, requestTimeout: remainingMs }),
    interpret: (error) => {
      const redirected = redirectRefusal(PROVIDER, error, `for ${what}`);
      return redirected ? { error: redirected, retryable: false } : interpretFor(entry, error, what);
    },
  });
}

/**
 * Answers to the call as a whole that a single GetSecretValue per secret may not meet: a policy
 * without secretsmanager:BatchGetSecretValue, an endpoint that does not know the action, an id the
 * list form refuses, a reply over the size cap (20 large values). Anything else (a timeout, a
 * network failure, throttling, a 5xx, rejected credentials) would meet each single read the same
 * way, so it becomes every secret's error instead of twenty more calls.
 */
const REFUSALS = new Set([
  "AccessDeniedException",
  "UnknownOperationException",
  "InvalidParameterException",
  "ValidationException",
  "ReplyTooLarge",
  "MalformedReply",
]);

function batchRefused(error: unknown): boolean {
  if (!isAppError(error) || error.code !== "provider_error") return false;
  const { upstreamStatus, upstreamCode } = error.extra;
  return REFUSALS.has(String(upstreamCode)) || upstreamStatus === 404 || upstreamStatus === 501;
}

/** Per-secret errors worded from the batch reply; any other code is left to a single read (with its retries). */
const SECRET_ERRORS = new Set([
  "ResourceNotFoundException",
  "AccessDeniedException",
  "DecryptionFailure",
  "InvalidRequestException",
  "InvalidParameterException",
]);

/** The reply's entry for a requested id: by name, by full ARN, or by an ARN without its random suffix. */
function entryFor(secretId: string, entries: SecretValueEntry[]): SecretValueEntry | undefined {
  return entries.find(
    (e) => e.Name === secretId || e.ARN === secretId || (secretId.startsWith("arn:") && e.ARN?.startsWith(`${secretId}-`)),
  );
}

/** Up to BATCH_READ_SIZE distinct ids in one BatchGetSecretValue; whatever it does not settle is read on its own. */
async function readBatch(context: AdapterContext, secretIds: string[]): Promise<Map<string, PromiseSettledResult<FetchedSecret>>> {
  const settled = new Map<string, PromiseSettledResult<FetchedSecret>>();
  const single = (secretId: string) => awsSmAdapter.fetchSecret({ ...context, path: secretId });
  let left: string[] = secretIds;
  try {
    const output = await batchGetSecretValue(context, secretIds);
    const entries = output.SecretValues ?? [];
    const errors = output.Errors ?? [];
    left = [];
    for (const secretId of secretIds) {
      const entry = entryFor(secretId, entries);
      const failure = entry ? undefined : errors.find((e) => e.SecretId === secretId);
      if (entry) {
        try {
          settled.set(secretId, { status: "fulfilled", value: readValue(entry, secretId) });
        } catch (error) {
          settled.set(secretId, { status: "rejected", reason: error });
        }
      } else if (failure && SECRET_ERRORS.has(failure.ErrorCode ?? "")) {
        const { error } = interpretAwsError({ name: failure.ErrorCode, message: failure.Message }, secretId);
        settled.set(secretId, { status: "rejected", reason: error });
      } else {
        left.push(secretId);
      }
    }
  } catch (error) {
    if (!batchRefused(error)) {
      for (const secretId of secretIds) settled.set(secretId, { status: "rejected", reason: error });
      return settled;
    }
  }
  const singles = await Promise.allSettled(left.map(single));
  left.forEach((secretId, index) => settled.set(secretId, singles[index]!));
  return settled;
}

export const awsSmAdapter: ProviderAdapter = {
  async fetchSecret(request: FetchSecretRequest): Promise<FetchedSecret> {
    const output = await getSecretValue(request, request.path, request.version, fetchingPath(request.path));
    return readValue(output, request.path);
  },
  /** BatchGetSecretValue, BATCH_READ_SIZE ids to a call, the calls in parallel. */
  async fetchCurrentSecrets(context: AdapterContext, paths: string[]): Promise<PromiseSettledResult<FetchedSecret>[]> {
    const distinct = [...new Set(paths)];
    const calls: string[][] = [];
    for (let i = 0; i < distinct.length; i += BATCH_READ_SIZE) calls.push(distinct.slice(i, i + BATCH_READ_SIZE));
    const settled = new Map<string, PromiseSettledResult<FetchedSecret>>();
    for (const answered of await Promise.all(calls.map((ids) => readBatch(context, ids)))) {
      for (const [secretId, outcome] of answered) settled.set(secretId, outcome);
    }
    return paths.map((path) => settled.get(path)!);
  },
  /**
   * DescribeSecret (metadata only): the version id that carries the stage a read would get
   * (AWSCURRENT, or the pinned stage). A pinned VersionId never changes.
   */
  async currentVersion(request: FetchSecretRequest) {
    const selector = awsVersionSelector(request.version);
    if (selector.VersionId) return null;
    const stage = selector.VersionStage ?? "AWSCURRENT";
    const output = await describeSecret(request, request.path);
    const stages = output.VersionIdsToStages ?? {};
    const version = Object.keys(stages).find((id) => stages[id]?.includes(stage));
    if (!version)
      throw providerError(PROVIDER, `no version of ${request.path} has the stage ${stage}`, { upstreamCode: "ResourceNotFoundException" });
    return { version };
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
    // A test assumes the role afresh, so it proves the trust policy now, not a cached session.
    await (await clientFor(context)).role?.renew();
    try {
      await getSecretValue(context, probe, undefined, CHECKING_CONNECTION, CHECK_SECRET);
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
