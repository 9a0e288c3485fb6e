import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { call as rawCall, unique, type ApiResponse, type RequestOptions } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { createStoredSecret, MASK, randomAlnum, randomUpper } from "./support/expectations";

/**
 * CONTRACT: nothing the API returns, logs or stores in plain text contains a sensitive config
 * field, a stored secret's value, the master key or a token; values leave only through resolve.
 * Every response of this file is collected and searched; so are the server logs and the rows.
 */
interface Seen {
  label: string;
  text: string;
}
const seen: Seen[] = [];
/** Responses allowed to carry one particular secret (a token's creation answer carries that token). */
const allowedToCarry = new Map<string, Set<string>>();

async function call<T = unknown>(label: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const response = await rawCall<T>(path, options);
  const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  seen.push({
    label: `${label}: ${options.method ?? "GET"} ${path} → ${response.status}`,
    text: `${response.status}\n${headers}\n${response.text}`,
  });
  return response;
}

const marker = randomAlnum(20);
const sensitive = {
  awsAccessKeyId: `AKIA${randomUpper(16)}`,
  awsSecretAccessKey: randomAlnum(40),
  awsSecretAccessKey2: randomAlnum(40),
  azureClientSecret: randomAlnum(34),
  gcpPrivateKeyMarker: `PK${marker}`,
  vaultToken: `hvs.${randomAlnum(24)}`,
  vaultToken2: `hvs.${randomAlnum(24)}`,
  refusedSecret: randomAlnum(32),
  storedValue: `value-${randomAlnum(32)}`,
};
const serviceAccountJson = (privateMarker: string) =>
  JSON.stringify({
    type: "service_account",
    project_id: "leak-test-123",
    client_email: "leak@leak-test-123.iam.gserviceaccount.com",
    private_key: `-----BEGIN PRIVATE KEY-----\n${privateMarker}\n-----END PRIVATE KEY-----\n`,
  });

const connections: Record<string, { id: string; config: Record<string, string> }> = {};
let stored: { id: string; secretPath: string };
let createdToken: { id: string; token: string };

/** Everything that must never appear outside the places that are allowed to show it. */
function forbiddenValues(): Array<[string, string]> {
  const { masterKey, tokens, admin } = apiContext();
  return [
    ...Object.entries(sensitive),
    ["masterKey", masterKey],
    ["adminPassword", admin.password],
    ...Object.entries(tokens).map(([role, token]): [string, string] => [`token:${role}`, token]),
    ["createdToken", createdToken.token],
  ];
}

function leaksIn(entries: Seen[]): string[] {
  const found: string[] = [];
  for (const entry of entries) {
    for (const [name, value] of forbiddenValues()) {
      if (allowedToCarry.get(entry.label)?.has(value)) continue;
      if (entry.text.includes(value)) found.push(`${name} in ${entry.label}`);
    }
  }
  return found;
}

beforeAll(async () => {
  const configs: Record<string, Record<string, string>> = {
    "aws-sm": { region: "eu-west-1", accessKeyId: sensitive.awsAccessKeyId, secretAccessKey: sensitive.awsSecretAccessKey },
    "azure-kv": {
      vaultUrl: "https://leak-test.vault.azure.net",
      tenantId: "leak-tenant",
      clientId: "leak-client",
      clientSecret: sensitive.azureClientSecret,
    },
    "gcp-sm": { projectId: "leak-test-123", serviceAccountJson: serviceAccountJson(sensitive.gcpPrivateKeyMarker) },
    vault: { vaultUrl: "https://vault.example.com", token: sensitive.vaultToken, namespace: "team-a" },
  };
  for (const [type, config] of Object.entries(configs)) {
    const created = await call<{ id: string; config: Record<string, string> }>("create", "/api/secret-providers", {
      method: "POST",
      body: { name: unique(`leak-${type}`), type, config },
    });
    expect(created.status, created.text).toBe(201);
    connections[type] = created.body;
  }
  stored = await createStoredSecret(unique("leak.stored"), sensitive.storedValue);
  const token = await call<{ id: string; token: string }>("token create", "/api/tokens", {
    method: "POST",
    body: { name: unique("leak"), role: "viewer" },
  });
  expect(token.status).toBe(201);
  createdToken = token.body;
  allowedToCarry.set(seen.at(-1)!.label, new Set([createdToken.token]));
});

describe("no sensitive value leaves the server", () => {
  it("connections show every set sensitive field as the mask", () => {
    expect(connections["aws-sm"]!.config).toMatchObject({ region: "eu-west-1", accessKeyId: MASK, secretAccessKey: MASK });
    expect(connections["azure-kv"]!.config).toMatchObject({ clientSecret: MASK, clientId: "leak-client" });
    expect(connections["gcp-sm"]!.config).toMatchObject({ serviceAccountJson: MASK, projectId: "leak-test-123" });
    expect(connections.vault!.config).toMatchObject({ token: MASK, namespace: "team-a" });
  });

  it("reads, lists and updates (mask kept, value replaced) show only the mask", async () => {
    expect((await call("list", "/api/secret-providers")).status).toBe(200);
    for (const { id } of Object.values(connections)) expect((await call("get", `/api/secret-providers/${id}`)).status).toBe(200);
    const vaultId = connections.vault!.id;
    const kept = await call<{ config: Record<string, string> }>("put mask", `/api/secret-providers/${vaultId}`, {
      method: "PUT",
      body: { config: { token: MASK } },
    });
    expect(kept.body.config.token).toBe(MASK);
    const replaced = await call<{ config: Record<string, string> }>("put new", `/api/secret-providers/${vaultId}`, {
      method: "PUT",
      body: { config: { token: sensitive.vaultToken2 } },
    });
    expect(replaced.body.config.token).toBe(MASK);
    const awsId = connections["aws-sm"]!.id;
    const patched = await call("patch new", `/api/secret-providers/${awsId}`, {
      method: "PATCH",
      body: { config: { secretAccessKey: sensitive.awsSecretAccessKey2 } },
    });
    expect(patched.status).toBe(200);
    for (const path of [
      "/api/secrets",
      `/api/secrets/${stored.id}`,
      "/api/secret-providers/types",
      "/api/tokens",
      "/api/openapi.json",
      "/api/health",
    ]) {
      expect((await call("read", path)).status, path).toBe(200);
    }
  });

  it("validation errors never echo a sensitive value sent with them", async () => {
    const refused = sensitive.refusedSecret;
    const attempts: Array<[string, RequestOptions]> = [
      [
        "/api/secret-providers",
        {
          method: "POST",
          body: {
            name: unique("bad"),
            type: "aws-sm",
            config: { region: "not a region", accessKeyId: `AKIA${randomUpper(16)}`, secretAccessKey: refused },
          },
        },
      ],
      [
        "/api/secret-providers",
        {
          method: "POST",
          body: {
            name: unique("bad"),
            type: "aws-sm",
            config: { region: "eu-west-1", accessKeyId: refused.toLowerCase() + "!", secretAccessKey: refused },
          },
        },
      ],
      [
        "/api/secret-providers",
        {
          method: "POST",
          body: {
            name: unique("bad"),
            type: "gcp-sm",
            config: { projectId: "leak-test-123", serviceAccountJson: `{"private_key": "${refused}"` },
          },
        },
      ],
      [
        "/api/secret-providers",
        {
          method: "POST",
          body: {
            name: unique("bad"),
            type: "gcp-sm",
            config: { projectId: "leak-test-123", serviceAccountJson: JSON.stringify({ private_key: refused }) },
          },
        },
      ],
      [
        "/api/secret-providers",
        { method: "POST", body: { name: unique("bad"), type: "vault", config: { vaultUrl: "http://169.254.169.254", token: refused } } },
      ],
      ["/api/secret-providers", { method: "POST", body: { name: unique("bad"), type: "nope", config: { token: refused } } }],
      [
        `/api/secret-providers/${connections.vault!.id}`,
        { method: "PUT", body: { config: { token: refused, namespace: "not a namespace!" } } },
      ],
      [`/api/secret-providers/${connections.vault!.id}`, { method: "PUT", body: { type: "aws-sm", config: { token: refused } } }],
      [
        `/api/secret-providers/${connections["azure-kv"]!.id}`,
        { method: "PATCH", body: { config: { clientSecret: refused, vaultUrl: "not a url" } } },
      ],
      ["/api/secrets", { method: "POST", body: { secretPath: "not a path!", value: refused } }],
      [`/api/secrets/${stored.id}`, { method: "PUT", body: { value: refused, providerConfig: { cacheTtlSeconds: -1 } } }],
    ];
    for (const [path, options] of attempts) {
      const response = await call("refused", path, options);
      expect(response.status, response.text).toBe(400);
    }
    // The refused values were never stored either.
    const kept = await call<{ config: Record<string, string> }>("get", `/api/secret-providers/${connections.vault!.id}`);
    expect(kept.body.config.namespace).toBe("team-a");
  });

  it("connection tests (which fail against example hosts) never echo credentials", async () => {
    for (const { id } of Object.values(connections)) {
      const plain = await call<{ ok: boolean }>("test", `/api/secret-providers/${id}/test`, { method: "POST", body: {} });
      expect(plain.status, plain.text).toBe(200);
      expect(plain.body.ok).toBe(false);
      expect(
        (await call("test path", `/api/secret-providers/${id}/test`, { method: "POST", body: { providerPath: "secret/leak/test" } }))
          .status,
      ).toBeLessThan(500);
    }
  }, 60_000);

  it("resolving an external secret whose provider fails never echoes credentials", async () => {
    const secretPath = unique("leak.external");
    const created = await call("create external", "/api/secrets", {
      method: "POST",
      body: { secretPath, provider: "vault", providerPath: "secret/leak/external", secretProviderId: connections.vault!.id },
    });
    expect(created.status, created.text).toBe(201);
    const resolved = await call("resolve external", `/api/secrets/resolve?path=${secretPath}`);
    expect(resolved.status).toBeGreaterThanOrEqual(400);
    const batch = await call("batch external", "/api/secrets/resolve", { method: "POST", body: { paths: [secretPath] } });
    expect(batch.status).toBe(200);
  }, 30_000);

  it("no collected response contains a sensitive value, the stored value, the master key or a token", () => {
    expect(seen.length).toBeGreaterThan(30);
    expect(leaksIn(seen)).toEqual([]);
  });

  it("the server logs contain none of them", () => {
    const logs = apiContext().logFiles.map((file) => ({ label: file, text: readFileSync(file, "utf8") }));
    expect(logs.reduce((n, l) => n + l.text.length, 0)).toBeGreaterThan(0);
    expect(leaksIn(logs)).toEqual([]);
  });
});

describe("what is stored", () => {
  it("connection credentials are pv1 ciphertext; config holds no sensitive value", async () => {
    const ids = Object.values(connections).map((c) => c.id);
    const rows = await query<{ id: string; config: string; credentials: string | null }>(
      `SELECT id, config, credentials FROM secret_providers WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(", ")})`,
      ids,
    );
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.credentials).toMatch(/^pv1\.[0-9a-f]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(leaksIn(rows.map((row) => ({ label: `secret_providers ${row.id}`, text: JSON.stringify(row) })))).toEqual([]);
  });

  it("the stored value is pv1 ciphertext", async () => {
    const [row] = await query<{ value_ciphertext: string }>("SELECT value_ciphertext FROM secrets WHERE id = $1", [stored.id]);
    expect(row!.value_ciphertext).toMatch(/^pv1\./);
    expect(row!.value_ciphertext).not.toContain(sensitive.storedValue);
  });

  it("no database row holds a plaintext sensitive value, the stored value or a raw token", async () => {
    const tables = ["secret_providers", "secrets", "audit_events", "api_tokens", "users", "settings"];
    const rows: Seen[] = [];
    for (const table of tables) {
      for (const row of await query(`SELECT * FROM ${table}`)) rows.push({ label: table, text: JSON.stringify(row) });
    }
    expect(rows.filter((r) => r.label === "audit_events").length).toBeGreaterThan(10);
    expect(leaksIn(rows)).toEqual([]);
  });
});

describe("the one way out", () => {
  it("GET /api/secrets/resolve returns the stored value (the scan can find it)", async () => {
    const response = await call<{ value: string; secretPath: string }>("resolve control", `/api/secrets/resolve?path=${stored.secretPath}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ secretPath: stored.secretPath, value: sensitive.storedValue, provider: "provenance" });
    expect(leaksIn([seen.at(-1)!])).toEqual([`storedValue in ${seen.at(-1)!.label}`]);
  });
});
