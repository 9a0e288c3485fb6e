import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase, type TempDatabase } from "../support/databases";
import { Browser } from "./support/browser";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { startServer, type RunningServer } from "./support/server";

/**
 * What the browser is told about every response (issue: browser-side safety): a strict
 * Content-Security-Policy with a fresh nonce on pages, the static security headers everywhere,
 * HSTS and Secure cookies only over https, cross-origin cookie writes refused for route handlers
 * and server actions alike, and revealed values never stored by the browser.
 */
const ROOT = path.resolve(__dirname, "../..");
let browser: Browser;

beforeAll(async () => {
  browser = new Browser();
  const { admin } = apiContext();
  const signIn = await browser.signIn(admin.email, admin.password);
  expect(signIn.status, signIn.text).toBeLessThan(400);
  expect(browser.sessionCookieName()).toBeDefined();
});

/** The CSP's directives by name, e.g. {"script-src": ["'self'", "'nonce-…'"]}. */
function directives(policy: string | null): Record<string, string[]> {
  expect(policy, "Content-Security-Policy header").toBeTruthy();
  const parsed: Record<string, string[]> = {};
  for (const part of policy!.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) parsed[name.toLowerCase()] = values;
  }
  return parsed;
}

function nonceOf(policy: string | null): string {
  const source = directives(policy)["script-src"]?.find((value) => value.startsWith("'nonce-"));
  expect(source, `script-src of ${policy}`).toBeDefined();
  return source!.slice("'nonce-".length, -1);
}

function expectStaticHeaders(headers: Headers): void {
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("referrer-policy")).toBe("same-origin");
  expect(headers.get("x-frame-options")).toBe("DENY");
  const policy = directives(headers.get("content-security-policy"));
  expect(policy["frame-ancestors"]).toEqual(["'none'"]);
  expect(policy["object-src"]).toEqual(["'none'"]);
  expect(policy["base-uri"]).toEqual(["'self'"]);
  expect(policy["form-action"]).toEqual(["'self'"]);
}

const PAGES = [
  "/login",
  "/",
  "/secrets",
  "/secrets/new",
  "/settings/secret-providers",
  "/settings/tokens",
  "/settings/users",
  "/audit",
  "/no-such-page",
];

/** Who asks for a page: /login is the sign-in page to someone signed out (signed in, it redirects to /). */
const visitorFor = (page: string) => (page === "/login" ? new Browser() : browser);

describe("pages: a strict CSP with a per-request nonce", () => {
  it.each(PAGES)("%s has the strict policy and the static headers", async (page) => {
    const response = await visitorFor(page).request(page);
    expect(response.status, response.text.slice(0, 300)).toBeLessThan(500);
    expect(response.headers.get("content-type")).toContain("text/html");
    expectStaticHeaders(response.headers);
    const policy = directives(response.headers.get("content-security-policy"));
    expect(policy["default-src"]).toEqual(["'self'"]);
    expect(policy["script-src"]).toEqual([
      "'self'",
      `'nonce-${nonceOf(response.headers.get("content-security-policy"))}'`,
      "'strict-dynamic'",
    ]);
    expect(policy["script-src"]).not.toContain("'unsafe-inline'");
    expect(policy["script-src"]).not.toContain("'unsafe-eval'");
    expect(policy["style-src"]).not.toContain("'unsafe-inline'");
    expect(policy["img-src"]).toEqual(["'self'", "data:"]);
    expect(policy["connect-src"]).toEqual(["'self'"]);
  });

  // /login ships no framework, only a script of ours (pages/login.tsx): it must carry the nonce too.
  it.each(["/secrets", "/login"])("every script tag of %s carries this response's nonce, and the nonce is new each time", async (page) => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await visitorFor(page).request(page);
      expect(response.status).toBe(200);
      const nonce = nonceOf(response.headers.get("content-security-policy"));
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      nonces.add(nonce);
      const scripts = response.text.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });

  it("signed-in pages and the sign-in page are never stored by the browser", async () => {
    for (const page of ["/secrets", "/login"]) {
      const response = await visitorFor(page).request(page);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control"), page).toContain("no-store");
    }
  });
});

describe("API responses", () => {
  it.each(["/api/health", "/api/secrets", "/api/openapi.json", "/api/no-such-endpoint"])(
    "%s has the static headers and no-store",
    async (endpoint) => {
      const response = await call(endpoint);
      expectStaticHeaders(response.headers);
      expect(response.headers.get("cache-control")).toBe("no-store");
    },
  );
});

describe("HSTS", () => {
  it("is not sent over plain http, and X-Forwarded-Proto is not believed without PROVENANCE_TRUST_PROXY", async () => {
    const variants: Record<string, string>[] = [{}, { "x-forwarded-proto": "https" }];
    for (const headers of variants) {
      expect((await browser.request("/login", { headers })).headers.get("strict-transport-security")).toBeNull();
      expect((await call("/api/health", { headers })).headers.get("strict-transport-security")).toBeNull();
    }
  });
});

describe("cross-origin writes with the session cookie", () => {
  const manifest = () =>
    JSON.parse(readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName?: string; filename?: string }>;
    };
  const actionId = (name: string) => {
    const entry = Object.entries(manifest().node).find(([, action]) => action.exportedName === name);
    expect(entry, `${name} in the build's server-reference-manifest.json`).toBeDefined();
    return entry![0];
  };
  /** A server action called the way Next's client calls it: POST to the page, Next-Action header, arguments as JSON. */
  const callAction = (name: string, page: string, args: unknown[], headers: Record<string, string>) =>
    browser.request(page, {
      method: "POST",
      json: args,
      headers: { "next-action": actionId(name), accept: "text/x-component", ...headers },
    });
  const secretExists = async (secretPath: string) => ((await call<unknown[]>(`/api/secrets?prefix=${secretPath}`)).body ?? []).length > 0;

  it("a server action from our own origin runs (the request below is a real action call)", async () => {
    const secretPath = unique("csp-same-origin");
    const response = await callAction("createSecretAction", "/secrets/new", [{ secretPath, value: "same-origin-value" }], {
      origin: apiContext().baseUrl,
    });
    expect(response.status, response.text).toBe(200);
    expect(await secretExists(secretPath)).toBe(true);
  });

  it("a server action with another site's Origin is refused and does nothing", async () => {
    const secretPath = unique("csp-cross-origin");
    const response = await callAction("createSecretAction", "/secrets/new", [{ secretPath, value: "cross-origin-value" }], {
      origin: "https://evil.example",
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await secretExists(secretPath)).toBe(false);
  });

  it("a server action marked cross-site by the browser (Sec-Fetch-Site) is refused even without Origin", async () => {
    const secretPath = unique("csp-cross-site");
    const response = await callAction("createSecretAction", "/secrets/new", [{ secretPath, value: "cross-site-value" }], {
      "sec-fetch-site": "cross-site",
    });
    expect(response.text).toContain("Cross-site requests cannot use the session cookie");
    expect(await secretExists(secretPath)).toBe(false);
  });

  it("a route handler write with another site's Origin is refused", async () => {
    const secretPath = unique("csp-route");
    const crossSite: Record<string, string>[] = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }];
    for (const headers of crossSite) {
      const response = await browser.request("/api/secrets", { method: "POST", json: { secretPath, value: "v" }, headers });
      expect(response.status).toBe(403);
      expect(response.json).toMatchObject({ error: { code: "forbidden" } });
    }
    expect(await secretExists(secretPath)).toBe(false);
  });
});

describe("revealed values", () => {
  it("the dashboard's reveal and the resolve API answer Cache-Control: no-store", async () => {
    const secretPath = unique("csp-reveal");
    const value = `reveal-${randomBytes(8).toString("hex")}`;
    const created = await call<{ id: string }>("/api/secrets", { method: "POST", body: { secretPath, value } });
    expect(created.status).toBe(201);

    const manifest = JSON.parse(readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName?: string }>;
    };
    const reveal = Object.entries(manifest.node).find(([, action]) => action.exportedName === "revealSecretAction")![0];
    // Posted to the secret's page, the one that reveals.
    const revealed = await browser.request(`/secrets/${created.body.id}`, {
      method: "POST",
      json: [secretPath],
      headers: { "next-action": reveal, accept: "text/x-component", origin: apiContext().baseUrl },
    });
    expect(revealed.status).toBe(200);
    expect(revealed.text).toContain(value);
    expect(revealed.headers.get("cache-control")).toContain("no-store");

    const resolved = await call(`/api/secrets/resolve?path=${secretPath}`);
    expect(resolved.status).toBe(200);
    expect(resolved.headers.get("cache-control")).toBe("no-store");
  });
});

describe("behind https", () => {
  let database: TempDatabase;
  let httpsUrl: RunningServer;
  let trustedProxy: RunningServer;
  const admin = { email: "https-admin@example.test", password: `pw-${randomBytes(12).toString("hex")}` };

  beforeAll(async () => {
    database = createSqliteDatabase();
    const env = {
      DATABASE_URL: database.url,
      SECRETS_MASTER_KEY: randomBytes(32).toString("base64url"),
      PROVENANCE_ADMIN_EMAIL: admin.email,
      PROVENANCE_ADMIN_PASSWORD: admin.password,
    };
    // One server whose public URL is https (TLS ends at a proxy in front of it), one behind a
    // trusted proxy that reports the scheme in X-Forwarded-Proto.
    httpsUrl = await startServer({ ...env, NEXTAUTH_URL: "https://provenance.example.test" }, "https-url");
    trustedProxy = await startServer({ ...env, PROVENANCE_TRUST_PROXY: "true" }, "trusted-proxy");
  });
  afterAll(async () => {
    await Promise.all([httpsUrl?.stop(), trustedProxy?.stop()]);
    await database?.drop();
  });

  const hsts = async (server: RunningServer, pathname: string, headers: Record<string, string> = {}) =>
    (await fetch(`${server.baseUrl}${pathname}`, { headers, redirect: "manual" })).headers.get("strict-transport-security");

  it("an https public URL sends HSTS on pages and API responses", async () => {
    expect(await hsts(httpsUrl, "/login")).toBe("max-age=63072000; includeSubDomains");
    expect(await hsts(httpsUrl, "/api/health")).toBe("max-age=63072000; includeSubDomains");
  });

  it("behind a trusted proxy, HSTS follows X-Forwarded-Proto", async () => {
    expect(await hsts(trustedProxy, "/login", { "x-forwarded-proto": "https" })).toBe("max-age=63072000; includeSubDomains");
    expect(await hsts(trustedProxy, "/api/health", { "x-forwarded-proto": "https" })).toBe("max-age=63072000; includeSubDomains");
    expect(await hsts(trustedProxy, "/login", { "x-forwarded-proto": "http" })).toBeNull();
    expect(await hsts(trustedProxy, "/login")).toBeNull();
  });

  it("an https public URL makes the session cookie Secure, HttpOnly and SameSite, and it still signs in", async () => {
    const visitor = new Browser(httpsUrl.baseUrl);
    const signIn = await visitor.signIn(admin.email, admin.password);
    expect(signIn.status, signIn.text).toBeLessThan(400);
    expect(visitor.sessionCookieName()).toBe("__Secure-next-auth.session-token");
    const cookie = visitor.setCookies.filter((c) => c.name === "__Secure-next-auth.session-token").at(-1)!;
    expect(cookie.attributes.secure).toBe(true);
    expect(cookie.attributes.httponly).toBe(true);
    expect(String(cookie.attributes.samesite).toLowerCase()).toBe("lax");
    const session = await visitor.request("/api/secrets");
    expect(session.status, session.text).toBe(200);
  });

  it("a plain-http public URL keeps the cookie usable over http (not Secure)", async () => {
    const visitor = new Browser(trustedProxy.baseUrl);
    expect((await visitor.signIn(admin.email, admin.password)).status).toBeLessThan(400);
    expect(visitor.sessionCookieName()).toBe("next-auth.session-token");
    const cookie = visitor.setCookies.filter((c) => c.name === "next-auth.session-token").at(-1)!;
    expect(cookie.attributes.secure).toBeUndefined();
    expect(cookie.attributes.httponly).toBe(true);
  });
});
