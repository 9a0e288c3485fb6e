import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { expectError, unknownToken } from "./support/expectations";
import { Browser } from "./support/browser";

/**
 * The browser's way in (CONTRACT, Authentication): next-auth's credentials sign-in over HTTP, the
 * session cookie on API calls, cross-site writes refused, sign-out, and failed sign-ins audited.
 */
let browser: Browser;

beforeAll(async () => {
  browser = new Browser();
  const { admin } = apiContext();
  const signIn = await browser.signIn(admin.email, admin.password);
  expect(signIn.status, signIn.text).toBeLessThan(400);
});

const secretsCount = async (prefix: string) => ((await call<unknown[]>(`/api/secrets?prefix=${prefix}`)).body ?? []).length;

describe("signing in with email and password", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie", () => {
    const name = browser.sessionCookieName();
    expect(name, `cookies: ${[...browser.cookies.keys()].join(", ")}`).toBeDefined();
    const cookie = browser.setCookies.filter((c) => c.name === name).at(-1)!;
    expect(cookie.attributes.httponly).toBe(true);
    expect(String(cookie.attributes.samesite).toLowerCase()).toBe("lax");
    expect(cookie.attributes.path).toBe("/");
  });

  it("the cookie alone authenticates API calls", async () => {
    const response = await browser.request("/api/secret-providers");
    expect(response.status, response.text).toBe(200);
    expect(Array.isArray(response.json)).toBe(true);
    // Without the cookie the same call is refused (the 200 above came from the session).
    expectError(await call("/api/secret-providers", { token: null }), 401, "unauthorized");
  });

  it("a bad bearer token is never replaced by the cookie", async () => {
    const response = await browser.request("/api/secret-providers", { headers: { authorization: `Bearer ${unknownToken()}` } });
    expect(response.status).toBe(401);
  });

  it.each([
    ["a wrong password", () => apiContext().admin.email, () => `wrong-${randomBytes(8).toString("hex")}`],
    ["an unknown account", () => `${unique("nobody")}@example.test`, () => apiContext().admin.password],
  ])("%s gives no session", async (_label, email, password) => {
    const stranger = new Browser();
    await stranger.signIn(email(), password());
    expect(stranger.sessionCookieName()).toBeUndefined();
    const response = await stranger.request("/api/secret-providers");
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("a forged session cookie is refused", async () => {
    const forger = new Browser();
    forger.cookies.set(browser.sessionCookieName() ?? "next-auth.session-token", `${randomBytes(40).toString("base64url")}`);
    expect((await forger.request("/api/secret-providers")).status).toBe(401);
  });
});

describe("cross-site requests with the session cookie", () => {
  const create = (headers: Record<string, string>, secretPath: string) =>
    browser.request("/api/secrets", { method: "POST", json: { secretPath, value: "from the browser" }, headers });

  it.each([
    ["Origin: https://evil.example", { origin: "https://evil.example" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["Origin: null", { origin: "null" }],
  ])("a write with %s → 403, nothing created", async (_label, headers) => {
    const secretPath = unique("session.cross");
    const response = await create(headers as Record<string, string>, secretPath);
    expect(response.status, response.text).toBe(403);
    expect(response.json).toMatchObject({ error: { code: "forbidden", message: expect.any(String) } });
    expect(await secretsCount(secretPath)).toBe(0);
  });

  it.each(["PUT", "PATCH", "DELETE"])("%s with a cross-site Origin → 403, unchanged", async (method) => {
    const secretPath = unique("session.target");
    const created = await call<{ id: string; description: string | null }>("/api/secrets", {
      method: "POST",
      body: { secretPath, value: "v" },
    });
    const response = await browser.request(`/api/secrets/${created.body.id}`, {
      method,
      json: method === "DELETE" ? undefined : { description: "evil" },
      headers: { origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
    const after = await call<{ description: string | null }>(`/api/secrets/${created.body.id}`);
    expect(after.status).toBe(200);
    expect(after.body.description).toBeNull();
  });

  it("the same write from the same origin works", async () => {
    const secretPath = unique("session.same");
    const response = await create({ origin: apiContext().baseUrl, "sec-fetch-site": "same-origin" }, secretPath);
    expect(response.status, response.text).toBe(201);
    expect(await secretsCount(secretPath)).toBe(1);
  });

  it("reads from another site are not writes: a GET still works", async () => {
    const response = await browser.request("/api/secrets", { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(200);
  });

  it("a bearer token is not subject to the cookie's origin rule", async () => {
    const response = await call("/api/secrets", {
      method: "POST",
      body: { secretPath: unique("session.token"), value: "v" },
      headers: { origin: "https://evil.example" },
    });
    expect(response.status).toBe(201);
  });
});

describe("failed sign-ins are audited without the password", () => {
  it("records auth.sign_in denied, with the email but not the password", async () => {
    const { admin } = apiContext();
    const password = `wrong-${randomBytes(12).toString("hex")}`;
    const rows = () =>
      query<Record<string, unknown>>("SELECT * FROM audit_events WHERE action = $1 AND outcome = $2 AND target_label = $3", [
        "auth.sign_in",
        "denied",
        admin.email,
      ]);
    const before = (await rows()).length;
    await new Browser().signIn(admin.email, password);
    const after = await rows();
    expect(after.length).toBe(before + 1);
    const all = JSON.stringify(await query("SELECT * FROM audit_events"));
    expect(all).not.toContain(password);
    expect(all).not.toContain(admin.password);
  });
});

describe("next-auth's POST endpoints take the API's body limit", () => {
  it.each(["/api/auth/callback/credentials", "/api/auth/signout"])(
    "%s refuses a body over 64 KiB with 413, and nobody is signed in",
    async (endpoint) => {
      const { admin } = apiContext();
      const browser = new Browser();
      const csrf = await browser.request("/api/auth/csrf");
      const csrfToken = (csrf.json as { csrfToken: string }).csrfToken;
      const reply = await browser.request(endpoint, {
        method: "POST",
        form: { csrfToken, email: admin.email, password: admin.password, json: "true", padding: "x".repeat(70 * 1024) },
      });
      expectError({ ...reply, body: reply.json }, 413, "payload_too_large");
      expect(reply.headers.getSetCookie().join(";")).not.toMatch(/session-token=[^;]/);
    },
  );
});

describe("the dashboard's Sign out (POST /sign-out, a plain form)", () => {
  const signedIn = async () => {
    const session = new Browser();
    await session.signIn(apiContext().admin.email, apiContext().admin.password);
    expect((await session.request("/api/secret-providers")).status).toBe(200);
    return session;
  };

  it("ends the session, expires the cookie and sends the browser to this server's /login", async () => {
    const session = await signedIn();
    const name = session.sessionCookieName()!;
    const captured = session.cookies.get(name)!;
    const out = await session.request("/sign-out", {
      method: "POST",
      form: {},
      headers: { origin: apiContext().baseUrl, "sec-fetch-site": "same-origin" },
    });
    expect(out.status, out.text).toBe(303);
    // Relative: the address the browser used, whatever NEXTAUTH_URL says.
    expect(out.headers.get("location")).toBe("/login");
    expect(session.sessionCookieName()).toBeUndefined();
    expect((await session.request("/api/secret-providers")).status).toBe(401);
    // The session itself ended, not only the browser's cookie.
    const replay = new Browser();
    replay.cookies.set(name, captured);
    expect((await replay.request("/api/secret-providers")).status).toBe(401);
  });

  it("a form on another site cannot sign anyone out: 403, and the session stays", async () => {
    const session = await signedIn();
    const crossSite: Array<Record<string, string>> = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of crossSite) {
      const out = await session.request("/sign-out", { method: "POST", form: {}, headers });
      expect(out.status, out.text).toBe(403);
      expect(out.json).toMatchObject({ error: { code: "forbidden", message: expect.any(String) } });
      expect((await session.request("/api/secret-providers")).status).toBe(200);
    }
  });

  it("only POST signs out: GET is 405 with Allow, and the session stays", async () => {
    const session = await signedIn();
    const out = await session.request("/sign-out");
    expect(out.status, out.text).toBe(405);
    expect(out.json).toMatchObject({ error: { code: "method_not_allowed", message: expect.any(String) } });
    expect(out.headers.get("allow")).toBe("POST");
    expect((await session.request("/api/secret-providers")).status).toBe(200);
  });

  it("without a session it still lands on /login, and nothing else is touched", async () => {
    const out = await new Browser().request("/sign-out", { method: "POST", form: {} });
    expect(out.status, out.text).toBe(303);
    expect(out.headers.get("location")).toBe("/login");
    expect((await browser.request("/api/secret-providers")).status).toBe(200);
  });
});

describe("signing out", () => {
  it("ends the session", async () => {
    const session = new Browser();
    await session.signIn(apiContext().admin.email, apiContext().admin.password);
    expect((await session.request("/api/secret-providers")).status).toBe(200);
    const out = await session.signOut();
    expect(out.status, out.text).toBeLessThan(400);
    expect(session.sessionCookieName()).toBeUndefined();
    expect((await session.request("/api/secret-providers")).status).toBe(401);
  });

  it("a session cookie captured before sign-out no longer works afterwards", async () => {
    const session = new Browser();
    await session.signIn(apiContext().admin.email, apiContext().admin.password);
    const name = session.sessionCookieName()!;
    const captured = session.cookies.get(name)!;
    expect((await session.request("/api/secret-providers")).status).toBe(200);
    await session.signOut();
    const replay = new Browser();
    replay.cookies.set(name, captured);
    expect((await replay.request("/api/secret-providers")).status).toBe(401);
  });
});
