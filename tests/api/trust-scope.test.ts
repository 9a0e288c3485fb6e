import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { Browser } from "./support/browser";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { callAction, serverActions } from "./support/fuzz-actions";

/**
 * CONTRACT "Trust rules": a scope is a fence (a path-scoped token cannot choose where a secret
 * reads from), and a connection's allowedProviderPaths fence holds for every role, on save, test
 * and resolve, whatever spelling a path uses. Against the real server and a Vault fake.
 */
const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const PAYMENTS_VALUE = `sk_live_${randomBytes(8).toString("hex")}`;
const ROOT_VALUE = `db-root-${randomBytes(8).toString("hex")}`;

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
interface SecretBody {
  id: string;
  secretPath: string;
  providerPath: string | null;
}
interface ConnectionBody {
  id: string;
  allowedProviderPaths: string[] | null;
}

let vault: VaultFake;
let connectionId: string;
let otherConnectionId: string;
const scoped = () => apiContext().tokens.scopedEditor;
const stripePath = () => unique("stripe.t").replace(/-/g, "_");
const resolve = (secretPath: string, token?: string) =>
  call<{ value: string } & ErrorBody>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`, { token });

async function connection(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await call<ConnectionBody>("/api/secret-providers", {
    method: "POST",
    body: { name: unique(name), type: "vault", config: { vaultUrl: vault.url, token: VAULT_TOKEN }, ...extra },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.id;
}

async function externalSecret(secretPath: string, providerPath: string, secretProviderId = connectionId, providerConfig = {}) {
  const response = await call<SecretBody>("/api/secrets", {
    method: "POST",
    body: { secretPath, provider: "vault", providerPath, secretProviderId, providerConfig },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

function expectForbidden(response: { status: number; body: unknown; text: string }) {
  expect(response.status, response.text).toBe(403);
  expect((response.body as ErrorBody).error.code).toBe("forbidden");
}

beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } });
  vault.putSecret("secret/payments/stripe", { key: PAYMENTS_VALUE, other: "sibling-member" });
  vault.putSecret("secret/prod/db-root", { password: ROOT_VALUE });
  connectionId = await connection("trust-vault");
  otherConnectionId = await connection("trust-vault-2");
});
afterAll(async () => {
  await vault?.close();
});

describe("a path-scoped token cannot choose where a secret reads from", () => {
  it("cannot create an external secret inside its scope (the README's stripe.* token)", async () => {
    const secretPath = stripePath();
    const attempts = [
      { secretPath, provider: "vault", providerPath: "secret/prod/db-root", secretProviderId: connectionId },
      { secretPath, provider: "vault", providerPath: "secret/payments/stripe", secretProviderId: connectionId },
      { secretPath, provider: "vault" },
    ];
    for (const body of attempts) expectForbidden(await call("/api/secrets", { method: "POST", body, token: scoped() }));
    expect((await resolve(secretPath)).status).toBe(404);
    // An unscoped editor still may.
    const editor = await call("/api/secrets", { method: "POST", body: attempts[1], token: apiContext().tokens.editor });
    expect(editor.status, editor.text).toBe(201);
  });

  it("cannot repoint an in-scope external secret, on PUT or PATCH, by any member that picks the upstream", async () => {
    const secret = await externalSecret(stripePath(), "secret/payments/stripe", connectionId, { jsonKey: "key" });
    const repoints = [
      { providerPath: "secret/prod/db-root" },
      { providerPath: "secret/data/prod/db-root" },
      { secretProviderId: otherConnectionId },
      { providerConfig: { version: "1" } },
      { providerConfig: { jsonKey: "other" } },
      { providerConfig: { jsonKey: null } },
      { providerConfig: null },
      { provider: "provenance", value: "replaced" },
    ];
    for (const method of ["PUT", "PATCH"]) {
      for (const body of repoints) {
        const response = await call(`/api/secrets/${secret.id}`, { method, body, token: scoped() });
        expect(response.status, `${method} ${JSON.stringify(body)}: ${response.text}`).toBe(403);
        expect((response.body as ErrorBody).error.code).toBe("forbidden");
      }
    }
    const resolved = await resolve(secret.secretPath, scoped());
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.value).toBe(PAYMENTS_VALUE);

    // What does not change the upstream stays allowed: the description, the cache TTL, the same path sent again.
    for (const body of [
      { description: "rotated monthly" },
      { providerConfig: { cacheTtlSeconds: 30 } },
      { providerPath: "secret/payments/stripe", description: "x" },
    ]) {
      const response = await call(`/api/secrets/${secret.id}`, { method: "PATCH", body, token: scoped() });
      expect(response.status, response.text).toBe(200);
    }
  });

  it("cannot turn a stored secret into an external one; stored secrets in scope stay its own to create and edit", async () => {
    const secretPath = stripePath();
    const created = await call<SecretBody>("/api/secrets", { method: "POST", body: { secretPath, value: "v1" }, token: scoped() });
    expect(created.status, created.text).toBe(201);
    for (const body of [{ provider: "vault", providerPath: "secret/prod/db-root", secretProviderId: connectionId }]) {
      for (const method of ["PUT", "PATCH"])
        expectForbidden(await call(`/api/secrets/${created.body.id}`, { method, body, token: scoped() }));
    }
    const edited = await call(`/api/secrets/${created.body.id}`, {
      method: "PATCH",
      body: { value: '{"a":"v2"}', providerConfig: { jsonKey: "a" }, description: "mine" },
      token: scoped(),
    });
    expect(edited.status, edited.text).toBe(200);
    expect((await resolve(secretPath, scoped())).body.value).toBe("v2");
  });

  it("cannot read an upstream path through a connection test; batch and prefix resolve stay inside the scope", async () => {
    expectForbidden(
      await call(`/api/secret-providers/${connectionId}/test`, {
        method: "POST",
        body: { providerPath: "secret/prod/db-root" },
        token: scoped(),
      }),
    );
    const outside = await externalSecret(unique("prod.root").replace(/-/g, "_"), "secret/prod/db-root");
    const batch = await call<{ values: Record<string, string>; errors: Record<string, { code: string }> }>("/api/secrets/resolve", {
      method: "POST",
      body: { paths: [outside.secretPath] },
      token: scoped(),
    });
    expect(batch.body.errors[outside.secretPath]?.code).toBe("forbidden");
    const prefix = await call<{ values: Record<string, string> }>("/api/secrets/resolve", {
      method: "POST",
      body: { prefix: "prod" },
      token: scoped(),
    });
    expect(prefix.body.values).toEqual({});
    expect(JSON.stringify([batch.body, prefix.body])).not.toContain(ROOT_VALUE);
  });
});

describe("a connection's allowedProviderPaths", () => {
  let fenced: string;
  let outsideBefore: SecretBody;
  let insideBefore: SecretBody;

  beforeAll(async () => {
    fenced = await connection("trust-fenced");
    // Saved while the connection had no fence.
    outsideBefore = await externalSecret(unique("fence.root").replace(/-/g, "_"), "secret/prod/db-root", fenced);
    insideBefore = await externalSecret(unique("fence.pay").replace(/-/g, "_"), "secret/payments/stripe", fenced, { jsonKey: "key" });
  });

  it("is null until set, and is validated with a field per pattern", async () => {
    const fresh = await call<ConnectionBody>(`/api/secret-providers/${fenced}`);
    expect(fresh.body.allowedProviderPaths).toBeNull();
    const bad = await call<ErrorBody>(`/api/secret-providers/${fenced}`, {
      method: "PATCH",
      body: { allowedProviderPaths: ["secret/payments/**", "secret/**/x"] },
    });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.error.code).toBe("validation_error");
    expect(bad.body.error.fields).toHaveProperty(["allowedProviderPaths.1"]);
    for (const value of [[], "secret/**", [42]]) {
      const response = await call<ErrorBody>(`/api/secret-providers/${fenced}`, { method: "PUT", body: { allowedProviderPaths: value } });
      expect(response.status, response.text).toBe(400);
    }
    const created = await call<ErrorBody>("/api/secret-providers", {
      method: "POST",
      body: {
        name: unique("bad-fence"),
        type: "vault",
        config: { vaultUrl: vault.url, token: VAULT_TOKEN },
        allowedProviderPaths: ["a/../b"],
      },
    });
    expect(created.status).toBe(400);
    expect(created.body.error.fields).toHaveProperty(["allowedProviderPaths.0"]);
  });

  const editorsCannotSetIt = async () =>
    call(`/api/secret-providers/${fenced}`, { method: "PATCH", body: { allowedProviderPaths: ["**"] }, token: apiContext().tokens.editor });

  it("once set, refuses saving, testing and resolving outside it, for admins too, in any spelling", async () => {
    expect((await editorsCannotSetIt()).status).toBe(403);
    const set = await call<ConnectionBody>(`/api/secret-providers/${fenced}`, {
      method: "PATCH",
      body: { allowedProviderPaths: ["/secret/payments/**"] },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.allowedProviderPaths).toEqual(["secret/payments/**"]);
    expect((await call<ConnectionBody>(`/api/secret-providers/${fenced}`)).body.allowedProviderPaths).toEqual(["secret/payments/**"]);

    for (const providerPath of [
      "secret/prod/db-root",
      "secret/data/prod/db-root",
      "/secret/prod/db-root/",
      "secret/payments/../prod/db-root",
    ]) {
      const response = await call<ErrorBody>("/api/secrets", {
        method: "POST",
        body: { secretPath: unique("fence.new").replace(/-/g, "_"), provider: "vault", providerPath, secretProviderId: fenced },
      });
      // Refused either by the fence (403) or, for spellings the path rules reject first, as invalid (400).
      expect([400, 403], `${providerPath}: ${response.text}`).toContain(response.status);
      expect(response.body.error.code).toBe(response.status === 403 ? "forbidden" : "validation_error");
      if (providerPath === "secret/prod/db-root") expect(response.status).toBe(403);
    }
    expectForbidden(
      await call("/api/secrets", {
        method: "POST",
        body: {
          secretPath: unique("fence.new").replace(/-/g, "_"),
          provider: "vault",
          providerPath: "secret/data/prod/db-root",
          secretProviderId: fenced,
        },
      }),
    );
    const inside = await externalSecret(unique("fence.ok").replace(/-/g, "_"), "secret/data/payments/stripe", fenced, { jsonKey: "key" });
    expect((await resolve(inside.secretPath)).body.value).toBe(PAYMENTS_VALUE);

    // Repointing an allowed secret outside, on PUT and PATCH.
    for (const method of ["PUT", "PATCH"]) {
      expectForbidden(await call(`/api/secrets/${inside.id}`, { method, body: { providerPath: "secret/prod/db-root" } }));
    }
    // Moving a secret of another connection onto the fenced one at a path outside.
    const elsewhere = await externalSecret(unique("unfenced.move").replace(/-/g, "_"), "secret/prod/db-root", otherConnectionId);
    expectForbidden(await call(`/api/secrets/${elsewhere.id}`, { method: "PATCH", body: { secretProviderId: fenced } }));

    // Test: outside is 403 for the admin; inside answers.
    expectForbidden(await call(`/api/secret-providers/${fenced}/test`, { method: "POST", body: { providerPath: "secret/prod/db-root" } }));
    const test = await call<{ ok: boolean }>(`/api/secret-providers/${fenced}/test`, {
      method: "POST",
      body: { providerPath: "secret/payments/stripe" },
    });
    expect(test.status, test.text).toBe(200);
    expect(test.body.ok).toBe(true);
  });

  it("takes effect on secrets saved before it: their resolve is refused, single, batch and prefix", async () => {
    const single = await resolve(outsideBefore.secretPath);
    expectForbidden(single);
    expect(single.text).not.toContain(ROOT_VALUE);
    const batch = await call<{ values: Record<string, string>; errors: Record<string, { code: string }> }>("/api/secrets/resolve", {
      method: "POST",
      body: { paths: [outsideBefore.secretPath, insideBefore.secretPath] },
    });
    expect(batch.body.errors[outsideBefore.secretPath]?.code).toBe("forbidden");
    expect(batch.body.values[insideBefore.secretPath]).toBe(PAYMENTS_VALUE);
    const prefix = await call<{ values: Record<string, string>; errors: Record<string, { code: string }> }>("/api/secrets/resolve", {
      method: "POST",
      body: { prefix: "fence" },
    });
    expect(prefix.body.errors[outsideBefore.secretPath]?.code).toBe("forbidden");
    expect(JSON.stringify([batch.body, prefix.body])).not.toContain(ROOT_VALUE);
    // Editing it keeps it outside, so that is refused too; repointing it inside is the way out.
    expectForbidden(await call(`/api/secrets/${outsideBefore.id}`, { method: "PATCH", body: { description: "still outside" } }));
  });

  it("holds through the dashboard's server actions, and null removes it", async () => {
    const browser = new Browser();
    const { admin } = apiContext();
    await browser.signIn(admin.email, admin.password);
    const actions = serverActions();
    const create = actions.find((a) => a.name === "createSecretAction")!;
    const update = actions.find((a) => a.name === "updateConnectionAction")!;
    const refused = await callAction(browser, create, create.page, [
      {
        secretPath: unique("fence.action").replace(/-/g, "_"),
        provider: "vault",
        providerPath: "secret/prod/db-root",
        secretProviderId: fenced,
      },
    ]);
    expect(refused.result).toMatchObject({ ok: false });
    expect((refused.result as { message: string }).message).toMatch(/outside the paths connection .* allows/);

    const badPattern = await callAction(browser, update, update.page.replace("[id]", fenced), [
      fenced,
      { allowedProviderPaths: ["x/**/y"] },
    ]);
    expect(badPattern.result).toMatchObject({ ok: false, fields: { "allowedProviderPaths.0": expect.stringMatching(/last segment/) } });
    const cleared = await callAction(browser, update, update.page.replace("[id]", fenced), [fenced, { allowedProviderPaths: null }]);
    expect(cleared.result).toMatchObject({ ok: true, data: { allowedProviderPaths: null } });
    expect((await resolve(outsideBefore.secretPath)).body.value).toBe(ROOT_VALUE);
  });
});
