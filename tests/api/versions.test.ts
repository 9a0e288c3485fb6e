import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { call, unique } from "./support/client";
import { createStoredSecret, createToken, expectError } from "./support/expectations";

/**
 * GET /api/secrets/:id/versions: every version seen, newest first, with its keyed fingerprint and
 * the distinct readers of each, for stored secrets (versions from writes) and external ones
 * (versions from what the manager answered), never with a value.
 */
interface Version {
  version: string;
  fingerprint: string;
  firstSeenAt: string;
  lastSeenAt: string;
  lastReadAt: string | null;
  readers: number;
}

const AWS_KEY = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
let aws: AwsFake;
let vault: VaultFake;

const safe = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.-]/g, "-");
const versions = (id: string, token?: string | null) =>
  call<Version[]>(`/api/secrets/${id}/versions`, token === undefined ? {} : { token });
const resolveAs = (token: string, secretPath: string) =>
  call<{ value: string; version: string; cached: boolean }>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`, { token });
const resolveBatchAs = (token: string, paths: string[]) =>
  call<{ values: Record<string, string> }>("/api/secrets/resolve", { method: "POST", body: { paths }, token });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function externalSecret(type: string, config: Record<string, string>, providerPath: string, providerConfig: Record<string, unknown>) {
  const connection = await call<{ id: string }>("/api/secret-providers", {
    method: "POST",
    body: { name: unique("lineage"), type, config },
  });
  expect(connection.status, connection.text).toBe(201);
  const secretPath = safe("lineage.ext");
  const created = await call<{ id: string }>("/api/secrets", {
    method: "POST",
    body: { secretPath, provider: type, providerPath, secretProviderId: connection.body.id, providerConfig },
  });
  expect(created.status, created.text).toBe(201);
  return { id: created.body.id, secretPath };
}

beforeAll(async () => {
  aws = await startAwsFake({ [AWS_KEY.id]: AWS_KEY.secret });
  vault = await startVaultFake({ mounts: { secret: 2, kv1: 1 }, tokens: { [VAULT_TOKEN]: [""] } });
});
afterAll(async () => {
  await Promise.all([aws?.close(), vault?.close()]);
});

describe("GET /api/secrets/:id/versions", () => {
  it("lists a stored secret's versions newest first, with the distinct readers of each", async () => {
    const [t1, t2, t3] = [await createToken("editor"), await createToken("editor"), await createToken("editor")];
    const secret = await createStoredSecret(safe("lineage.stored"), `first-${randomBytes(8).toString("hex")}`);
    expect((await resolveAs(t1.token, secret.secretPath)).body.value).toBe(secret.value);
    expect((await resolveAs(t1.token, secret.secretPath)).status).toBe(200);
    expect((await resolveBatchAs(t2.token, [secret.secretPath])).body.values[secret.secretPath]).toBe(secret.value);
    const second = `second-${randomBytes(8).toString("hex")}`;
    const edited = await call(`/api/secrets/${secret.id}`, { method: "PATCH", body: { value: second } });
    expect(edited.status, edited.text).toBe(200);
    expect((await resolveAs(t3.token, secret.secretPath)).body.value).toBe(second);

    const response = await versions(secret.id);
    expect(response.status, response.text).toBe(200);
    expect(response.body.map((v) => [v.version, v.readers])).toEqual([
      ["2", 1],
      ["1", 2],
    ]);
    const [v2, v1] = response.body as [Version, Version];
    expect(v1.fingerprint).toMatch(/^hmac-sha256:[A-Za-z0-9_-]{16}$/);
    expect(v2.fingerprint).not.toBe(v1.fingerprint);
    expect(Date.parse(v2.firstSeenAt)).toBeGreaterThanOrEqual(Date.parse(v1.firstSeenAt));
    for (const v of response.body) {
      expect(v.lastReadAt).not.toBeNull();
      expect(Date.parse(v.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(v.firstSeenAt));
    }
    expect(response.text).not.toContain(secret.value);
    expect(response.text).not.toContain(second);

    // The same reader again adds no reader; a new one does.
    expect((await resolveAs(t3.token, secret.secretPath)).status).toBe(200);
    expect((await resolveAs(t1.token, secret.secretPath)).status).toBe(200);
    expect((await versions(secret.id)).body.map((v) => v.readers)).toEqual([2, 2]);
  });

  it("shows an upstream change as a new version once the cache has expired (AWS version ids)", async () => {
    const t1 = await createToken("editor");
    const name = `lineage/${randomBytes(4).toString("hex")}`;
    const firstId = aws.putSecret(name, "upstream-one");
    const secret = await externalSecret(
      "aws-sm",
      { region: "eu-west-1", accessKeyId: AWS_KEY.id, secretAccessKey: AWS_KEY.secret, endpoint: aws.url },
      name,
      { cacheTtlSeconds: 1 },
    );
    expect((await resolveAs(t1.token, secret.secretPath)).body).toMatchObject({ value: "upstream-one", version: firstId });
    const secondId = aws.putSecret(name, "upstream-two");
    // Still cached: no new version seen yet.
    expect((await resolveAs(t1.token, secret.secretPath)).body).toMatchObject({ value: "upstream-one", cached: true });
    expect((await versions(secret.id)).body.map((v) => v.version)).toEqual([firstId]);
    await sleep(1_300);
    expect((await resolveAs(t1.token, secret.secretPath)).body).toMatchObject({ value: "upstream-two", version: secondId, cached: false });

    const response = await versions(secret.id);
    expect(response.status, response.text).toBe(200);
    expect(response.body.map((v) => [v.version, v.readers])).toEqual([
      [secondId, 1],
      [firstId, 1],
    ]);
    expect(response.body[0]!.fingerprint).not.toBe(response.body[1]!.fingerprint);
    expect(response.text).not.toContain("upstream-one");
    expect(response.text).not.toContain("upstream-two");
  });

  it("numbers the versions of a manager that gives no version id (Vault KV v1) by their fingerprints", async () => {
    const t1 = await createToken("editor");
    const name = `lineage-${randomBytes(4).toString("hex")}`;
    vault.putSecret(`kv1/${name}`, { value: "kv1-one" });
    const secret = await externalSecret("vault", { vaultUrl: vault.url, token: VAULT_TOKEN, kvVersion: "1" }, `kv1/${name}`, {
      cacheTtlSeconds: 0,
    });
    expect((await resolveAs(t1.token, secret.secretPath)).body.value).toBe("kv1-one");
    expect((await resolveAs(t1.token, secret.secretPath)).body.value).toBe("kv1-one");
    vault.putSecret(`kv1/${name}`, { value: "kv1-two" });
    expect((await resolveAs(t1.token, secret.secretPath)).body.value).toBe("kv1-two");
    const response = await versions(secret.id);
    expect(response.status, response.text).toBe(200);
    expect(response.body.map((v) => [v.version, v.readers])).toEqual([
      ["2", 1],
      ["1", 1],
    ]);
    expect(response.text).not.toContain("kv1-one");
  });

  it("is visible as GET /api/secrets/:id is: viewers yes, scoped tokens only inside their scope", async () => {
    const prefix = safe("lineageauth");
    const secret = await createStoredSecret(`${prefix}.inside`);
    const viewer = await createToken("viewer");
    const inside = await createToken("viewer", `${prefix}.*`);
    const outside = await createToken("editor", "elsewhere.*");
    expect((await versions(secret.id, viewer.token)).status).toBe(200);
    const seen = await versions(secret.id, inside.token);
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body.map((v) => v.version)).toEqual(["1"]);
    expect(seen.text).not.toContain(secret.value);
    expectError(await versions(secret.id, outside.token), 404, "not_found");
    expectError(await versions(secret.id, null), 401, "unauthorized");
    expectError(await versions("no-such-secret"), 404, "not_found");
  });
});
