import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeServiceAccount } from "../providers/support/service-account";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startHttpFake } from "../support/fakes/http";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { Browser } from "./support/browser";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { callAction, serverActions } from "./support/fuzz-actions";
import { query } from "./support/database";
import { startServer, type RunningServer } from "./support/server";

/**
 * CONTRACT "Trust rules" for provider connections, over HTTP against the built server:
 * - Vault connections read KV secrets, nothing else (save, test, resolve and batch resolve).
 * - A credential stays with the address it was given for (PUT and PATCH, every provider).
 * - Connection tests are rate limited; the mask is no credential; a no-op write keeps its version.
 */
const MASK = "••••••••";
const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const AWS_KEY = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
const AZURE_SECRET = randomBytes(16).toString("hex");
/** PEM-shaped (all the form checks); the server reads it only to sign in. */
const AZURE_CERTIFICATE = `-----BEGIN CERTIFICATE-----\n${randomBytes(96).toString("base64")}\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n${randomBytes(96).toString("base64")}\n-----END PRIVATE KEY-----\n`;
const SERVICE_ACCOUNT = makeServiceAccount("proj-trust");
const CREDENTIALS = [VAULT_TOKEN, AWS_KEY.id, AWS_KEY.secret, AZURE_SECRET, SERVICE_ACCOUNT.privateKeyPem.slice(40, 100)];

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
interface Connection {
  id: string;
  name: string;
  version?: number;
  config: Record<string, string>;
}

let vault: VaultFake;
/** Where a hijacked connection would be pointed: it accepts no token, and records what it gets. */
let elsewhere: VaultFake;
let aws: AwsFake;
let awsElsewhere: AwsFake;

const responses: string[] = [];
async function send<T>(path: string, options: Parameters<typeof call>[1] = {}) {
  const response = await call<T & ErrorBody>(path, options);
  responses.push(response.text);
  return response;
}

async function connect(type: string, config: Record<string, string>, kvVersion?: string): Promise<string> {
  const body = { name: unique(`trust-${type}`), type, config: { ...config, ...(kvVersion ? { kvVersion } : {}) } };
  const response = await send<{ id: string }>("/api/secret-providers", { method: "POST", body });
  expect(response.status, response.text).toBe(201);
  return response.body.id;
}

const secretPath = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.-]/g, "-");

beforeAll(async () => {
  vault = await startVaultFake({
    mounts: { secret: 2, kv: 1 },
    otherMounts: { database: "database", pki: "pki" },
    tokens: { [VAULT_TOKEN]: [""] },
  });
  elsewhere = await startVaultFake({ mounts: { secret: 2 }, tokens: {} });
  aws = await startAwsFake({ [AWS_KEY.id]: AWS_KEY.secret });
  awsElsewhere = await startAwsFake({});
  vault.putSecret("secret/app/db", { password: "kv-pw" });
});
afterAll(async () => {
  for (const text of responses) for (const credential of CREDENTIALS) expect(text).not.toContain(credential);
  await Promise.all([vault?.close(), elsewhere?.close(), aws?.close(), awsElsewhere?.close()]);
});

describe("Vault connections read KV secrets, nothing else", () => {
  const BUILT_IN = [
    "auth/token/lookup-self",
    "cubbyhole/notes",
    "sys/internal/ui/mounts/secret",
    "identity/entity/name/x",
    "/auth/token/lookup-self",
    "AUTH/token/lookup-self",
    "secret/../auth/token/lookup-self",
    "secret/data/../../auth/token/lookup-self",
    "%61uth/token/lookup-self",
  ];

  it.each(["1", "2", "auto"])(
    "kvVersion %s: saving a secret under a built-in non-KV mount is 400 (POST, PUT, PATCH)",
    async (kvVersion) => {
      const connection = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN }, kvVersion);
      const base = { provider: "vault", secretProviderId: connection, providerConfig: { jsonKey: "id" } };
      for (const providerPath of BUILT_IN) {
        const created = await send("/api/secrets", {
          method: "POST",
          body: { ...base, secretPath: secretPath("vault.token"), providerPath },
        });
        expect(created.status, `${providerPath}: ${created.text}`).toBe(400);
        expect(created.body.error.fields).toHaveProperty("providerPath");
      }
      const good = await send<{ id: string }>("/api/secrets", {
        method: "POST",
        body: { ...base, secretPath: secretPath("vault.kv"), providerPath: kvVersion === "1" ? "kv/x" : "secret/app/db" },
      });
      expect(good.status, good.text).toBe(201);
      for (const method of ["PUT", "PATCH"]) {
        const changed = await send(`/api/secrets/${good.body.id}`, { method, body: { providerPath: "auth/token/lookup-self" } });
        expect(changed.status, changed.text).toBe(400);
        expect(changed.body.error.fields).toHaveProperty("providerPath");
      }
    },
  );

  it.each(["1", "2", "auto"])(
    "kvVersion %s: saving a secret on a mount Vault reports as another engine is 400 (POST, PUT, PATCH, dashboard actions)",
    async (kvVersion) => {
      const connection = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN }, kvVersion);
      const base = { provider: "vault", secretProviderId: connection, providerConfig: { jsonKey: "password" } };
      for (const [providerPath, engine] of [
        ["database/creds/readonly", "database"],
        ["pki/issue/web", "pki"],
      ]) {
        const created = await send("/api/secrets", {
          method: "POST",
          body: { ...base, secretPath: secretPath("vault.engine"), providerPath },
        });
        expect(created.status, `${providerPath}: ${created.text}`).toBe(400);
        expect(created.body.error).toMatchObject({
          code: "validation_error",
          fields: { providerPath: expect.stringContaining(`a ${engine} engine`) },
        });
      }
      const good = await send<{ id: string; version: number }>("/api/secrets", {
        method: "POST",
        body: { ...base, secretPath: secretPath("vault.kv"), providerPath: kvVersion === "1" ? "kv/x" : "secret/app/db" },
      });
      expect(good.status, good.text).toBe(201);
      for (const method of ["PUT", "PATCH"]) {
        const changed = await send(`/api/secrets/${good.body.id}`, { method, body: { providerPath: "database/creds/readonly" } });
        expect(changed.status, changed.text).toBe(400);
        expect(changed.body.error).toMatchObject({
          code: "validation_error",
          fields: { providerPath: expect.stringContaining("a database engine") },
        });
      }

      const browser = new Browser();
      const { admin } = apiContext();
      expect((await browser.signIn(admin.email, admin.password)).status).toBeLessThan(400);
      const action = (name: string) => serverActions().find((a) => a.name === name)!;
      const viaAction = [
        await callAction(browser, action("createSecretAction"), "/secrets/new", [
          { ...base, secretPath: secretPath("vault.action"), providerPath: "database/creds/readonly" },
        ]),
        await callAction(browser, action("updateSecretAction"), "/secrets/new", [
          good.body.id,
          { providerPath: "database/creds/readonly" },
        ]),
      ];
      for (const response of viaAction) {
        expect(response.result, response.text).toMatchObject({
          ok: false,
          fields: { providerPath: expect.stringContaining("a database engine") },
        });
      }
      const stored = await send<{ providerPath: string; version: number }>(`/api/secrets/${good.body.id}`);
      expect(stored.body).toMatchObject({ providerPath: kvVersion === "1" ? "kv/x" : "secret/app/db", version: good.body.version });
      expect(vault.requests.some((r) => r.path.startsWith("/v1/database/") || r.path.startsWith("/v1/pki/"))).toBe(false);
    },
  );

  it("a Vault that cannot say which engine serves a path (refused, unreachable) does not block the save, nor hold it long", async () => {
    const refusing = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
    vault.mountFaults.add({ status: 503 });
    const whileRefused = await send("/api/secrets", {
      method: "POST",
      body: {
        secretPath: secretPath("vault.refused"),
        provider: "vault",
        providerPath: "database/creds/readonly",
        secretProviderId: refusing,
      },
    });
    expect(whileRefused.status, whileRefused.text).toBe(201);

    const gone = await startHttpFake((_req, res) => void res.end());
    await gone.close();
    const unreachable = await connect("vault", { vaultUrl: gone.url, token: VAULT_TOKEN });
    const started = Date.now();
    const offline = await send("/api/secrets", {
      method: "POST",
      body: {
        secretPath: secretPath("vault.offline"),
        provider: "vault",
        providerPath: "database/creds/readonly",
        secretProviderId: unreachable,
      },
    });
    expect(offline.status, offline.text).toBe(201);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it.each(["1", "2", "auto"])(
    "kvVersion %s: testing with a non-KV path is 400, for built-in and other engines alike",
    async (kvVersion) => {
      const connection = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN }, kvVersion);
      for (const providerPath of [...BUILT_IN, "database/creds/readonly", "pki/issue/web"]) {
        const tested = await send(`/api/secret-providers/${connection}/test`, { method: "POST", body: { providerPath } });
        expect(tested.status, `${providerPath}: ${tested.text}`).toBe(400);
        expect(tested.body.error).toMatchObject({ code: "validation_error", fields: { providerPath: expect.any(String) } });
      }
    },
  );

  it.each(["1", "2", "auto"])(
    "kvVersion %s: resolving a secret on a mount Vault reports as another engine fails (single and batch), never returning its data",
    async (kvVersion) => {
      const connection = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN }, kvVersion);
      const dynamic = secretPath("vault.dynamic");
      // Saved while Vault would not say which engine serves the path (a save refuses it otherwise).
      vault.mountFaults.add({ status: 503 });
      const created = await send("/api/secrets", {
        method: "POST",
        body: {
          secretPath: dynamic,
          provider: "vault",
          providerPath: "database/creds/readonly",
          secretProviderId: connection,
          providerConfig: { jsonKey: "password" },
        },
      });
      expect(created.status, created.text).toBe(201);
      const single = await send(`/api/secrets/resolve?path=${dynamic}`);
      expect(single.status, single.text).toBe(502);
      expect(single.body.error.message).toMatch(/KV secrets only/);
      const batch = await send<{ values: Record<string, string>; errors: Record<string, { code: string }> }>("/api/secrets/resolve", {
        method: "POST",
        body: { paths: [dynamic] },
      });
      expect(batch.body.values).toEqual({});
      expect(batch.body.errors[dynamic]).toMatchObject({ code: "provider_error" });
      for (const text of [single.text, batch.text]) expect(text).not.toContain("live-database-credential");
      expect(vault.requests.some((r) => r.path.startsWith("/v1/database/"))).toBe(false);
    },
  );

  it("the connection's own token is never what a secret resolves to", async () => {
    expect(responses.some((text) => text.includes(VAULT_TOKEN))).toBe(false);
    expect(vault.requests.filter((r) => r.path === "/v1/auth/token/lookup-self")).toEqual([]);
  });
});

describe("A credential stays with the address it was given for", () => {
  const CASES = [
    {
      type: "vault",
      field: "vaultUrl",
      config: () => ({ vaultUrl: vault.url, token: VAULT_TOKEN }),
      address: () => ({ vaultUrl: elsewhere.url }),
      credentials: () => ({ token: VAULT_TOKEN }),
    },
    {
      type: "aws-sm",
      field: "endpoint",
      config: () => ({ region: "eu-west-1", accessKeyId: AWS_KEY.id, secretAccessKey: AWS_KEY.secret, endpoint: aws.url }),
      address: () => ({ endpoint: awsElsewhere.url }),
      credentials: () => ({ accessKeyId: AWS_KEY.id, secretAccessKey: AWS_KEY.secret }),
    },
    {
      type: "azure-kv",
      field: "vaultUrl",
      config: () => ({ vaultUrl: "https://trust.vault.azure.net", tenantId: "tenant-1", clientId: "client-1", clientSecret: AZURE_SECRET }),
      address: () => ({ vaultUrl: "https://attacker.example.com" }),
      credentials: () => ({ clientSecret: AZURE_SECRET }),
    },
    {
      type: "azure-kv",
      field: "authorityHost",
      config: () => ({ vaultUrl: "https://trust.vault.azure.net", tenantId: "tenant-1", clientId: "client-1", clientSecret: AZURE_SECRET }),
      address: () => ({ authorityHost: "https://login.attacker.example.com" }),
      credentials: () => ({ clientSecret: AZURE_SECRET }),
    },
    {
      type: "azure-kv",
      field: "authorityHost",
      config: () => ({
        vaultUrl: "https://trust.vault.azure.net",
        tenantId: "tenant-1",
        clientId: "client-1",
        clientCertificate: AZURE_CERTIFICATE,
      }),
      address: () => ({ authorityHost: "https://login.attacker.example.com" }),
      credentials: () => ({ clientCertificate: AZURE_CERTIFICATE }),
    },
    {
      type: "gcp-sm",
      field: "apiEndpoint",
      config: () => ({ projectId: "proj-trust", serviceAccountJson: SERVICE_ACCOUNT.json }),
      address: () => ({ apiEndpoint: "secretmanager.attacker.example.com:443" }),
      credentials: () => ({ serviceAccountJson: SERVICE_ACCOUNT.json }),
    },
  ];

  it.each(CASES.flatMap((c) => ["PUT", "PATCH"].map((method) => ({ ...c, method }))))(
    "$type $method: changing $field with the credentials masked or left out is 400 naming each one",
    async ({ type, config, address, credentials, method }) => {
      const id = await connect(type, config());
      const before = await send<Connection>(`/api/secret-providers/${id}`);
      const credentialKeys = Object.keys(credentials());
      const masked = Object.fromEntries(credentialKeys.map((key) => [key, MASK]));
      for (const body of [{ config: address() }, { config: { ...address(), ...masked } }, { name: unique("renamed"), config: address() }]) {
        const refused = await send(`/api/secret-providers/${id}`, { method, body });
        expect(refused.status, refused.text).toBe(400);
        expect(refused.body.error.code).toBe("validation_error");
        expect(Object.keys(refused.body.error.fields ?? {}).sort()).toEqual(credentialKeys.map((key) => `config.${key}`).sort());
      }
      // Only some of several credentials sent anew: the others are still named.
      if (credentialKeys.length > 1) {
        const partial = await send(`/api/secret-providers/${id}`, {
          method,
          body: { config: { ...address(), [credentialKeys[0]!]: credentials()[credentialKeys[0] as never] } },
        });
        expect(partial.status, partial.text).toBe(400);
        expect(Object.keys(partial.body.error.fields ?? {})).toEqual(credentialKeys.slice(1).map((key) => `config.${key}`));
      }
      const after = await send<Connection>(`/api/secret-providers/${id}`);
      expect(after.body).toEqual(before.body);

      // Every credential sent anew: the change is made, and audited with both addresses.
      const moved = await send<Connection>(`/api/secret-providers/${id}`, { method, body: { config: { ...address(), ...credentials() } } });
      expect(moved.status, moved.text).toBe(200);
      const [field, to] = Object.entries(address())[0]!;
      expect(moved.body.config[field]).toBe(to);
      const [audit] = await query<{ details: string }>(
        "SELECT details FROM audit_events WHERE action = 'secret_provider.update' AND target_id = $1 ORDER BY at DESC LIMIT 1",
        [id],
      );
      const details = JSON.parse(audit!.details) as Record<string, unknown>;
      expect(details[`old.config.${field}`]).toBe(config()[field as keyof ReturnType<typeof config>] ?? null);
      expect(details[`new.config.${field}`]).toBe(to);
      for (const credential of CREDENTIALS) expect(audit!.details).not.toContain(credential);
    },
  );

  it("a credential cleared together with the address change, or a connection without credentials, needs nothing anew", async () => {
    const gcp = await connect("gcp-sm", { projectId: "proj-trust" });
    expect(
      (await send(`/api/secret-providers/${gcp}`, { method: "PATCH", body: { config: { apiEndpoint: "secretmanager.example.com:443" } } }))
        .status,
    ).toBe(200);
    const azure = await connect("azure-kv", {
      vaultUrl: "https://trust.vault.azure.net",
      tenantId: "t",
      clientId: "c",
      clientSecret: AZURE_SECRET,
    });
    const cleared = await send(`/api/secret-providers/${azure}`, {
      method: "PATCH",
      body: { config: { vaultUrl: "https://other.vault.azure.net", clientId: "", tenantId: "", clientSecret: "" } },
    });
    expect(cleared.status, cleared.text).toBe(200);
  });

  it("after a refused move, the test endpoint still talks to the old address only: the token goes nowhere else", async () => {
    const id = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
    const refused = await send(`/api/secret-providers/${id}`, {
      method: "PATCH",
      body: { config: { vaultUrl: elsewhere.url, token: MASK } },
    });
    expect(refused.status).toBe(400);
    const awsId = await connect("aws-sm", {
      region: "eu-west-1",
      accessKeyId: AWS_KEY.id,
      secretAccessKey: AWS_KEY.secret,
      endpoint: aws.url,
    });
    expect((await send(`/api/secret-providers/${awsId}`, { method: "PUT", body: { config: { endpoint: awsElsewhere.url } } })).status).toBe(
      400,
    );
    for (const connection of [id, awsId]) {
      expect((await send(`/api/secret-providers/${connection}/test`, { method: "POST", body: {} })).status).toBe(200);
      expect(
        (await send(`/api/secret-providers/${connection}/test`, { method: "POST", body: { providerPath: "secret/app/db" } })).status,
      ).toBe(200);
    }
    expect(elsewhere.requests).toEqual([]);
    expect(awsElsewhere.requests).toEqual([]);
  });
});

describe("Connections: the mask, no-op writes", () => {
  it.each([
    ["vault", { vaultUrl: "https://vault.example.com", token: MASK }, ["config.token"]],
    ["aws-sm", { region: "eu-west-1", accessKeyId: "AKIAABCDEFGHIJKLMNOP", secretAccessKey: MASK }, ["config.secretAccessKey"]],
    [
      "azure-kv",
      { vaultUrl: "https://x.vault.azure.net", tenantId: "t", clientId: "c", clientSecret: ` ${MASK} ` },
      ["config.clientSecret"],
    ],
  ] as const)("%s: creating with the mask as a credential is 400 naming the field", async (type, config, fields) => {
    const response = await send("/api/secret-providers", { method: "POST", body: { name: unique("masked"), type, config } });
    expect(response.status, response.text).toBe(400);
    expect(Object.keys(response.body.error.fields ?? {})).toEqual(fields);
  });

  it("a PUT or PATCH that changes nothing keeps version and ETag, so others' If-Match still holds", async () => {
    const id = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
    const first = await send<Connection>(`/api/secret-providers/${id}`);
    const etag = first.headers.get("etag")!;
    for (const [method, body] of [
      ["PATCH", {}],
      ["PATCH", { config: {} }],
      ["PUT", { config: { token: MASK, vaultUrl: vault.url } }],
      ["PATCH", { name: first.body.name, config: { token: MASK } }],
    ] as const) {
      const response = await send<Connection>(`/api/secret-providers/${id}`, { method, body, headers: { "if-match": etag } });
      expect(response.status, `${method} ${JSON.stringify(body)}: ${response.text}`).toBe(200);
      expect(response.headers.get("etag")).toBe(etag);
    }
    const changed = await send(`/api/secret-providers/${id}`, {
      method: "PATCH",
      body: { description: "now different" },
      headers: { "if-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("secrets: a PUT or PATCH that changes nothing keeps version and ETag too", async () => {
    const created = await send<{ id: string }>("/api/secrets", {
      method: "POST",
      body: { secretPath: secretPath("noop.stored"), value: "v", description: "d" },
    });
    expect(created.status, created.text).toBe(201);
    const etag = (await send(`/api/secrets/${created.body.id}`)).headers.get("etag")!;
    for (const [method, body] of [
      ["PATCH", {}],
      ["PUT", { description: "d" }],
      ["PATCH", { providerConfig: {} }],
    ] as const) {
      const response = await send(`/api/secrets/${created.body.id}`, { method, body, headers: { "if-match": etag } });
      expect(response.status, response.text).toBe(200);
      expect(response.headers.get("etag")).toBe(etag);
    }
  });
});

describe("Connection tests are rate limited per caller and connection", () => {
  const LIMIT = 3;
  let server: RunningServer;
  beforeAll(async () => {
    const context = apiContext();
    server = await startServer(
      {
        DATABASE_URL: context.databaseUrl,
        SECRETS_MASTER_KEY: context.masterKey,
        PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
        PROVENANCE_TEST_LIMIT_PER_MINUTE: String(LIMIT),
        PROVENANCE_PROVIDER_TIMEOUT_MS: "2000",
      },
      `${context.kind}-test-limit`,
    );
  });
  afterAll(() => server?.stop());

  it("answers 429 rate_limited with Retry-After past the limit, for that caller and connection only", async () => {
    const id = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
    const other = await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
    const test = (connection: string, token?: string) =>
      send(`/api/secret-providers/${connection}/test`, { method: "POST", body: {}, baseUrl: server.baseUrl, ...(token ? { token } : {}) });
    const before = vault.requests.length;
    for (let i = 0; i < LIMIT; i++) expect((await test(id)).status).toBe(200);
    const limited = await test(id);
    expect(limited.status, limited.text).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(limited.body.error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/try again/i) });
    expect(vault.requests.length - before).toBe(LIMIT);
    expect((await test(other)).status).toBe(200);
    expect((await test(id, apiContext().tokens.editor)).status).toBe(200);
  });
});
