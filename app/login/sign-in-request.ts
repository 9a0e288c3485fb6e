import { csrfToken, FORM } from "@/components/auth-requests";

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
