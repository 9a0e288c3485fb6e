import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { azureKvAdapter, isKnownKeyVaultHost, keyVaultScope } from "@/lib/providers/azure-kv/adapter";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { trustTestCa } from "../support/fakes/tls";
import { appErrorFrom, expectNoCredentials, DEADLINE_SLACK_MS } from "./support/app-errors";

// The real @azure/keyvault-secrets + @azure/identity: 401 challenge, client-credentials sign-in
// at an https authority (test CA), then the bearer token at the vault.
const TENANT = "72f988bf-0000-4000-8000-provenance01";
const CLIENT_ID = "0f1e2d3c-4b5a-4978-8697-a5b4c3d2e1f0";
const CLIENT_SECRET = "Xy8Q~provenance-test-client-secret";

let fake: AzureFake;
let connection = 0;
beforeAll(async () => {
  trustTestCa();
  fake = await startAzureFake({ tenantId: TENANT, clients: { [CLIENT_ID]: CLIENT_SECRET } });
});
afterAll(() => fake.close());

function context(config: Record<string, string> = {}, timeoutMs = 5_000) {
  return {
    connectionKey: `azure-${++connection}:1`,
    config: {
      vaultUrl: fake.vaultUrl,
      tenantId: TENANT,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      authorityHost: fake.authorityUrl,
      ...config,
    },
    timeoutMs,
  };
}
const lastVaultRequest = () => fake.vault.requests.at(-1)!;
const secretRequests = () => fake.vault.requests.filter((r) => r.headers.authorization).length;

describe("azure-kv adapter", () => {
  it("asks the authority for one token when many reads start together on a new connection", async () => {
    for (let i = 0; i < 25; i++) fake.putSecret(`parallel-${i}`, `p${i}`);
    const ctx = context();
    const tokensBefore = fake.tokenRequests.length;
    const read = await Promise.all(Array.from({ length: 25 }, (_, i) => azureKvAdapter.fetchSecret({ ...ctx, path: `parallel-${i}` })));
    expect(read.map((r) => r.value)).toEqual(Array.from({ length: 25 }, (_, i) => `p${i}`));
    expect(fake.tokenRequests.length - tokensBefore).toBe(1);
  });

  it("signs in with the client credentials, answers the challenge, and returns value and version", async () => {
    const version = fake.putSecret("database-password", "pa55");
    const tokensBefore = fake.tokenRequests.length;
    const secret = await azureKvAdapter.fetchSecret({ ...context(), path: "database-password" });
    expect(secret).toEqual({ value: "pa55", version });
    expect(fake.tokenRequests.slice(tokensBefore)).toEqual([
      {
        tenant: TENANT,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        scope: "https://vault.azure.net/.default",
        grantType: "client_credentials",
      },
    ]);
    const [challenge, authenticated] = fake.vault.requests.slice(-2);
    expect(challenge!.headers.authorization).toBeUndefined();
    expect(authenticated!.headers.authorization).toMatch(/^Bearer fake-access-token-/);
    expect(authenticated!.path).toMatch(/^\/secrets\/database-password\/\?api%2Dversion=|^\/secrets\/database-password\/?\?api-version=/);
  });

  it("reads a given version, and reuses the connection's token", async () => {
    const first = fake.putSecret("rotating", "one");
    fake.putSecret("rotating", "two");
    const ctx = context();
    expect(await azureKvAdapter.fetchSecret({ ...ctx, path: "rotating" })).toMatchObject({ value: "two" });
    const tokensBefore = fake.tokenRequests.length;
    const old = await azureKvAdapter.fetchSecret({ ...ctx, path: "rotating", version: first });
    expect(old).toEqual({ value: "one", version: first });
    expect(lastVaultRequest().path).toContain(`/secrets/rotating/${first}?`);
    expect(fake.tokenRequests.length).toBe(tokensBefore);
  });

  it("reports a rejected client secret without echoing it", async () => {
    const wrong = "Xy8Q~the-wrong-client-secret-value";
    const error = await appErrorFrom(azureKvAdapter.fetchSecret({ ...context({ clientSecret: wrong }), path: "database-password" }));
    expect(fake.tokenRequests.at(-1)!.clientSecret).toBe(wrong);
    expect(error.message).toBe("Azure Key Vault: authentication failed at the token endpoint (invalid_client, AADSTS7000215)");
    expect(error.extra).toMatchObject({ upstreamCode: "invalid_client", hint: expect.stringContaining("clientSecret") });
    expectNoCredentials(error, [wrong, CLIENT_SECRET]);
  });

  it("reports an unavailable token endpoint once (MSAL blocks immediate retries itself)", async () => {
    fake.tokenFaults.add({ status: 503, code: "temporarily_unavailable" });
    const before = fake.tokenRequests.length;
    const error = await appErrorFrom(azureKvAdapter.fetchSecret({ ...context(), path: "database-password" }));
    expect(error.message).toBe("Azure Key Vault: the token endpoint is unavailable (temporarily_unavailable)");
    expect(fake.tokenRequests.length - before).toBe(1);
  });

  it("reports a missing secret, and denied access with a hint", async () => {
    const missing = await appErrorFrom(azureKvAdapter.fetchSecret({ ...context(), path: "no-such-secret" }));
    expect(missing.message).toBe("Azure Key Vault: secret no-such-secret not found (SecretNotFound)");
    expect(missing.extra).toMatchObject({ upstreamStatus: 404, upstreamCode: "SecretNotFound" });
    fake.faults.add({ status: 403, code: "Forbidden", message: "Caller is not authorized to perform action on resource." });
    const denied = await appErrorFrom(azureKvAdapter.fetchSecret({ ...context(), path: "database-password" }));
    expect(denied.message).toBe("Azure Key Vault: access denied to secret database-password (Forbidden)");
    expect(denied.extra.hint).toContain("Key Vault Secrets User");
  });

  it("refuses names Key Vault cannot hold before calling it", async () => {
    const before = fake.vault.requests.length;
    for (const path of ["my_secret", "a/b", "https://x.vault.azure.net/secrets/y", "x".repeat(128)]) {
      const error = await appErrorFrom(azureKvAdapter.fetchSecret({ ...context(), path }));
      expect(error.message).toContain("invalid secret name");
    }
    expect(fake.vault.requests.length).toBe(before);
  });

  it("retries 429 until it clears, waiting as long as Retry-After asks", async () => {
    fake.putSecret("throttled", "through");
    const ctx = context();
    await azureKvAdapter.fetchSecret({ ...ctx, path: "throttled" }); // sign in first
    fake.faults.add({ status: 429, code: "Throttled", retryAfter: "1" });
    fake.faults.add({ status: 429, code: "Throttled" });
    const before = secretRequests();
    const started = Date.now();
    expect((await azureKvAdapter.fetchSecret({ ...ctx, path: "throttled" })).value).toBe("through");
    expect(secretRequests() - before).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it("retries a 500 that clears; gives up after 3 attempts on one that does not", async () => {
    fake.putSecret("flaky", "ok");
    const ctx = context();
    await azureKvAdapter.fetchSecret({ ...ctx, path: "flaky" });
    fake.faults.add({ status: 500, code: "InternalServerError" });
    let before = secretRequests();
    expect((await azureKvAdapter.fetchSecret({ ...ctx, path: "flaky" })).value).toBe("ok");
    expect(secretRequests() - before).toBe(2);
    fake.faults.add({ status: 503, code: "ServiceUnavailable" }, 4);
    before = secretRequests();
    const error = await appErrorFrom(azureKvAdapter.fetchSecret({ ...ctx, path: "flaky" }));
    expect(error.message).toBe("Azure Key Vault: service error reading flaky (ServiceUnavailable, HTTP 503) after 3 attempts");
    expect(secretRequests() - before).toBe(3);
    while (fake.faults.take());
  });

  it("times out a slow reply on time, then keeps serving", async () => {
    fake.putSecret("slow", "later");
    const ctx = { ...context(), timeoutMs: 400 };
    await azureKvAdapter.fetchSecret({ ...ctx, timeoutMs: 5_000, path: "slow" });
    fake.faults.add({ delayMs: 5_000 });
    const started = Date.now();
    const error = await appErrorFrom(azureKvAdapter.fetchSecret({ ...ctx, path: "slow" }));
    expect(Date.now() - started).toBeLessThan(400 + DEADLINE_SLACK_MS);
    expect(error).toMatchObject({ code: "provider_timeout", message: "Azure Key Vault: timed out after 400 ms fetching slow" });
    expect((await azureKvAdapter.fetchSecret({ ...ctx, timeoutMs: 5_000, path: "slow" })).value).toBe("later");
  });

  it("reports malformed replies and connection resets", async () => {
    fake.putSecret("odd", "v");
    fake.faults.add({ malformed: true });
    expect((await appErrorFrom(azureKvAdapter.fetchSecret({ ...context(), path: "odd" }))).message).toMatch(
      /^Azure Key Vault: malformed reply/,
    );
    fake.faults.add({ malformed: JSON.stringify({ id: `${fake.vaultUrl}/secrets/odd/abc` }) });
    expect((await appErrorFrom(azureKvAdapter.fetchSecret({ ...context(), path: "odd" }))).message).toBe(
      "Azure Key Vault: malformed reply for odd: no value in it",
    );
    fake.faults.add({ reset: true });
    expect((await azureKvAdapter.fetchSecret({ ...context(), path: "odd" })).value).toBe("v");
    fake.faults.add({ reset: true }, 3);
    expect((await appErrorFrom(azureKvAdapter.fetchSecret({ ...context(), path: "odd" }))).message).toMatch(
      /cannot reach the vault: .*after 3 attempts$/,
    );
  });

  it("checks a connection: SecretNotFound for a made-up name passes, 403 fails", async () => {
    await expect(azureKvAdapter.checkConnection(context())).resolves.toBeUndefined();
    expect(lastVaultRequest().path).toMatch(/^\/secrets\/provenance-connection-check-/);
    fake.faults.add({ status: 403, code: "Forbidden" });
    const ctx = context();
    const error = await appErrorFrom(azureKvAdapter.checkConnection(ctx));
    expect(error.message).toBe("Azure Key Vault: signed in, but the identity may not read secrets in this vault (Forbidden)");
  });

  it("explains that the default credential chain found nothing", async () => {
    for (const name of [
      "AZURE_CLIENT_ID",
      "AZURE_TENANT_ID",
      "AZURE_CLIENT_SECRET",
      "AZURE_FEDERATED_TOKEN_FILE",
      "IDENTITY_ENDPOINT",
      "MSI_ENDPOINT",
    ])
      vi.stubEnv(name, "");
    try {
      const error = await appErrorFrom(
        azureKvAdapter.fetchSecret({ ...context({ clientId: "", clientSecret: "", tenantId: "" }, 10_000), path: "x" }),
      );
      expect(error.message).toBe(
        "Azure Key Vault: no credentials: set tenantId and clientId with a clientSecret, clientCertificate or federatedTokenFile, or give the server a managed identity",
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  // CONTRACT "Azure's token scope is never taken from a server's challenge".
  it.each([
    'resource="https://graph.microsoft.com"',
    'resource="https://management.azure.com"',
    'scope="https://storage.azure.com/.default"',
    'resource="http://127.0.0.1:1"',
  ])("asks for the vault scope whatever the challenge names (%s)", async (parameters) => {
    fake.putSecret("scoped", "v");
    fake.challengeParameters = parameters;
    try {
      const tokensBefore = fake.tokenRequests.length;
      await azureKvAdapter.fetchSecret({ ...context(), path: "scoped" });
      expect(fake.tokenRequests.slice(tokensBefore).map((r) => r.scope)).toEqual(["https://vault.azure.net/.default"]);
    } finally {
      fake.challengeParameters = 'resource="https://vault.azure.net"';
    }
  });

  it("derives the scope from the configured vault's cloud", () => {
    expect(keyVaultScope("https://my-vault.vault.azure.net/")).toBe("https://vault.azure.net/.default");
    expect(keyVaultScope("https://my-vault.vault.azure.cn")).toBe("https://vault.azure.cn/.default");
    expect(keyVaultScope("https://my-vault.VAULT.usgovcloudapi.net./")).toBe("https://vault.usgovcloudapi.net/.default");
    expect(keyVaultScope("https://hsm.managedhsm.azure.net")).toBe("https://managedhsm.azure.net/.default");
    expect(keyVaultScope("https://my-vault.privatelink.vaultcore.azure.cn")).toBe("https://vault.azure.cn/.default");
    expect(keyVaultScope("https://vault.azure.cn.evil.example")).toBe("https://vault.azure.net/.default");
    expect(keyVaultScope("http://127.0.0.1:8443")).toBe("https://vault.azure.net/.default");
  });

  it("knows Key Vault's own domains (only there is the challenge's resource checked)", () => {
    expect(isKnownKeyVaultHost("my-vault.vault.azure.net")).toBe(true);
    expect(isKnownKeyVaultHost("my-vault.vault.usgovcloudapi.net")).toBe(true);
    expect(isKnownKeyVaultHost("hsm.managedhsm.azure.net")).toBe(true);
    expect(isKnownKeyVaultHost("vault.azure.net.evil.example")).toBe(false);
    expect(isKnownKeyVaultHost("127.0.0.1")).toBe(false);
  });
});
