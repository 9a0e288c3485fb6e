/**
 * Password sign-in and sign-out from the browser, as next-auth's own client sends them (a CSRF
 * token from /api/auth/csrf, then a form POST with `json=true`), without that client's 10 KiB of
 * session machinery: the dashboard reads the session on the server and needs none of it. Sign-in
 * is in public/sign-in.js, the only script the sign-in page loads.
 */
export const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

export async function csrfToken(): Promise<string> {
  const response = await fetch("/api/auth/csrf", { cache: "no-store" });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return csrfToken;
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
