import { arrivedOverHttps } from "@/lib/api/security-headers";
import { env, publicUrl } from "@/lib/env";

/**
 * The origin sign-in and sign-out redirects are built on. NEXTAUTH_URL when the operator set one;
 * otherwise the address the browser used: its Host header, or behind our own proxies
 * (PROVENANCE_TRUST_PROXY) the X-Forwarded-Host and X-Forwarded-Proto they set. A client that
 * reaches the server directly can write X-Forwarded-* itself, so they are not believed then.
 * Without a usable host the answer is the documented default, http://localhost:$PORT.
 *
 * Without this, next-auth falls back to http://localhost:3000 whenever NEXTAUTH_URL is unset,
 * and sign-out lands on a port nobody listens on.
 */
export function requestOrigin(headers: Headers): string {
  if (env().NEXTAUTH_URL) return new URL(publicUrl()).origin;
  const host = browserHost(headers);
  if (!host) return new URL(publicUrl()).origin;
  return `${arrivedOverHttps(headers) ? "https" : "http"}://${host}`;
}

/**
 * The request headers next-auth's route should see: X-Forwarded-Host and X-Forwarded-Proto set to
 * requestOrigin's (next-auth reads them, believing them because auth-options.ts says the host is
 * trusted), replacing whatever the client sent under those names.
 */
export function nextAuthRequestHeaders(headers: Headers): Headers {
  const origin = new URL(requestOrigin(headers));
  const out = new Headers(headers);
  out.set("x-forwarded-host", origin.host);
  out.set("x-forwarded-proto", origin.protocol.replace(/:$/, ""));
  return out;
}

// A host name, IPv4 address or bracketed IPv6 address, with an optional port: nothing that could
// change the meaning of a URL built on it.
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

function browserHost(headers: Headers): string | null {
  const forwarded = env().PROVENANCE_TRUST_PROXY ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = (forwarded || headers.get("host") || "").trim().toLowerCase();
  return HOST.test(host) ? host : null;
}
