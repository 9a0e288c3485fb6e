import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../api/support/browser";
import { freePort } from "../api/support/server";
import { createPostgresDatabase, type TempDatabase } from "../support/databases";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";

/**
 * The container path without a container engine: a clean copy of the standalone output laid out
 * as the Dockerfile lays it out, started with `node server.js` against PostgreSQL.
 */
const ROOT = path.resolve(__dirname, "../..");
const ADMIN = { email: "ops@example.test", password: `pw-${randomBytes(8).toString("hex")}` };
const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;

let appDir: string;
let database: TempDatabase;
let vault: VaultFake;
let server: ChildProcess;
let baseUrl: string;
let output = "";

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, ".next/standalone/server.js"))) throw new Error("build the app first (npm run build)");
  appDir = mkdtempSync(path.join(os.tmpdir(), "provenance-standalone-"));
  cpSync(path.join(ROOT, ".next/standalone"), appDir, { recursive: true });
  cpSync(path.join(ROOT, ".next/static"), path.join(appDir, ".next/static"), { recursive: true });
  cpSync(path.join(ROOT, "public"), path.join(appDir, "public"), { recursive: true });

  database = await createPostgresDatabase();
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ["server.js"], {
    cwd: appDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NEXTAUTH_URL: baseUrl,
      DATABASE_URL: database.url,
      SECRETS_MASTER_KEY: randomBytes(32).toString("base64url"),
      PROVENANCE_ADMIN_EMAIL: ADMIN.email,
      PROVENANCE_ADMIN_PASSWORD: ADMIN.password,
      PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 150; i++) {
    const ready = await fetch(`${baseUrl}/api/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`standalone server did not become ready:\n${output}`);
}, 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  await vault?.close();
  await database?.drop();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

describe("the standalone server, laid out as in the container image", () => {
  it("migrates PostgreSQL, is live and ready, and lets the admin sign in and resolve through a token", async () => {
    expect(output).toMatch(/database migrated/);
    expect((await fetch(`${baseUrl}/api/health/live`)).status).toBe(200);

    const browser = new Browser(baseUrl);
    await browser.signIn(ADMIN.email, ADMIN.password);
    expect(browser.sessionCookieName()).toBeDefined();
    const token = await browser.request("/api/tokens", {
      method: "POST",
      json: { name: "deploy", role: "editor" },
      headers: { origin: baseUrl },
    });
    expect(token.status, token.text).toBe(201);
    const bearer = { authorization: `Bearer ${(token.json as { token: string }).token}`, "content-type": "application/json" };

    const created = await fetch(`${baseUrl}/api/secrets`, {
      method: "POST",
      headers: bearer,
      body: JSON.stringify({ secretPath: "deploy.check", value: "it-works" }),
    });
    expect(created.status).toBe(201);
    const resolved = await fetch(`${baseUrl}/api/secrets/resolve?path=deploy.check`, { headers: bearer });
    expect(await resolved.json()).toMatchObject({ value: "it-works", provider: "provenance" });
  });

  it("loads the optional cloud SDKs from its own node_modules", async () => {
    const types = (await new Browser(baseUrl).request("/api/secret-providers/types")).status;
    expect(types).toBe(401); // the endpoint exists; the SDK status is checked through a token below
    const browser = new Browser(baseUrl);
    await browser.signIn(ADMIN.email, ADMIN.password);
    const listed = await browser.request("/api/secret-providers/types");
    const sdks = (listed.json as Array<{ type: string; sdk: { installed: boolean } }>).map((t) => [t.type, t.sdk.installed]);
    expect(Object.fromEntries(sdks)).toEqual({ "aws-sm": true, "azure-kv": true, "gcp-sm": true, vault: true });
  });

  it("finishes a request in flight when told to stop (SIGTERM), then exits", async () => {
    vault.putSecret("secret/slow", { value: "slow-but-whole" });
    const browser = new Browser(baseUrl);
    await browser.signIn(ADMIN.email, ADMIN.password);
    const json = (body: unknown) => ({ method: "POST", json: body, headers: { origin: baseUrl } });
    const connection = await browser.request(
      "/api/secret-providers",
      json({ name: "slow vault", type: "vault", config: { vaultUrl: vault.url, token: VAULT_TOKEN } }),
    );
    const id = (connection.json as { id: string }).id;
    await browser.request(
      "/api/secrets",
      json({ secretPath: "deploy.slow", provider: "vault", providerPath: "secret/slow", secretProviderId: id }),
    );

    vault.faults.add({ delayMs: 1_500 });
    const inFlight = browser.request("/api/secrets/resolve?path=deploy.slow");
    await new Promise((r) => setTimeout(r, 400));
    const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    const response = await inFlight;
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({ value: "slow-but-whole" });
    expect(await exited).not.toBeNull();
    await expect(fetch(`${baseUrl}/api/health/live`)).rejects.toThrow();
  });
});
