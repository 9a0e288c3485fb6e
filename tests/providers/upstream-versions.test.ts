import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsSmAdapter } from "@/lib/providers/aws-sm/adapter";
import { azureKvAdapter } from "@/lib/providers/azure-kv/adapter";
import { gcpSmAdapter } from "@/lib/providers/gcp-sm/adapter";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { AWS_REGION, startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { startGcpFake, type GcpFake } from "../support/fakes/gcp";
import { trustTestCa } from "../support/fakes/tls";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { makeServiceAccount } from "./support/service-account";

// currentVersion, the upstream refresh's check (lib/refresh), against each manager's fake: which
// call it makes (metadata where the manager has one, never a value read there), what it answers
// before and after the value changes, and that a pinned version needs no check at all.
const ACCESS_KEY = "AKIAPROVENANCETEST01";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYPROVENANCE";
const TENANT = "72f988bf-0000-4000-8000-provenance01";
const CLIENT_ID = "0f1e2d3c-4b5a-4978-8697-a5b4c3d2e1f0";
const CLIENT_SECRET = "Xy8Q~provenance-test-client-secret";
const VAULT_TOKEN = "hvs.provenance-test-token-0123456789";
const METADATA_DENIED_TOKEN = "hvs.data-only-policy-token-01234";
const PROJECT = "provenance-test";
const account = makeServiceAccount(PROJECT);

let aws: AwsFake;
let azure: AzureFake;
let gcp: GcpFake;
let vault: VaultFake;
let connection = 0;
beforeAll(async () => {
  trustTestCa();
  [aws, azure, gcp, vault] = await Promise.all([
    startAwsFake({ [ACCESS_KEY]: SECRET_KEY }),
    startAzureFake({ tenantId: TENANT, clients: { [CLIENT_ID]: CLIENT_SECRET } }),
    startGcpFake(),
    startVaultFake({ mounts: { secret: 2, kv: 1 }, tokens: { [VAULT_TOKEN]: [""], [METADATA_DENIED_TOKEN]: ["secret/data/"] } }),
  ]);
});
afterAll(async () => {
  await Promise.all([aws.close(), azure.close(), gcp.close(), vault.close()]);
});

const key = (type: string) => `${type}-versions-${++connection}:1`;
const awsRequest = (path: string, version?: string) => ({
  connectionKey: key("aws"),
  config: { region: AWS_REGION, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, endpoint: aws.url },
  timeoutMs: 3_000,
  path,
  ...(version ? { version } : {}),
});
const azureRequest = (path: string, version?: string) => ({
  connectionKey: key("azure"),
  config: {
    vaultUrl: azure.vaultUrl,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authorityHost: azure.authorityUrl,
  },
  timeoutMs: 5_000,
  path,
  ...(version ? { version } : {}),
});
const gcpRequest = (path: string, version?: string) => ({
  connectionKey: key("gcp"),
  config: { projectId: PROJECT, serviceAccountJson: account.json, apiEndpoint: `http://${gcp.endpoint}` },
  timeoutMs: 5_000,
  path,
  ...(version ? { version } : {}),
});
const vaultRequest = (path: string, config: Record<string, string> = {}, version?: string) => ({
  connectionKey: key("vault"),
  config: { vaultUrl: vault.url, token: VAULT_TOKEN, ...config },
  timeoutMs: 3_000,
  path,
  ...(version ? { version } : {}),
});

describe("aws-sm currentVersion", () => {
  it("asks DescribeSecret (no value) for the AWSCURRENT version id, and follows a rotation", async () => {
    const first = aws.putSecret("refresh/db", "one");
    const before = aws.requests.length;
    expect(await awsSmAdapter.currentVersion!(awsRequest("refresh/db"))).toEqual({ version: first });
    const sent = aws.requests.slice(before);
    expect(sent.map((r) => r.headers["x-amz-target"])).toEqual(["secretsmanager.DescribeSecret"]);
    expect(JSON.parse(sent[0]!.body)).toEqual({ SecretId: "refresh/db" });
    const second = aws.putSecret("refresh/db", "two");
    expect(await awsSmAdapter.currentVersion!(awsRequest("refresh/db"))).toEqual({ version: second });
  });

  it("follows a pinned stage; a pinned VersionId needs no check", async () => {
    const first = aws.putSecret("refresh/staged", "one");
    aws.putSecret("refresh/staged", "two");
    expect(await awsSmAdapter.currentVersion!(awsRequest("refresh/staged", "AWSPREVIOUS"))).toEqual({ version: first });
    const before = aws.requests.length;
    expect(await awsSmAdapter.currentVersion!(awsRequest("refresh/staged", first))).toBeNull();
    expect(aws.requests.length).toBe(before);
  });

  it("reports a missing secret as the read would", async () => {
    await expect(awsSmAdapter.currentVersion!(awsRequest("refresh/missing"))).rejects.toMatchObject({
      code: "provider_error",
      extra: { upstreamCode: "ResourceNotFoundException" },
    });
  });
});

describe("azure-kv currentVersion", () => {
  it("reads the secret (Key Vault has no value-free call for it) and hands the value on with its version", async () => {
    const first = azure.putSecret("refresh-db", "one");
    const found = await azureKvAdapter.currentVersion!(azureRequest("refresh-db"));
    expect(found).toEqual({ version: first, fetched: { value: "one", version: first } });
    const second = azure.putSecret("refresh-db", "two");
    expect((await azureKvAdapter.currentVersion!(azureRequest("refresh-db")))?.version).toBe(second);
    expect(await azureKvAdapter.currentVersion!(azureRequest("refresh-db", first))).toBeNull();
  });
});

describe("gcp-sm currentVersion", () => {
  it("asks GetSecretVersion for versions/latest (no payload) and answers its number", async () => {
    gcp.putSecret(PROJECT, "refresh-db", "one");
    const before = gcp.requests.length;
    expect(await gcpSmAdapter.currentVersion!(gcpRequest("refresh-db"))).toEqual({ version: "1" });
    expect(gcp.requests.slice(before).map((r) => [r.method, r.name])).toEqual([
      ["GetSecretVersion", `projects/${PROJECT}/secrets/refresh-db/versions/latest`],
    ]);
    gcp.putSecret(PROJECT, "refresh-db", "two");
    expect(await gcpSmAdapter.currentVersion!(gcpRequest(`projects/${PROJECT}/secrets/refresh-db`))).toEqual({ version: "2" });
  });

  it("needs no check for a numbered version, in the path or pinned", async () => {
    const before = gcp.requests.length;
    expect(await gcpSmAdapter.currentVersion!(gcpRequest(`projects/${PROJECT}/secrets/refresh-db/versions/1`))).toBeNull();
    expect(await gcpSmAdapter.currentVersion!(gcpRequest("refresh-db", "1"))).toBeNull();
    expect(gcp.requests.length).toBe(before);
  });
});

describe("vault currentVersion", () => {
  it("KV v2: reads <mount>/metadata/<path> for current_version, never the data", async () => {
    vault.putSecret("secret/refresh/db", { password: "one" });
    const before = vault.requests.length;
    expect(await vaultAdapter.currentVersion!(vaultRequest("secret/refresh/db"))).toEqual({ version: "1" });
    const paths = vault.requests.slice(before).map((r) => r.path);
    expect(paths).toContain("/v1/secret/metadata/refresh/db");
    expect(paths.some((p) => p.startsWith("/v1/secret/data/"))).toBe(false);
    vault.putSecret("secret/refresh/db", { password: "two" });
    expect(await vaultAdapter.currentVersion!(vaultRequest("secret/data/refresh/db"))).toEqual({ version: "2" });
    expect(await vaultAdapter.currentVersion!(vaultRequest("secret/refresh/db", {}, "1"))).toBeNull();
  });

  it("KV v1 (no metadata) and a policy without metadata access: reads the value for its fingerprint", async () => {
    vault.putSecret("kv/refresh/legacy", { password: "v1" });
    expect(await vaultAdapter.currentVersion!(vaultRequest("kv/refresh/legacy", { kvVersion: "1" }))).toEqual({
      version: null,
      fetched: { value: "v1", fields: { password: "v1" }, version: null },
    });
    const found = await vaultAdapter.currentVersion!(vaultRequest("secret/refresh/db", { token: METADATA_DENIED_TOKEN }));
    expect(found).toMatchObject({ version: null, fetched: { value: "two", version: "2" } });
  });
});
