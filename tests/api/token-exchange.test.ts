import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcIssuerFake, type OidcIssuerFake } from "../support/fakes/oidc-issuer";
import { call, unique, type ApiResponse } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { createStoredSecret, createToken, expectError } from "./support/expectations";
import { action, adminSession, executeSql, newPerson, signedIn } from "./support/people";

/**
 * Keyless access (CONTRACT, "Keyless access"): trust policies (admin only) and
 * POST /api/auth/token-exchange against a local OIDC issuer (tests/support/fakes/oidc-issuer.ts)
 * that signs real RS256 ID tokens and serves its discovery document and JWKS over http (the suite's
 * server allows http issuers; the strict one does not).
 */
interface Policy {
  id: string;
  name: string;
  issuer: string;
  audience: string;
  claims: Record<string, string>;
  role: string;
  scope: string;
  ttlSeconds: number;
}
interface Exchanged {
  token: string;
  expiresAt: string;
  role: string;
  scope: string;
  policy: { id: string; name: string };
}
type Refusal = { error: { code: string; message: string; reason?: string } };

let issuer: OidcIssuerFake;
const suffix = unique("k").replace(/-/g, "_");
const audience = `provenance-${suffix}`;
const repo = `acme-${suffix}/api`;
/** Every ID token this file sent, to prove none comes back or lands in the audit log. */
const idTokens: string[] = [];
const responses: ApiResponse[] = [];

const createPolicy = async (body: Record<string, unknown>, token?: string) => {
  const response = await call<Policy>("/api/trust-policies", { method: "POST", body, token });
  responses.push(response);
  return response;
};

function policyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: unique("ci"),
    issuer: issuer.issuer,
    audience,
    claims: { sub: `repo:acme-${suffix}/*:ref:refs/heads/main`, repository_owner: `acme-${suffix}` },
    role: "editor",
    scope: `keyless_${suffix}.*`,
    ...overrides,
  };
}

function githubClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aud: audience,
    sub: `repo:${repo}:ref:refs/heads/main`,
    repository: repo,
    repository_owner: `acme-${suffix}`,
    ref: "refs/heads/main",
    ...overrides,
  };
}

async function exchange(idToken: unknown): Promise<ApiResponse<Exchanged & Refusal>> {
  if (typeof idToken === "string") idTokens.push(idToken);
  const response = await call<Exchanged & Refusal>("/api/auth/token-exchange", { method: "POST", body: { token: idToken }, token: null });
  responses.push(response);
  return response;
}

function expectRefused(response: ApiResponse<Refusal>, reason: string): void {
  expectError(response, 401, "unauthorized");
  expect(response.body.error.reason, response.text).toBe(reason);
}

const resolve = (path: string, token: string) =>
  call<{ value: string }>(`/api/secrets/resolve?path=${encodeURIComponent(path)}`, { token });

let mainPolicy: Policy;
let shortLived: Exchanged;

beforeAll(async () => {
  issuer = await startOidcIssuerFake("RS256");
  const created = await createPolicy(policyBody({ name: `a-main-${suffix}`, ttlSeconds: 60 }));
  expect(created.status, created.text).toBe(201);
  mainPolicy = created.body;
  // Issued first, so that the expiry check at the end waits as little as possible.
  const first = await exchange(issuer.idToken(githubClaims()));
  expect(first.status, first.text).toBe(201);
  shortLived = first.body;
});

afterAll(async () => {
  await issuer?.close();
});

describe("trust policies", () => {
  it("are created with defaults, listed by name and read back", async () => {
    const response = await createPolicy(policyBody({ name: `b-default-${suffix}` }));
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({ issuer: issuer.issuer, audience, role: "editor", ttlSeconds: 900 });
    const list = await call<Policy[]>("/api/trust-policies");
    expect(list.status).toBe(200);
    const names = list.body.map((p) => p.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain(`b-default-${suffix}`);
    expect((await call<Policy>(`/api/trust-policies/${response.body.id}`)).body.name).toBe(`b-default-${suffix}`);
  });

  it.each([
    ["an admin role", { role: "admin" }, "role"],
    ["no scope", { scope: undefined }, "scope"],
    ["an invalid scope", { scope: "stripe*" }, "scope"],
    ["a ttl over an hour", { ttlSeconds: 3601 }, "ttlSeconds"],
    ["a ttl under a minute", { ttlSeconds: 10 }, "ttlSeconds"],
    ["no claims", { claims: {} }, "claims"],
    ["a reserved claim", { claims: { aud: "x" } }, "claims.aud"],
    ["an empty pattern", { claims: { sub: "" } }, "claims.sub"],
    ["an issuer that is not a URL", { issuer: "github" }, "issuer"],
    ["an issuer with a query", { issuer: "https://issuer.example/?x=1" }, "issuer"],
    ["a metadata issuer", { issuer: "http://169.254.169.254" }, "issuer"],
    ["an unknown member", { extra: 1 }, "extra"],
  ])("refuses %s with 400 naming the field", async (_label, overrides, field) => {
    expectError(await createPolicy(policyBody(overrides)), 400, "validation_error", [field]);
  });

  it("refuses an http issuer on a server that does not allow insecure provider URLs", async () => {
    const response = await call("/api/trust-policies", { method: "POST", body: policyBody(), baseUrl: apiContext().strictBaseUrl });
    expectError(response, 400, "validation_error", ["issuer"]);
  });

  it("names are unique: 409 name_taken on create and on rename", async () => {
    expectError(await createPolicy(policyBody({ name: mainPolicy.name })), 409, "name_taken", ["name"]);
    const other = await createPolicy(policyBody());
    const renamed = await call(`/api/trust-policies/${other.body.id}`, { method: "PUT", body: { name: mainPolicy.name } });
    expectError(renamed, 409, "name_taken", ["name"]);
  });

  it("only admins manage them: editors, viewers and scoped tokens get 403", async () => {
    const { editor, viewer, scopedEditor } = apiContext().tokens;
    for (const token of [editor, viewer, scopedEditor]) {
      expectError(await call("/api/trust-policies", { token }), 403, "forbidden");
      expectError(await createPolicy(policyBody(), token), 403, "forbidden");
      expectError(await call(`/api/trust-policies/${mainPolicy.id}`, { method: "DELETE", token }), 403, "forbidden");
    }
    // An admin token that still carries a scope (from before admin tokens lost them) is refused too.
    const scoped = await createToken("editor", "stripe.*");
    await executeSql("UPDATE api_tokens SET role = 'admin' WHERE id = $1", [scoped.id]);
    expectError(await call("/api/trust-policies", { token: scoped.token }), 403, "forbidden");
    expectError(await call("/api/trust-policies", { token: null }), 401, "unauthorized");
  });

  it("the dashboard's actions use the same rules: the admin creates and deletes, an editor is refused", async () => {
    const admin = await adminSession();
    const made = await action<Policy>(admin, "createTrustPolicyAction", [policyBody({ name: unique("form") })]);
    expect(made.ok, made.message ?? "").toBe(true);
    const refused = await action(admin, "createTrustPolicyAction", [policyBody({ role: "admin" })]);
    expect(refused.ok).toBe(false);
    expect(Object.keys(refused.fields)).toEqual(["role"]);
    const person = await newPerson("editor");
    const editor = await signedIn(person.email, person.password);
    const denied = await action(editor, "deleteTrustPolicyAction", [made.data!.id]);
    expect(denied.ok).toBe(false);
    expect((await call(`/api/trust-policies/${made.data!.id}`)).status).toBe(200);
    expect((await action(admin, "deleteTrustPolicyAction", [made.data!.id])).ok).toBe(true);
    expect((await call(`/api/trust-policies/${made.data!.id}`)).status).toBe(404);
  }, 60_000);

  it("every change is audited", async () => {
    const created = await createPolicy(policyBody());
    expect((await call(`/api/trust-policies/${created.body.id}`, { method: "PUT", body: { ttlSeconds: 120 } })).status).toBe(200);
    expect((await call(`/api/trust-policies/${created.body.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/api/trust-policies/${created.body.id}`)).status).toBe(404);
    const rows = await query<{ action: string }>("SELECT action FROM audit_events WHERE target_id = $1 ORDER BY at", [created.body.id]);
    expect(rows.map((r) => r.action)).toEqual(["trust_policy.create", "trust_policy.update", "trust_policy.delete"]);
  });
});

describe("POST /api/auth/token-exchange", () => {
  it("issues a token with the policy's role and scope, expiring after its ttl", async () => {
    expect(shortLived).toMatchObject({
      role: "editor",
      scope: `keyless_${suffix}.*`,
      policy: { id: mainPolicy.id, name: mainPolicy.name },
    });
    expect(shortLived.token).toMatch(/^pvn_/);
    const lifetime = Date.parse(shortLived.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(60_000);
    const rows = await query<{ name: string; issued_by_user: unknown; created_by_id: unknown; trust_policy_id: string }>(
      "SELECT name, issued_by_user, created_by_id, trust_policy_id FROM api_tokens WHERE trust_policy_id = $1",
      [mainPolicy.id],
    );
    expect(rows[0]).toMatchObject({
      name: `oidc:${mainPolicy.name}:repo:${repo}:ref:refs/heads/main`,
      created_by_id: null,
      trust_policy_id: mainPolicy.id,
    });
    expect(Boolean(rows[0]!.issued_by_user)).toBe(false);
  });

  it("the token resolves inside its scope (200) and not outside (403), and lists only its scope", async () => {
    const inside = await createStoredSecret(`keyless_${suffix}.db.password`);
    const outside = await createStoredSecret(`other_${suffix}.db.password`);
    const { token } = (await exchange(issuer.idToken(githubClaims()))).body;
    const ok = await resolve(inside.secretPath, token);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.value).toBe(inside.value);
    expectError(await resolve(outside.secretPath, token), 403, "forbidden");
    const listed = await call<Array<{ secretPath: string }>>("/api/secrets", { token });
    expect(listed.body.map((s) => s.secretPath)).toContain(inside.secretPath);
    expect(listed.body.map((s) => s.secretPath)).not.toContain(outside.secretPath);
    expectError(await call("/api/tokens", { token }), 403, "forbidden");
  });

  it("refuses the same ID token twice (jti replay)", async () => {
    const idToken = issuer.idToken(githubClaims());
    expect((await exchange(idToken)).status).toBe(201);
    expectRefused(await exchange(idToken), "replayed");
  });

  it("says why a token is refused: audience, claims, issuer, signature, times, algorithm", async () => {
    expectRefused(await exchange(issuer.idToken(githubClaims({ aud: "someone-else" }))), "wrong_audience");
    expectRefused(await exchange(issuer.idToken(githubClaims({ sub: `repo:${repo}:ref:refs/heads/dev` }))), "no_matching_policy");
    // `*` does not cross a path segment: acme/api/x is not acme/*.
    expectRefused(
      await exchange(issuer.idToken(githubClaims({ sub: `repo:acme-${suffix}/api/x:ref:refs/heads/main` }))),
      "no_matching_policy",
    );
    expectRefused(await exchange(issuer.idToken(githubClaims({ iss: "https://token.actions.githubusercontent.com" }))), "unknown_issuer");
    const genuine = issuer.idToken(githubClaims());
    const [header, payload, signature] = genuine.split(".");
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload!, "base64url").toString()),
        sub: `repo:acme-${suffix}/api:ref:refs/heads/main`,
        repository: "evil/api",
      }),
    ).toString("base64url");
    expectRefused(await exchange(`${header}.${forgedPayload}.${signature}`), "bad_signature");
    const now = Math.floor(Date.now() / 1000);
    expectRefused(await exchange(issuer.idToken(githubClaims({ iat: now - 900, nbf: now - 900, exp: now - 600 }))), "expired");
    expectRefused(await exchange(issuer.idToken(githubClaims({ nbf: now + 600, exp: now + 900 }))), "not_yet_valid");
    expectRefused(await exchange(issuer.idToken(githubClaims(), { header: { alg: "none" } })), "unsupported_algorithm");
    expectRefused(await exchange(issuer.idToken(githubClaims(), { header: { alg: "HS256" } })), "unsupported_algorithm");
    expectRefused(await exchange(issuer.idToken(githubClaims(), { header: { kid: "no-such-key" } })), "unknown_key");
    expectRefused(await exchange(issuer.idToken(githubClaims({ jti: undefined }))), "missing_jti");
    expectRefused(await exchange("not-a-jwt"), "malformed");
  });

  it("400 for a body without a string token; 413 for a huge body; no credentials needed or read", async () => {
    for (const body of [{}, { token: 5 }, { token: "" }, { token: "x", other: 1 }]) {
      const response = await call("/api/auth/token-exchange", { method: "POST", body, token: null });
      expectError(response, 400, "validation_error");
    }
    const huge = await call("/api/auth/token-exchange", { method: "POST", body: { token: "a".repeat(70_000) }, token: null });
    expectError(huge, 413, "payload_too_large");
    const get = await call("/api/auth/token-exchange", { token: null });
    expectError(get, 405, "method_not_allowed");
  });

  it("deleting a policy revokes the tokens it issued", async () => {
    const policy = (await createPolicy(policyBody({ name: `c-revoke-${suffix}`, audience: `${audience}-revoke` }))).body;
    const issued = await exchange(issuer.idToken(githubClaims({ aud: [`${audience}-revoke`, "other"] })));
    expect(issued.status, issued.text).toBe(201);
    expect(issued.body.policy.name).toBe(policy.name);
    expect((await call("/api/secrets", { token: issued.body.token })).status).toBe(200);
    expect((await call(`/api/trust-policies/${policy.id}`, { method: "DELETE" })).status).toBe(204);
    expectError(await call("/api/secrets", { token: issued.body.token }), 401, "unauthorized");
  });

  it("audits exchanges with policy, issuer, subject and the claims that matched, and refusals with their reason; never the ID token", async () => {
    const rows = await query<{ outcome: string; details: string; actor_label: string | null }>(
      "SELECT outcome, details, actor_label FROM audit_events WHERE action = 'token.exchange'",
    );
    const success = rows.find((r) => r.outcome === "success" && JSON.parse(r.details).policyId === mainPolicy.id);
    expect(JSON.parse(success!.details)).toMatchObject({
      policy: mainPolicy.name,
      issuer: issuer.issuer,
      subject: `repo:${repo}:ref:refs/heads/main`,
      // The claims the policy checked, with the values the token had.
      claims: expect.arrayContaining([`sub=repo:${repo}:ref:refs/heads/main`, `repository_owner=acme-${suffix}`]),
    });
    const reasons = rows.filter((r) => r.outcome === "denied").map((r) => JSON.parse(r.details).reason);
    expect(reasons).toEqual(expect.arrayContaining(["replayed", "wrong_audience", "no_matching_policy", "bad_signature", "expired"]));

    const everything = JSON.stringify(await query("SELECT * FROM audit_events"));
    const everyResponse = responses.map((r) => r.text).join("\n");
    for (const idToken of idTokens) {
      const signature = idToken.split(".")[2] ?? idToken;
      expect(everything).not.toContain(signature);
      expect(everyResponse).not.toContain(signature);
    }
  });

  it("an expired exchanged token is refused even while cached; a rotated issuer key is fetched on first sight", async () => {
    const expiresAt = Date.parse(shortLived.expiresAt);
    // Used just before it expires (so its row is in the token cache), then just after.
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() - 1500)));
    await call("/api/secrets", { token: shortLived.token });
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() + 200)));
    expectError(await call("/api/secrets", { token: shortLived.token }), 401, "unauthorized");

    // A minute after the first fetch, an unknown kid refetches the JWKS.
    const key = issuer.rotate();
    const rotated = await exchange(issuer.idToken(githubClaims(), { key }));
    expect(rotated.status, rotated.text).toBe(201);
  }, 90_000);

  it("failed exchanges are limited per source address: 429 with Retry-After", async () => {
    let limited: ApiResponse | undefined;
    for (let attempt = 0; attempt < 60 && !limited; attempt++) {
      const response = await call("/api/auth/token-exchange", { method: "POST", body: {}, token: null });
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(400);
    }
    expect(limited, "no 429 after 60 failed exchanges").toBeDefined();
    expectError(limited!, 429, "rate_limited");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
