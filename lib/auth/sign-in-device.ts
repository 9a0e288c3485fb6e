import { deploymentIsHttps } from "@/lib/api/security-headers";
import { mac, macMatches } from "./sign-in-keys";

/**
 * The device cookie: after a successful sign-in the browser keeps a signed note "this browser
 * signed in to account X at time T". A later sign-in to X that brings it is not refused by the
 * address-wide or account-wide limits, which a stranger can fill up (with made-up accounts from a
 * shared address, or spread-out guesses at X); its failures count on a counter of its own instead.
 * The cookie proves nothing about the password, which is checked as always. Only a successful
 * sign-in to X can produce one, and it names X, so it is no use for any other account.
 */
const DEVICE_DAYS = 90;
const MAX_AGE_SECONDS = DEVICE_DAYS * 24 * 60 * 60;
const VERSION = "d1";

/** `__Host-` on https: Secure, path /, no Domain, so no other site or subdomain can plant one. */
function cookieName(): string {
  return deploymentIsHttps() ? "__Host-provenance-device" : "provenance-device";
}

export interface KnownDevice {
  userId: string;
  /** The cookie's signed text: one counter per issued cookie. */
  id: string;
}

/** The Set-Cookie value for a browser that has just signed in to `userId`. */
export function deviceCookie(userId: string, now = Date.now()): string {
  const body = `${VERSION}.${userId}.${Math.floor(now / 1000)}`;
  const attributes = ["Path=/", `Max-Age=${MAX_AGE_SECONDS}`, "HttpOnly", "SameSite=Lax", ...(deploymentIsHttps() ? ["Secure"] : [])];
  return [`${cookieName()}=${body}.${mac("signin-device", body)}`, ...attributes].join("; ");
}

/** The account this request's device cookie was issued for, if it carries a genuine, unexpired one. */
export function knownDevice(cookieHeader: string | null, now = Date.now()): KnownDevice | null {
  const [version, userId, issuedAt, tag, ...rest] = readCookie(cookieHeader, cookieName())?.split(".") ?? [];
  if (version !== VERSION || !userId || !issuedAt || !tag || rest.length > 0) return null;
  const body = `${VERSION}.${userId}.${issuedAt}`;
  const age = now / 1000 - Number(issuedAt);
  if (!/^\d{1,12}$/.test(issuedAt) || age < -300 || age > MAX_AGE_SECONDS) return null;
  if (!macMatches("signin-device", body, tag)) return null;
  return { userId, id: body };
}

function readCookie(header: string | null, name: string): string | null {
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return null;
}
