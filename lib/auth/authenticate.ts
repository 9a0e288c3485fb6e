import "server-only";
import { cookies } from "next/headers";
import { sourceIp } from "@/lib/api/source-ip";
import { authenticateToken } from "@/lib/tokens/authenticate-token";
import type { Actor } from "./actor";
import { SESSION_COOKIES, sessionActorOfCookies, sessionIdOfCookies } from "./session-cookie";
import { endSession } from "./sessions";

/**
 * Who is calling: a bearer token when an Authorization header is present (a bad one is never
 * silently replaced by a cookie), otherwise the session cookie. The user behind a session is
 * re-read on every request, so a role change or a disabled account takes effect at once.
 */
export async function authenticateRequest(headers: Headers): Promise<Actor | null> {
  const ip = sourceIp(headers);
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? authenticateToken(match[1]!, ip) : null;
  }
  return sessionActor(ip);
}

/** The signed-in user of the current request (pages, server actions, route handlers). */
export async function sessionActor(ip: string | null): Promise<Actor | null> {
  const jar = await cookies();
  return sessionActorOfCookies((name) => jar.get(name)?.value, ip);
}

/** The id of the server-side session the request's cookie names (not yet checked to be live). */
export async function currentSessionId(): Promise<string | null> {
  const jar = await cookies();
  return sessionIdOfCookies((name) => jar.get(name)?.value);
}

/**
 * Signs the current request's session out: ends the server-side session (as next-auth's own
 * sign-out does, lib/auth/auth-options.ts) and expires its cookie. For the dashboard's sign-out
 * route (app/sign-out/route.ts): Next writes the expired cookies onto its response.
 */
export async function signOutCurrentSession(): Promise<void> {
  const id = await currentSessionId();
  if (id) await endSession(id);
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    // A __Secure- cookie is only replaced (here: expired) by one that is Secure too.
    if (jar.has(name)) jar.delete({ name, path: "/", secure: name.startsWith("__Secure-") });
  }
}
