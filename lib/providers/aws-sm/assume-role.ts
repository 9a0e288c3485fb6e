import "server-only";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import type { AdapterContext } from "../adapter";
import type { ProviderConfig } from "../definition";
import { callUpstream } from "../upstream/call-upstream";
import { providerError } from "../upstream/errors";
import { guardedAgent } from "../upstream/guarded-lookup";
import { loadSdk } from "../upstream/load-sdk";
import { readTokenFile } from "../upstream/token-file";
import { awsSmDefinition, DEFAULT_ROLE_SESSION_NAME } from "./definition";
import { interpretStsError } from "./sts-errors";

/**
 * Temporary credentials for a connection with a `roleArn`: sts:AssumeRole signed with the
 * connection's keys (or the host's default chain), or sts:AssumeRoleWithWebIdentity with the
 * token file, read again at every call because the platform rotates it. One session per client,
 * so per connection and config version. It is replaced five minutes before it ends (as the SDK's
 * own providers do), or at two thirds of its lifetime when that is shorter than fifteen minutes,
 * so a read never signs with credentials about to run out; reads go on with the old session while
 * its successor is made, and concurrent first reads share one STS call. Nothing here is logged:
 * these are credentials.
 *
 * The STS client comes from @aws-sdk/nested-clients, the STS client the Secrets Manager SDK's own
 * credential chain is built on (installed with @aws-sdk/client-secrets-manager); the default
 * chain for AssumeRole without keys comes from @aws-sdk/credential-provider-node, the same.
 */
const PROVIDER = awsSmDefinition.name;
const REFRESH_AT = 2 / 3;
const REFRESH_MARGIN_MS = 5 * 60_000;

type StsSdk = typeof import("@aws-sdk/nested-clients/sts");

interface Session {
  credentials: AwsCredentialIdentity;
  expiresAt: number;
  refreshAt: number;
}

export interface RoleCredentials {
  /** Handed to the Secrets Manager client as its `credentials`. */
  provider: AwsCredentialIdentityProvider;
  /** Assumes the role now, whatever the session: a connection test proves the role itself. */
  renew(): Promise<void>;
  /** Forgets the session (AWS refused it as expired): the next request assumes the role again. */
  drop(): void;
  destroy(): void;
}

export async function roleCredentials(context: AdapterContext): Promise<RoleCredentials> {
  const sts = await loadSdk(awsSmDefinition, () => import("@aws-sdk/nested-clients/sts"));
  const { config } = context;
  const source = await sourceCredentials(config);
  const client = new sts.STSClient({
    region: config.region,
    ...(config.stsEndpoint ? { endpoint: config.stsEndpoint } : {}),
    ...(source ? { credentials: source } : {}),
    maxAttempts: 1,
    requestHandler: {
      requestTimeout: context.timeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: guardedAgent("http:", context.resolveHost),
      httpsAgent: guardedAgent("https:", context.resolveHost),
    },
  });
  let current: Session | undefined;
  let pending: Promise<Session> | undefined;

  const refresh = (): Promise<Session> =>
    (pending ??= assume(sts, client, context)
      .then((session) => (current = session))
      .finally(() => (pending = undefined)));

  // Marked memoized so that the SDK asks it at every request rather than wrapping it in its own
  // cache (which would keep a session until five minutes before its end and ignore renew()).
  const provider: AwsCredentialIdentityProvider & { memoized?: boolean } = async () => {
    const now = Date.now();
    if (current && now < current.refreshAt) return current.credentials;
    const next = refresh();
    if (current && now < current.expiresAt) {
      next.catch(() => undefined); // the next read tries again; this one still has valid credentials
      return current.credentials;
    }
    return (await next).credentials;
  };
  provider.memoized = true;

  return {
    provider,
    async renew() {
      current = undefined;
      await refresh();
    },
    drop() {
      current = undefined;
    },
    destroy() {
      client.destroy();
    },
  };
}

/** The keys AssumeRole is signed with; none for a web identity (unsigned), the default chain without keys. */
async function sourceCredentials(config: ProviderConfig): Promise<AwsCredentialIdentityProvider | AwsCredentialIdentity | undefined> {
  if (config.webIdentityTokenFile) return undefined;
  if (config.accessKeyId && config.secretAccessKey) return { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
  const chain = await loadSdk(awsSmDefinition, () => import("@aws-sdk/credential-provider-node"));
  return chain.defaultProvider();
}

async function assume(sts: StsSdk, client: InstanceType<StsSdk["STSClient"]>, context: AdapterContext): Promise<Session> {
  const { config } = context;
  const roleArn = config.roleArn ?? "";
  const RoleSessionName = config.roleSessionName ?? DEFAULT_ROLE_SESSION_NAME;
  const action = config.webIdentityTokenFile ? "AssumeRoleWithWebIdentity" : "AssumeRole";
  // Read before the call's deadline starts, and again for every session: the platform rotates it.
  const webIdentityToken = config.webIdentityTokenFile ? await readTokenFile(PROVIDER, config.webIdentityTokenFile) : undefined;
  const reply = await callUpstream({
    provider: PROVIDER,
    doing: `assuming role ${roleArn}`,
    timeoutMs: context.timeoutMs,
    connectionKey: context.connectionKey,
    run: ({ signal, remainingMs }) =>
      webIdentityToken !== undefined
        ? client.send(new sts.AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName, WebIdentityToken: webIdentityToken }), {
            abortSignal: signal,
            requestTimeout: remainingMs,
          })
        : client.send(
            new sts.AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName,
              ...(config.externalId ? { ExternalId: config.externalId } : {}),
            }),
            {
              abortSignal: signal,
              requestTimeout: remainingMs,
            },
          ),
    interpret: (error) => interpretStsError(error, roleArn, action),
  });
  const credentials = reply.Credentials;
  const expiresAt = credentials?.Expiration instanceof Date ? credentials.Expiration.getTime() : NaN;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || Number.isNaN(expiresAt)) {
    throw providerError(PROVIDER, `malformed reply assuming role ${roleArn} (${action}): no complete Credentials in it`, {
      upstreamCode: "MalformedReply",
    });
  }
  const now = Date.now();
  const lifetime = Math.max(0, expiresAt - now);
  return {
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: new Date(expiresAt),
    },
    expiresAt,
    refreshAt: now + Math.max(lifetime * REFRESH_AT, lifetime - REFRESH_MARGIN_MS),
  };
}
