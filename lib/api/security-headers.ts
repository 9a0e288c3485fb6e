import { env } from "@/lib/env";

/**
 * The per-request half of the security headers (the static half is in next.config.mjs): a
 * Content-Security-Policy whose script-src allows only scripts carrying this request's nonce
 * (Next adds it to its own scripts), and HSTS when the request came over https.
 */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** 128 random bits, base64: unguessable, and new for every page view. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * 'strict-dynamic' lets a nonced script load the chunks it needs without listing them; inline
 * scripts without the nonce (an injected <script>, an on* attribute) are refused. Styles take the
 * nonce too, so an injected <style> cannot restyle the page into a phishing form. Development
 * needs eval for React's debugging aids.
 */
export function pageContentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The nonce in a policy pageContentSecurityPolicy made, read back from the request's header (where
 * proxy.ts puts it, and where Next reads it for its own scripts) by a page that adds a script of
 * its own. Only base64 characters: nothing else can reach an HTML attribute.
 */
export function nonceOfPolicy(policy: string | null | undefined): string | null {
  return /(?:^|;)\s*script-src\s[^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "")?.[1] ?? null;
}

/** The dashboard's public URL is https (NEXTAUTH_URL): cookies are Secure and HSTS is sent. */
export function deploymentIsHttps(): boolean {
  return /^https:\/\//i.test(env().NEXTAUTH_URL ?? "");
}

/**
 * Did this request reach us over https? Either the public URL says so, or our own TLS-ending
 * proxy says so in X-Forwarded-Proto, believed only with PROVENANCE_TRUST_PROXY (anyone can send
 * the header to a server that is reached directly).
 */
export function arrivedOverHttps(headers: Headers): boolean {
  if (deploymentIsHttps()) return true;
  if (!env().PROVENANCE_TRUST_PROXY) return false;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https";
}
