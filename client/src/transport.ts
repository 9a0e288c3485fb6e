import { ProvenanceError } from "./errors.js";
import type { ErrorBody } from "./types.js";

export interface TransportOptions {
  url: string;
  /** An API token (pvn_…); or, instead, */
  token?: string;
  /** an OIDC ID token, or a function giving a fresh one, traded at POST /api/auth/token-exchange. */
  idToken?: IdTokenSource;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** An ID token, or where to get a fresh one each time a token is exchanged (e.g. read a file again). */
export type IdTokenSource = string | (() => string | Promise<string>);

/** An exchanged token is traded again once this share of its lifetime has passed. */
const RENEW_AT = 2 / 3;

/** One JSON request to the API; resolves with the parsed body, or throws a ProvenanceError. */
export type Request = <T>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;

/**
 * Talks JSON to a Provenance server with a bearer token. Every failure becomes a ProvenanceError
 * carrying the API's code and message; an unreachable server is `unreachable`, an answer that is
 * not the API's JSON is `bad_response`. The token never appears in a message.
 */
/** Opens a streamed GET (the watch stream): its body, or a ProvenanceError for a refusal. */
export type OpenStream = (path: string, headers: Record<string, string>, signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>;

export function createTransport(options: TransportOptions): { base: URL; request: Request; openStream: OpenStream } {
  const base = serverUrl(options.url);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const bearer = bearerFor(options, base, doFetch, timeoutMs);

  const request: Request = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    let response: Response;
    const token = await bearer.current();
    try {
      response = await doFetch(new URL(path, base), {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ProvenanceError("unreachable", `Could not reach ${base.origin}: ${describe(error)}.`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok && (body !== undefined || response.status === 204)) return body as T;
    if (response.status === 401) bearer.forget(token);
    throw refusal(base, response.status, body);
  };

  const openStream: OpenStream = async (path, headers, signal) => {
    let response: Response;
    try {
      response = await doFetch(new URL(path, base), {
        headers: { authorization: `Bearer ${await bearer.current()}`, accept: "text/event-stream", ...headers },
        signal,
      });
    } catch (error) {
      throw new ProvenanceError("unreachable", `Could not reach ${base.origin}: ${describe(error)}.`);
    }
    if (response.ok && response.body) return response.body;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw refusal(base, response.status, body);
  };
  return { base, request, openStream };
}

/** The API's error body as a ProvenanceError, or `bad_response` for anything else. */
function refusal(base: URL, status: number, body: unknown): ProvenanceError {
  const error = (body as ErrorBody | undefined)?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    const { code, message, ...extra } = error;
    return new ProvenanceError(code, message, status, extra);
  }
  return new ProvenanceError(
    "bad_response",
    `${base.origin} answered ${status} without the API's JSON (is the URL a Provenance server?).`,
    status,
  );
}

function serverUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProvenanceError("bad_usage", `The server URL ${JSON.stringify(url)} is not a URL (e.g. https://secrets.example.com).`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new ProvenanceError("bad_usage", "The server URL must start with https:// or http://.");
  if (parsed.username || parsed.password) throw new ProvenanceError("bad_usage", "Put the token in PROVENANCE_TOKEN, not in the URL.");
  return parsed;
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  if (error instanceof Error) return (error as Error & { cause?: { code?: string } }).cause?.code ?? error.message;
  return String(error);
}

/**
 * The bearer token to send: the API token as given, or one traded for an ID token. A traded token
 * is kept and traded again once two thirds of its life have passed (concurrent callers share one
 * exchange); a 401 drops it, so the next call trades afresh (its trust policy may have changed).
 */
function bearerFor(
  options: TransportOptions,
  base: URL,
  doFetch: typeof fetch,
  timeoutMs: number,
): { current(): Promise<string>; forget(token: string): void } {
  if (options.token && options.idToken) throw new ProvenanceError("bad_usage", "Give a token or an ID token, not both.");
  if (options.token) {
    const token = options.token;
    return { current: async () => token, forget: () => undefined };
  }
  const source = options.idToken;
  if (!source)
    throw new ProvenanceError(
      "bad_usage",
      "A token is required (PROVENANCE_TOKEN or --token), or an ID token to exchange (PROVENANCE_ID_TOKEN_FILE or --id-token-file).",
    );
  let held: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const exchange = async (): Promise<string> => {
    const idToken = typeof source === "string" ? source : await source();
    let response: Response;
    try {
      response = await doFetch(new URL("/api/auth/token-exchange", base), {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({ token: idToken.trim() }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ProvenanceError("unreachable", `Could not reach ${base.origin}: ${describe(error)}.`);
    }
    const body = (await response.json().catch(() => undefined)) as { token?: unknown; expiresAt?: unknown } | undefined;
    if (!response.ok || typeof body?.token !== "string") throw refusal(base, response.status, body);
    const now = Date.now();
    const expiresAt = typeof body.expiresAt === "string" ? Date.parse(body.expiresAt) : NaN;
    held = { token: body.token, renewAt: Number.isFinite(expiresAt) ? now + (expiresAt - now) * RENEW_AT : now };
    return body.token;
  };

  return {
    current: async () => {
      if (held && Date.now() < held.renewAt) return held.token;
      pending ??= exchange().finally(() => (pending = undefined));
      return pending;
    },
    forget: (token) => {
      if (held?.token === token) held = undefined;
    },
  };
}
