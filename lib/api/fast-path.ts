import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";
import { resolveEndpoint } from "@/lib/api/resolve-endpoint";
import { watchEndpoint } from "@/lib/api/watch-endpoint";
import { claimRequests } from "./peer-address";
import { cameThroughFastPath } from "./route";
import { arrivedOverHttps, STRICT_TRANSPORT_SECURITY } from "./security-headers";
import staticSecurityHeaders from "./static-security-headers.json";

/**
 * The resolve fast path: on a Node server (npm start, the container), bearer-token resolves (and
 * watch streams) are answered straight from the HTTP server's request event, before Next routes them. Next's routing,
 * proxy and rendering machinery cost more than a cached resolve itself; programs call resolve at
 * every start, and a fleet restarting calls it all at once.
 *
 * It is a second door to the same handlers, not a second implementation: the request becomes a
 * web Request and goes through lib/api/resolve-endpoint.ts, exactly as Next's route
 * handler does (authentication, role, scope, limits, audit, error shape, request log). What Next
 * adds to every response (next.config's security headers, the proxy's HSTS) is added here too.
 *
 * Requests without an Authorization header (signed-in users: cookies, CSRF checks) and every other
 * path go through Next as before. PROVENANCE_FAST_PATH=false turns the fast path off.
 */
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  "/api/secrets/resolve": resolveEndpoint,
  "/api/secrets/watch": watchEndpoint,
};

const NO_PARAMS = { params: Promise.resolve({}) };
/** Only the path and query are read from a request's URL; the host part is never used. */
const ORIGIN = "http://fast-path.invalid";

/** Starts offering requests to the fast path (after boot: the database is migrated, the key checked). */
export function openFastPath(): void {
  if (!env().PROVENANCE_FAST_PATH) return;
  claimRequests(claimForFastPath);
}

/** True when the fast path answers this request; Next then never sees it. */
export function claimForFastPath(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.headers.authorization === undefined) return false;
  const url = request.url ?? "";
  const query = url.indexOf("?");
  const handler = ROUTES[query === -1 ? url : url.slice(0, query)]?.[request.method ?? ""];
  if (!handler) return false;
  void answer(handler, request, response);
  return true;
}

async function answer(handler: Handler, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  try {
    const request = toWebRequest(incoming);
    cameThroughFastPath(request);
    const response = await handler(request, NO_PARAMS);
    const headers: Record<string, string> = { ...staticSecurityHeaders };
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (arrivedOverHttps(request.headers)) headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY;
    if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream"))
      return stream(response.body, response.status, headers, outgoing);
    const body = Buffer.from(await response.arrayBuffer());
    headers["content-length"] = String(body.byteLength);
    outgoing.writeHead(response.status, headers).end(body);
  } catch (error) {
    // The handlers turn their own errors into the contract's shape; this is for what happens
    // around them (a header the web Request refuses, a socket gone mid-answer).
    log.error("fast path request failed", describeError(error));
    if (outgoing.headersSent) return void outgoing.destroy();
    const refusal = new AppError("validation_error", "The request could not be read.");
    outgoing
      .writeHead(refusal.status, { ...staticSecurityHeaders, "content-type": "application/json", "cache-control": "no-store" })
      .end(JSON.stringify(refusal.toBody()));
  }
}

/** An event stream goes out as it is written; the client leaving cancels it (the watcher is removed). */
function stream(body: ReadableStream<Uint8Array>, status: number, headers: Record<string, string>, outgoing: ServerResponse): void {
  outgoing.writeHead(status, headers);
  outgoing.flushHeaders();
  const readable = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
  readable.on("error", () => outgoing.destroy());
  outgoing.on("close", () => readable.destroy());
  readable.pipe(outgoing);
}

function toWebRequest(incoming: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const method = incoming.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(`${ORIGIN}${incoming.url ?? "/"}`, {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs this for a streamed request body.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}
