import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AppError } from "@/lib/errors";
import { awsSmAdapter } from "@/lib/providers/aws-sm/adapter";
import { AWS_REGION, startAwsFake, type AwsFake } from "../support/fakes/aws";
import { appErrorFrom, expectNoCredentials, DEADLINE_SLACK_MS } from "./support/app-errors";

// The real @aws-sdk/client-secrets-manager against a local fake of the JSON 1.1 protocol.
const ACCESS_KEY = "AKIAPROVENANCETEST01";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYPROVENANCE";
const CREDENTIALS = [ACCESS_KEY, SECRET_KEY];

let fake: AwsFake;
let connection = 0;
beforeAll(async () => {
  fake = await startAwsFake({ [ACCESS_KEY]: SECRET_KEY });
});
afterAll(() => fake.close());

function context(config: Record<string, string> = {}, timeoutMs = 3_000) {
  return {
    connectionKey: `aws-${++connection}:1`,
    config: { region: AWS_REGION, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, endpoint: fake.url, ...config },
    timeoutMs,
  };
}
const lastBody = () => JSON.parse(fake.requests.at(-1)!.body) as Record<string, unknown>;

describe("aws-sm adapter", () => {
  it("fetches the current value and version, signed with the configured access key", async () => {
    const versionId = fake.putSecret("prod/stripe", '{"api_key":"sk_live_1"}');
    const before = fake.requests.length;
    const secret = await awsSmAdapter.fetchSecret({ ...context(), path: "prod/stripe" });
    expect(secret).toEqual({ value: '{"api_key":"sk_live_1"}', version: versionId });
    expect(fake.requests.length).toBe(before + 1);
    expect(fake.requests.at(-1)!.headers["x-amz-target"]).toBe("secretsmanager.GetSecretValue");
    expect(lastBody()).toEqual({ SecretId: "prod/stripe" });
    // The fake verified the SigV4 signature with SECRET_KEY, so the right secret key was used too.
    expect(fake.signedBy.at(-1)).toBe(ACCESS_KEY);
  });

  it("sends a UUID version as VersionId and anything else as VersionStage", async () => {
    const first = fake.putSecret("app/versions", "one");
    fake.putSecret("app/versions", "two");
    const byId = await awsSmAdapter.fetchSecret({ ...context(), path: "app/versions", version: first });
    expect(lastBody()).toEqual({ SecretId: "app/versions", VersionId: first });
    expect(byId).toEqual({ value: "one", version: first });
    const byStage = await awsSmAdapter.fetchSecret({ ...context(), path: "app/versions", version: "AWSPREVIOUS" });
    expect(lastBody()).toEqual({ SecretId: "app/versions", VersionStage: "AWSPREVIOUS" });
    expect(byStage.value).toBe("one");
  });

  it("passes a full ARN through as SecretId", async () => {
    fake.putSecret("by-arn", "arn-value");
    const arn = `arn:aws:secretsmanager:${AWS_REGION}:123456789012:secret:by-arn-AbCdEf`;
    const secret = await awsSmAdapter.fetchSecret({ ...context(), path: arn });
    expect(lastBody()).toEqual({ SecretId: arn });
    expect(secret.value).toBe("arn-value");
  });

  it("returns SecretBinary as base64", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    fake.putSecret("binary", bytes);
    const secret = await awsSmAdapter.fetchSecret({ ...context(), path: "binary" });
    expect(secret.value).toBe(bytes.toString("base64"));
  });

  it("reports a missing secret with the upstream code", async () => {
    const error = await appErrorFrom(awsSmAdapter.fetchSecret({ ...context(), path: "prod/missing" }));
    expect(error.code).toBe("provider_error");
    expect(error.status).toBe(502);
    expect(error.message).toBe("AWS Secrets Manager: secret prod/missing not found (ResourceNotFoundException)");
    expect(error.extra).toMatchObject({ upstreamCode: "ResourceNotFoundException", upstreamStatus: 400 });
    expectNoCredentials(error, CREDENTIALS);
  });

  it("names the missing IAM actions on AccessDeniedException, kms:Decrypt when KMS is involved", async () => {
    fake.putSecret("denied", "x");
    fake.faults.add({
      status: 400,
      code: "AccessDeniedException",
      message: "User is not authorized to perform: secretsmanager:GetSecretValue",
    });
    const plain = await appErrorFrom(awsSmAdapter.fetchSecret({ ...context(), path: "denied" }));
    expect(plain.message).toBe("AWS Secrets Manager: access denied reading denied (AccessDeniedException)");
    expect(plain.extra.hint).toContain("secretsmanager:GetSecretValue");
    expect(plain.extra.hint).not.toContain("kms:Decrypt");
    fake.faults.add({ status: 400, code: "AccessDeniedException", message: "Access to KMS is not allowed" });
    const kms = await appErrorFrom(awsSmAdapter.fetchSecret({ ...context(), path: "denied" }));
    expect(kms.extra.hint).toContain("kms:Decrypt");
  });

  it("rejects a wrong secret key (the fake's signature check fails) without echoing it", async () => {
    const wrong = "not-the-right-secret-key-at-all";
    const error = await appErrorFrom(awsSmAdapter.fetchSecret({ ...context({ secretAccessKey: wrong }), path: "prod/stripe" }));
    expect(error.message).toBe("AWS Secrets Manager: the credentials were rejected (InvalidSignatureException)");
    expectNoCredentials(error, [...CREDENTIALS, wrong]);
  });

  it("retries throttling until it clears", async () => {
    fake.putSecret("throttled", "finally");
    fake.faults.add({ status: 400, code: "ThrottlingException" }, 2);
    const before = fake.requests.length;
    const secret = await awsSmAdapter.fetchSecret({ ...context(), path: "throttled" });
    expect(secret.value).toBe("finally");
    expect(fake.requests.length - before).toBe(3);
  });

  it("retries a 500 that clears, and gives up after 3 attempts on one that does not", async () => {
    fake.putSecret("flaky", "ok");
    fake.faults.add({ status: 500, code: "InternalServiceError" });
    let before = fake.requests.length;
    expect((await awsSmAdapter.fetchSecret({ ...context(), path: "flaky" })).value).toBe("ok");
    expect(fake.requests.length - before).toBe(2);

    fake.faults.add({ status: 500, code: "InternalServiceError" }, 5);
    before = fake.requests.length;
    const error = await appErrorFrom(awsSmAdapter.fetchSecret({ ...context(), path: "flaky" }));
    expect(error.message).toBe("AWS Secrets Manager: service error reading flaky (InternalServiceError, HTTP 500) after 3 attempts");
    expect(error.extra).toMatchObject({ upstreamStatus: 500, attempts: 3 });
    expect(fake.requests.length - before).toBe(3);
    expect(fake.faults.pending).toBe(2);
    while (fake.faults.take());
  });

  it("times out a slow reply within the deadline, and the fake keeps serving", async () => {
    fake.putSecret("slow", "eventually");
    const ctx = context({}, 400);
    await awsSmAdapter.fetchSecret({ ...ctx, timeoutMs: 3_000, path: "slow" }); // warm the client: time only the slow reply
    fake.faults.add({ delayMs: 5_000 });
    const started = Date.now();
    const error = await appErrorFrom(awsSmAdapter.fetchSecret({ ...ctx, path: "slow" }));
    expect(Date.now() - started).toBeLessThan(400 + DEADLINE_SLACK_MS);
    expect(error.code).toBe("provider_timeout");
    expect(error.status).toBe(504);
    expect(error.message).toBe("AWS Secrets Manager: timed out after 400 ms fetching slow");
    expect((await awsSmAdapter.fetchSecret({ ...context(), path: "slow" })).value).toBe("eventually");
  });

  it("reports a malformed reply", async () => {
    fake.putSecret("garbled", "x");
    fake.faults.add({ malformed: true });
    const error = await appErrorFrom(awsSmAdapter.fetchSecret({ ...context(), path: "garbled" }));
    expect(error.code).toBe("provider_error");
    expect(error.message).toMatch(/^AWS Secrets Manager: malformed reply/);
  });

  it("retries a reset connection, and reports one that keeps resetting", async () => {
    fake.putSecret("reset", "after-reset");
    fake.faults.add({ reset: true });
    expect((await awsSmAdapter.fetchSecret({ ...context(), path: "reset" })).value).toBe("after-reset");
    fake.faults.add({ reset: true }, 3);
    const error = await appErrorFrom(awsSmAdapter.fetchSecret({ ...context(), path: "reset" }));
    expect(error.message).toBe("AWS Secrets Manager: cannot reach the service: the connection was reset (ECONNRESET) after 3 attempts");
  });

  it("explains a default credential chain that finds nothing", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    vi.stubEnv("AWS_PROFILE", "");
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/config");
    try {
      const before = fake.requests.length;
      const error = await appErrorFrom(
        awsSmAdapter.fetchSecret({ ...context({ accessKeyId: "", secretAccessKey: "" }), path: "prod/stripe" }),
      );
      expect(error.message).toBe("AWS Secrets Manager: no credentials: set accessKeyId/secretAccessKey or give the server an IAM role");
      expect(fake.requests.length).toBe(before);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("checks a connection without needing any particular secret", async () => {
    const before = fake.requests.length;
    await expect(awsSmAdapter.checkConnection(context())).resolves.toBeUndefined();
    expect(String(lastBody().SecretId)).toMatch(/^provenance-connection-check-/);
    expect(fake.requests.length - before).toBe(1);
    const error = await appErrorFrom(awsSmAdapter.checkConnection(context({ accessKeyId: "AKIAUNKNOWNKEY000001" })));
    expect(error.message).toBe("AWS Secrets Manager: the credentials were rejected (UnrecognizedClientException)");
    expect(error.message).not.toContain("provenance-connection-check");
  });

  it("reuses a connection's client until forget() drops it", async () => {
    fake.putSecret("cached", "v");
    const ctx = context();
    await awsSmAdapter.fetchSecret({ ...ctx, path: "cached" });
    // Same connectionKey, different keys: the cached client (old keys) is still used...
    const changed = { ...ctx, config: { ...ctx.config, accessKeyId: "AKIAOTHERKEY00000001" } };
    await awsSmAdapter.fetchSecret({ ...changed, path: "cached" });
    expect(fake.signedBy.at(-1)).toBe(ACCESS_KEY);
    // ...until the connection is forgotten.
    awsSmAdapter.forget(ctx.connectionKey.split(":")[0]!);
    await appErrorFrom(awsSmAdapter.fetchSecret({ ...changed, path: "cached" }));
    expect(fake.signedBy.at(-1)).toBe("AKIAOTHERKEY00000001");
  });
});

describe("aws-sm batch reads (BatchGetSecretValue)", () => {
  const targets = (from: number) => fake.requests.slice(from).map((r) => String(r.headers["x-amz-target"]));
  const idLists = (from: number) =>
    fake.requests
      .slice(from)
      .filter((r) => r.headers["x-amz-target"] === "secretsmanager.BatchGetSecretValue")
      .map((r) => (JSON.parse(r.body) as { SecretIdList: string[] }).SecretIdList);

  it("reads strings, binaries and ARNs, 20 ids to a call, each answer as fetchSecret gives it", async () => {
    const names = Array.from({ length: 23 }, (_, i) => `batch-unit/s${i}`);
    const versions = names.map((name, i) => fake.putSecret(name, `value-${i}`));
    const binaryVersion = fake.putSecret("batch-unit/binary", Buffer.from([0, 1, 2, 250, 255]));
    const arn = `arn:aws:secretsmanager:${AWS_REGION}:123456789012:secret:batch-unit/s0-AbCdEf`;
    const paths = [...names, "batch-unit/binary", arn, "batch-unit/s1"];
    const before = fake.requests.length;
    const outcomes = await awsSmAdapter.fetchCurrentSecrets!(context(), paths);
    expect(outcomes.slice(0, 23)).toEqual(versions.map((version, i) => ({ status: "fulfilled", value: { value: `value-${i}`, version } })));
    expect(outcomes[23]).toEqual({
      status: "fulfilled",
      value: { value: Buffer.from([0, 1, 2, 250, 255]).toString("base64"), version: binaryVersion },
    });
    expect(outcomes[24]).toEqual({ status: "fulfilled", value: { value: "value-0", version: versions[0] } });
    // A repeated path is asked for once; 25 distinct ids make calls of 20 and 5.
    expect(outcomes[25]).toEqual(outcomes[1]);
    expect(
      idLists(before)
        .map((ids) => ids.length)
        .sort((a, b) => a - b),
    ).toEqual([5, 20]);
    expect(targets(before)).toEqual(["secretsmanager.BatchGetSecretValue", "secretsmanager.BatchGetSecretValue"]);
    expect(fake.signedBy.at(-1)).toBe(ACCESS_KEY);
  });

  it("words a secret's own error from the reply exactly as a single read would", async () => {
    fake.putSecret("batch-unit/present", "here");
    const [present, missing] = await awsSmAdapter.fetchCurrentSecrets!(context(), ["batch-unit/present", "batch-unit/absent"]);
    expect(present).toMatchObject({ status: "fulfilled", value: { value: "here" } });
    const single = await appErrorFrom(awsSmAdapter.fetchSecret({ ...context(), path: "batch-unit/absent" }));
    expect(missing!.status).toBe("rejected");
    const batched = (missing as PromiseRejectedResult).reason as AppError;
    expect([batched.code, batched.message]).toEqual([single.code, single.message]);
    expect(batched.message).toMatch(/AWS Secrets Manager.*batch-unit\/absent.*ResourceNotFoundException/);
  });

  it("falls back to one GetSecretValue per secret when the batch call is refused, and not when it times out", async () => {
    fake.putSecret("batch-unit/a", "a");
    fake.putSecret("batch-unit/b", "b");
    fake.faults.add({
      status: 400,
      code: "AccessDeniedException",
      message: "not authorized to perform: secretsmanager:BatchGetSecretValue",
    });
    let before = fake.requests.length;
    const outcomes = await awsSmAdapter.fetchCurrentSecrets!(context(), ["batch-unit/a", "batch-unit/b"]);
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value.value : o.reason))).toEqual(["a", "b"]);
    expect(targets(before).sort()).toEqual([
      "secretsmanager.BatchGetSecretValue",
      "secretsmanager.GetSecretValue",
      "secretsmanager.GetSecretValue",
    ]);

    fake.faults.add({ delayMs: 2_000 });
    before = fake.requests.length;
    const slow = await awsSmAdapter.fetchCurrentSecrets!(context({}, 500), ["batch-unit/a", "batch-unit/b"]);
    expect(slow.map((o) => o.status === "rejected" && (o.reason as AppError).code)).toEqual(["provider_timeout", "provider_timeout"]);
    expect(targets(before)).toEqual(["secretsmanager.BatchGetSecretValue"]);
    while (fake.faults.take());
  });
});

describe("the AWS fake's BatchGetSecretValue", () => {
  it("answers name filters page by page through the real SDK, and refuses a list longer than 20", async () => {
    const { SecretsManagerClient, BatchGetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
    const client = new SecretsManagerClient({
      region: AWS_REGION,
      endpoint: fake.url,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    });
    for (const name of ["filtered/a", "filtered/b", "filtered/c"]) fake.putSecret(name, `${name}-value`);
    const first = await client.send(new BatchGetSecretValueCommand({ Filters: [{ Key: "name", Values: ["filtered/"] }], MaxResults: 2 }));
    expect(first.SecretValues?.map((v) => v.SecretString)).toEqual(["filtered/a-value", "filtered/b-value"]);
    const second = await client.send(
      new BatchGetSecretValueCommand({ Filters: [{ Key: "name", Values: ["filtered/"] }], MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.SecretValues?.map((v) => v.Name)).toEqual(["filtered/c"]);
    expect(second.NextToken).toBeUndefined();
    const tooMany = Array.from({ length: 21 }, (_, i) => `filtered/${i}`);
    await expect(client.send(new BatchGetSecretValueCommand({ SecretIdList: tooMany }))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    client.destroy();
  });
});
