import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { parseSetCookie } from "../../api/support/browser";
import { startServer, type RunningServer } from "../../api/support/server";

/**
 * Helpers for tests that run several `next start` processes on one PostgreSQL database: HTTP calls
 * to a chosen instance, a cookie jar bound to no instance (so a cookie from A can be sent to B),
 * the CLI, SQL against the shared database, and the servers' JSON log lines.
 */
const ROOT = path.resolve(__dirname, "../../..");
const run = promisify(execFile);

export interface Instance extends RunningServer {
  label: string;
  env: Record<string, string>;
}

export async function startInstance(label: string, env: Record<string, string>): Promise<Instance> {
  const server = await startServer(env, `cluster-${label}`);
  return { ...server, label, env };
}

/**
 * Two instances on one database, started one after the other (the first start migrates and
 * creates the admin; concurrent first starts are tested on their own), and an admin API token
 * made with the CLI. `env` must hold DATABASE_URL and SECRETS_MASTER_KEY.
 */
export async function startPair(
  labels: [string, string],
  env: Record<string, string> & { DATABASE_URL: string; SECRETS_MASTER_KEY: string },
): Promise<{ a: Instance; b: Instance; adminToken: string }> {
  const a = await startInstance(labels[0], env);
  const b = await startInstance(labels[1], env);
  const { DATABASE_URL, SECRETS_MASTER_KEY } = env;
  const created = await cli(["token", "create", "--name", `${labels[0]}/${labels[1]} admin`, "--role", "admin"], {
    DATABASE_URL,
    SECRETS_MASTER_KEY,
  });
  return { a, b, adminToken: created.stdout.trim() };
}

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface CallOptions {
  method?: string;
  token?: string;
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function call<T = unknown>(instance: { baseUrl: string }, urlPath: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  const response = await fetch(`${instance.baseUrl}${urlPath}`, { method: options.method ?? "GET", headers, body, redirect: "manual" });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

/** A browser's cookies, sent to whichever instance a request goes to (as behind a load balancer). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(
    instance: { baseUrl: string },
    urlPath: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.cookie = this.header();
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    const response = await fetch(`${instance.baseUrl}${urlPath}`, { method: init.method ?? "GET", headers, body, redirect: "manual" });
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      const gone = cookie.value === "" || cookie.attributes["max-age"] === "0";
      if (gone) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: json };
  }

  private async csrf(instance: { baseUrl: string }): Promise<string> {
    return ((await this.request(instance, "/api/auth/csrf")).body as { csrfToken: string }).csrfToken;
  }

  /** `headers` lets a test speak for a client behind a trusted proxy (X-Forwarded-For). */
  async signIn(instance: { baseUrl: string }, email: string, password: string, headers?: Record<string, string>): Promise<Reply> {
    const csrfToken = await this.csrf(instance);
    return this.request(instance, "/api/auth/callback/credentials", {
      method: "POST",
      form: { csrfToken, email, password, json: "true", callbackUrl: instance.baseUrl },
      headers,
    });
  }

  async signOut(instance: { baseUrl: string }): Promise<Reply> {
    const csrfToken = await this.csrf(instance);
    return this.request(instance, "/api/auth/signout", {
      method: "POST",
      form: { csrfToken, json: "true", callbackUrl: instance.baseUrl },
    });
  }

  sessionCookie(): string | undefined {
    const name = [...this.cookies.keys()].find((n) => n.endsWith("session-token"));
    return name ? `${name}=${this.cookies.get(name)}` : undefined;
  }
}

export async function cli(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
}

export async function sql<T = Record<string, unknown>>(databaseUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A connection of the test's own that LISTENs, to see exactly what the servers NOTIFY. */
export async function listen(databaseUrl: string, channel: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const received: Array<{ at: number; payload: Record<string, unknown> }> = [];
  client.on("notification", (message) => {
    if (message.channel === channel)
      received.push({ at: Date.now(), payload: JSON.parse(message.payload ?? "null") as Record<string, unknown> });
  });
  await client.query(`LISTEN ${channel}`);
  return { received, close: () => client.end() };
}

/** Polls `check` until it returns something other than undefined, or gives up after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 25,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The server's JSON log lines (lib/log.ts), skipping Next's plain-text output. */
export function logLines(instance: { logFile: string }): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of readFileSync(instance.logFile, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a partly written line
    }
  }
  return lines;
}
