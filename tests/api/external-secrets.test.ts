import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { startGcpFake, type GcpFake } from "../support/fakes/gcp";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { call, unique } from "./support/client";

/**
 * External secrets end to end: the real server resolves through the real SDKs to local servers
 * that speak each manager's wire protocol. Assertions are on what those servers received.
 */
const MASK = "••••••••";
const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const VAULT_TOKEN_2 = `hvs.${randomBytes(12).toString("hex")}`;
const AWS_KEY = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
const AZURE = { tenant: "tenant-1", clientId: "client-1", clientSecret: randomBytes(16).toString("hex") };
const CREDENTIALS = [VAULT_TOKEN, VAULT_TOKEN_2, AWS_KEY.id, AWS_KEY.secret, AZURE.clientSecret];

let vault: VaultFake;
let aws: AwsFake;
let azure: AzureFake;
let gcp: GcpFake;
const ids: Record<string, string> = {};

interface Resolved {
  value: string;
  version: string | null;
  cached: boolean;
  stale: boolean;
  provider: string;
}
interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

const path = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.-]/g, "-");
const resolve = (secretPath: string) => call<Resolved & ErrorBody>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);

async function connect(type: string, config: Record<string, string>) {
  const response = await call<{ id: string }>("/api/secret-providers", { method: "POST", body: { name: unique(type), type, config } });
  expect(response.status, response.text).toBe(201);
  return response.body.id;
}

async function external(provider: string, providerPath: string, providerConfig: Record<string, unknown> = {}) {
  const secretPath = path(`ext.${provider}`);
  const response = await call<{ id: string }>("/api/secrets", {
    method: "POST",
    body: { secretPath, provider, providerPath, secretProviderId: ids[provider], providerConfig },
  });
  expect(response.status, response.text).toBe(201);
  return { secretPath, id: response.body.id };
}

beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""], [VAULT_TOKEN_2]: [""] } });
  aws = await startAwsFake({ [AWS_KEY.id]: AWS_KEY.secret });
  azure = await startAzureFake({ tenantId: AZURE.tenant, clients: { [AZURE.clientId]: AZURE.clientSecret } });
  gcp = await startGcpFake();
  ids.vault = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
  ids["aws-sm"] = await connect("aws-sm", {
    region: "eu-west-1",
    accessKeyId: AWS_KEY.id,
    secretAccessKey: AWS_KEY.secret,
    endpoint: aws.url,
  });
  ids["azure-kv"] = await connect("azure-kv", {
    vaultUrl: azure.vaultUrl,
    tenantId: AZURE.tenant,
    clientId: AZURE.clientId,
    clientSecret: AZURE.clientSecret,
    authorityHost: azure.authorityUrl,
  });
  ids["gcp-sm"] = await connect("gcp-sm", { projectId: "proj-123456", apiEndpoint: `http://${gcp.endpoint}` });
});
afterAll(async () => {
  await Promise.all([vault?.close(), aws?.close(), azure?.close(), gcp?.close()]);
});

describe("resolving from each manager", () => {
  it("Vault: inserts data/, sends the token, picks jsonKey, and caches", async () => {
    vault.putSecret("secret/app/db", { username: "app", password: "pw-1" });
    const { secretPath } = await external("vault", "secret/app/db", { jsonKey: "password" });
    const first = await resolve(secretPath);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ value: "pw-1", version: "1", provider: "vault", cached: false, stale: false });
    const request = vault.requests.at(-1)!;
    expect(request.path).toBe("/v1/secret/data/app/db");
    expect(request.headers["x-vault-token"]).toBe(VAULT_TOKEN);
    const calls = vault.requests.length;
    expect((await resolve(secretPath)).body).toMatchObject({ value: "pw-1", cached: true });
    expect(vault.requests.length).toBe(calls);
  });

  it("Vault without jsonKey: one key gives its value, several keys give the JSON object", async () => {
    vault.putSecret("secret/single", { apiKey: "only" });
    vault.putSecret("secret/multi", { a: "1", b: "2" });
    expect((await resolve((await external("vault", "secret/single")).secretPath)).body.value).toBe("only");
    expect(JSON.parse((await resolve((await external("vault", "secret/multi")).secretPath)).body.value)).toEqual({ a: "1", b: "2" });
  });

  it("AWS: signs with the connection's key, selects a version stage, and extracts a JSON key", async () => {
    aws.putSecret("prod/stripe", JSON.stringify({ api_key: "sk_1" }));
    const { secretPath } = await external("aws-sm", "prod/stripe", { jsonKey: "api_key", version: "AWSCURRENT" });
    const resolved = await resolve(secretPath);
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.value).toBe("sk_1");
    expect(aws.signedBy.at(-1)).toBe(AWS_KEY.id);
    expect(JSON.parse(aws.requests.at(-1)!.body)).toEqual({ SecretId: "prod/stripe", VersionStage: "AWSCURRENT" });
  });

  it("AWS: a missing secret is 502 provider_error naming the manager, the path and the reason", async () => {
    const { secretPath } = await external("aws-sm", "prod/missing");
    const response = await resolve(secretPath);
    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe("provider_error");
    expect(response.body.error.message).toMatch(/AWS Secrets Manager.*prod\/missing.*ResourceNotFoundException/);
  });

  it("Azure: signs in with the client secret at the authority and reads the named version", async () => {
    const version = azure.putSecret("db-password", "az-1");
    azure.putSecret("db-password", "az-2");
    const { secretPath } = await external("azure-kv", "db-password", { version });
    const resolved = await resolve(secretPath);
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body).toMatchObject({ value: "az-1", version });
    expect(azure.tokenRequests.at(-1)).toMatchObject({ clientId: AZURE.clientId, clientSecret: AZURE.clientSecret });
  });

  it("GCP: expands a short name under the project and verifies the payload", async () => {
    gcp.putSecret("proj-123456", "my-secret", "g-1");
    const { secretPath } = await external("gcp-sm", "my-secret");
    const resolved = await resolve(secretPath);
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body).toMatchObject({ value: "g-1", version: "1" });
    expect(gcp.requests.at(-1)!.name).toBe("projects/proj-123456/secrets/my-secret/versions/latest");
  });

  it("resolves a batch across all four managers in one call, failures beside successes", async () => {
    vault.putSecret("secret/batch/x", { v: "vault-x" });
    aws.putSecret("batch/x", "aws-x");
    azure.putSecret("batch-x", "azure-x");
    gcp.putSecret("proj-123456", "batch-x", "gcp-x");
    const paths = [
      (await external("vault", "secret/batch/x")).secretPath,
      (await external("aws-sm", "batch/x")).secretPath,
      (await external("azure-kv", "batch-x")).secretPath,
      (await external("gcp-sm", "batch-x")).secretPath,
      (await external("aws-sm", "batch/none")).secretPath,
    ];
    const response = await call<{ values: Record<string, string>; errors: Record<string, { code: string }> }>("/api/secrets/resolve", {
      method: "POST",
      body: { paths },
    });
    expect(response.status).toBe(200);
    expect(Object.values(response.body.values).sort()).toEqual(["aws-x", "azure-x", "gcp-x", "vault-x"]);
    expect(response.body.errors[paths[4]!]!.code).toBe("provider_error");
  });
});

describe("when the manager misbehaves", () => {
  it("answers 504 provider_timeout within the deadline when the manager hangs, and serves again afterwards", async () => {
    vault.putSecret("secret/slow", { v: "slow" });
    const { secretPath } = await external("vault", "secret/slow", { cacheTtlSeconds: 0 });
    vault.faults.add({ delayMs: 5_000 }, 3);
    const started = Date.now();
    const response = await resolve(secretPath);
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe("provider_timeout");
    expect(Date.now() - started).toBeLessThan(4_000);
    while (vault.faults.pending > 0) vault.faults.take();
    expect((await resolve(secretPath)).status).toBe(200);
  });

  it("serves the last good value marked stale when a refresh fails", async () => {
    vault.putSecret("secret/flaky", { v: "good" });
    const { secretPath } = await external("vault", "secret/flaky", { cacheTtlSeconds: 1 });
    expect((await resolve(secretPath)).body).toMatchObject({ value: "good", stale: false });
    await new Promise((r) => setTimeout(r, 1_100));
    vault.faults.add({ status: 503 }, 10);
    const stale = await resolve(secretPath);
    expect(stale.status, stale.text).toBe(200);
    expect(stale.body).toMatchObject({ value: "good", stale: true, cached: true });
    while (vault.faults.pending > 0) vault.faults.take();
  });

  it("never puts a credential in an error", async () => {
    const bad = await connect("vault", { vaultUrl: vault.url, token: `hvs.${randomBytes(12).toString("hex")}` });
    const secretPath = path("ext.denied");
    await call("/api/secrets", {
      method: "POST",
      body: { secretPath, provider: "vault", providerPath: "secret/app/db", secretProviderId: bad },
    });
    const response = await resolve(secretPath);
    expect(response.status).toBe(502);
    for (const credential of CREDENTIALS) expect(response.text).not.toContain(credential);
  });
});

describe("changes reach the cache at once", () => {
  it("a replaced credential is used on the next resolve; the masked one is kept until then", async () => {
    vault.putSecret("secret/rotating", { v: "r" });
    const connectionId = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
    const secretPath = path("ext.rotating");
    await call("/api/secrets", {
      method: "POST",
      body: { secretPath, provider: "vault", providerPath: "secret/rotating", secretProviderId: connectionId },
    });
    await resolve(secretPath);
    expect(vault.requests.at(-1)!.headers["x-vault-token"]).toBe(VAULT_TOKEN);

    await call(`/api/secret-providers/${connectionId}`, { method: "PUT", body: { description: "kept", config: { token: MASK } } });
    expect((await resolve(secretPath)).body.cached).toBe(false);
    expect(vault.requests.at(-1)!.headers["x-vault-token"]).toBe(VAULT_TOKEN);

    await call(`/api/secret-providers/${connectionId}`, { method: "PUT", body: { config: { token: VAULT_TOKEN_2 } } });
    expect((await resolve(secretPath)).status).toBe(200);
    expect(vault.requests.at(-1)!.headers["x-vault-token"]).toBe(VAULT_TOKEN_2);
  });

  it("an edited secret is refetched", async () => {
    vault.putSecret("secret/edit", { a: "A", b: "B" });
    const { secretPath, id } = await external("vault", "secret/edit", { jsonKey: "a" });
    expect((await resolve(secretPath)).body.value).toBe("A");
    await call(`/api/secrets/${id}`, { method: "PATCH", body: { providerConfig: { jsonKey: "b" } } });
    expect((await resolve(secretPath)).body).toMatchObject({ value: "B", cached: false });
  });
});

describe("POST /api/secret-providers/:id/test", () => {
  it("reports success with latency, and with a path the version and a fingerprint but never the value", async () => {
    vault.putSecret("secret/tested", { value: "do-not-show-me" });
    const plain = await call<{ ok: boolean; latencyMs: number }>(`/api/secret-providers/${ids.vault}/test`, { method: "POST", body: {} });
    expect(plain.body).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    const withPath = await call<{ ok: boolean; version: string; fingerprint: string }>(`/api/secret-providers/${ids.vault}/test`, {
      method: "POST",
      body: { providerPath: "secret/tested" },
    });
    expect(withPath.body).toMatchObject({ ok: true, version: "1", fingerprint: expect.stringMatching(/^hmac-sha256:/) });
    expect(withPath.text).not.toContain("do-not-show-me");
    const listed = await call<{ lastTest: { ok: boolean } }>(`/api/secret-providers/${ids.vault}`);
    expect(listed.body.lastTest).toMatchObject({ ok: true });
  });

  it("reports an upstream failure as ok: false in plain words", async () => {
    const response = await call<{ ok: boolean; error: { code: string; message: string } }>(`/api/secret-providers/${ids["aws-sm"]}/test`, {
      method: "POST",
      body: { providerPath: "prod/not-there" },
    });
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(false);
    expect(response.body.error).toMatchObject({ code: "provider_error", message: expect.stringMatching(/not found/) });
  });

  it("says at which stage and host a test failed, with a hint; a test is no change to the connection", async () => {
    const before = await call<{ updatedAt: string }>(`/api/secret-providers/${ids["aws-sm"]}`);
    const response = await call<{ ok: boolean; error: { stage: string; endpoint: string; hint: string } }>(
      `/api/secret-providers/${ids["aws-sm"]}/test`,
      {
        method: "POST",
        body: { providerPath: "prod/not-there" },
      },
    );
    expect(response.body.error).toMatchObject({
      stage: "not_found",
      endpoint: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      hint: expect.any(String),
    });
    const after = await call<{ updatedAt: string; lastTest: { at: string } }>(`/api/secret-providers/${ids["aws-sm"]}`);
    expect(after.body.updatedAt).toBe(before.body.updatedAt);
    expect(Date.parse(after.body.lastTest.at)).toBeGreaterThan(Date.parse(after.body.updatedAt));
  });
});
