import "server-only";
import type { Agent } from "node:http";
import { processShared } from "@/lib/process-shared";
import type { AdapterContext } from "../adapter";
import type { ProviderConfig } from "../definition";
import { providerError } from "../upstream/errors";
import { readTokenFile } from "../upstream/token-file";
import { KUBERNETES_TOKEN_FILE, vaultDefinition, type VaultAuthMethod } from "./definition";
import { vaultRequest } from "./vault-http";

/**
 * The token a Vault connection sends. With the `token` auth method it is the stored token. With
 * `approle`, `jwt` or `kubernetes`, Provenance signs in (POST auth/<mount>/login) and keeps the
 * session per connection and process: once two thirds of its lease have passed it renews the
 * token (auth/token/renew-self) or, when Vault will not renew it further, signs in again, so a
 * token never runs out in the middle of a read. Reads go on with the old token while its
 * successor is being made. Nothing here is ever logged: a session token is a credential.
 */
const PROVIDER = vaultDefinition.name;
const REFRESH_AT = 2 / 3;
/** A renewal that buys less than this is not worth keeping: sign in again instead. */
const MIN_USEFUL_LEASE_MS = 10_000;
/** A session younger than this is not replaced on a 403: the 403 is about the policy, not the token. */
const FRESH_SESSION_MS = 10_000;

interface Session {
  token: string;
  obtainedAt: number;
  /** Infinity for a token without a lease. */
  expiresAt: number;
  refreshAt: number;
  renewable: boolean;
}

interface Slot {
  current?: Session;
  pending?: Promise<Session>;
}

const slots = processShared("vault.sessions", () => new Map<string, Slot>());

export function authMethodOf(config: ProviderConfig): VaultAuthMethod {
  return (config.authMethod ?? "token") as VaultAuthMethod;
}

export async function vaultTokenFor(context: AdapterContext, agent: Agent, signal: AbortSignal, now = Date.now()): Promise<string> {
  if (authMethodOf(context.config) === "token") return context.config.token ?? "";
  let slot = slots.get(context.connectionKey);
  if (!slot) slots.set(context.connectionKey, (slot = {}));
  const current = slot.current;
  if (current && now < current.refreshAt) return current.token;
  const owner = slot;
  const pending = (owner.pending ??= refresh(context, agent, signal, current, now)
    .then((session) => (owner.current = session))
    .finally(() => (owner.pending = undefined)));
  if (current && now < current.expiresAt) {
    pending.catch(() => undefined); // the next read tries again; this one still has a valid token
    return current.token;
  }
  return (await pending).token;
}

/**
 * After Vault refused a read with 403: drops a session old enough to have been revoked or to
 * have expired early, so the retry signs in afresh. Returns whether there is reason to retry.
 */
export function dropStaleSession(context: AdapterContext, now = Date.now()): boolean {
  if (authMethodOf(context.config) === "token") return false;
  const slot = slots.get(context.connectionKey);
  if (!slot?.current || now - slot.current.obtainedAt < FRESH_SESSION_MS) return false;
  slot.current = undefined;
  return true;
}

/** Signs in now, whatever the session: a connection test proves the credentials themselves. */
export async function signInFresh(context: AdapterContext, agent: Agent, signal: AbortSignal): Promise<string> {
  const session = await signIn(context, agent, signal, Date.now());
  const slot = slots.get(context.connectionKey) ?? {};
  slot.current = session;
  slots.set(context.connectionKey, slot);
  return session.token;
}

export function forgetSessions(connectionId: string): void {
  for (const key of [...slots.keys()]) if (key.startsWith(`${connectionId}:`)) slots.delete(key);
}

async function refresh(
  context: AdapterContext,
  agent: Agent,
  signal: AbortSignal,
  current: Session | undefined,
  now: number,
): Promise<Session> {
  if (current?.renewable && now < current.expiresAt) {
    const renewed = await vaultRequest({
      config: context.config,
      agent,
      apiPath: "auth/token/renew-self",
      token: current.token,
      body: {},
      signal,
    })
      .then((reply) => sessionFrom(reply, "renewing the token", now))
      .catch(() => undefined);
    if (renewed && renewed.expiresAt - now >= MIN_USEFUL_LEASE_MS) return { ...renewed, obtainedAt: current.obtainedAt };
  }
  return signIn(context, agent, signal, now);
}

async function signIn(context: AdapterContext, agent: Agent, signal: AbortSignal, now: number): Promise<Session> {
  const { config } = context;
  const method = authMethodOf(config);
  if (method === "token") throw new Error("signIn is for auth methods other than token");
  const mount = config.authMount ?? method;
  const body =
    method === "approle"
      ? { role_id: config.roleId ?? "", secret_id: config.secretId ?? "" }
      : { role: config.role ?? "", jwt: await readTokenFile(PROVIDER, config.jwtFile ?? KUBERNETES_TOKEN_FILE) };
  const reply = await vaultRequest({ config, agent, apiPath: `auth/${mount}/login`, token: "", body, signal });
  return sessionFrom(reply, `signing in with ${method}`, now);
}

function sessionFrom(reply: unknown, doing: string, now: number): Session {
  const auth = (reply as { auth?: { client_token?: unknown; lease_duration?: unknown; renewable?: unknown } | null }).auth;
  if (typeof auth?.client_token !== "string" || auth.client_token === "") {
    throw providerError(PROVIDER, `malformed reply ${doing}: no client_token in it`);
  }
  const leaseMs = typeof auth.lease_duration === "number" && auth.lease_duration > 0 ? auth.lease_duration * 1000 : Infinity;
  return {
    token: auth.client_token,
    obtainedAt: now,
    expiresAt: now + leaseMs,
    refreshAt: now + leaseMs * REFRESH_AT,
    renewable: auth.renewable === true,
  };
}
