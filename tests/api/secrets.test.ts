import { describe, expect, it } from "vitest";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import type { ResolvedSecret } from "@provenance/client";

interface Secret {
  id: string;
  secretPath: string;
  provider: string;
  providerPath: string | null;
  secretProviderId: string | null;
  providerConfig: Record<string, unknown>;
  description: string | null;
}
/** The resolve answer's shape: the one the API and the client share. */
type Resolved = ResolvedSecret;
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

const path = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.-]/g, "-");

async function createStored(secretPath: string, value: string, extra: Record<string, unknown> = {}) {
  const response = await call<Secret>("/api/secrets", {
    method: "POST",
    token: apiContext().tokens.editor,
    body: { secretPath, value, ...extra },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

describe("stored secrets", () => {
  it("creates a stored secret (provider defaults to provenance) and never returns its value", async () => {
    const secretPath = path("stripe.apiKey");
    const created = await createStored(secretPath, "sk_live_123", { description: "Stripe live key" });
    expect(created).toMatchObject({
      secretPath,
      provider: "provenance",
      providerPath: null,
      secretProviderId: null,
      description: "Stripe live key",
    });
    expect(JSON.stringify(created)).not.toContain("sk_live_123");
    const [row] = await query<{ value_ciphertext: string }>("SELECT value_ciphertext FROM secrets WHERE id = $1", [created.id]);
    expect(row!.value_ciphertext).toMatch(/^pv1\./);
    expect(row!.value_ciphertext).not.toContain("sk_live_123");

    const fetched = await call<Secret>(`/api/secrets/${created.id}`, { token: apiContext().tokens.viewer });
    expect(fetched.body).toEqual(created);
    expect(fetched.text).not.toContain("sk_live_123");
  });

  it("resolves the value for editors, never for viewers", async () => {
    const secretPath = path("app.token");
    await createStored(secretPath, "tok-💡-ü");
    const resolved = await call<Resolved>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`, {
      token: apiContext().tokens.editor,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ secretPath, value: "tok-💡-ü", provider: "provenance", cached: false, stale: false });
    expect(Date.parse(resolved.body.fetchedAt)).not.toBeNaN();
    expect(resolved.headers.get("cache-control")).toBe("no-store");
    const viewer = await call<ErrorBody>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`, {
      token: apiContext().tokens.viewer,
    });
    expect(viewer.status).toBe(403);
    expect(viewer.text).not.toContain("tok-💡-ü");
  });

  it("answers 404 for a path that does not exist", async () => {
    const response = await call<ErrorBody>("/api/secrets/resolve?path=no.such.secret", { token: apiContext().tokens.editor });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("not_found");
  });

  it("applies jsonKey to stored JSON values, with json_key_not_found and not_json errors", async () => {
    const base = path("db");
    await createStored(`${base}.password`, JSON.stringify({ password: "pw1", port: 5432 }), { providerConfig: { jsonKey: "password" } });
    await createStored(`${base}.missing`, JSON.stringify({ password: "pw1" }), { providerConfig: { jsonKey: "user" } });
    await createStored(`${base}.plain`, "not json", { providerConfig: { jsonKey: "user" } });
    const ok = await call<Resolved>(`/api/secrets/resolve?path=${base}.password`);
    expect(ok.body.value).toBe("pw1");
    const missing = await call<ErrorBody>(`/api/secrets/resolve?path=${base}.missing`);
    expect(missing.body.error.code).toBe("json_key_not_found");
    const plain = await call<ErrorBody>(`/api/secrets/resolve?path=${base}.plain`);
    expect(plain.body.error.code).toBe("not_json");
    expect(plain.text).not.toContain("not json");
  });

  it("lists by dotted prefix", async () => {
    const base = path("team");
    for (const leaf of ["a", "b"]) await createStored(`${base}.${leaf}`, leaf);
    await createStored(`${base}x.c`, "c");
    const listed = await call<Secret[]>(`/api/secrets?prefix=${base}`, { token: apiContext().tokens.viewer });
    expect(listed.status).toBe(200);
    expect(listed.body.map((s) => s.secretPath)).toEqual([`${base}.a`, `${base}.b`]);
  });

  it("updates the value and metadata, keeps the value when it is left out, and refuses a taken path", async () => {
    const secretPath = path("svc.key");
    const created = await createStored(secretPath, "v1");
    const other = await createStored(path("svc.other"), "o");
    const described = await call<Secret>(`/api/secrets/${created.id}`, { method: "PATCH", body: { description: "d" } });
    expect(described.status).toBe(200);
    expect((await call<Resolved>(`/api/secrets/resolve?path=${secretPath}`)).body.value).toBe("v1");
    expect((await call(`/api/secrets/${created.id}`, { method: "PUT", body: { value: "v2" } })).status).toBe(200);
    expect((await call<Resolved>(`/api/secrets/resolve?path=${secretPath}`)).body.value).toBe("v2");
    const taken = await call<ErrorBody>(`/api/secrets/${created.id}`, { method: "PUT", body: { secretPath: other.secretPath } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("path_taken");
  });

  it("deletes with 204", async () => {
    const created = await createStored(path("tmp.x"), "x");
    expect((await call(`/api/secrets/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/api/secrets/${created.id}`)).status).toBe(404);
  });

  it.each([
    ["a bad path", { secretPath: "bad path!", value: "x" }, "secretPath"],
    ["a path that is too long", { secretPath: "a".repeat(201), value: "x" }, "secretPath"],
    ["a stored secret without value", { secretPath: "ok.path" }, "value"],
    ["an unknown provider", { secretPath: "ok.path", provider: "oracle", providerPath: "x", secretProviderId: "y" }, "provider"],
    ["an external secret without a connection", { secretPath: "ok.path", provider: "vault", providerPath: "secret/x" }, "secretProviderId"],
    ["an external secret without a path", { secretPath: "ok.path", provider: "vault", secretProviderId: "nope" }, "providerPath"],
    [
      "an external secret with a value",
      { secretPath: "ok.path", provider: "vault", value: "x", providerPath: "secret/x", secretProviderId: "nope" },
      "value",
    ],
    ["an unknown providerConfig key", { secretPath: "ok.path", value: "x", providerConfig: { jsonkey: "a" } }, "providerConfig.jsonkey"],
  ])("answers 400 validation_error for %s", async (_label, body, field) => {
    const response = await call<ErrorBody>("/api/secrets", { method: "POST", body });
    expect(response.status, response.text).toBe(400);
    expect(response.body.error.code).toBe("validation_error");
    expect(response.body.error.fields).toHaveProperty([field]);
  });

  it("requires the connection to be of the secret's provider type", async () => {
    const connection = await call<{ id: string }>("/api/secret-providers", {
      method: "POST",
      body: { name: unique("vault-for-type-check"), type: "vault", config: { vaultUrl: "https://vault.example.com", token: "t" } },
    });
    const response = await call<ErrorBody>("/api/secrets", {
      method: "POST",
      body: { secretPath: path("x.y"), provider: "aws-sm", providerPath: "prod/x", secretProviderId: connection.body.id },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields!.secretProviderId).toMatch(/vault/);
  });
});

describe("batch resolve", () => {
  it("resolves paths and a prefix; one failing path never fails the rest", async () => {
    const base = path("batch");
    await createStored(`${base}.one`, "1");
    await createStored(`${base}.two`, "2");
    await createStored(`${base}.json`, "plain", { providerConfig: { jsonKey: "k" } });
    const byPaths = await call<{ values: Record<string, string>; errors: Record<string, { code: string }> }>("/api/secrets/resolve", {
      method: "POST",
      token: apiContext().tokens.editor,
      body: { paths: [`${base}.one`, `${base}.two`, `${base}.json`, `${base}.nope`] },
    });
    expect(byPaths.status).toBe(200);
    expect(byPaths.body.values).toEqual({ [`${base}.one`]: "1", [`${base}.two`]: "2" });
    expect(byPaths.body.errors[`${base}.json`]!.code).toBe("not_json");
    expect(byPaths.body.errors[`${base}.nope`]!.code).toBe("not_found");

    const byPrefix = await call<{ values: Record<string, string> }>("/api/secrets/resolve", { method: "POST", body: { prefix: base } });
    expect(Object.keys(byPrefix.body.values).sort()).toEqual([`${base}.one`, `${base}.two`]);
  });

  it("records every read in the audit log without its value", async () => {
    const secretPath = path("audited.key");
    await createStored(secretPath, "audit-me-not");
    await call(`/api/secrets/resolve?path=${secretPath}`, { token: apiContext().tokens.editor });
    const rows = await query<Record<string, unknown>>("SELECT * FROM audit_events WHERE action = 'secret.resolve' AND target_label = $1", [
      secretPath,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_type: "token", actor_label: "suite editor", outcome: "success" });
    expect(JSON.stringify(rows)).not.toContain("audit-me-not");
  });
});
