import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../cluster/support/cluster";
import { createSqliteDatabase, type TempDatabase } from "../support/databases";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { errorMessage, expectFaultAnswer, newKey, resolveValue, startWithToken, type Served } from "./support";

/**
 * Providers that hang, reset the connection or answer garbage, seen through the HTTP API of the
 * built server (the adapter tests in tests/providers cover each SDK's handling of the same faults;
 * here: the answer a client gets, and that the server serves the next request normally).
 */
const VAULT_TOKEN = "hvs.provider-faults-token-0123456789";
const AWS_KEY = { id: "AKIAPROVIDERFAULTS01", secret: "provider-faults-secret-access-key-0123456" };
const injected = { hang: 0, reset: 0, garbage: 0 };
const credentials = [VAULT_TOKEN, AWS_KEY.secret];

let database: TempDatabase;
let served: Served;
let vault: VaultFake;
let aws: AwsFake;

beforeAll(async () => {
  [vault, aws] = await Promise.all([
    startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } }),
    startAwsFake({ [AWS_KEY.id]: AWS_KEY.secret }),
  ]);
  vault.putSecret("secret/faults/value", { value: "from-vault" });
  aws.putSecret("faults/value", "from-aws");
  database = createSqliteDatabase();
  served = await startWithToken(
    {
      DATABASE_URL: database.url,
      SECRETS_MASTER_KEY: newKey(),
      PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
      PROVENANCE_PROVIDER_TIMEOUT_MS: "1500",
      PROVENANCE_CACHE_TTL_SECONDS: "0",
    },
    "faults-providers",
  );
  const post = (urlPath: string, body: unknown) =>
    call<{ id: string }>(served.server, urlPath, { method: "POST", token: served.token, body });
  const vaultConnection = await post("/api/secret-providers", {
    name: "faulty vault",
    type: "vault",
    config: { vaultUrl: vault.url, token: VAULT_TOKEN },
  });
  const awsConnection = await post("/api/secret-providers", {
    name: "faulty aws",
    type: "aws-sm",
    config: { region: "eu-west-1", accessKeyId: AWS_KEY.id, secretAccessKey: AWS_KEY.secret, endpoint: aws.url },
  });
  for (const [secretPath, provider, providerPath, connection] of [
    ["faults.vault", "vault", "secret/faults/value", vaultConnection],
    ["faults.aws", "aws-sm", "faults/value", awsConnection],
  ] as const) {
    const created = await post("/api/secrets", { secretPath, provider, providerPath, secretProviderId: connection.body.id });
    expect(created.status, created.text).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  console.log(`provider faults injected through the API: ${JSON.stringify(injected)}`);
  await served?.server.stop();
  await Promise.all([vault?.close(), aws?.close()]);
  await database?.drop();
});

describe.each([
  ["HashiCorp Vault", "faults.vault", "from-vault", () => vault],
  ["AWS Secrets Manager", "faults.aws", "from-aws", () => aws],
] as const)("%s misbehaving", (name, secretPath, value, fake) => {
  const drain = () => {
    while (fake().faults.take());
  };

  it("hangs: 504 provider_timeout, then serves again", async () => {
    fake().faults.add({ delayMs: 4_000 }, 5);
    injected.hang++;
    const reply = await resolveValue(served, secretPath);
    drain();
    expectFaultAnswer(reply, 504, "provider_timeout", credentials);
    expect(errorMessage(reply)).toContain(name);
    expect((await resolveValue(served, secretPath)).body.value).toBe(value);
  });

  it("keeps resetting the connection: 502 provider_error saying so, then serves again", async () => {
    fake().faults.add({ reset: true }, 10);
    injected.reset++;
    const reply = await resolveValue(served, secretPath);
    drain();
    expectFaultAnswer(reply, 502, "provider_error", credentials);
    expect(errorMessage(reply)).toMatch(new RegExp(`^${name}: .*connection was reset`));
    expect((await resolveValue(served, secretPath)).body.value).toBe(value);
  });

  it("answers garbage: 502 provider_error, then serves again", async () => {
    fake().faults.add({ malformed: true }, 10);
    injected.garbage++;
    const reply = await resolveValue(served, secretPath);
    drain();
    expectFaultAnswer(reply, 502, "provider_error", credentials);
    expect(errorMessage(reply)).toContain(name);
    expect((await resolveValue(served, secretPath)).body.value).toBe(value);
  });
});
