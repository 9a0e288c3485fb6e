import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { ClientAt } from "./support/from-address";
import { leakRecorder } from "./support/leak-recorder";
import { startServer, type RunningServer } from "./support/server";

/**
 * CONTRACT, Trust rules: "Addresses are the ones the server saw", and sign-in limits a stranger
 * cannot turn against known users. Servers of this file's own, on the suite's database, with low
 * sign-in limits; each client connects from a loopback address of its own (127.0.0.0/8), so the
 * server tells clients apart by their socket, whatever headers they write.
 */
const ROOT = path.resolve(__dirname, "../..");
const LIMITS = { perAccountAndAddress: 3, perAddress: 5, perAccount: 6 };
const PUBLIC_URL = "http://dashboard.provenance.test";
const run = promisify(execFile);

type User = { email: string; password: string };
let users: Record<"victim" | "recorded" | "proxied" | "knownAddress" | "device" | "deviceOther" | "deviceGuess", User>;
let plain: RunningServer;
let oneProxy: RunningServer;
let twoProxies: RunningServer;

const baseEnv = () => ({
  DATABASE_URL: apiContext().databaseUrl,
  SECRETS_MASTER_KEY: apiContext().masterKey,
  PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: String(LIMITS.perAccountAndAddress),
  PROVENANCE_SIGNIN_FAILURES_PER_ADDRESS: String(LIMITS.perAddress),
  PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT: String(LIMITS.perAccount),
});

/** A user of this file's own (made by the CLI), so no counter is shared with other tests. */
async function newUser(label: string): Promise<User> {
  const user = { email: `${label}-${randomBytes(4).toString("hex")}@example.test`, password: `pw-${randomBytes(12).toString("hex")}` };
  leakRecorder.sensitive(`password of ${user.email}`, "credential", user.password);
  await run(
    process.execPath,
    [path.join(ROOT, "bin/provenance.mjs"), "user", "create", "--email", user.email, "--password", user.password, "--role", "editor"],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: apiContext().databaseUrl, SECRETS_MASTER_KEY: apiContext().masterKey },
    },
  );
  return user;
}

const nobody = () => `nobody-${randomBytes(4).toString("hex")}@example.test`;

/** Fails `count` sign-ins for made-up accounts from `client`, each answered 401. */
async function failForStrangers(
  client: ClientAt,
  count: number,
  headers: (n: number) => Record<string, string> = () => ({}),
): Promise<void> {
  for (let n = 0; n < count; n++) {
    const reply = await client.signIn(nobody(), "wrong-password", headers(n));
    expect(reply.status, reply.text).toBe(401);
  }
}

function expectRateLimited(reply: { status: number; text: string }): void {
  expect(reply.status, reply.text).toBe(429);
  expect(JSON.parse(reply.text)).toMatchObject({ error: { code: "rate_limited" } });
}

/** The newest sign-in audit row about `email` (a known account's rows carry its email). */
async function lastSignInRow(email: string): Promise<{ source_ip: string | null; outcome: string }> {
  const rows = await query<{ source_ip: string | null; outcome: string }>(
    `SELECT source_ip, outcome FROM audit_events WHERE action = 'auth.sign_in' AND target_label = $1 ORDER BY at DESC, id DESC LIMIT 1`,
    [email],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

beforeAll(async () => {
  const names = ["victim", "recorded", "proxied", "knownAddress", "device", "deviceOther", "deviceGuess"] as const;
  // One after another: on SQLite, parallel CLI writes would wait on each other's locks.
  const made: User[] = [];
  for (const name of names) made.push(await newUser(name.toLowerCase()));
  users = Object.fromEntries(names.map((name, i) => [name, made[i]!])) as typeof users;
  [plain, oneProxy, twoProxies] = await Promise.all([
    startServer({ ...baseEnv(), NEXTAUTH_URL: PUBLIC_URL }, "addresses-plain"),
    startServer({ ...baseEnv(), PROVENANCE_TRUST_PROXY: "true" }, "addresses-one-proxy"),
    startServer({ ...baseEnv(), PROVENANCE_TRUST_PROXY: "true", PROVENANCE_TRUSTED_PROXY_COUNT: "2" }, "addresses-two-proxies"),
  ]);
}, 300_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), oneProxy?.stop(), twoProxies?.stop()]);
});

describe("without a trusted proxy, the address is the connection's", () => {
  it("rotating X-Forwarded-For does not lift the per-address limit, and the 429's url is on NEXTAUTH_URL", async () => {
    const client = new ClientAt(plain.baseUrl, "127.0.1.1");
    const rotating = (n: number) => ({ "x-forwarded-for": `203.0.113.${n + 1}`, "x-real-ip": `198.51.100.${n + 1}` });
    await failForStrangers(client, LIMITS.perAddress, rotating);
    const limited = await client.signIn(nobody(), "wrong-password", rotating(99));
    expectRateLimited(limited);
    // next-auth's browser client follows `url`: the public address, never the one the server binds to.
    expect((limited.json as { url: string }).url).toBe(`${PUBLIC_URL}/login?error=rate_limited`);
    // next-auth's own answers are on the public URL too.
    const other = new ClientAt(plain.baseUrl, "127.0.1.9");
    const failed = await other.signIn(nobody(), "wrong-password");
    expect(failed.status).toBe(401);
    expect(new URL((failed.json as { url: string }).url).origin).toBe(PUBLIC_URL);
  });

  it("a stranger writing a victim's address does not lock the victim out", async () => {
    const user = users.victim;
    const victimAddress = "127.0.1.3";
    // The victim's own client (or a proxy it is behind) writes X-Forwarded-For; the attacker writes the same.
    const spoofed = { "x-forwarded-for": "198.51.100.77", "x-real-ip": victimAddress };
    const attacker = new ClientAt(plain.baseUrl, "127.0.1.2");
    await failForStrangers(attacker, LIMITS.perAddress, () => spoofed);
    expectRateLimited(await attacker.signIn(nobody(), "wrong-password", spoofed));

    const victim = new ClientAt(plain.baseUrl, victimAddress);
    expect((await victim.signIn(nobody(), "typo", spoofed)).status).toBe(401);
    const signIn = await victim.signIn(user.email, user.password, spoofed);
    expect(signIn.status, signIn.text).toBe(200);
    expect(victim.sessionCookie()).toBeDefined();
  });

  it("audit rows and sessions record the socket's address, whatever the client writes (the private peer header included)", async () => {
    const user = users.recorded;
    const client = new ClientAt(plain.baseUrl, "127.0.1.4");
    const forged = { "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.10", "x-provenance-peer": "203.0.113.11" };
    expect((await client.signIn(user.email, "wrong-password", forged)).status).toBe(401);
    expect(await lastSignInRow(user.email)).toEqual({ source_ip: "127.0.1.4", outcome: "denied" });

    expect((await client.signIn(user.email, user.password, forged)).status).toBe(200);
    expect(await lastSignInRow(user.email)).toEqual({ source_ip: "127.0.1.4", outcome: "success" });
    const sessions = await query<{ source_ip: string | null }>(
      "SELECT s.source_ip FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
      [user.email],
    );
    expect(sessions).toEqual([{ source_ip: "127.0.1.4" }]);

    // A token's calls too: its audit rows name the socket's address.
    const secretPath = `addresses.token-${randomBytes(4).toString("hex")}`;
    const created = await client.request("/api/secrets", {
      method: "POST",
      json: { secretPath, value: "v" },
      headers: { authorization: `Bearer ${apiContext().tokens.admin}`, ...forged },
    });
    expect(created.status, created.text).toBe(201);
    const rows = await query<{ source_ip: string | null }>(
      "SELECT source_ip FROM audit_events WHERE action = 'secret.create' AND target_label = $1",
      [secretPath],
    );
    expect(rows).toEqual([{ source_ip: "127.0.1.4" }]);
  });

  it("warns once, in a JSON log line, that X-Forwarded-For is ignored and how to trust a proxy", async () => {
    const client = new ClientAt(plain.baseUrl, "127.0.1.5");
    await client.request("/api/health", { headers: { "x-forwarded-for": "203.0.113.12" } });
    const warnings = readFileSync(plain.logFile, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("{") && line.includes("X-Forwarded-For"))
      .map((line) => JSON.parse(line) as { level: string; message: string });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: "warn", message: expect.stringContaining("PROVENANCE_TRUST_PROXY=true") });
    expect(warnings[0]!.message).toContain("PROVENANCE_TRUSTED_PROXY_COUNT");
    // A server behind a trusted proxy has nothing to warn about.
    await new ClientAt(oneProxy.baseUrl, "127.0.1.5").request("/api/health", { headers: { "x-forwarded-for": "203.0.113.12" } });
    expect(readFileSync(oneProxy.logFile, "utf8")).not.toContain("are ignored because no proxy is trusted");
  });
});

describe("behind trusted proxies, the entry the nearest proxies vouch for counts", () => {
  const chain = { "x-forwarded-for": "192.0.2.1, 192.0.2.2" };
  // Two header lines are one list, in order.
  const lines = { "x-forwarded-for": "192.0.2.1" };

  it.each([
    ["one proxy: the right-most entry", () => oneProxy, chain, "192.0.2.2"],
    ["one proxy: the connection when the proxy sent no X-Forwarded-For", () => oneProxy, {}, "127.0.1.6"],
    ["one proxy: X-Real-IP is never read", () => oneProxy, { "x-real-ip": "192.0.2.50" }, "127.0.1.6"],
    [
      "two proxies: the second entry from the right",
      () => twoProxies,
      { "x-forwarded-for": "10.0.0.1, 192.0.2.1, 192.0.2.2" },
      "192.0.2.1",
    ],
    ["two proxies: the left-most entry when there are fewer than two", () => twoProxies, lines, "192.0.2.1"],
  ])("%s", async (_label, server, headers, expected) => {
    const user = users.proxied;
    const client = new ClientAt(server().baseUrl, "127.0.1.6");
    expect((await client.signIn(user.email, "wrong-password", headers)).status).toBe(401);
    expect((await lastSignInRow(user.email)).source_ip).toBe(expected);
  });
});

describe("a stranger cannot lock a known user out", () => {
  it("a correct password from an address the account signed in from before is not refused by the per-address limit", async () => {
    const user = users.knownAddress;
    const home = "127.0.2.1";
    expect((await new ClientAt(plain.baseUrl, home).signIn(user.email, user.password)).status).toBe(200);

    // An anonymous client at the same address (an office, a proxy without a trusted setting)
    // fills the address's limit with made-up accounts.
    const stranger = new ClientAt(plain.baseUrl, home);
    await failForStrangers(stranger, LIMITS.perAddress);
    expectRateLimited(await stranger.signIn(nobody(), "wrong-password"));

    const owner = new ClientAt(plain.baseUrl, home);
    // The password is still checked ...
    expect((await owner.signIn(user.email, "typo")).status).toBe(401);
    // ... and the right one gets in.
    const signIn = await owner.signIn(user.email, user.password);
    expect(signIn.status, signIn.text).toBe(200);
    expect(owner.sessionCookie()).toBeDefined();
  });

  it(
    "a device cookie from an earlier sign-in gets the owner past the per-address and per-account limits at a new address",
    { timeout: 120_000 },
    async () => {
      const user = users.device;
      const laptop = new ClientAt(plain.baseUrl, "127.0.2.2");
      expect((await laptop.signIn(user.email, user.password)).status).toBe(200);
      const cookie = laptop.setCookies.find((c) => c.name === "provenance-device");
      expect(cookie, laptop.setCookies.map((c) => c.name).join(", ")).toBeDefined();
      expect(cookie!.attributes).toMatchObject({ httponly: true, path: "/" });
      expect(String(cookie!.attributes.samesite).toLowerCase()).toBe("lax");
      expect(cookie!.attributes.secure).toBeUndefined(); // NEXTAUTH_URL is http here
      expect(Number(cookie!.attributes["max-age"])).toBeGreaterThanOrEqual(30 * 24 * 3600);
      expect(cookie!.value).not.toContain(user.email);

      // Strangers fill the per-account limit from addresses of their own, and the per-address
      // limit at the café the owner is about to sign in from.
      for (let n = 0; n < LIMITS.perAccount; n++) {
        expect((await new ClientAt(plain.baseUrl, `127.0.3.${n + 1}`).signIn(user.email, "guess")).status).toBe(401);
      }
      const cafe = "127.0.2.3";
      await failForStrangers(new ClientAt(plain.baseUrl, cafe), LIMITS.perAddress);

      // Without the cookie the owner is refused there like anyone else ...
      expectRateLimited(await new ClientAt(plain.baseUrl, cafe).signIn(user.email, user.password));
      // ... and so is a tampered or another account's cookie ...
      const tampered = new ClientAt(plain.baseUrl, cafe);
      tampered.cookies.set(
        "provenance-device",
        cookie!.value.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
      );
      expectRateLimited(await tampered.signIn(user.email, user.password));
      const other = users.deviceOther;
      const otherLaptop = new ClientAt(plain.baseUrl, "127.0.2.4");
      expect((await otherLaptop.signIn(other.email, other.password)).status).toBe(200);
      const borrowed = new ClientAt(plain.baseUrl, cafe);
      borrowed.cookies.set("provenance-device", otherLaptop.cookies.get("provenance-device")!);
      expectRateLimited(await borrowed.signIn(user.email, user.password));

      // ... while the laptop, with its device cookie, signs in.
      const moved = new ClientAt(plain.baseUrl, cafe);
      moved.cookies.set("provenance-device", cookie!.value);
      expect((await moved.signIn(user.email, "typo")).status).toBe(401);
      const signIn = await moved.signIn(user.email, user.password);
      expect(signIn.status, signIn.text).toBe(200);
      expect(moved.sessionCookie()).toBeDefined();
    },
  );

  it("wrong passwords with a device cookie still run into a limit of their own", async () => {
    const user = users.deviceGuess;
    const laptop = new ClientAt(plain.baseUrl, "127.0.2.5");
    expect((await laptop.signIn(user.email, user.password)).status).toBe(200);
    const device = laptop.cookies.get("provenance-device")!;
    const thief = new ClientAt(plain.baseUrl, "127.0.2.6");
    thief.cookies.set("provenance-device", device);
    for (let n = 0; n < LIMITS.perAccountAndAddress; n++) expect((await thief.signIn(user.email, `guess-${n}`)).status).toBe(401);
    expectRateLimited(await thief.signIn(user.email, "another guess"));
    // From another address the same cookie is the same counter.
    const elsewhere = new ClientAt(plain.baseUrl, "127.0.2.7");
    elsewhere.cookies.set("provenance-device", device);
    expectRateLimited(await elsewhere.signIn(user.email, user.password));
  });
});
