import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookies ride along on cross-site requests, so a write authenticated by the session cookie must
 * come from our own pages. Browsers send Origin on every cross-origin POST/PUT/DELETE and
 * Sec-Fetch-Site on all modern requests; either one pointing elsewhere is refused.
 */
export function checkSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  checkSameOriginWrite(request.headers);
}

/** The same rule for a request known to be a write (a server action is always a POST). */
export function checkSameOriginWrite(headers: Headers): void {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw crossSite();
  const origin = headers.get("origin");
  if (!origin) return;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw crossSite();
  }
  if (!host || originHost !== host) throw crossSite();
}

function crossSite(): AppError {
  return new AppError("forbidden", "Cross-site requests cannot use the session cookie; use an API token.");
}
