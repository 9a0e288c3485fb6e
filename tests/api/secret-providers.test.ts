import { describe, expect, it } from "vitest";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { storedCredentials } from "./support/secrets-at-rest";

const MASK = "••••••••";

interface Connection {
  id: string;
  name: string;
  type: string;
  description: string | null;
  config: Record<string, string>;
  secretCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}
interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields?: Record<string, string>;
    referencingSecrets?: number;
    secrets?: Array<{ id: string; secretPath: string }>;
  };
}

async function createVault(overrides: Record<string, unknown> = {}) {
  const name = unique("vault");
  const response = await call<Connection>("/api/secret-providers", {
    method: "POST",
    body: { name, type: "vault", config: { vaultUrl: "https://vault.example.com", token: "hvs.first-token" }, ...overrides },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

describe("GET /api/secret-providers/types", () => {
  it("lists the four types with their config schemas and SDK status", async () => {
    const response = await call<
      Array<{
        type: string;
        configSchema: Array<{ key: string; sensitive?: boolean; required: boolean; type: string }>;
        sdk: { package: string | null; installed: boolean };
      }>
    >("/api/secret-providers/types", { token: apiContext().tokens.viewer });
    expect(response.status).toBe(200);
    expect(response.body.map((t) => t.type)).toEqual(["aws-sm", "azure-kv", "gcp-sm", "vault"]);
    const aws = response.body.find((t) => t.type === "aws-sm")!;
    expect(aws.configSchema.slice(0, 3)).toEqual([
      expect.objectContaining({ key: "region", label: "Region", type: "text", required: true }),
      expect.objectContaining({ key: "accessKeyId", label: "Access Key ID", type: "password", required: false, sensitive: true }),
      expect.objectContaining({ key: "secretAccessKey", label: "Secret Access Key", type: "password", required: false, sensitive: true }),
    ]);
    expect(aws.sdk).toEqual(expect.objectContaining({ package: "@aws-sdk/client-secrets-manager", installed: true }));
    expect(response.body.find((t) => t.type === "vault")!.sdk).toEqual(expect.objectContaining({ package: null, installed: true }));
    for (const type of response.body)
      for (const field of type.configSchema) expect(["text", "password", "textarea", "url"]).toContain(field.type);
    // A field with a fixed set of values lists them in `options` (an addition to the contract's members); others have none.
    const vault = response.body.find((t) => t.type === "vault")!.configSchema as Array<{ key: string; options?: string[] }>;
    expect(vault.find((f) => f.key === "kvVersion")).toEqual(
      expect.objectContaining({ type: "text", required: false, options: ["1", "2", "auto"] }),
    );
    expect(vault.find((f) => f.key === "vaultUrl")).not.toHaveProperty("options");
  });
});

describe("creating connections", () => {
  it("returns 201 with sensitive fields masked and unset ones absent, and stores them encrypted", async () => {
    const response = await call<Connection>("/api/secret-providers", {
      method: "POST",
      body: {
        name: unique("Production AWS"),
        type: "aws-sm",
        config: { region: "eu-west-1", accessKeyId: "AKIAABCDEFGHIJKLMNOP", secretAccessKey: "wJalrXUtnFEMI/K7MDENG" },
        description: "Production AWS account",
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      type: "aws-sm",
      description: "Production AWS account",
      config: { region: "eu-west-1", accessKeyId: MASK, secretAccessKey: MASK },
      secretCount: 0,
    });
    expect(Object.keys(response.body)).toEqual(
      expect.arrayContaining(["id", "name", "type", "description", "config", "secretCount", "createdAt", "updatedAt"]),
    );
    expect(await storedCredentials(response.body.id)).toEqual({
      accessKeyId: "AKIAABCDEFGHIJKLMNOP",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG",
    });

    const azure = await call<Connection>("/api/secret-providers", {
      method: "POST",
      body: { name: unique("azure"), type: "azure-kv", config: { vaultUrl: "https://my-vault.vault.azure.net" } },
    });
    expect(azure.status).toBe(201);
    expect(azure.body.config).toEqual({ vaultUrl: "https://my-vault.vault.azure.net" });
    expect(await storedCredentials(azure.body.id)).toBeNull();
  });

  it("lists and gets connections the same masked way", async () => {
    const created = await createVault();
    const one = await call<Connection>(`/api/secret-providers/${created.id}`, { token: apiContext().tokens.viewer });
    expect(one.status).toBe(200);
    expect(one.body.config).toEqual({ vaultUrl: "https://vault.example.com", token: MASK });
    const list = await call<Connection[]>("/api/secret-providers", { token: apiContext().tokens.viewer });
    expect(list.body.find((c) => c.id === created.id)).toEqual(one.body);
  });

  it("refuses a name that is taken with 409 name_taken", async () => {
    const first = await createVault();
    const second = await call<ErrorBody>("/api/secret-providers", {
      method: "POST",
      body: { name: first.name, type: "vault", config: { vaultUrl: "https://v2.example.com", token: "t" } },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("name_taken");
  });

  it.each([
    ["an unknown type", { type: "oracle-vault", config: {} }, "type"],
    ["a missing required field", { type: "aws-sm", config: {} }, "config.region"],
    ["an unknown config key", { type: "aws-sm", config: { region: "eu-west-1", sessionToken: "x" } }, "config.sessionToken"],
    ["a secret key without its key id", { type: "aws-sm", config: { region: "eu-west-1", secretAccessKey: "x" } }, "config.accessKeyId"],
    [
      "a client id without tenant and secret",
      { type: "azure-kv", config: { vaultUrl: "https://v.vault.azure.net", clientId: "abc" } },
      "config.clientSecret",
    ],
    ["a non-https vault URL for Azure", { type: "azure-kv", config: { vaultUrl: "ftp://v.vault.azure.net" } }, "config.vaultUrl"],
    [
      "a service account JSON without a private key",
      { type: "gcp-sm", config: { projectId: "my-project-1", serviceAccountJson: '{"client_email":"a@b"}' } },
      "config.serviceAccountJson",
    ],
    ["a vault without its token", { type: "vault", config: { vaultUrl: "https://vault.example.com" } }, "config.token"],
    ["a missing name", { name: "", type: "vault", config: { vaultUrl: "https://vault.example.com", token: "t" } }, "name"],
    ["an unknown top-level member", { type: "vault", config: { vaultUrl: "https://vault.example.com", token: "t" }, owner: "me" }, "owner"],
  ])("answers 400 validation_error with fields for %s", async (_label, body, field) => {
    const response = await call<ErrorBody>("/api/secret-providers", { method: "POST", body: { name: unique("bad"), ...body } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_error");
    expect(response.body.error.fields).toHaveProperty([field]);
    expect(response.body.error.message).toEqual(expect.any(String));
  });

  it("refuses plain http:// URLs unless the server allows them, and metadata addresses always", async () => {
    const strictBaseUrl = apiContext().strictBaseUrl;
    const insecure = { name: unique("insecure"), type: "vault", config: { vaultUrl: "http://vault.internal:8200", token: "t" } };
    const refused = await call<ErrorBody>("/api/secret-providers", { method: "POST", body: insecure, baseUrl: strictBaseUrl });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toHaveProperty(["config.vaultUrl"]);
    expect((await call("/api/secret-providers", { method: "POST", body: insecure })).status).toBe(201);

    const grpc = { name: unique("grpc"), type: "gcp-sm", config: { projectId: "my-project-1", apiEndpoint: "http://127.0.0.1:9000" } };
    expect((await call("/api/secret-providers", { method: "POST", body: grpc, baseUrl: strictBaseUrl })).status).toBe(400);

    for (const [type, config] of [
      ["vault", { vaultUrl: "http://169.254.169.254/v1", token: "t" }],
      ["aws-sm", { region: "us-east-1", endpoint: "http://[fd00:ec2::254]/" }],
      ["gcp-sm", { projectId: "my-project-1", apiEndpoint: "metadata.google.internal:80" }],
      ["azure-kv", { vaultUrl: "https://v.vault.azure.net", authorityHost: "http://169.254.169.254" }],
    ] as const) {
      const response = await call<ErrorBody>("/api/secret-providers", { method: "POST", body: { name: unique("metadata"), type, config } });
      expect(response.status, `${type} ${JSON.stringify(config)}`).toBe(400);
      expect(JSON.stringify(response.body.error.fields)).toMatch(/metadata/i);
    }
  });
});

describe("updating connections", () => {
  it("keeps a sensitive field sent as the mask or left out, and replaces it when a new value is sent", async () => {
    const created = await createVault({ config: { vaultUrl: "https://vault.example.com", token: "hvs.first-token", namespace: "team-a" } });
    const kept = await call<Connection>(`/api/secret-providers/${created.id}`, {
      method: "PUT",
      body: { description: "edited", config: { namespace: "team-b", token: MASK } },
    });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({
      description: "edited",
      config: { vaultUrl: "https://vault.example.com", token: MASK, namespace: "team-b" },
    });
    // The mask keeps a credential only at its address: a new vaultUrl needs it anew (trust-providers.test.ts).
    expect(await storedCredentials(created.id)).toEqual({ token: "hvs.first-token" });

    const leftOut = await call<Connection>(`/api/secret-providers/${created.id}`, {
      method: "PATCH",
      body: { name: `${created.name}-renamed` },
    });
    expect(leftOut.status).toBe(200);
    expect(await storedCredentials(created.id)).toEqual({ token: "hvs.first-token" });

    const replaced = await call<Connection>(`/api/secret-providers/${created.id}`, {
      method: "PUT",
      body: { config: { token: "hvs.second-token" } },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.config.token).toBe(MASK);
    expect(await storedCredentials(created.id)).toEqual({ token: "hvs.second-token" });
  });

  it('clears an optional field with "" or null and refuses to clear a required one', async () => {
    const created = await createVault({ config: { vaultUrl: "https://vault.example.com", token: "t", namespace: "ns1" } });
    const cleared = await call<Connection>(`/api/secret-providers/${created.id}`, { method: "PUT", body: { config: { namespace: "" } } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.config).not.toHaveProperty("namespace");

    const aws = await call<Connection>("/api/secret-providers", {
      method: "POST",
      body: {
        name: unique("aws"),
        type: "aws-sm",
        config: { region: "eu-west-1", accessKeyId: "AKIAABCDEFGHIJKLMNOP", secretAccessKey: "s" },
      },
    });
    const bothCleared = await call<Connection>(`/api/secret-providers/${aws.body.id}`, {
      method: "PUT",
      body: { config: { accessKeyId: null, secretAccessKey: null } },
    });
    expect(bothCleared.status).toBe(200);
    expect(bothCleared.body.config).toEqual({ region: "eu-west-1" });
    expect(await storedCredentials(aws.body.id)).toBeNull();

    const required = await call<ErrorBody>(`/api/secret-providers/${created.id}`, { method: "PUT", body: { config: { token: "" } } });
    expect(required.status).toBe(400);
    expect(required.body.error.fields).toHaveProperty(["config.token"]);
    expect(await storedCredentials(created.id)).toEqual({ token: "t" });
  });

  it("refuses to change the type, unknown keys, and a taken name", async () => {
    const created = await createVault();
    const other = await createVault();
    const typeChange = await call<ErrorBody>(`/api/secret-providers/${created.id}`, { method: "PUT", body: { type: "aws-sm" } });
    expect(typeChange.status).toBe(400);
    expect(typeChange.body.error.fields).toHaveProperty(["type"]);
    const sameType = await call(`/api/secret-providers/${created.id}`, { method: "PUT", body: { type: "vault" } });
    expect(sameType.status).toBe(200);
    const unknownKey = await call<ErrorBody>(`/api/secret-providers/${created.id}`, { method: "PUT", body: { config: { region: "x" } } });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.fields).toHaveProperty(["config.region"]);
    // Clearing a key the type does not have is no different (found by the fuzz suite: it was a 200).
    for (const cleared of [null, ""]) {
      const clearUnknown = await call<ErrorBody>(`/api/secret-providers/${created.id}`, {
        method: "PATCH",
        body: { config: { valueOf: cleared } },
      });
      expect(clearUnknown.status, clearUnknown.text).toBe(400);
      expect(clearUnknown.body.error.fields).toHaveProperty(["config.valueOf"]);
    }
    // Nothing above changed anything (PUT {type: "vault"} is a no-op), so the version stays.
    expect((await call<Connection>(`/api/secret-providers/${created.id}`)).body.version).toBe(1);
    const taken = await call<ErrorBody>(`/api/secret-providers/${created.id}`, { method: "PUT", body: { name: other.name } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("name_taken");
  });

  it("answers 412 when If-Match names an older version, so concurrent edits are never lost silently", async () => {
    const created = await createVault();
    const first = await call(`/api/secret-providers/${created.id}`);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"v\d+"$/);
    expect(
      (await call(`/api/secret-providers/${created.id}`, { method: "PUT", body: { description: "a" }, headers: { "if-match": etag } }))
        .status,
    ).toBe(200);
    const stale = await call<ErrorBody>(`/api/secret-providers/${created.id}`, {
      method: "PUT",
      body: { description: "b" },
      headers: { "if-match": etag },
    });
    expect(stale.status).toBe(412);
    expect((await call<Connection>(`/api/secret-providers/${created.id}`)).body.description).toBe("a");
  });

  it("answers 404 for an unknown id", async () => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const response = await call<ErrorBody>("/api/secret-providers/does-not-exist", {
        method,
        body: method === "GET" || method === "DELETE" ? undefined : { description: "x" },
      });
      expect(response.status, method).toBe(404);
      expect(response.body.error.code).toBe("not_found");
    }
  });
});

describe("secret counts", () => {
  it("a scoped token's secretCount counts only the secrets its scope covers", async () => {
    const created = await createVault();
    // The suite's scoped token covers stripe.*; one secret inside that scope, two outside.
    const paths = [unique("stripe.fx"), unique("billing.fx"), unique("billing.fy")].map((p) => p.replace(/[^A-Za-z0-9_.-]/g, "-"));
    for (const secretPath of paths) {
      const secret = await call("/api/secrets", {
        method: "POST",
        body: { secretPath, provider: "vault", providerPath: "secret/app/db", secretProviderId: created.id },
      });
      expect(secret.status, secret.text).toBe(201);
    }
    const token = apiContext().tokens.scopedEditor;
    expect((await call<Connection>(`/api/secret-providers/${created.id}`)).body.secretCount).toBe(3);
    expect((await call<Connection>(`/api/secret-providers/${created.id}`, { token })).body.secretCount).toBe(1);
    const listed = (await call<Connection[]>("/api/secret-providers", { token })).body.find((c) => c.id === created.id);
    expect(listed?.secretCount).toBe(1);
  });
});

describe("testing connections", () => {
  it("refuses a scoped token reading an arbitrary provider path, which its scope could not cover", async () => {
    const created = await createVault();
    const scoped = await call<ErrorBody>(`/api/secret-providers/${created.id}/test`, {
      method: "POST",
      token: apiContext().tokens.scopedEditor,
      body: { providerPath: "secret/other-team/db" },
    });
    expect(scoped.status).toBe(403);
    expect(scoped.body.error.code).toBe("forbidden");
    const plain = await call<{ ok: boolean }>(`/api/secret-providers/${created.id}/test`, {
      method: "POST",
      token: apiContext().tokens.scopedEditor,
      body: {},
    });
    expect(plain.status).toBe(200);
  });
});

describe("deleting connections", () => {
  it("deletes an unused connection with 204", async () => {
    const created = await createVault();
    expect((await call(`/api/secret-providers/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/api/secret-providers/${created.id}`)).status).toBe(404);
  });

  it("answers 409 provider_in_use with the count and the referencing secrets", async () => {
    const created = await createVault();
    const paths = [unique("app.a"), unique("app.b")].map((p) => p.replace(/[^A-Za-z0-9_.-]/g, "-"));
    for (const secretPath of paths) {
      const secret = await call("/api/secrets", {
        method: "POST",
        body: {
          secretPath,
          provider: "vault",
          providerPath: "secret/app/db",
          secretProviderId: created.id,
          providerConfig: { jsonKey: "password" },
        },
      });
      expect(secret.status, secret.text).toBe(201);
    }
    const refused = await call<ErrorBody>(`/api/secret-providers/${created.id}`, { method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("provider_in_use");
    expect(refused.body.error.referencingSecrets).toBe(2);
    expect(refused.body.error.secrets!.map((s) => s.secretPath).sort()).toEqual([...paths].sort());
    expect((await call<Connection>(`/api/secret-providers/${created.id}`)).body.secretCount).toBe(2);
  });
});
