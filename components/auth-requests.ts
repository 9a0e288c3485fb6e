/**
 * Password sign-in and sign-out from the browser, as next-auth's own client sends them (a CSRF
 * token from /api/auth/csrf, then a form POST with `json=true`), without that client's 10 KiB of
 * session machinery: the dashboard reads the session on the server and needs none of it.
 */
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

async function csrfToken(): Promise<string> {
  const response = await fetch("/api/auth/csrf", { cache: "no-store" });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return csrfToken;
}

/** `ok` when a session was made; `status` 401 for a wrong email or password, 429 when rate-limited. */
export async function signInWithPassword(email: string, password: string): Promise<{ ok: boolean; status: number }> {
  const response = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: FORM,
    body: new URLSearchParams({ email, password, csrfToken: await csrfToken(), callbackUrl: window.location.href, json: "true" }),
  });
  const { url } = (await response.json().catch(() => ({}))) as { url?: string };
  // next-auth answers a refused password with 200 or 401 and `?error=` in its url.
  const refused = !url || new URL(url, window.location.href).searchParams.has("error");
  return { ok: response.ok && !refused, status: response.status };
}

/** Ends the session, then opens this server's own /login (whatever NEXTAUTH_URL says). */
export async function signOutToLogin(): Promise<void> {
  await fetch("/api/auth/signout", {
    method: "POST",
    headers: FORM,
    body: new URLSearchParams({ csrfToken: await csrfToken(), callbackUrl: "/login", json: "true" }),
  });
  // A full page load, not a client-side navigation: nothing of the signed-in pages stays cached.
  window.location.assign(new URL("/login", window.location.origin));
}
