import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { ProviderConfig } from "../definition";
import { parseRetryAfter } from "../upstream/call-upstream";
import { providerError, sanitizeUpstreamText } from "../upstream/errors";
import { guardedAgent, systemResolver, type ResolveHost } from "../upstream/guarded-lookup";
import { declaredLength, readCapped, replyCap, replyTooLarge } from "../upstream/reply-size";
import { vaultDefinition } from "./definition";

/**
 * One request to Vault's HTTP API: token and namespace headers, no redirects followed (a
 * redirect would carry the token to another host), a 1 MiB cap on the reply, and connections
 * only to addresses that pass the metadata rule after DNS (node:http rather than fetch, because
 * its agent takes our own `lookup`). The token is passed in: a static one from the config, or
 * the one an auth method signed in for (vault-login.ts).
 */
export { MAX_REPLY_BYTES } from "../upstream/reply-size";
const PROVIDER = vaultDefinition.name;

/** A non-2xx answer; `body` is the parsed JSON when there was any (a 404 can carry metadata). */
export class VaultHttpError extends Error {
  constructor(
    readonly status: number,
    readonly apiPath: string,
    readonly body: unknown,
    readonly retryAfterMs: number | undefined,
    /** The token this request carried, so that no message can echo it. */
    private readonly sentToken: string,
  ) {
    super(`Vault answered HTTP ${status}`);
    this.name = "VaultHttpError";
  }

  /** Vault's `errors` array, first entry, made safe to show. */
  upstreamMessage(config: ProviderConfig): string {
    const errors = (this.body as { errors?: unknown } | null)?.errors;
    return Array.isArray(errors) ? sanitizeUpstreamText(errors[0], [config.token, config.secretId, this.sentToken]) : "";
  }

  warnings(): string[] {
    const warnings = (this.body as { warnings?: unknown } | null)?.warnings;
    if (!Array.isArray(warnings)) return [];
    // Outside text: only a few, each cut short, are ever looked at.
    return warnings
      .slice(0, 10)
      .filter((w): w is string => typeof w === "string")
      .map((w) => w.slice(0, 1024));
  }
}

/** One connection's keep-alive agent, resolving through the metadata guard. */
export function vaultAgent(config: ProviderConfig, resolve: ResolveHost = systemResolver): http.Agent {
  return guardedAgent((config.vaultUrl ?? "").startsWith("http:") ? "http:" : "https:", resolve);
}

export interface VaultRequest {
  config: ProviderConfig;
  agent: http.Agent;
  apiPath: string;
  query?: string;
  /** Sent as X-Vault-Token; "" for a sign-in, which carries none. */
  token: string;
  /** A JSON body makes it a POST (sign-in, renewal); otherwise a GET. */
  body?: Record<string, unknown>;
  signal: AbortSignal;
}

export async function vaultRequest({ config, agent, apiPath, query = "", token, body: payload, signal }: VaultRequest): Promise<unknown> {
  const base = (config.vaultUrl ?? "").replace(/\/+$/, "");
  const encoded = apiPath.split("/").map(encodeURIComponent).join("/");
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers["X-Vault-Token"] = token;
  if (config.namespace) headers["X-Vault-Namespace"] = config.namespace;
  const sent = payload === undefined ? undefined : JSON.stringify(payload);
  if (sent !== undefined) headers["Content-Type"] = "application/json";
  const response = await send(new URL(`${base}/v1/${encoded}${query}`), headers, sent, agent, signal);
  const status = response.statusCode ?? 0;

  const success = status >= 200 && status < 300;
  const bytes = await readCapped(response, declaredLength(response.headers["content-length"]), replyCap(status));
  if (bytes === null && success) throw replyTooLarge(PROVIDER, `for ${apiPath}`, { upstreamStatus: status });
  // An oversized error reply was not read: its status alone is answered below.
  const text = bytes?.toString("utf8") ?? "";
  let body: unknown = null;
  let parsed = false;
  try {
    body = text ? JSON.parse(text) : null;
    parsed = true;
  } catch {
    // A proxy's HTML error page or a truncated body: only fatal for a successful status.
  }
  if (success) {
    if (!parsed || typeof body !== "object" || body === null) {
      throw providerError(PROVIDER, `malformed reply for ${apiPath}: not a JSON object`, { upstreamStatus: status });
    }
    return body;
  }
  const retryAfter = response.headers["retry-after"];
  throw new VaultHttpError(status, apiPath, body, parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter), token);
}

/** A request whose reply (status and headers) has arrived; the body is still to be read. Redirects are answers like any other. */
function send(
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
  agent: http.Agent,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    request(url, { method: body === undefined ? "GET" : "POST", headers, agent, signal }, resolve)
      .on("error", reject)
      .end(body);
  });
}
