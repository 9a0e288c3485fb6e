import "server-only";
import type http from "node:http";
import { env } from "@/lib/env";
import { processShared } from "@/lib/process-shared";
import type { AdapterContext } from "../adapter";
import type { ProviderConfig } from "../definition";
import { providerError } from "../upstream/errors";
import { readTokenFile } from "../upstream/token-file";
import { checkProviderUrl } from "../url-rules";
import { defaultCredentialsToken, selfSignedJwt } from "./base-credentials";
import { CLOUD_PLATFORM_SCOPE, readCredentialConfig, type ExternalAccount, type GcpCredentialConfig } from "./credential-config";
import { gcpSmDefinition } from "./definition";
import { googleErrorOf, postForToken, retryableStatus, TokenCallError, tokenAgents, type TokenReply } from "./token-http";

/**
 * The access token a keyless GCP connection sends to Secret Manager, when the SDK cannot make it
 * itself from a key: Workload Identity Federation (an OIDC token from a file exchanged at STS,
 * optionally for a service account's token through service_account_impersonation_url) and
 * service-account impersonation (impersonateServiceAccount: the base credentials, a key, an
 * external account or the default ones, call IAM Credentials generateAccessToken).
 *
 * Both exchanges are made here with our own HTTP client rather than google-auth-library's, so
 * that they pass the metadata rule after DNS, follow no redirect, cap their replies and stay
 * inside the call's deadline. Tokens are kept per connection and process and replaced once most
 * of their life has passed; reads go on with the old one while its successor is being made.
 */
const PROVIDER = gcpSmDefinition.name;
const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
/** Replace a token after this share of its life, and at least this long before it ends. */
const REFRESH_AT = 2 / 3;
const REFRESH_MARGIN_MS = 5 * 60_000;

interface Token {
  value: string;
  expiresAt: number;
  refreshAt: number;
}

interface Slot {
  current?: Token;
  pending?: Promise<Token>;
  agents: Record<"http:" | "https:", http.Agent>;
}

const slots = processShared("gcp-sm.access-tokens", () => new Map<string, Slot>());

/** Whether this connection's token comes from here (otherwise the SDK signs its own from the key or uses the default credentials). */
export function usesTokenExchange(config: ProviderConfig): boolean {
  return Boolean(config.impersonateServiceAccount) || credentialConfigOf(config)?.kind === "external_account";
}

export function credentialConfigOf(config: ProviderConfig): GcpCredentialConfig | null {
  if (!config.serviceAccountJson) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(config.serviceAccountJson);
  } catch {
    throw providerError(PROVIDER, "serviceAccountJson is not valid JSON");
  }
  const read = readCredentialConfig(parsed, { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS });
  if (read.problem !== undefined) throw providerError(PROVIDER, `serviceAccountJson: ${read.problem}`);
  return read.config;
}

export async function accessTokenFor(context: AdapterContext, signal: AbortSignal, now = Date.now()): Promise<string> {
  let slot = slots.get(context.connectionKey);
  if (!slot) slots.set(context.connectionKey, (slot = { agents: tokenAgents(context.resolveHost) }));
  const current = slot.current;
  if (current && now < current.refreshAt) return current.value;
  const owner = slot;
  const pending = (owner.pending ??= obtainToken(context, owner.agents, signal)
    .then((token) => (owner.current = token))
    .finally(() => (owner.pending = undefined)));
  if (current && now < current.expiresAt) {
    pending.catch(() => undefined); // the next read tries again; this one still has a valid token
    return current.value;
  }
  return (await pending).value;
}

/** After Secret Manager refused the token as UNAUTHENTICATED: the next call gets a fresh one. */
export function dropAccessToken(connectionKey: string): void {
  const slot = slots.get(connectionKey);
  if (slot) slot.current = undefined;
}

export function forgetAccessTokens(connectionId: string): void {
  for (const [key, slot] of [...slots]) {
    if (!key.startsWith(`${connectionId}:`)) continue;
    slots.delete(key);
    for (const agent of Object.values(slot.agents)) agent.destroy();
  }
}

function tokenFor(value: string, lifetimeMs: number): Token {
  const now = Date.now();
  const life = Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? lifetimeMs : 3600_000;
  return { value, expiresAt: now + life, refreshAt: now + Math.min(life * REFRESH_AT, Math.max(0, life - REFRESH_MARGIN_MS)) };
}

async function obtainToken(context: AdapterContext, agents: Slot["agents"], signal: AbortSignal): Promise<Token> {
  const base = credentialConfigOf(context.config);
  const target = context.config.impersonateServiceAccount;
  if (!target) {
    if (base?.kind !== "external_account") throw new Error("obtainToken is for keyless connections");
    return exchangeAtSts(base, agents, signal);
  }
  const baseToken =
    base?.kind === "external_account"
      ? (await exchangeAtSts(base, agents, signal)).value
      : base?.kind === "service_account"
        ? selfSignedJwt(base)
        : await defaultCredentialsToken(signal);
  return impersonate(iamCredentialsUrl(target), target, baseToken, agents, signal);
}

/** STS token exchange: the OIDC token from the file for a federated access token (or, with service_account_impersonation_url, a service account's). */
async function exchangeAtSts(account: ExternalAccount, agents: Slot["agents"], signal: AbortSignal): Promise<Token> {
  const subjectToken = await readTokenFile(PROVIDER, account.tokenFile);
  const host = new URL(account.tokenUrl).host;
  const doing = `exchanging the token from ${account.tokenFile} at ${host}`;
  const reply = await postForToken({
    url: account.tokenUrl,
    body: {
      form: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        audience: account.audience,
        scope: CLOUD_PLATFORM_SCOPE,
        requested_token_type: ACCESS_TOKEN_TYPE,
        subject_token: subjectToken,
        subject_token_type: account.subjectTokenType,
      },
    },
    agents,
    signal,
    doing,
  });
  if (reply.status !== 200) {
    const { code, text } = googleErrorOf(reply, [subjectToken]);
    throw new TokenCallError({
      error: providerError(PROVIDER, `the token exchange at ${host} was refused (${code})${text ? `: ${text}` : ""}`, {
        upstreamCode: code,
        upstreamStatus: reply.status,
        upstreamService: "sts",
        stage: "auth",
        hint: `Check the audience (the workload identity pool provider) and that the provider's issuer and attribute condition accept the token in ${account.tokenFile}.`,
      }),
      retryable: retryableStatus(reply.status),
      ...(reply.retryAfterMs !== undefined ? { retryAfterMs: reply.retryAfterMs } : {}),
    });
  }
  const federated = tokenFromReply(reply.body?.access_token, Number(reply.body?.expires_in) * 1000, doing);
  if (!account.impersonationUrl) return federated;
  return impersonate(account.impersonationUrl, accountNamed(account.impersonationUrl), federated.value, agents, signal);
}

/** IAM Credentials generateAccessToken for `account`, called with `bearer` (the base credentials' token). */
async function impersonate(url: string, account: string, bearer: string, agents: Slot["agents"], signal: AbortSignal): Promise<Token> {
  const doing = `impersonating ${account}`;
  const reply = await postForToken({
    url,
    body: { json: { scope: [CLOUD_PLATFORM_SCOPE], lifetime: "3600s" } },
    bearer,
    agents,
    signal,
    doing,
  });
  if (reply.status !== 200) throw new TokenCallError(impersonationFailure(reply, account, bearer));
  const expireTime = Date.parse(String(reply.body?.expireTime ?? ""));
  return tokenFromReply(reply.body?.accessToken, expireTime - Date.now(), doing);
}

function impersonationFailure(reply: TokenReply, account: string, bearer: string) {
  const { code, text } = googleErrorOf(reply, [bearer]);
  const upstream = { upstreamCode: code, upstreamStatus: reply.status, upstreamService: "iamcredentials" };
  const retry = {
    retryable: retryableStatus(reply.status),
    ...(reply.retryAfterMs !== undefined ? { retryAfterMs: reply.retryAfterMs } : {}),
  };
  if (reply.status === 403) {
    return {
      error: providerError(PROVIDER, `not permitted to impersonate ${account} (${code})`, {
        ...upstream,
        stage: "permission",
        hint: `Grant the connection's own identity roles/iam.serviceAccountTokenCreator (iam.serviceAccounts.getAccessToken) on ${account}.`,
      }),
      ...retry,
    };
  }
  if (reply.status === 401) {
    return {
      error: providerError(PROVIDER, `the credentials were rejected while impersonating ${account} (${code})`, {
        ...upstream,
        stage: "auth",
        hint: "Check serviceAccountJson (or the server's default credentials): the key may be deleted or disabled, or the federated token not accepted.",
      }),
      ...retry,
    };
  }
  return { error: providerError(PROVIDER, `impersonating ${account} failed (${code})${text ? `: ${text}` : ""}`, upstream), ...retry };
}

function tokenFromReply(value: unknown, lifetimeMs: number, doing: string): Token {
  if (typeof value !== "string" || value === "") {
    throw new TokenCallError({ error: providerError(PROVIDER, `malformed reply ${doing}: no access token in it`), retryable: false });
  }
  return tokenFor(value, lifetimeMs);
}

/** The service account an impersonation URL names (…/serviceAccounts/{email}:generateAccessToken), for messages. */
function accountNamed(url: string): string {
  const match = /\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(new URL(url).pathname);
  return match ? decodeURIComponent(match[1]!) : "the service account";
}

function iamCredentialsUrl(account: string): string {
  const base = env().PROVENANCE_GCP_IAM_CREDENTIALS_URL.replace(/\/+$/, "");
  const problem = checkProviderUrl(base, { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS });
  if (problem) throw providerError(PROVIDER, `PROVENANCE_GCP_IAM_CREDENTIALS_URL cannot be used: ${problem}`);
  return `${base}/v1/projects/-/serviceAccounts/${account}:generateAccessToken`;
}
