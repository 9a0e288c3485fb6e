import "server-only";
import { cookies } from "next/headers";
import { sourceIp } from "@/lib/api/source-ip";
import { authenticateToken } from "@/lib/tokens/authenticate-token";
import type { Actor } from "./actor";
import { decodeSessionToken } from "./session-token";
import { sessionUser } from "./sessions";

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

/** next-auth's cookie names: the __Secure- one when the site runs on https. */
const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** The signed-in user of the current request (pages, server actions, route handlers). */
export async function sessionActor(ip: string | null): Promise<Actor | null> {
  const id = await currentSessionId();
  return id ? sessionUser(id, ip) : null;
}

/** The id of the server-side session the request's cookie names (not yet checked to be live). */
export async function currentSessionId(): Promise<string | null> {
  const jar = await cookies();
  const cookie = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  if (!cookie) return null;
  const token = await decodeSessionToken(cookie);
  return typeof token?.sid === "string" ? token.sid : null;
}
