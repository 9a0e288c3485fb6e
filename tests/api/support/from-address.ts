import http from "node:http";
import { parseSetCookie, type SetCookie } from "./browser";

/**
 * A browser that connects from a loopback address of its choosing (127.0.0.0/8 is all loopback on
 * Linux), so a test can be several clients the server tells apart by their socket address, the
 * one thing a client cannot forge. Keeps cookies like a browser; follows no redirects.
 */
export class ClientAt {
  readonly cookies = new Map<string, string>();
  readonly setCookies: SetCookie[] = [];

  constructor(
    private readonly baseUrl: string,
    readonly address: string,
  ) {}

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; json: unknown }> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const body = init.form ? new URLSearchParams(init.form).toString() : init.json !== undefined ? JSON.stringify(init.json) : undefined;
    if (body !== undefined) {
      headers["content-type"] = init.form ? "application/x-www-form-urlencoded" : "application/json";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    const url = new URL(path, this.baseUrl);
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(url, { method: init.method ?? "GET", headers, localAddress: this.address, agent: false }, resolve);
      request.on("error", reject);
      request.end(body);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    for (const header of response.headers["set-cookie"] ?? []) {
      const cookie = parseSetCookie(header);
      this.setCookies.push(cookie);
      if (cookie.value === "" || cookie.attributes["max-age"] === "0") this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode ?? 0, headers: response.headers, text, json };
  }

  /** next-auth's credentials sign-in, as its client library does it; `headers` go on the POST. */
  async signIn(email: string, password: string, headers: Record<string, string> = {}) {
    const csrf = await this.request("/api/auth/csrf");
    const csrfToken = (csrf.json as { csrfToken: string }).csrfToken;
    return this.request("/api/auth/callback/credentials", {
      method: "POST",
      form: { csrfToken, email, password, json: "true", callbackUrl: this.baseUrl },
      headers,
    });
  }

  sessionCookie(): string | undefined {
    return [...this.cookies.keys()].find((name) => name.endsWith("session-token"));
  }
}
