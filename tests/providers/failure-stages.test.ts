import { createServer } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "@/lib/errors";
import { awsSmAdapter } from "@/lib/providers/aws-sm/adapter";
import { azureKvAdapter } from "@/lib/providers/azure-kv/adapter";
import { reportFailure } from "@/lib/providers/failure-report";
import { gcpSmAdapter } from "@/lib/providers/gcp-sm/adapter";
import type { ProviderType } from "@/lib/providers/registry";
import type { ResolveHost } from "@/lib/providers/upstream/guarded-lookup";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { AWS_REGION, startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { startGcpFake, type GcpFake } from "../support/fakes/gcp";
import { trustTestCa } from "../support/fakes/tls";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { appErrorFrom } from "./support/app-errors";
import { makeServiceAccount } from "./support/service-account";

// A failed connection test reads the same for every provider: the stage it failed at (DNS, TCP,
// auth, permission), the host it was talking to, and a hint; never the check's made-up secret name.

const VAULT_TOKEN = "hvs.failure-stage-token-0123456789";
const NARROW_TOKEN = "hvs.failure-stage-narrow-0123456789";
const ACCESS_KEY = "AKIAPROVENANCESTAGE1";
const SECRET_KEY = "stage/secret/key/for/the/aws/fake/0001";
const TENANT = "72f988bf-0000-4000-8000-provenance02";
const CLIENT_ID = "1f1e2d3c-4b5a-4978-8697-a5b4c3d2e1f0";
const CLIENT_SECRET = "Xy8Q~failure-stage-client-secret";
const PROJECT = "provenance-stages";
const account = makeServiceAccount(PROJECT);

/** A resolver that knows no name at all: every host fails at DNS. */
const noDns: ResolveHost = async (hostname) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
};

let vault: VaultFake;
let aws: AwsFake;
let azure: AzureFake;
let gcp: GcpFake;
let closedPort: number;
let n = 0;

beforeAll(async () => {
  trustTestCa();
  [vault, aws, azure, gcp] = await Promise.all([
    startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""], [NARROW_TOKEN]: ["secret/data/allowed/"] } }),
    startAwsFake({ [ACCESS_KEY]: SECRET_KEY }),
    startAzureFake({ tenantId: TENANT, clients: { [CLIENT_ID]: CLIENT_SECRET } }),
    startGcpFake(),
  ]);
  vault.putSecret("secret/other/key", { value: "v" });
  gcp.putSecret(PROJECT, "api-key", "value");
  // A port nothing listens on: connecting is refused.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(async () => {
  await Promise.all([vault.close(), aws.close(), azure.close(), gcp.close()]);
});

const key = () => `stage-${++n}:1`;
const configs = {
  vault: () => ({ vaultUrl: vault.url, token: VAULT_TOKEN }),
  "aws-sm": () => ({ region: AWS_REGION, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, endpoint: aws.url }),
  "azure-kv": () => ({
    vaultUrl: azure.vaultUrl,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authorityHost: azure.authorityUrl,
  }),
  "gcp-sm": () => ({ projectId: PROJECT, serviceAccountJson: account.json, apiEndpoint: `http://${gcp.endpoint}` }),
} satisfies Record<ProviderType, () => Record<string, string>>;

async function failedCheck(type: ProviderType, config: Record<string, string>, resolveHost?: ResolveHost) {
  const adapter = { vault: vaultAdapter, "aws-sm": awsSmAdapter, "azure-kv": azureKvAdapter, "gcp-sm": gcpSmAdapter }[type];
  const error = await appErrorFrom(
    adapter.checkConnection({ connectionKey: key(), config, timeoutMs: 4_000, ...(resolveHost ? { resolveHost } : {}) }),
  );
  return { error, report: reportFailure(type, config, error) };
}

function expectReadable(error: AppError, report: { hint?: string }) {
  expect(error.message).not.toMatch(/provenance-connection-check/);
  expect(report.hint ?? "").not.toBe("");
}

describe("connection test failures: DNS", () => {
  it.each([
    ["vault", { vaultUrl: "http://vault.stage-test.invalid:8200" }, "vault.stage-test.invalid:8200"],
    ["aws-sm", { endpoint: "http://sm.stage-test.invalid" }, "sm.stage-test.invalid"],
    ["azure-kv", { vaultUrl: "http://kv.stage-test.invalid" }, "kv.stage-test.invalid"],
  ] as const)("%s: a host that does not resolve fails at dns, naming the host", async (type, override, host) => {
    const config = { ...configs[type](), ...override };
    const { error, report } = await failedCheck(type, config, noDns);
    expect(report).toMatchObject({ stage: "dns", endpoint: host });
    expect(report.hint).toContain(host);
    expectReadable(error, report);
  });

  it("gcp-sm: an API endpoint that does not resolve fails at dns, naming the host", async () => {
    const config = { ...configs["gcp-sm"](), apiEndpoint: "http://sm.stage-test.invalid:443" };
    const { error, report } = await failedCheck("gcp-sm", config);
    expect(report).toMatchObject({ stage: "dns", endpoint: "sm.stage-test.invalid:443" });
    expect(error.message).toMatch(/does not resolve/);
    expectReadable(error, report);
  });
});

describe("connection test failures: TCP", () => {
  it.each(["vault", "aws-sm", "azure-kv", "gcp-sm"] as const)("%s: a refused connection fails at tcp", async (type) => {
    const address = `127.0.0.1:${closedPort}`;
    const override: Record<string, string> = {
      vault: { vaultUrl: `http://${address}` },
      "aws-sm": { endpoint: `http://${address}` },
      "azure-kv": { vaultUrl: `http://${address}` },
      "gcp-sm": { apiEndpoint: `http://${address}` },
    }[type];
    const { error, report } = await failedCheck(type, { ...configs[type](), ...override });
    expect(report).toMatchObject({ stage: "tcp", endpoint: address });
    expectReadable(error, report);
  });
});

describe("connection test failures: auth", () => {
  it("vault: a rejected token", async () => {
    const { error, report } = await failedCheck("vault", { ...configs.vault(), token: "hvs.not-a-known-token-000000" });
    expect(report.stage).toBe("auth");
    expect(report.endpoint).toBe(new URL(vault.url).host);
    expectReadable(error, report);
  });

  it("aws-sm: an unknown access key", async () => {
    const { error, report } = await failedCheck("aws-sm", { ...configs["aws-sm"](), accessKeyId: "AKIAUNKNOWNSTAGEKEY1" });
    expect(report).toMatchObject({ stage: "auth", endpoint: new URL(aws.url).host });
    expect(report.hint).toMatch(/accessKeyId/);
    expectReadable(error, report);
  });

  it("azure-kv: a client secret the authority refuses, reported at the authority", async () => {
    const { error, report } = await failedCheck("azure-kv", { ...configs["azure-kv"](), clientSecret: "wrong-client-secret-value" });
    expect(report).toMatchObject({ stage: "auth", endpoint: new URL(azure.authorityUrl).host });
    expect(report.hint).toMatch(/clientSecret/);
    expectReadable(error, report);
  });

  it("gcp-sm: credentials Secret Manager refuses", async () => {
    gcp.faults.add({ code: grpc.status.UNAUTHENTICATED });
    const { error, report } = await failedCheck("gcp-sm", configs["gcp-sm"]());
    expect(report).toMatchObject({ stage: "auth", endpoint: gcp.endpoint });
    expectReadable(error, report);
  });
});

describe("connection test failures: permission", () => {
  it("vault: a token whose policy does not cover the path", async () => {
    const config = { ...configs.vault(), token: NARROW_TOKEN };
    const error = await appErrorFrom(
      vaultAdapter.fetchSecret({ connectionKey: key(), config, timeoutMs: 4_000, path: "secret/other/key" }),
    );
    expect(reportFailure("vault", config, error)).toMatchObject({ stage: "permission", hint: expect.stringContaining('"read"') });
  });

  it("aws-sm: AccessDeniedException names the IAM action", async () => {
    aws.faults.add({ status: 400, code: "AccessDeniedException", message: "not authorized" });
    const config = configs["aws-sm"]();
    const error = await appErrorFrom(awsSmAdapter.fetchSecret({ connectionKey: key(), config, timeoutMs: 4_000, path: "prod/db" }));
    expect(reportFailure("aws-sm", config, error)).toMatchObject({
      stage: "permission",
      hint: expect.stringContaining("secretsmanager:GetSecretValue"),
    });
  });

  it("azure-kv: signed in, but a 403 from the vault fails the check", async () => {
    azure.faults.add({ status: 403, code: "Forbidden" });
    const { error, report } = await failedCheck("azure-kv", configs["azure-kv"]());
    expect(report).toMatchObject({
      stage: "permission",
      endpoint: new URL(azure.vaultUrl).host,
      hint: expect.stringContaining("Key Vault Secrets User"),
    });
    expectReadable(error, report);
  });

  it("gcp-sm: PERMISSION_DENIED names the role", async () => {
    gcp.faults.add({ code: grpc.status.PERMISSION_DENIED });
    const config = configs["gcp-sm"]();
    const error = await appErrorFrom(gcpSmAdapter.fetchSecret({ connectionKey: key(), config, timeoutMs: 4_000, path: "api-key" }));
    expect(reportFailure("gcp-sm", config, error)).toMatchObject({
      stage: "permission",
      hint: expect.stringContaining("secretmanager.secretAccessor"),
    });
  });
});

describe("connection test failures: the check's made-up name stays out of messages", () => {
  it.each([
    ["aws-sm", () => aws.faults.add({ status: 500, code: "InternalServiceError" }, 3)],
    ["azure-kv", () => azure.faults.add({ status: 500, code: "InternalServerError" }, 3)],
    ["gcp-sm", () => gcp.faults.add({ code: grpc.status.INTERNAL }, 3)],
  ] as const)("%s: a service error during the check", async (type, fault) => {
    fault();
    const { error } = await failedCheck(type, configs[type]());
    expect(error.message).toContain("a test secret");
    expect(error.message).not.toMatch(/provenance-connection-check/);
  });
});
