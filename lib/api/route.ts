import { randomUUID } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import { authenticateRequest } from "@/lib/auth/authenticate";
import { minimumRole, type GuardedOperation } from "@/lib/auth/permissions";
import { roleAtLeast, type Role } from "@/lib/auth/roles";
import { isDecryptionError } from "@/lib/crypto";
import { databaseAppError } from "@/lib/db/errors";
import { AppError, isAppError } from "@/lib/errors";
import { looksLikeId } from "@/lib/ids";
import { describeError, log } from "@/lib/log";
import { readJsonBody } from "./read-json-body";
import { checkSameOrigin } from "./same-origin";

type Params = Record<string, string>;
type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

export interface RouteContext {
  request: Request;
  /** When the request reached this handler's route (Date.now()), before authentication. */
  receivedAt: number;
  actor: Actor;
  params: Params;
  query: URLSearchParams;
  /** Reads the JSON body under the contract's limits (413, invalid_json). */
  body: () => Promise<unknown>;
}

/**
 * The one way into the API: authenticates (bearer token or session), requires a minimum role,
 * refuses cross-site cookie-authenticated writes, and turns every thrown error into the
 * contract's error shape. Handlers stay a few lines and call lib/.
 */
/** A route handler for `operation`: the role it needs comes from the permission table (lib/auth/permissions.ts). */
export function apiRoute(operation: GuardedOperation, handler: (context: RouteContext) => Promise<Response>) {
  const needed = minimumRole(operation);
  return async (request: Request, context: NextContext): Promise<Response> => {
    const requestId = randomUUID();
    const receivedAt = Date.now();
    const started = performance.now();
    const { response, actor } = await authorizeAndRun(needed, handler, request, context, requestId, receivedAt);
    logRequest(request, response.status, started, requestId, actor);
    return withStandardHeaders(response, requestId);
  };
}

async function authorizeAndRun(
  needed: Role,
  handler: (context: RouteContext) => Promise<Response>,
  request: Request,
  context: NextContext,
  requestId: string,
  receivedAt: number,
): Promise<{ response: Response; actor: Actor | null }> {
  let actor: Actor | null = null;
  try {
    actor = await authenticateRequest(request.headers);
    if (!actor) throw new AppError("unauthorized", "Sign in or send a valid API token (Authorization: Bearer <token>).");
    if (!roleAtLeast(actor.role, needed)) {
      throw new AppError("forbidden", `This needs the ${needed} role; your ${actor.kind} has ${actor.role}.`);
    }
    if (actor.kind === "user") checkSameOrigin(request);
    const params = await readParams(context);
    const response = await handler({
      request,
      receivedAt,
      actor,
      params,
      query: new URL(request.url).searchParams,
      body: () => readJsonBody(request),
    });
    return { response, actor };
  } catch (error) {
    return { response: errorResponse(error, requestId), actor };
  }
}

/** Requests the fast path (lib/api/fast-path.ts) brought in, so the request log says which door. */
const fastPathRequests = new WeakSet<Request>();

export function cameThroughFastPath(request: Request): void {
  fastPathRequests.add(request);
}

/** One structured line per API request: who, what, outcome and time; never bodies or query values. */
function logRequest(request: Request, status: number, started: number, requestId: string, actor: Actor | null): void {
  log.info("request", {
    requestId,
    method: request.method,
    path: new URL(request.url).pathname,
    status,
    ms: Math.round(performance.now() - started),
    actor: actor ? `${actor.kind}:${actor.id}` : null,
    ...(fastPathRequests.has(request) ? { door: "fast" } : {}),
  });
}

/** For the few endpoints anyone may call (health, OpenAPI): same error handling, no auth. */
export function publicRoute(handler: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const requestId = randomUUID();
    try {
      return withStandardHeaders(await handler(request), requestId);
    } catch (error) {
      return withStandardHeaders(errorResponse(error, requestId), requestId);
    }
  };
}

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function errorResponse(error: unknown, requestId: string): Response {
  const appError = databaseAppError(error, { requestId }) ?? error;
  if (isAppError(appError)) {
    const headers: Record<string, string> = {};
    if (appError.code === "unauthorized") headers["WWW-Authenticate"] = 'Bearer realm="provenance"';
    if (typeof appError.extra.retryAfterSeconds === "number") {
      headers["Retry-After"] = String(appError.extra.retryAfterSeconds);
    }
    return json(appError.toBody(), appError.status, headers);
  }
  if (isDecryptionError(error)) {
    log.error("stored ciphertext could not be decrypted", { requestId, ...describeError(error) });
    return json(
      { error: { code: "internal_error", message: "A stored value could not be decrypted; check SECRETS_MASTER_KEY.", requestId } },
      500,
    );
  }
  log.error("unhandled error", { requestId, ...describeError(error) });
  return json({ error: { code: "internal_error", message: `Something went wrong on the server (request ${requestId}).`, requestId } }, 500);
}

function withStandardHeaders(response: Response, requestId: string): Response {
  // Nothing the API returns is meant to be stored by a browser or a shared cache.
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("X-Request-Id", requestId);
  return response;
}

async function readParams(context: NextContext | undefined): Promise<Params> {
  const raw = context?.params ? await context.params : {};
  const params: Params = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string") continue;
    // Anything that could not be one of our ids names no resource: a 404 here.
    if (!looksLikeId(value)) throw new AppError("not_found", "No resource has this id.");
    params[key] = value;
  }
  return params;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/**
 * Handlers for the methods a route does not serve: 405 in the contract's error shape with an
 * Allow header (Next's own 405 has an empty body). A route file exports the ones it lacks.
 */
export function otherMethods(...served: Method[]): Record<Method, (request: Request) => Promise<Response>> {
  const allow = served.join(", ");
  const refuse = publicRoute(async (request) => {
    const error = new AppError("method_not_allowed", `${request.method} is not supported here; use ${allow}.`);
    return json(error.toBody(), error.status, { Allow: allow });
  });
  return Object.fromEntries(METHODS.map((method) => [method, refuse])) as Record<Method, typeof refuse>;
}
