import { beforeAll, describe, expect, it } from "vitest";
import { buildOpenApi } from "@/lib/openapi/build-openapi";
import { call, unique, type ApiResponse } from "./support/client";
import { apiContext } from "./support/context";
import { createStoredSecret, createToken, createVaultConnection, expectError, unknownToken } from "./support/expectations";

/**
 * Who may call what (CONTRACT, Authentication): every endpoint and method, called with no
 * credentials, bad ones, a revoked token and each role. Objects are real, made in beforeAll.
 */
type Role = "viewer" | "editor" | "admin";
type Caller = Role | "scopedEditor";
interface Fixtures {
  connectionId: string;
  stripe: { id: string; secretPath: string; value: string };
  db: { id: string; secretPath: string; value: string };
  tokenId: string;
}
interface Target {
  path: string;
  body?: unknown;
}
interface Endpoint {
  method: string;
  route: string;
  /** Least role allowed; "public" needs no credentials at all. */
  min: Role | "public";
  ok: number;
  /** `fresh`: the call is expected to succeed, so destructive ones get their own object. */
  target: (f: Fixtures, fresh: boolean) => Promise<Target>;
}

const vaultBody = () => ({
  name: unique("matrix-vault"),
  type: "vault",
  config: { vaultUrl: "https://vault.example.com", token: "hvs.matrixmatrix" },
});
const trustPolicyBody = () => ({
  name: unique("matrix-policy"),
  issuer: "https://issuer.example.com",
  audience: "provenance",
  claims: { sub: "repo:acme/*" },
  role: "viewer",
  scope: "ci.*",
});
/** A new policy each time (made as admin): cheap, and a DELETE never meets one already gone. */
const trustPolicyId = async () => (await call<{ id: string }>("/api/trust-policies", { method: "POST", body: trustPolicyBody() })).body.id;
const connectionFor = async (f: Fixtures, fresh: boolean) => (fresh ? (await createVaultConnection()).id : f.connectionId);
const stripeSecretFor = async (f: Fixtures, fresh: boolean) =>
  fresh ? (await createStoredSecret(unique("stripe.fresh"))).id : f.stripe.id;

const ENDPOINTS: Endpoint[] = [
  { method: "GET", route: "/api/health", min: "public", ok: 200, target: async () => ({ path: "/api/health" }) },
  { method: "GET", route: "/api/openapi.json", min: "public", ok: 200, target: async () => ({ path: "/api/openapi.json" }) },
  { method: "GET", route: "/api/metrics", min: "admin", ok: 200, target: async () => ({ path: "/api/metrics" }) },
  {
    method: "GET",
    route: "/api/secret-providers/types",
    min: "viewer",
    ok: 200,
    target: async () => ({ path: "/api/secret-providers/types" }),
  },
  { method: "GET", route: "/api/secret-providers", min: "viewer", ok: 200, target: async () => ({ path: "/api/secret-providers" }) },
  {
    method: "POST",
    route: "/api/secret-providers",
    min: "admin",
    ok: 201,
    target: async () => ({ path: "/api/secret-providers", body: vaultBody() }),
  },
  {
    method: "GET",
    route: "/api/secret-providers/:id",
    min: "viewer",
    ok: 200,
    target: async (f) => ({ path: `/api/secret-providers/${f.connectionId}` }),
  },
  {
    method: "PUT",
    route: "/api/secret-providers/:id",
    min: "admin",
    ok: 200,
    target: async (f) => ({ path: `/api/secret-providers/${f.connectionId}`, body: { description: unique("put") } }),
  },
  {
    method: "PATCH",
    route: "/api/secret-providers/:id",
    min: "admin",
    ok: 200,
    target: async (f) => ({ path: `/api/secret-providers/${f.connectionId}`, body: { description: unique("patch") } }),
  },
  {
    method: "DELETE",
    route: "/api/secret-providers/:id",
    min: "admin",
    ok: 204,
    target: async (f, fresh) => ({ path: `/api/secret-providers/${await connectionFor(f, fresh)}` }),
  },
  {
    method: "POST",
    route: "/api/secret-providers/:id/test",
    min: "editor",
    ok: 200,
    target: async (f) => ({ path: `/api/secret-providers/${f.connectionId}/test`, body: {} }),
  },
  { method: "GET", route: "/api/secrets", min: "viewer", ok: 200, target: async () => ({ path: "/api/secrets" }) },
  {
    method: "POST",
    route: "/api/secrets",
    min: "editor",
    ok: 201,
    target: async () => ({ path: "/api/secrets", body: { secretPath: unique("stripe.created"), value: "v" } }),
  },
  { method: "GET", route: "/api/secrets/:id", min: "viewer", ok: 200, target: async (f) => ({ path: `/api/secrets/${f.stripe.id}` }) },
  {
    method: "PUT",
    route: "/api/secrets/:id",
    min: "editor",
    ok: 200,
    target: async (f) => ({ path: `/api/secrets/${f.stripe.id}`, body: { description: unique("put") } }),
  },
  {
    method: "PATCH",
    route: "/api/secrets/:id",
    min: "editor",
    ok: 200,
    target: async (f) => ({ path: `/api/secrets/${f.stripe.id}`, body: { description: unique("patch") } }),
  },
  {
    method: "DELETE",
    route: "/api/secrets/:id",
    min: "editor",
    ok: 204,
    target: async (f, fresh) => ({ path: `/api/secrets/${await stripeSecretFor(f, fresh)}` }),
  },
  {
    method: "GET",
    route: "/api/secrets/resolve?path=",
    min: "editor",
    ok: 200,
    target: async (f) => ({ path: `/api/secrets/resolve?path=${f.stripe.secretPath}` }),
  },
  {
    method: "POST",
    route: "/api/secrets/resolve",
    min: "editor",
    ok: 200,
    target: async (f) => ({ path: "/api/secrets/resolve", body: { paths: [f.stripe.secretPath] } }),
  },
  { method: "GET", route: "/api/tokens", min: "admin", ok: 200, target: async () => ({ path: "/api/tokens" }) },
  {
    method: "POST",
    route: "/api/tokens",
    min: "admin",
    ok: 201,
    target: async () => ({ path: "/api/tokens", body: { name: unique("matrix-token"), role: "viewer" } }),
  },
  {
    method: "DELETE",
    route: "/api/tokens/:id",
    min: "admin",
    ok: 204,
    target: async (f, fresh) => ({ path: `/api/tokens/${fresh ? (await createToken("viewer")).id : f.tokenId}` }),
  },
  { method: "GET", route: "/api/trust-policies", min: "admin", ok: 200, target: async () => ({ path: "/api/trust-policies" }) },
  {
    method: "POST",
    route: "/api/trust-policies",
    min: "admin",
    ok: 201,
    target: async () => ({ path: "/api/trust-policies", body: trustPolicyBody() }),
  },
  {
    method: "GET",
    route: "/api/trust-policies/:id",
    min: "admin",
    ok: 200,
    target: async () => ({ path: `/api/trust-policies/${await trustPolicyId()}` }),
  },
  {
    method: "PUT",
    route: "/api/trust-policies/:id",
    min: "admin",
    ok: 200,
    target: async () => ({ path: `/api/trust-policies/${await trustPolicyId()}`, body: { ttlSeconds: 300 } }),
  },
  {
    method: "DELETE",
    route: "/api/trust-policies/:id",
    min: "admin",
    ok: 204,
    target: async () => ({ path: `/api/trust-policies/${await trustPolicyId()}` }),
  },
];

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
const allowed = (caller: Caller, min: Endpoint["min"]) =>
  min === "public" || RANK[caller === "scopedEditor" ? "editor" : caller] >= RANK[min];
const send = (e: Endpoint, t: Target, token: string | null, headers?: Record<string, string>) =>
  call(t.path, { method: e.method, body: t.body, token, headers });

let f: Fixtures;
let revokedToken: string;

beforeAll(async () => {
  const suffix = unique("m").replace(/-/g, "_");
  const connection = await createVaultConnection();
  const stripe = await createStoredSecret(`stripe.${suffix}`);
  const db = await createStoredSecret(`db.${suffix}`);
  const token = await createToken("viewer");
  const revoked = await createToken("admin");
  // Positive control: the token works until it is revoked.
  expect((await call("/api/tokens", { token: revoked.token })).status).toBe(200);
  expect((await call(`/api/tokens/${revoked.id}`, { method: "DELETE" })).status).toBe(204);
  f = { connectionId: connection.id, stripe, db, tokenId: token.id };
  revokedToken = revoked.token;
});

/** After a refused call, the shared objects are all still there. */
async function expectFixturesIntact(): Promise<void> {
  for (const path of [`/api/secret-providers/${f.connectionId}`, `/api/secrets/${f.stripe.id}`, `/api/secrets/${f.db.id}`]) {
    expect((await call(path)).status, path).toBe(200);
  }
  const tokens = await call<Array<{ id: string; revokedAt: string | null }>>("/api/tokens");
  expect(tokens.body.find((t) => t.id === f.tokenId)?.revokedAt).toBeNull();
}

function expectUnauthorized(response: ApiResponse): void {
  expectError(response, 401, "unauthorized");
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/i);
}

const BAD_CREDENTIALS: Array<[string, () => { token: string | null; headers?: Record<string, string> }]> = [
  ["no credentials", () => ({ token: null })],
  [
    "a malformed Authorization header",
    () => ({ token: null, headers: { authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` } }),
  ],
  ["a well-formed unknown token", () => ({ token: unknownToken() })],
  ["a revoked token", () => ({ token: revokedToken })],
];

describe.each(ENDPOINTS)("$method $route", (endpoint) => {
  it.each(BAD_CREDENTIALS)("with %s", async (_label, credentials) => {
    const { token, headers } = credentials();
    const response = await send(endpoint, await endpoint.target(f, false), token, headers);
    if (endpoint.min === "public") expect(response.status, response.text).toBe(endpoint.ok);
    else {
      expectUnauthorized(response);
      await expectFixturesIntact();
    }
  });

  it.each(["viewer", "editor", "admin", "scopedEditor"] as Caller[])("as %s", async (caller) => {
    const isAllowed = allowed(caller, endpoint.min);
    const response = await send(endpoint, await endpoint.target(f, isAllowed), apiContext().tokens[caller]);
    if (isAllowed) {
      expect(response.status, response.text).toBe(endpoint.ok);
    } else {
      expectError(response, 403, "forbidden");
      await expectFixturesIntact();
    }
  });
});

describe("the OpenAPI document's x-minimum-role", () => {
  const document = buildOpenApi() as unknown as { paths: Record<string, Record<string, { "x-minimum-role"?: string }>> };
  it.each(ENDPOINTS.filter((e) => e.route !== "/api/openapi.json"))("$method $route says what the route enforces", (endpoint) => {
    const template = endpoint.route.replace(/\?.*$/, "").replace(/:(\w+)/g, "{$1}");
    expect(document.paths[template]?.[endpoint.method.toLowerCase()]?.["x-minimum-role"]).toBe(endpoint.min);
  });
});

describe("malformed Authorization headers", () => {
  const headers = [
    "Bearer",
    "Bearer ",
    "Bearer a b",
    "Token pvn_x",
    "bearer",
    "pvn_abc",
    `Bearer ${"x".repeat(5000)}`,
    `Bearer pvn_${"A".repeat(43)}\u0000`,
  ];
  it.each(headers.map((h) => [JSON.stringify(h).slice(0, 40), h]))("%s → 401 and no cookie fallback", async (_label, header) => {
    const response = await call("/api/secrets", { token: null, headers: { authorization: header } }).catch((error: Error) => error);
    // fetch itself refuses header values with control characters: then nothing reached the server.
    if (response instanceof Error) return expect(header).toMatch(/[\u0000-\u001f]/);
    expectUnauthorized(response);
  });
});

describe("a token scoped to stripe.*", () => {
  const scoped = () => apiContext().tokens.scopedEditor;

  it("lists only matching secrets (the admin sees both)", async () => {
    const mine = await call<Array<{ secretPath: string }>>("/api/secrets", { token: scoped() });
    expect(mine.status).toBe(200);
    const paths = mine.body.map((s) => s.secretPath);
    expect(paths).toContain(f.stripe.secretPath);
    expect(paths).not.toContain(f.db.secretPath);
    expect(paths.every((p) => p.startsWith("stripe."))).toBe(true);
    const all = (await call<Array<{ secretPath: string }>>("/api/secrets")).body.map((s) => s.secretPath);
    expect(all).toEqual(expect.arrayContaining([f.stripe.secretPath, f.db.secretPath]));
  });

  it.each([
    ["GET", undefined],
    ["PUT", { description: "scoped put" }],
    ["PATCH", { description: "scoped patch" }],
    ["DELETE", undefined],
  ])("%s of a non-matching secret by id → 404, unchanged", async (method, body) => {
    const before = await call<Record<string, unknown>>(`/api/secrets/${f.db.id}`);
    const response = await call(`/api/secrets/${f.db.id}`, { method, body, token: scoped() });
    expectError(response, 404, "not_found");
    const after = await call<Record<string, unknown>>(`/api/secrets/${f.db.id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
  });

  it("cannot create a non-matching path (403), nothing is created", async () => {
    const secretPath = unique("db.scoped").replace(/-/g, "_");
    expectError(await call("/api/secrets", { method: "POST", body: { secretPath, value: "x" }, token: scoped() }), 403, "forbidden");
    const all = await call<Array<{ secretPath: string }>>("/api/secrets?prefix=db");
    expect(all.body.map((s) => s.secretPath)).not.toContain(secretPath);
  });

  it("cannot move a matching secret to a non-matching path (403)", async () => {
    const own = await createStoredSecret(unique("stripe.move").replace(/-/g, "_"));
    const response = await call(`/api/secrets/${own.id}`, {
      method: "PUT",
      body: { secretPath: unique("db.moved").replace(/-/g, "_") },
      token: scoped(),
    });
    expectError(response, 403, "forbidden");
    expect((await call<{ secretPath: string }>(`/api/secrets/${own.id}`)).body.secretPath).toBe(own.secretPath);
  });

  it("resolves a matching path but not a non-matching one (403)", async () => {
    const ok = await call<{ value: string }>(`/api/secrets/resolve?path=${f.stripe.secretPath}`, { token: scoped() });
    expect(ok.status).toBe(200);
    expect(ok.body.value).toBe(f.stripe.value);
    const denied = await call(`/api/secrets/resolve?path=${f.db.secretPath}`, { token: scoped() });
    expectError(denied, 403, "forbidden");
    expect(denied.text).not.toContain(f.db.value);
  });

  it("batch resolve: the non-matching path is under errors as forbidden, the matching one resolves", async () => {
    const response = await call<{ values: Record<string, string>; errors: Record<string, { code: string; message: string }> }>(
      "/api/secrets/resolve",
      { method: "POST", body: { paths: [f.stripe.secretPath, f.db.secretPath] }, token: scoped() },
    );
    expect(response.status).toBe(200);
    expect(response.body.values).toEqual({ [f.stripe.secretPath]: f.stripe.value });
    expect(Object.keys(response.body.errors)).toEqual([f.db.secretPath]);
    expect(response.body.errors[f.db.secretPath]).toMatchObject({ code: "forbidden", message: expect.any(String) });
    expect(response.text).not.toContain(f.db.value);
  });

  it("batch resolve by prefix never reaches outside the scope", async () => {
    const response = await call<{ values: Record<string, string> }>("/api/secrets/resolve", {
      method: "POST",
      body: { prefix: "db" },
      token: scoped(),
    });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.values)).not.toContain(f.db.secretPath);
    expect(response.text).not.toContain(f.db.value);
  });
});
