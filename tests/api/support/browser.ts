import { leakRecorder, recordForLeakScan } from "./leak-recorder";
import { apiContext } from "./context";

/** One Set-Cookie header, split into its name, value and attributes (lower-cased keys). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair, ...rest] = header.split(";");
  const index = pair!.indexOf("=");
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [key, ...value] = part.trim().split("=");
    if (key) attributes[key.toLowerCase()] = value.length > 0 ? value.join("=") : true;
  }
  return { name: pair!.slice(0, index).trim(), value: pair!.slice(index + 1).trim(), attributes };
}

/**
 * A browser's cookie handling, reduced to what next-auth needs: cookies set by responses are sent
 * back; expired or emptied ones are dropped. Redirects are not followed, so every Set-Cookie is seen.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly setCookies: SetCookie[] = [];

  /** Talks to `baseUrl`, or to the suite's server when none is given. */
  constructor(private readonly baseUrl?: string) {}

  private origin(): string {
    return this.baseUrl ?? apiContext().baseUrl;
  }

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(`${this.origin()}${path}`, { method: init.method ?? "GET", headers, body, redirect: "manual" });
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      this.setCookies.push(cookie);
      const expires = typeof cookie.attributes.expires === "string" ? Date.parse(cookie.attributes.expires) : NaN;
      const gone = cookie.value === "" || cookie.attributes["max-age"] === "0" || (!Number.isNaN(expires) && expires <= Date.now());
      if (gone) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const text = await response.text();
    // The suite's own servers' answers go to the leak scan (other servers have no suite context).
    if (!this.baseUrl) recordForLeakScan(init.method ?? "GET", path, init.json, response, text, headers);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** next-auth's credentials sign-in, as its client library does it. */
  async signIn(email: string, password: string) {
    if (!this.baseUrl) leakRecorder.sensitive(`password used to sign in as ${email}`, "credential", password);
    const csrf = await this.request("/api/auth/csrf");
    const csrfToken = (csrf.json as { csrfToken: string }).csrfToken;
    return this.request("/api/auth/callback/credentials", {
      method: "POST",
      form: { csrfToken, email, password, json: "true", callbackUrl: this.origin() },
    });
  }

  async signOut() {
    const csrf = await this.request("/api/auth/csrf");
    const csrfToken = (csrf.json as { csrfToken: string }).csrfToken;
    return this.request("/api/auth/signout", { method: "POST", form: { csrfToken, json: "true", callbackUrl: this.origin() } });
  }

  sessionCookieName(): string | undefined {
    return [...this.cookies.keys()].find((name) => name.endsWith("session-token"));
  }
}
