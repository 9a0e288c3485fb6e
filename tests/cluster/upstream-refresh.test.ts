import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type TempDatabase } from "../support/databases";
import { openEventStream } from "../support/event-stream";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { call, startPair, type Instance } from "./support/cluster";

/**
 * The upstream refresh on two `next start` processes, A and B, on one PostgreSQL database: a
 * secret is checked once per interval between them, not once by each (the Vault fake counts the
 * metadata calls), and a change one of them finds reaches a watcher on either, once.
 */
const ROOT = path.resolve(__dirname, "../..");
const TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const ADMIN = { email: "refresh-admin@example.test", password: `pw-${randomBytes(12).toString("hex")}` };
const KEY = randomBytes(32).toString("base64url");
const INTERVAL_S = 5;

let database: TempDatabase;
let vault: VaultFake;
let a: Instance;
let b: Instance;
let token: string;

const env = () => ({
  DATABASE_URL: database.url,
  SECRETS_MASTER_KEY: KEY,
  PROVENANCE_ADMIN_EMAIL: ADMIN.email,
  PROVENANCE_ADMIN_PASSWORD: ADMIN.password,
  PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
  PROVENANCE_PROVIDER_TIMEOUT_MS: "2000",
  PROVENANCE_REFRESH_TICK_MS: "100",
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const metadataCalls = (vaultPath: string) =>
  vault.requests.filter((r) => r.path === `/v1/${vaultPath.replace(/^secret\//, "secret/metadata/")}`);

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("build the app first (npm run build)");
  database = await createPostgresDatabase();
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [TOKEN]: [""] } });
  ({ a, b, adminToken: token } = await startPair(["refresh-a", "refresh-b"], env()));
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await vault?.close();
  await database?.drop();
}, 60_000);

describe("upstream refresh across two instances", () => {
  it("checks a secret once per interval between them, and a change found by either reaches a watcher on the other once", async () => {
    const vaultPath = `secret/refresh-${randomBytes(4).toString("hex")}`;
    vault.putSecret(vaultPath, { password: "cluster-old" });
    const connection = await call<{ id: string }>(a, "/api/secret-providers", {
      method: "POST",
      token,
      body: { name: `vault-${randomBytes(3).toString("hex")}`, type: "vault", config: { vaultUrl: vault.url, token: TOKEN } },
    });
    expect(connection.status, connection.text).toBe(201);
    const prefix = `cluster${randomBytes(3).toString("hex")}`;
    const secret = await call(a, "/api/secrets", {
      method: "POST",
      token,
      body: {
        secretPath: `${prefix}.db`,
        provider: "vault",
        providerPath: vaultPath,
        secretProviderId: connection.body.id,
        providerConfig: { refreshSeconds: INTERVAL_S },
      },
    });
    expect(secret.status, secret.text).toBe(201);

    const started = Date.now();
    await sleep(4 * INTERVAL_S * 1000);
    const at = metadataCalls(vaultPath).map((r) => r.at - started);
    // One per interval (4-6 s apart, less what the claiming instance took to send it): 3 or 4 in 20 s.
    // Each instance on its own would make twice that, in pairs a tick apart.
    expect(at.length, JSON.stringify(at)).toBeGreaterThanOrEqual(3);
    expect(at.length, JSON.stringify(at)).toBeLessThanOrEqual(4);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!, JSON.stringify(at)).toBeGreaterThan(INTERVAL_S * 800 - 1_000);

    const stream = await openEventStream(`${b.baseUrl}/api/secrets/watch?prefix=${prefix}`, { authorization: `Bearer ${token}` });
    try {
      expect(stream.status, stream.text).toBe(200);
      vault.putSecret(vaultPath, { password: "cluster-new" });
      const event = await stream.next(INTERVAL_S * 1200 + 3_000);
      expect(JSON.parse(event.data)).toMatchObject({ secretPath: `${prefix}.db`, version: "2", change: "upstream_changed" });
      expect(await stream.none(INTERVAL_S * 1000)).toBeNull();
    } finally {
      stream.close();
    }
  }, 90_000);
});
