import { readFileSync } from "node:fs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, unique, type RequestOptions } from "./support/client";
import { createStoredSecret, createVaultConnection, expectError, expectHealthy, expectNot5xx, storedCounts } from "./support/expectations";
import { BODY_ENDPOINTS, fixtures, newPath, vault } from "./support/body-endpoints";
import { apiContext } from "./support/context";
import { requestsCarryGeneratedInput } from "./support/leak-recorder";
import { abortMidBody, rawRequest } from "./support/raw-http";

// Hostile strings go into every field, secret ones included: they are not secrets (see
// requestsCarryGeneratedInput); the answers are still scanned.
requestsCarryGeneratedInput();

/**
 * Hostile and malformed input on every endpoint that reads a body, on path parameters and on
 * query strings: always a 4xx with the contract's error shape, never a 5xx or a stack trace,
 * and nothing stored changes when a request is refused.
 */
let connectionId: string;
let secret: { id: string; secretPath: string };

beforeAll(async () => {
  connectionId = fixtures.connectionId = (await createVaultConnection()).id;
  secret = fixtures.secret = await createStoredSecret(unique("bad.fixture"));
});

/** Snapshot before each hostile request; afterwards nothing may differ. */
let snapshot: unknown;
async function stored() {
  const [connection, one] = await Promise.all([call(`/api/secret-providers/${connectionId}`), call(`/api/secrets/${secret.id}`)]);
  return { counts: await storedCounts(), connection: connection.body, secret: one.body };
}

describe.each(BODY_ENDPOINTS)("$name refuses hostile bodies", (endpoint) => {
  beforeEach(async () => {
    snapshot = await stored();
  });
  afterEach(async () => {
    expect(await stored()).toEqual(snapshot);
  });
  const send = (body: unknown) => call(endpoint.path(), { method: endpoint.method, body });

  it.each(["not json", "{", "{'name': 1}", '{"a":1,}', "\u0000", "<xml/>"])("non-JSON %j → 400 invalid_json", async (text) => {
    expectError(await send(text), 400, "invalid_json");
  });

  it.each(["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
    "a valid JSON body sent as %s → 415 unsupported_media_type",
    async (contentType) => {
      const reply = await call(endpoint.path(), {
        method: endpoint.method,
        body: JSON.stringify(endpoint.valid()),
        headers: { "content-type": contentType },
      });
      expectError(reply, 415, "unsupported_media_type");
      expect((reply.body as { error: { message: string } }).error.message).toContain("Content-Type: application/json");
    },
  );

  it("a body over 64 KiB → 413 payload_too_large", async () => {
    const big = JSON.stringify({ ...endpoint.valid(), description: "x".repeat(70 * 1024) });
    expectError(await send(big), 413, "payload_too_large");
  });

  it("a chunked body over 64 KiB without Content-Length → 413", async () => {
    const big = JSON.stringify({ description: "x".repeat(70 * 1024) });
    const response = await rawRequest({ method: endpoint.method, path: endpoint.path(), body: big, length: "chunked" });
    expect(response.status, response.text).toBe(413);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("a Content-Length that lies low → a 4xx, the server stays healthy", async () => {
    const big = JSON.stringify({ description: "x".repeat(70 * 1024) });
    const response = await rawRequest({ method: endpoint.method, path: endpoint.path(), body: big, length: 16 });
    expect(response.status, response.text).toBeGreaterThanOrEqual(400);
    expect(response.status, response.text).toBeLessThan(500);
    await expectHealthy();
  });

  it("a client hanging up mid-body is not reported as a database outage", async () => {
    const outages = () =>
      readFileSync(apiContext().logFiles[0]!, "utf8")
        .split("\n")
        .filter((l) => l.includes("database unavailable")).length;
    const before = outages();
    await abortMidBody(endpoint.method, endpoint.path());
    expect(outages()).toBe(before);
    await expectHealthy();
  });

  it("JSON nested 10,000 levels deep → 400, the server stays healthy", async () => {
    const deep = `{"description":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    expectError(await send(deep), 400);
    await expectHealthy();
  });

  it.each(["[]", "[{}]", '"text"', "42", "null", "true"])("a %s body → 400 validation_error", async (text) => {
    expectError(await send(text), 400, "validation_error");
  });

  it("members of the wrong type → 400 validation_error naming each", async () => {
    for (const [body, field] of endpoint.wrongTypes) expectError(await send(body), 400, "validation_error", [field]);
  });

  it("an unknown top-level member → 400 naming it", async () => {
    expectError(await send({ ...endpoint.valid(), bogusMember: 1 }), 400, "validation_error", ["bogusMember"]);
  });

  const protoCases = ["__proto__", "constructor", "prototype"].flatMap((key) => [
    [key, "top level"],
    ...(endpoint.nested ? [[key, `in ${endpoint.nested}`]] : []),
  ]);
  it.each(protoCases)("a %s member %s → 400 naming it as unknown", async (key, where) => {
    const withKey = (json: string) => `${json.slice(0, -1)}${json.length > 2 ? "," : ""}"${key}":{"polluted":"yes","role":"admin"}}`;
    const valid = endpoint.valid();
    if (where === "top level") {
      expectError(await send(withKey(JSON.stringify(valid))), 400, "validation_error", [key!]);
    } else {
      const nested = withKey(JSON.stringify(valid[endpoint.nested!] ?? {}));
      const body = JSON.stringify({ ...valid, [endpoint.nested!]: "@@" }).replace('"@@"', nested);
      expectError(await send(body), 400, "validation_error", [`${endpoint.nested}.${key}`]);
    }
  });
});

describe("after prototype-pollution attempts", () => {
  it("lists are still well-formed and nothing gained a property", async () => {
    const connections = await call<Array<Record<string, unknown>>>("/api/secret-providers");
    const secrets = await call<Array<Record<string, unknown>>>("/api/secrets");
    const tokens = await call<Array<Record<string, unknown>>>("/api/tokens");
    for (const list of [connections, secrets, tokens]) {
      expect(list.status).toBe(200);
      expect(list.text).not.toContain("polluted");
    }
    const connectionKeys = ["config", "createdAt", "description", "id", "name", "secretCount", "type", "updatedAt"];
    for (const c of connections.body) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(connectionKeys));
      expect(Object.keys(c.config as object)).not.toEqual(expect.arrayContaining(["polluted"]));
    }
    for (const s of secrets.body)
      expect(
        Object.keys(s.providerConfig as object).every((k) => ["jsonKey", "version", "cacheTtlSeconds", "refreshSeconds"].includes(k)),
      ).toBe(true);
    // A fresh token is still a viewer, not an admin picked up from a polluted prototype.
    const fresh = await call<{ role: string; scope: unknown }>("/api/tokens", {
      method: "POST",
      body: { name: unique("after-proto"), role: "viewer" },
    });
    expect(fresh.body).toMatchObject({ role: "viewer", scope: null });
  });
});

describe("unicode edge cases never cause a 5xx", () => {
  const STRINGS: Array<[string, string]> = [
    ["lone high surrogate", "\ud800"],
    ["lone low surrogate", "a\udc00b"],
    ["right-to-left override", "\u202eevil\u202c"],
    ["emoji", "\u{1F511}\u{1F5DD}\uFE0F"],
    ["null byte", "a\u0000b"],
    ["byte order mark", "\ufeff"],
    ["combining mark", "e\u0301"],
  ];

  it.each(STRINGS)("%s in names, descriptions, paths and values", async (_label, s) => {
    const attempts: Array<[string, string, RequestOptions]> = [
      ["connection name", "/api/secret-providers", { method: "POST", body: { ...vault(), name: `${unique("u")}${s}` } }],
      ["connection description", "/api/secret-providers", { method: "POST", body: { ...vault(), description: s } }],
      ["connection description (PUT)", `/api/secret-providers/${connectionId}`, { method: "PUT", body: { description: s } }],
      [
        "vault URL",
        "/api/secret-providers",
        { method: "POST", body: { ...vault(), config: { vaultUrl: `https://vault.example.com/${s}`, token: "hvs.x" } } },
      ],
      [
        "vault token (sensitive)",
        "/api/secret-providers",
        { method: "POST", body: { ...vault(), config: { vaultUrl: "https://vault.example.com", token: `hvs.${s}` } } },
      ],
      ["secret path", "/api/secrets", { method: "POST", body: { secretPath: `u.${s}`, value: "v" } }],
      ["secret value", "/api/secrets", { method: "POST", body: { secretPath: newPath(), value: s } }],
      ["secret description", "/api/secrets", { method: "POST", body: { secretPath: newPath(), value: "v", description: s } }],
      ["secret description (PATCH)", `/api/secrets/${secret.id}`, { method: "PATCH", body: { description: s } }],
      ["batch resolve paths", "/api/secrets/resolve", { method: "POST", body: { paths: [s, `a.${s}`] } }],
      ["test providerPath", `/api/secret-providers/${connectionId}/test`, { method: "POST", body: { providerPath: `secret/${s}` } }],
      ["token scope", "/api/tokens", { method: "POST", body: { name: "n", role: "viewer", scope: `${s}.*` } }],
      ["token name", "/api/tokens", { method: "POST", body: { name: `${unique("u")}${s}`, role: "viewer" } }],
    ];
    const failures: string[] = [];
    for (const [label, path, options] of attempts) {
      const response = await call(path, options);
      if (response.status >= 500) failures.push(`${label}: ${response.status}`);
      else if (response.status >= 400) expectError(response);
    }
    // Whatever was stored reads back without a 5xx.
    for (const path of [
      "/api/secret-providers",
      "/api/secrets",
      "/api/tokens",
      `/api/secrets/${secret.id}`,
      `/api/secret-providers/${connectionId}`,
    ]) {
      const response = await call(path);
      if (response.status !== 200) failures.push(`read ${path}: ${response.status}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("bad path parameters → 404 not_found", () => {
  const IDS = [
    "..%2F..",
    "..%2F..%2Fhealth",
    "...",
    "%00",
    "a%00b",
    "x".repeat(4096),
    "%F0%9F%94%91",
    "'%20OR%20'1'%3D'1",
    "%25",
    "undefined",
  ];
  const ROUTES: Array<[string, (id: string) => string, unknown?]> = [
    ["GET", (id) => `/api/secret-providers/${id}`],
    ["PUT", (id) => `/api/secret-providers/${id}`, { description: "x" }],
    ["PATCH", (id) => `/api/secret-providers/${id}`, { description: "x" }],
    ["DELETE", (id) => `/api/secret-providers/${id}`],
    ["POST", (id) => `/api/secret-providers/${id}/test`, {}],
    ["GET", (id) => `/api/secrets/${id}`],
    ["PUT", (id) => `/api/secrets/${id}`, { description: "x" }],
    ["PATCH", (id) => `/api/secrets/${id}`, { description: "x" }],
    ["DELETE", (id) => `/api/secrets/${id}`],
    ["DELETE", (id) => `/api/tokens/${id}`],
  ];
  beforeEach(async () => {
    snapshot = await stored();
  });
  afterEach(async () => {
    expect(await stored()).toEqual(snapshot);
  });

  it.each(IDS.map((id) => [id.length > 40 ? `${id.slice(0, 10)}… (${id.length} chars)` : id, id]))("id %s", async (_label, id) => {
    const failures: string[] = [];
    for (const [method, path, body] of ROUTES) {
      const response = await call(path(id), { method, body });
      const code = (response.body as { error?: { code?: string } } | undefined)?.error?.code;
      if (response.status !== 404 || code !== "not_found")
        failures.push(`${method} ${path(":id")}: ${response.status} ${code ?? response.headers.get("content-type")}`);
      else expectError(response);
    }
    expect(failures).toEqual([]);
  });

  it.each(["/api/nope", "/api/secrets/a/b/c"])("%s (where ../.. ids lead) → JSON 404", async (path) => {
    expectError(await call(path), 404, "not_found");
  });

  it.each(["/api", "/api/"])("%s (where ../.. ids lead) → the JSON index, not an HTML page", async (path) => {
    const response = await call<{ openapi: string }>(path);
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("/api/openapi.json");
  });
});

describe("query strings", () => {
  it.each(["a b", "../x", "a..b", "*", ".", "a/b", "%00", "a%0Ab", "%E2%80%AE", "x".repeat(10_000), "%ED%A0%80"])(
    "GET /api/secrets?prefix=%s → 400 naming prefix",
    async (prefix) => {
      expectError(await call(`/api/secrets?prefix=${prefix}`), 400, "validation_error", ["prefix"]);
    },
  );

  it("other list filters with hostile values never cause a 5xx", async () => {
    const failures: string[] = [];
    for (const query of [
      "provider=%00",
      "secretProviderId=%00",
      `secretProviderId=${"x".repeat(5000)}`,
      "provider=%ED%A0%80",
      "prefix=a&prefix=%00",
    ]) {
      const response = await call(`/api/secrets?${query}`);
      if (response.status >= 500) failures.push(`${query.slice(0, 40)}: ${response.status}`);
      else expectNot5xx(response);
    }
    expect(failures).toEqual([]);
  });

  it("batch resolve with a bad prefix → 400", async () => {
    expectError(await call("/api/secrets/resolve", { method: "POST", body: { prefix: "a b" } }), 400, "validation_error", ["prefix"]);
  });

  it.each(["", "?path=", "?path", "?paths=a.b"])("GET /api/secrets/resolve%s without a path → 400", async (query) => {
    expectError(await call(`/api/secrets/resolve${query}`), 400, "validation_error");
  });

  it.each([
    ["a 10 KB path", `a.${"b".repeat(10_240)}`],
    ["a null byte", "a%00b"],
    ["a lone surrogate", "a.%ED%A0%80"],
    ["traversal", "..%2F..%2Fetc%2Fpasswd"],
  ])("GET /api/secrets/resolve?path= with %s → 400 or 404, never 5xx", async (_label, path) => {
    const response = await call(`/api/secrets/resolve?path=${path}`);
    expect([400, 404]).toContain(response.status);
    expectError(response);
  });
});
