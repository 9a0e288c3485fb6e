import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type TempDatabase } from "../support/databases";
import { call, cli, CookieJar, startPair, type Instance, type Reply } from "./support/cluster";

/**
 * Rate limits hold across instances: two `next start` processes, A and B, on one PostgreSQL
 * database, with requests spread over both as a load balancer would. The counters live in the
 * database, so a caller gets no more through two instances than through one. Both instances trust
 * X-Forwarded-For (as behind a proxy), so each test can speak from source addresses of its own.
 * (Resolves are counted in memory and shared about once a second: see lib/rate-limit/synced-window.ts.)
 */
const ROOT = path.resolve(__dirname, "../..");
const ADMIN = { email: "limits-admin@example.test", password: `pw-${randomBytes(12).toString("hex")}` };
const KEY = randomBytes(32).toString("base64url");
const LIMITS = { resolvePerMinute: 10, perAccountAndAddress: 3, perAddress: 6, perAccount: 8 };

let database: TempDatabase;
let a: Instance;
let b: Instance;
let adminToken: string;

const env = () => ({
  DATABASE_URL: database.url,
  SECRETS_MASTER_KEY: KEY,
  PROVENANCE_ADMIN_EMAIL: ADMIN.email,
  PROVENANCE_ADMIN_PASSWORD: ADMIN.password,
  PROVENANCE_TRUST_PROXY: "true",
  PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: String(LIMITS.resolvePerMinute),
  PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: String(LIMITS.perAccountAndAddress),
  PROVENANCE_SIGNIN_FAILURES_PER_ADDRESS: String(LIMITS.perAddress),
  PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT: String(LIMITS.perAccount),
});

/** Instance A, B, A, B, … for the n-th request: a round-robin load balancer. */
const roundRobin = (n: number) => (n % 2 === 0 ? a : b);
const from = (address: string) => ({ "x-forwarded-for": address });

async function signIn(n: number, email: string, password: string, address: string): Promise<Reply> {
  return new CookieJar().signIn(roundRobin(n), email, password, from(address));
}

function expectRateLimited(reply: Reply): number {
  expect(reply.status, reply.text).toBe(429);
  const retryAfter = reply.headers.get("retry-after");
  expect(retryAfter).toMatch(/^[1-9]\d*$/);
  expect(reply.body).toMatchObject({ error: { code: "rate_limited", message: expect.stringMatching(/try again/i) } });
  return Number(retryAfter);
}

async function createToken(name: string): Promise<string> {
  const reply = await call<{ token: string }>(a, "/api/tokens", { method: "POST", token: adminToken, body: { name, role: "editor" } });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.token;
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("build the app first (npm run build)");
  database = await createPostgresDatabase();
  ({ a, b, adminToken } = await startPair(["limits-a", "limits-b"], env()));
  const secret = await call(a, "/api/secrets", { method: "POST", token: adminToken, body: { secretPath: "limits.value", value: "v" } });
  expect(secret.status, secret.text).toBe(201);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
}, 60_000);

describe("resolve, per token, across both instances", () => {
  it("lets a token make its per-minute allowance in total, then answers 429 with Retry-After on either instance", async () => {
    const token = await createToken("limited reader");
    const statuses: number[] = [];
    for (let n = 0; n < LIMITS.resolvePerMinute; n++) {
      // A batch is one request, as is a single resolve.
      const reply =
        n % 3 === 0
          ? await call(roundRobin(n), "/api/secrets/resolve", { method: "POST", token, body: { paths: ["limits.value"] } })
          : await call(roundRobin(n), "/api/secrets/resolve?path=limits.value", { token });
      statuses.push(reply.status);
    }
    expect(statuses).toEqual(Array(LIMITS.resolvePerMinute).fill(200));
    // Each instance counts in memory and shares its counts through the database once a second:
    // after two syncs, both know the total.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const overOnA = await call(a, "/api/secrets/resolve?path=limits.value", { token });
    const overOnB = await call(b, "/api/secrets/resolve", { method: "POST", token, body: { paths: ["limits.value"] } });
    for (const reply of [overOnA, overOnB]) expect(expectRateLimited(reply)).toBeLessThanOrEqual(120);
    expect(overOnA.text).not.toContain('"value"');

    // Another token has an allowance of its own; metadata reads are not limited.
    const other = await createToken("other reader");
    expect((await call(b, "/api/secrets/resolve?path=limits.value", { token: other })).status).toBe(200);
    expect((await call(a, "/api/secrets", { token })).status).toBe(200);
  });
});

describe("sign-in, across both instances", () => {
  it("successful sign-ins never count towards a limit", async () => {
    for (let n = 0; n < LIMITS.perAccountAndAddress + 3; n++) {
      const reply = await signIn(n, ADMIN.email, ADMIN.password, "198.51.100.10");
      expect(reply.status, reply.text).toBe(200);
    }
  });

  it("locks one account for one address after its failures, even for the right password, but not other addresses", async () => {
    const attacker = "203.0.113.5";
    for (let n = 0; n < LIMITS.perAccountAndAddress; n++) {
      expect((await signIn(n, ADMIN.email, "wrong-password", attacker)).status).toBe(401);
    }
    const locked = await signIn(0, ADMIN.email, ADMIN.password, attacker);
    const retryAfter = expectRateLimited(locked);
    expect(retryAfter).toBeGreaterThan(0);
    // Failures age out of the sliding 15-minute window: a lock never outlasts two windows.
    expect(retryAfter).toBeLessThanOrEqual(2 * 15 * 60);
    expect(locked.headers.getSetCookie().join(";")).not.toMatch(/session-token=[^;]/);
    // next-auth's browser client reads `url` from every sign-in answer.
    expect((locked.body as { url: string }).url).toMatch(/\/login\?error=rate_limited$/);
    // The account itself is fine from anywhere else.
    expect((await signIn(1, ADMIN.email, ADMIN.password, "198.51.100.11")).status).toBe(200);
  });

  it("a repeated email field cannot move an attempt onto another counter", async () => {
    const attacker = "203.0.113.6";
    const decoy = (n: number) => `decoy-${n}@example.test`;
    // next-auth reads the last email of the form; the limiter must count that one too.
    for (let n = 0; n < LIMITS.perAccountAndAddress; n++) {
      const jar = new CookieJar();
      const csrf = ((await jar.request(a, "/api/auth/csrf")).body as { csrfToken: string }).csrfToken;
      const body = new URLSearchParams([
        ["csrfToken", csrf],
        ["email", decoy(n)],
        ["email", ADMIN.email],
        ["password", "wrong"],
        ["json", "true"],
      ]);
      const reply = await fetch(`${a.baseUrl}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), ...from(attacker) },
        body: body.toString(),
        redirect: "manual",
      });
      expect(reply.status).toBe(401);
    }
    expectRateLimited(await signIn(0, ADMIN.email, ADMIN.password, attacker));
  });

  it("limits one address guessing many accounts, known or not", async () => {
    const address = "203.0.113.7";
    for (let n = 0; n < LIMITS.perAddress; n++) {
      expect((await signIn(n, `nobody-${n}@example.test`, "wrong-password", address)).status).toBe(401);
    }
    expectRateLimited(await signIn(0, "someone-else@example.test", "whatever", address));
    expectRateLimited(await signIn(1, ADMIN.email, ADMIN.password, address));
  });

  it("a spread-out attack locks the account for strangers, never for an address it signed in from before", async () => {
    const victim = { email: "victim@example.test", password: `pw-${randomBytes(9).toString("hex")}` };
    await cli(["user", "create", "--email", victim.email, "--password", victim.password, "--role", "editor"], {
      DATABASE_URL: database.url,
      SECRETS_MASTER_KEY: KEY,
    });
    const home = "198.51.100.20";
    expect((await signIn(0, victim.email, victim.password, home)).status).toBe(200);

    // Strangers, each from its own address and under the per-address limits, fail until the
    // account-wide limit is reached.
    for (let n = 0; n < LIMITS.perAccount; n++) {
      expect((await signIn(n, victim.email, "guess", `192.0.2.${n + 1}`)).status).toBe(401);
    }
    // A new stranger is refused before the password is even checked (the right one included) ...
    expectRateLimited(await signIn(0, victim.email, victim.password, "192.0.2.200"));
    // ... while the account's owner, at home, signs in as usual, on either instance.
    expect((await signIn(0, victim.email, victim.password, home)).status).toBe(200);
    expect((await signIn(1, victim.email, victim.password, home)).status).toBe(200);
  });

  it("a device cookie from one instance gets its owner past a full address limit on the other", async () => {
    const owner = { email: "traveller@example.test", password: `pw-${randomBytes(9).toString("hex")}` };
    await cli(["user", "create", "--email", owner.email, "--password", owner.password, "--role", "viewer"], {
      DATABASE_URL: database.url,
      SECRETS_MASTER_KEY: KEY,
    });
    const laptop = new CookieJar();
    expect((await laptop.signIn(a, owner.email, owner.password, from("198.51.100.30"))).status).toBe(200);
    expect(laptop.cookies.get("provenance-device")).toBeDefined();

    // An anonymous client at a shared address fills its limit with made-up accounts.
    const cafe = "203.0.113.30";
    for (let n = 0; n < LIMITS.perAddress; n++) {
      expect((await signIn(n, `nobody-${n}@example.test`, "wrong-password", cafe)).status).toBe(401);
    }
    expectRateLimited(await signIn(0, owner.email, owner.password, cafe));
    const device = new CookieJar();
    device.cookies.set("provenance-device", laptop.cookies.get("provenance-device")!);
    expect((await device.signIn(b, owner.email, owner.password, from(cafe))).status).toBe(200);
  });
});
