import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { call, unique } from "./support/client";

/**
 * How many upstream calls resolves cost, counted by the wire-protocol fakes: a herd of concurrent
 * resolves of one secret shares one call, and a batch reads AWS secrets with BatchGetSecretValue
 * (20 to a call), with single reads when the batch action is refused.
 */
const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const AWS_KEY = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
const AWS_KEY_NO_BATCH = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
const AZURE = { tenant: "tenant-calls", clientId: "client-calls", clientSecret: randomBytes(16).toString("hex") };

let vault: VaultFake;
let aws: AwsFake;
let azure: AzureFake;

interface Batch {
  values: Record<string, string>;
  errors: Record<string, { code: string; message: string }>;
}

const safe = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.-]/g, "-");
const resolve = (secretPath: string) =>
  call<{ value: string; cached: boolean }>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);
const resolveBatch = (paths: string[]) => call<Batch>("/api/secrets/resolve", { method: "POST", body: { paths } });
const target = (r: { headers: Record<string, unknown> }) => String(r.headers["x-amz-target"] ?? "");

async function connect(type: string, config: Record<string, string>) {
  const response = await call<{ id: string }>("/api/secret-providers", { method: "POST", body: { name: unique(type), type, config } });
  expect(response.status, response.text).toBe(201);
  return response.body.id;
}

async function external(provider: string, connectionId: string, providerPath: string, providerConfig: Record<string, unknown> = {}) {
  const secretPath = safe(`calls.${provider}`);
  const response = await call("/api/secrets", {
    method: "POST",
    body: { secretPath, provider, providerPath, secretProviderId: connectionId, providerConfig },
  });
  expect(response.status, response.text).toBe(201);
  return secretPath;
}

const awsConfig = (key: { id: string; secret: string }) => ({
  region: "eu-west-1",
  accessKeyId: key.id,
  secretAccessKey: key.secret,
  endpoint: aws.url,
});

beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } });
  aws = await startAwsFake({ [AWS_KEY.id]: AWS_KEY.secret, [AWS_KEY_NO_BATCH.id]: AWS_KEY_NO_BATCH.secret });
  aws.deny(AWS_KEY_NO_BATCH.id, "BatchGetSecretValue");
  azure = await startAzureFake({ tenantId: AZURE.tenant, clients: { [AZURE.clientId]: AZURE.clientSecret } });
});
afterAll(async () => {
  await Promise.all([vault?.close(), aws?.close(), azure?.close()]);
});

describe("100 concurrent resolves of one secret", () => {
  for (const [label, providerConfig] of [
    ["with cacheTtlSeconds 0", { cacheTtlSeconds: 0 }],
    ["with the default TTL, cold", {}],
  ] as const) {
    it(`${label}: one upstream call, every caller answered with the value`, async () => {
      const connection = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
      const name = `herd/${randomBytes(4).toString("hex")}`;
      vault.putSecret(`secret/${name}`, { value: "herd-value" });
      const secretPath = await external("vault", connection, `secret/${name}`, providerConfig);
      const reads = () => vault.requests.filter((r) => r.path === `/v1/secret/data/${name}`).length;
      // The mount is learnt first, so only reads of the secret itself are in question.
      await call(`/api/secret-providers/${connection}/test`, { method: "POST", body: { providerPath: `secret/${name}` } });
      const before = reads();
      // A slow manager (1.5 s, inside the suite's 2 s provider timeout): every request of the herd
      // reaches the route while the first read is out, however slowly a busy test machine takes
      // the 100 requests in (Next's own routing comes before the route).
      vault.faults.add({ delayMs: 1_500 }, 100);
      const answers = await Promise.all(Array.from({ length: 100 }, () => resolve(secretPath)));
      while (vault.faults.pending > 0) vault.faults.take();
      expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
      expect(new Set(answers.map((a) => a.body.value))).toEqual(new Set(["herd-value"]));
      expect(reads() - before).toBe(1);
    });
  }

  it("with cacheTtlSeconds 0, a resolve that arrives after the read finished reads again", async () => {
    const connection = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
    const name = `again/${randomBytes(4).toString("hex")}`;
    vault.putSecret(`secret/${name}`, { value: "one" });
    const secretPath = await external("vault", connection, `secret/${name}`, { cacheTtlSeconds: 0 });
    expect((await resolve(secretPath)).body.value).toBe("one");
    vault.putSecret(`secret/${name}`, { value: "two" });
    expect((await resolve(secretPath)).body).toMatchObject({ value: "two", cached: false });
  });
});

describe("a batch resolve of AWS secrets", () => {
  it("reads the current versions with BatchGetSecretValue, at most 20 ids to a call, and fills the cache", async () => {
    const connection = await connect("aws-sm", awsConfig(AWS_KEY));
    const tag = randomBytes(4).toString("hex");
    const paths: string[] = [];
    for (let i = 0; i < 25; i++) {
      aws.putSecret(`calls/${tag}/s${i}`, i === 0 ? JSON.stringify({ user: "u0", password: "p0" }) : `aws-${i}`);
      paths.push(await external("aws-sm", connection, `calls/${tag}/s${i}`, i === 0 ? { jsonKey: "password" } : {}));
    }
    const missing = await external("aws-sm", connection, `calls/${tag}/missing`);
    const firstVersion = aws.putSecret(`calls/${tag}/pinned`, "old");
    aws.putSecret(`calls/${tag}/pinned`, "new");
    const pinned = await external("aws-sm", connection, `calls/${tag}/pinned`, { version: firstVersion });
    const before = aws.requests.length;

    const response = await resolveBatch([...paths, missing, pinned]);
    expect(response.status, response.text).toBe(200);
    expect(response.body.values[paths[0]!]).toBe("p0");
    for (let i = 1; i < 25; i++) expect(response.body.values[paths[i]!]).toBe(`aws-${i}`);
    expect(response.body.values[pinned]).toBe("old");
    expect(response.body.errors[missing]).toEqual({
      code: "provider_error",
      message: expect.stringMatching(new RegExp(`AWS Secrets Manager.*calls/${tag}/missing.*ResourceNotFoundException`)),
    });
    expect(Object.keys(response.body.errors)).toEqual([missing]);

    const sent = aws.requests.slice(before);
    const batches = sent.filter((r) => target(r) === "secretsmanager.BatchGetSecretValue");
    const idLists = batches.map((r) => (JSON.parse(r.body) as { SecretIdList: string[] }).SecretIdList);
    // Each id asked for once, at most 20 to a call: two calls for 26 ids, or three when the batch's
    // first few paths (started before any value is seen, run-batch.ts) went out on their own.
    expect(idLists.every((ids) => ids.length <= 20)).toBe(true);
    expect(idLists.length).toBeLessThanOrEqual(3);
    expect(idLists.flat().sort()).toEqual([...Array.from({ length: 25 }, (_, i) => `calls/${tag}/s${i}`), `calls/${tag}/missing`].sort());
    // Only the pinned version is read on its own.
    const singles = sent
      .filter((r) => target(r) === "secretsmanager.GetSecretValue")
      .map((r) => JSON.parse(r.body) as Record<string, string>);
    expect(singles).toEqual([{ SecretId: `calls/${tag}/pinned`, VersionId: firstVersion }]);

    // Cached under the same keys as single reads: resolving one now asks AWS nothing.
    const after = aws.requests.length;
    expect((await resolve(paths[3]!)).body).toMatchObject({ value: "aws-3", cached: true });
    expect(aws.requests.length).toBe(after);
  });

  it("falls back to GetSecretValue per secret when the identity may not call BatchGetSecretValue", async () => {
    const connection = await connect("aws-sm", awsConfig(AWS_KEY_NO_BATCH));
    const tag = randomBytes(4).toString("hex");
    const paths: string[] = [];
    for (let i = 0; i < 3; i++) {
      aws.putSecret(`calls/${tag}/s${i}`, `fallback-${i}`);
      paths.push(await external("aws-sm", connection, `calls/${tag}/s${i}`));
    }
    const missing = await external("aws-sm", connection, `calls/${tag}/missing`);
    const before = aws.requests.length;
    const response = await resolveBatch([...paths, missing]);
    expect(response.status, response.text).toBe(200);
    expect(response.body.values).toEqual(Object.fromEntries(paths.map((p, i) => [p, `fallback-${i}`])));
    expect(response.body.errors[missing]!.message).toMatch(/AWS Secrets Manager.*missing.*ResourceNotFoundException/);
    const sent = aws.requests.slice(before).map(target);
    expect(sent.filter((t) => t === "secretsmanager.BatchGetSecretValue")).toHaveLength(1);
    expect(sent.filter((t) => t === "secretsmanager.GetSecretValue")).toHaveLength(4);
  });
});

describe("a batch resolve of Azure secrets", () => {
  it("signs in once for 25 parallel reads on a new connection", async () => {
    const connection = await connect("azure-kv", {
      vaultUrl: azure.vaultUrl,
      tenantId: AZURE.tenant,
      clientId: AZURE.clientId,
      clientSecret: AZURE.clientSecret,
      authorityHost: azure.authorityUrl,
    });
    const tag = randomBytes(4).toString("hex");
    const paths: string[] = [];
    for (let i = 0; i < 25; i++) {
      azure.putSecret(`calls-${tag}-s${i}`, `azure-${i}`);
      paths.push(await external("azure-kv", connection, `calls-${tag}-s${i}`));
    }
    const before = azure.tokenRequests.length;
    const response = await resolveBatch(paths);
    expect(response.status, response.text).toBe(200);
    expect(response.body.errors).toEqual({});
    expect(response.body.values).toEqual(Object.fromEntries(paths.map((p, i) => [p, `azure-${i}`])));
    expect(azure.tokenRequests.length - before).toBe(1);
  });
});
