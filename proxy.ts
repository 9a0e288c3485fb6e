import { NextResponse, type NextRequest } from "next/server";
import { arrivedOverHttps, newNonce, pageContentSecurityPolicy, STRICT_TRANSPORT_SECURITY } from "@/lib/api/security-headers";
import { MAX_BODY_BYTES, payloadTooLarge } from "@/lib/api/read-json-body";
import { nextAuthRequestHeaders } from "@/lib/auth/request-origin";
import { signInPageRedirect } from "@/lib/auth/sign-in-page-redirect";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Runs before every page and API request (not static files): pages get a fresh CSP nonce, which
 * Next reads from the request's Content-Security-Policy header and puts on its own scripts; every
 * response over https gets HSTS. API responses are JSON, so they keep next.config's static CSP
 * and skip the nonce. The sign-in page's redirects are decided here too (signInPageRedirectFor).
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  // A path that is not valid percent-encoded UTF-8 names nothing here; Next's own router would
  // answer it with a bare 500.
  if (!isDecodable(request.nextUrl.pathname)) {
    return refuse(new AppError("not_found", "No resource has this path (it is not valid percent-encoded UTF-8)."));
  }
  // Next refuses a server-action body over next.config's bodySizeLimit with a bare 500; a
  // declared size over the limit gets the API's 413 here instead.
  if (
    request.method === "POST" &&
    request.headers.has("next-action") &&
    Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES
  ) {
    return refuse(payloadTooLarge());
  }
  const https = arrivedOverHttps(request.headers);
  if (request.nextUrl.pathname.startsWith("/api/")) {
    // next-auth builds its redirects on X-Forwarded-Host/Proto: the ones we believe (lib/auth/request-origin.ts).
    const auth = request.nextUrl.pathname.startsWith("/api/auth/");
    const response = auth ? NextResponse.next({ request: { headers: nextAuthRequestHeaders(request.headers) } }) : NextResponse.next();
    if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
    return response;
  }

  const policy = pageContentSecurityPolicy(newNonce(), env().NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const destination = await signInPageRedirectFor(request);
  const response = destination
    ? // Next sends a same-origin redirect's Location relative, as redirect() in a page does.
      NextResponse.redirect(new URL(destination, request.url), 307)
    : NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

/**
 * The sign-in page's redirects (/setup on first run, / when signed in), answered here because the
 * page (pages/login.tsx, a Pages Router page) cannot import the session check. A POST is the form
 * sent without JavaScript: it gets the page back, whose body is never read.
 */
async function signInPageRedirectFor(request: NextRequest): Promise<string | null> {
  if (request.nextUrl.pathname !== "/login" || (request.method !== "GET" && request.method !== "HEAD")) return null;
  return signInPageRedirect(request.headers, (name) => request.cookies.get(name)?.value);
}

/** The contract's error shape, answered before Next gets to the request. */
function refuse(error: AppError): NextResponse {
  return NextResponse.json(error.toBody(), { status: error.status, headers: { "Cache-Control": "no-store" } });
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  // Static files carry no scripts of ours and need no per-request work.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
