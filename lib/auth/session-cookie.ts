import type { Actor } from "./actor";
import { decodeSessionToken } from "./session-token";
import { sessionUser } from "./sessions";

/**
 * The session behind a request's cookie, given a way to read its cookies: next/headers' cookies()
 * for pages, server actions and route handlers (lib/auth/authenticate.ts), the request's own
 * cookies in proxy.ts (the sign-in page's redirects, lib/auth/sign-in-page-redirect.ts), where
 * next/headers is not available.
 */
export type CookieReader = (name: string) => string | undefined;

/** next-auth's cookie names: the __Secure- one when the site runs on https. */
export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** The id of the server-side session the cookie names (not yet checked to be live). */
export async function sessionIdOfCookies(cookie: CookieReader): Promise<string | null> {
  const value = SESSION_COOKIES.map(cookie).find(Boolean);
  if (!value) return null;
  const token = await decodeSessionToken(value);
  return typeof token?.sid === "string" ? token.sid : null;
}

/** The signed-in user the cookie's session belongs to, if that session is live. */
export async function sessionActorOfCookies(cookie: CookieReader, ip: string | null): Promise<Actor | null> {
  const id = await sessionIdOfCookies(cookie);
  return id ? sessionUser(id, ip) : null;
}
