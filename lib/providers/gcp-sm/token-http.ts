import "server-only";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { InterpretedFailure } from "../upstream/call-upstream";
import { parseRetryAfter } from "../upstream/call-upstream";
import {
  crossOriginRedirect,
  networkFailure,
  isTransientNetworkFailure,
  providerError,
  sanitizeUpstreamText,
  upstreamCode,
} from "../upstream/errors";
import { guardedAgent, type ResolveHost } from "../upstream/guarded-lookup";
import { declaredLength, readCapped, replyCap, replyTooLarge } from "../upstream/reply-size";
import { gcpSmDefinition } from "./definition";

/**
 * One POST to a Google token service (STS token exchange, IAM Credentials generateAccessToken):
 * through an agent whose connections pass the metadata rule after DNS, no redirects followed (a
 * redirect would carry the subject token or bearer token elsewhere), replies capped in size. A
 * failure is thrown as a TokenCallError carrying its worded error and whether to try again; the
 * words never include the tokens sent.
 */
const PROVIDER = gcpSmDefinition.name;

export class TokenCallError extends Error {
  constructor(readonly failure: InterpretedFailure) {
    super(failure.error.message);
    this.name = "TokenCallError";
  }
}

export interface TokenReply {
  status: number;
  body: Record<string, unknown> | null;
  retryAfterMs: number | undefined;
}

/** One keep-alive agent per scheme for a connection's token calls. */
export function tokenAgents(resolve?: ResolveHost): Record<"http:" | "https:", http.Agent> {
  return { "http:": guardedAgent("http:", resolve), "https:": guardedAgent("https:", resolve) };
}

export interface TokenPost {
  url: string;
  /** Form-encoded (STS) or JSON (IAM). */
  body: { form: Record<string, string> } | { json: unknown };
  bearer?: string;
  agents: Record<"http:" | "https:", http.Agent>;
  signal: AbortSignal;
  /** "exchanging the token at sts.googleapis.com": for network failures. */
  doing: string;
}

export async function postForToken({ url, body, bearer, agents, signal, doing }: TokenPost): Promise<TokenReply> {
  const target = new URL(url);
  const text = "form" in body ? new URLSearchParams(body.form).toString() : JSON.stringify(body.json);
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Content-Type": "form" in body ? "application/x-www-form-urlencoded" : "application/json",
  };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response: IncomingMessage;
  try {
    response = await send(target, headers, text, agents[target.protocol === "http:" ? "http:" : "https:"], signal);
  } catch (error) {
    const network = networkFailure(error);
    if (!network) throw error; // an abort, or a refused metadata address: callUpstream words both
    throw new TokenCallError({
      error: providerError(PROVIDER, `${network.reason} ${doing}`, { upstreamCode: network.code }),
      retryable: isTransientNetworkFailure(network.code),
    });
  }
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (status >= 300 && status < 400) {
    response.resume();
    const redirect = crossOriginRedirect(PROVIDER, status, target.href, location);
    throw new TokenCallError({
      error:
        redirect ??
        providerError(PROVIDER, `redirected instead of answering ${doing} (HTTP ${status}); redirects are not followed`, {
          upstreamStatus: status,
        }),
      retryable: false,
    });
  }
  const bytes = await readCapped(response, declaredLength(response.headers["content-length"]), replyCap(status));
  const success = status >= 200 && status < 300;
  if (bytes === null && success)
    throw new TokenCallError({ error: replyTooLarge(PROVIDER, doing, { upstreamStatus: status }), retryable: false });
  let parsed: unknown = null;
  try {
    parsed = bytes && bytes.length > 0 ? JSON.parse(bytes.toString("utf8")) : null;
  } catch {
    // An HTML error page from a proxy: only its status counts.
  }
  const retryAfter = response.headers["retry-after"];
  return {
    status,
    body: typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null,
    retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
  };
}

function send(url: URL, headers: Record<string, string>, body: string, agent: http.Agent, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    request(url, { method: "POST", headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) }, agent, signal }, resolve)
      .on("error", reject)
      .end(body);
  });
}

/**
 * The code and words of a Google error reply, safe to show: OAuth style (`error`,
 * `error_description`, from STS) or Google API style (`error: {status, message}`, from IAM).
 */
export function googleErrorOf(reply: TokenReply, sent: readonly string[]): { code: string; text: string } {
  const error = reply.body?.error;
  if (typeof error === "string") return { code: upstreamCode(error), text: sanitizeUpstreamText(reply.body?.error_description, sent) };
  if (typeof error === "object" && error !== null) {
    const { status, message } = error as { status?: unknown; message?: unknown };
    return { code: upstreamCode(status, `HTTP_${reply.status}`), text: sanitizeUpstreamText(message, sent) };
  }
  return { code: `HTTP_${reply.status}`, text: "" };
}

/** 429 and 5xx are worth another try; anything else is an answer. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
