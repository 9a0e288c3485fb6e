import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { readBodyText } from "@/lib/api/read-json-body";
import { errorResponse } from "@/lib/api/route";
import { sourceIp } from "@/lib/api/source-ip";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { describeWait } from "@/lib/rate-limit/sliding-window";
import { requestOrigin } from "./request-origin";
import { deviceCookie, knownDevice } from "./sign-in-device";
import { normalizeEmail, reserveSignInAttempt } from "./sign-in-limits";

/**
 * Every POST to next-auth's endpoints (sign-in, sign-out), before next-auth sees it:
 * - the body is read under the API's 64 KiB limit (next-auth itself would read any size);
 * - password sign-in (callback/credentials) goes through the sign-in limits. The attempt is
 *   counted before next-auth checks the password and forgiven when it signs the user in (a
 *   session cookie is set), so only failures add up. Over a limit the answer is the contract's
 *   429 `rate_limited` with Retry-After; its `url` member keeps next-auth's browser client
 *   (which reads `url` from every sign-in answer) working, and is on the origin next-auth's own
 *   answers use (NEXTAUTH_URL, else the address the browser used), not the one the server binds;
 * - a successful password sign-in also gets the device cookie (lib/auth/sign-in-device.ts), and
 *   one brought along exempts the attempt from the limits a stranger can fill.
 */
export async function guardedNextAuthPost(
  request: Request,
  route: string[],
  nextAuth: (request: Request) => Promise<Response>,
): Promise<Response> {
  let body: string;
  try {
    body = await readBodyText(request);
  } catch (error) {
    return errorResponse(error, randomUUID());
  }
  // next-auth reads the body again (and the parsed URL from a NextRequest), so it gets a copy.
  const copy = () => new NextRequest(request.url, { method: request.method, headers: request.headers, body });
  const [action, provider] = route;
  if (action !== "callback" || provider !== "credentials") return nextAuth(copy());

  const ip = sourceIp(request.headers);
  const email = emailIn(body, request.headers.get("content-type"));
  const attempt = await reserveSignInAttempt(email, ip, knownDevice(request.headers.get("cookie")));
  if (!attempt.allowed) {
    log.warn("sign-in rate limited", { sourceIp: ip, retryAfterSeconds: attempt.retryAfterSeconds });
    const error = new AppError(
      "rate_limited",
      `Too many failed sign-in attempts. Try again in ${describeWait(attempt.retryAfterSeconds)}.`,
      {
        retryAfterSeconds: attempt.retryAfterSeconds,
      },
    );
    return Response.json(
      { ...error.toBody(), url: new URL("/login?error=rate_limited", requestOrigin(request.headers)).toString() },
      { status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds), "Cache-Control": "no-store" } },
    );
  }
  const response = await nextAuth(copy());
  if (!setsSessionCookie(response)) return response;
  await attempt.forgive();
  const user = await db().user.findUnique({ where: { email: normalizeEmail(email) }, select: { id: true } });
  if (user) response.headers.append("Set-Cookie", deviceCookie(user.id));
  return response;
}

/**
 * The email next-auth will check, read the way next-auth reads it (a form or JSON; for a repeated
 * field the last one wins), so that a decoy first field cannot move the attempt to another counter.
 */
function emailIn(body: string, contentType: string | null): string {
  let fields: unknown;
  if (contentType?.includes("application/json")) {
    try {
      fields = JSON.parse(body);
    } catch {
      return "";
    }
  } else if (contentType?.includes("application/x-www-form-urlencoded")) {
    fields = Object.fromEntries(new URLSearchParams(body));
  }
  const email = typeof fields === "object" && fields !== null ? (fields as Record<string, unknown>).email : undefined;
  return typeof email === "string" ? email : "";
}

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token=[^;]+/;

function setsSessionCookie(response: Response): boolean {
  return response.headers.getSetCookie().some((cookie) => SESSION_COOKIE.test(cookie));
}
