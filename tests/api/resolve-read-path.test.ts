import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { call, unique } from "./support/client";

/**
 * The read path keeps tokens and secret rows in memory (lib/tokens/token-cache.ts,
 * lib/secrets/resolve/secret-lookup.ts). Every change made through the server must show on the very
 * next request, even right after a resolve has filled those caches: each test resolves first, then
 * changes, then resolves again at once.
 */
const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;

interface Resolved {
  value: string;
  error?: { code: string };
}

let vault: VaultFake;

const safePath = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.]/g, "_");
const resolve = (secretPath: string, token?: string) =>
  call<Resolved>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`, { token });

async function stored(secretPath: string, value: string): Promise<string> {
  const reply = await call<{ id: string }>("/api/secrets", { method: "POST", body: { secretPath, value } });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id;
}

async function expectValue(secretPath: string, value: string, token?: string): Promise<void> {
  const reply = await resolve(secretPath, token);
  expect(reply.status, reply.text).toBe(200);
  expect(reply.body.value).toBe(value);
}

beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } });
});
afterAll(async () => {
  await vault?.close();
});

describe("stored secrets, right after a resolve", () => {
  it("a new value is served at once", async () => {
    const secretPath = safePath("hot.value");
    const id = await stored(secretPath, "v1");
    await expectValue(secretPath, "v1");
    expect((await call(`/api/secrets/${id}`, { method: "PATCH", body: { value: "v2" } })).status).toBe(200);
    await expectValue(secretPath, "v2");
  });

  it("a rename answers 404 at the old path and the value at the new one", async () => {
    const before = safePath("hot.old");
    const after = safePath("hot.new");
    const id = await stored(before, "moving");
    await expectValue(before, "moving");
    expect((await resolve(after)).status).toBe(404);
    const renamed = await call(`/api/secrets/${id}`, { method: "PUT", body: { secretPath: after } });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await resolve(before)).status).toBe(404);
    await expectValue(after, "moving");
  });

  it("a delete answers 404 at once, and a new secret at the same path is the new one", async () => {
    const secretPath = safePath("hot.gone");
    const id = await stored(secretPath, "first");
    await expectValue(secretPath, "first");
    expect((await call(`/api/secrets/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await resolve(secretPath)).status).toBe(404);
    await stored(secretPath, "second");
    await expectValue(secretPath, "second");
  });
});

describe("external secrets, right after a resolve", () => {
  let connectionId: string;
  let secretPath: string;

  beforeAll(async () => {
    vault.putSecret("secret/hot/inside", { value: "inside-value" });
    const connection = await call<{ id: string }>("/api/secret-providers", {
      method: "POST",
      body: { name: unique("hot-vault"), type: "vault", config: { vaultUrl: vault.url, token: VAULT_TOKEN } },
    });
    expect(connection.status, connection.text).toBe(201);
    connectionId = connection.body.id;
    secretPath = safePath("hot.ext");
    const secret = await call("/api/secrets", {
      method: "POST",
      body: {
        secretPath,
        provider: "vault",
        providerPath: "secret/hot/inside",
        secretProviderId: connectionId,
        providerConfig: { jsonKey: "value" },
      },
    });
    expect(secret.status, secret.text).toBe(201);
  });

  it("a fence that leaves the secret outside refuses it at once; lifting it serves it again", async () => {
    await expectValue(secretPath, "inside-value");
    const fenced = await call(`/api/secret-providers/${connectionId}`, {
      method: "PATCH",
      body: { allowedProviderPaths: ["secret/elsewhere/**"] },
    });
    expect(fenced.status, fenced.text).toBe(200);
    const refused = await resolve(secretPath);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.text).not.toContain("inside-value");
    expect((await call(`/api/secret-providers/${connectionId}`, { method: "PATCH", body: { allowedProviderPaths: null } })).status).toBe(
      200,
    );
    await expectValue(secretPath, "inside-value");
  });

  it("a connection pointed elsewhere is read from the new address at once", async () => {
    await expectValue(secretPath, "inside-value");
    const other = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } });
    try {
      other.putSecret("secret/hot/inside", { value: "moved-value" });
      const moved = await call(`/api/secret-providers/${connectionId}`, {
        method: "PATCH",
        body: { config: { vaultUrl: other.url, token: VAULT_TOKEN } },
      });
      expect(moved.status, moved.text).toBe(200);
      await expectValue(secretPath, "moved-value");
    } finally {
      await other.close();
    }
  });
});

describe("tokens, right after they were used", () => {
  it("a revoked token is refused at its next request", async () => {
    const made = await call<{ token: string; id: string }>("/api/tokens", {
      method: "POST",
      body: { name: unique("hot-revoke"), role: "viewer" },
    });
    expect(made.status, made.text).toBe(201);
    expect((await call("/api/secrets", { token: made.body.token })).status).toBe(200);
    expect((await call(`/api/tokens/${made.body.id}`, { method: "DELETE" })).status).toBe(204);
    const refused = await call<{ error: { code: string } }>("/api/secrets", { token: made.body.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("unauthorized");
  });

  it("records when a token was last used, without the request waiting for it, at most once a minute", async () => {
    const made = await call<{ token: string; id: string }>("/api/tokens", {
      method: "POST",
      body: { name: unique("hot-stamp"), role: "viewer" },
    });
    expect(made.status, made.text).toBe(201);
    const lastUsed = async () =>
      (await call<Array<{ id: string; lastUsedAt: string | null }>>("/api/tokens")).body.find((t) => t.id === made.body.id)?.lastUsedAt ??
      null;
    expect(await lastUsed()).toBeNull();
    expect((await call("/api/secrets", { token: made.body.token })).status).toBe(200);
    let stamped: string | null = null;
    for (let tries = 0; tries < 40 && stamped === null; tries++) {
      stamped = await lastUsed();
      if (stamped === null) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stamped, "the last-used stamp was never written").not.toBeNull();
    expect((await call("/api/secrets", { token: made.body.token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await lastUsed()).toBe(stamped);
  });
});
