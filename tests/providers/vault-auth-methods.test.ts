import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema, describeField } from "@/lib/providers/definition";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { vaultDefinition } from "@/lib/providers/vault/definition";
import { dropStaleSession } from "@/lib/providers/vault/vault-login";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { tokenFileDirs } from "./support/token-file-dirs";
import { appErrorFrom, expectNoCredentials } from "./support/app-errors";

// Vault auth methods other than a static token: AppRole, JWT and Kubernetes sign-in, against a
// fake that issues leased tokens the way Vault does.
const ROLE_ID = "db0c3a4e-role-id";
const SECRET_ID = "5f0a-secret-id-never-shown";
const CI_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvYXBwIn0.c2lnbmF0dXJl";
const POD_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXBwIn0.cG9k";

let fake: VaultFake;
let tokenDir: string;
let outside: string;
let cleanUpDirs: () => void;
let connection = 0;

beforeAll(async () => {
  ({ allowed: tokenDir, outside, cleanUp: cleanUpDirs } = tokenFileDirs("vault"));
  writeFileSync(path.join(tokenDir, "ci-token"), `${CI_JWT}\n`);
  // As Kubernetes mounts it: the token is a link into a timestamped folder beside it.
  mkdirSync(path.join(tokenDir, "..2026_12_05"), { recursive: true });
  writeFileSync(path.join(tokenDir, "..2026_12_05", "token"), POD_JWT);
  symlinkSync(path.join(tokenDir, "..2026_12_05", "token"), path.join(tokenDir, "token"));
  writeFileSync(path.join(outside, "env"), "SECRETS_MASTER_KEY=do-not-send-me\n");
  symlinkSync(path.join(outside, "env"), path.join(tokenDir, "escape"));
  writeFileSync(path.join(tokenDir, "not-a-jwt"), "SECRETS_MASTER_KEY=do-not-send-me\n");

  fake = await startVaultFake({
    mounts: { secret: 2 },
    tokens: {},
    approles: {
      [ROLE_ID]: { secretId: SECRET_ID, policy: ["secret/data/app/"], ttlSeconds: 3, maxTtlSeconds: 3600 },
      "short-lived": { secretId: SECRET_ID, policy: ["secret/data/app/"], ttlSeconds: 3, maxTtlSeconds: 4 },
      "on-team-mount": { secretId: SECRET_ID, policy: ["secret/data/app/"], mount: "team/approle" },
    },
    jwtRoles: {
      "jwt/ci": { jwt: CI_JWT, policy: ["secret/data/app/"] },
      "kubernetes/app": { jwt: POD_JWT, policy: ["secret/data/app/"] },
    },
  });
  fake.putSecret("secret/app/key", { value: "signed-in-value" });
});

afterAll(async () => {
  await fake.close();
  cleanUpDirs();
});

function context(config: Record<string, string>) {
  return { connectionKey: `vault-auth-${++connection}:1`, config: { vaultUrl: fake.url, ...config }, timeoutMs: 3_000 };
}
const logins = () => fake.requests.filter((r) => r.path.endsWith("/login"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("vault auth methods: the config", () => {
  const check = (config: Record<string, string>) =>
    configSchema(vaultDefinition, { allowInsecure: true }).safeParse({ vaultUrl: "https://vault.example.com", ...config });
  const fields = (config: Record<string, string>) => {
    const result = check(config);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("asks for what each method needs, and a token only for the token method", () => {
    expect(fields({})).toEqual({ token: "Vault Token is required" });
    expect(fields({ authMethod: "token" })).toEqual({ token: "Vault Token is required" });
    expect(check({ token: "hvs.x" }).success).toBe(true);
    expect(fields({ authMethod: "approle" })).toEqual({
      roleId: "AppRole role ID is required with the approle auth method",
      secretId: "AppRole secret ID is required with the approle auth method",
    });
    expect(fields({ authMethod: "jwt", role: "ci" })).toEqual({ jwtFile: "JWT file is required with the jwt auth method" });
    expect(check({ authMethod: "kubernetes", role: "app" }).success).toBe(true);
    expect(Object.keys(fields({ authMethod: "ldap" }))).toContain("authMethod");
  });

  it("takes only plain absolute paths for the JWT file", () => {
    for (const bad of ["token", "/var/run/../../etc/passwd", "/var/run/secrets/", "/a//b"]) {
      expect(Object.keys(fields({ authMethod: "jwt", role: "ci", jwtFile: bad })), bad).toContain("jwtFile");
    }
    expect(check({ authMethod: "jwt", role: "ci", jwtFile: "/var/run/secrets/tokens/vault" }).success).toBe(true);
  });

  it("still publishes the token as required (the contract's field), with the reason it may be left out", () => {
    const token = describeField(vaultDefinition.fields.find((f) => f.key === "token")!);
    expect(token).toMatchObject({ required: true, sensitive: true });
    expect(token.help).toMatch(/not needed when another auth method signs in/);
  });

  it("keeps the secret ID a masked credential and the role ID an identifier", () => {
    const field = (key: string) => vaultDefinition.fields.find((f) => f.key === key)!;
    expect(field("secretId")).toMatchObject({ sensitive: true });
    expect(field("roleId")).not.toHaveProperty("sensitive");
  });
});

describe("vault auth methods: signing in", () => {
  it("AppRole: signs in once, reads with the issued token, and never sends the stored secret ID elsewhere", async () => {
    const request = context({ authMethod: "approle", roleId: ROLE_ID, secretId: SECRET_ID });
    const before = logins().length;
    const [a, b] = await Promise.all([
      vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" }),
      vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" }),
    ]);
    expect([a.value, b.value]).toEqual(["signed-in-value", "signed-in-value"]);
    const made = logins().slice(before);
    expect(made).toHaveLength(1); // concurrent first reads share one sign-in
    expect(made[0]!.path).toBe("/v1/auth/approle/login");
    expect(made[0]!.headers["x-vault-token"]).toBeUndefined();
    expect(JSON.parse(made[0]!.body)).toEqual({ role_id: ROLE_ID, secret_id: SECRET_ID });
    const read = fake.requests.at(-1)!;
    expect(read.headers["x-vault-token"]).toMatch(/^hvs\.issued-/);
    expect(fake.requests.filter((r) => r.path !== "/v1/auth/approle/login").every((r) => !r.body.includes(SECRET_ID))).toBe(true);
  });

  it("renews the token once two thirds of its lease have passed, and signs in again when renewal no longer helps", async () => {
    const request = context({ authMethod: "approle", roleId: "short-lived", secretId: SECRET_ID });
    await vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" });
    const loginsBefore = logins().length;
    await sleep(2_200); // past 2/3 of the 3 s lease: the next read renews (max TTL 4 s leaves < 10 s, so it signs in)
    expect((await vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" })).value).toBe("signed-in-value");
    await sleep(50);
    const renewals = fake.requests.filter((r) => r.path === "/v1/auth/token/renew-self");
    expect(renewals.length).toBeGreaterThanOrEqual(1);
    expect(logins().length).toBe(loginsBefore + 1);
  });

  it("on a 403, keeps a session just made (the policy is the likelier cause) and replaces an older one", async () => {
    const request = context({ authMethod: "approle", roleId: ROLE_ID, secretId: SECRET_ID });
    await vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" });
    fake.revokeIssuedTokens();
    const before = logins().length;
    await expect(vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" })).rejects.toThrow(/permission denied/);
    expect(logins().length).toBe(before);
    // What the adapter asks on a 403, as it would ask 10 s later: the revoked session goes, and
    // the next read signs in afresh.
    expect(dropStaleSession(request, Date.now() + 10_000)).toBe(true);
    expect((await vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" })).value).toBe("signed-in-value");
    expect(logins().length).toBe(before + 1);
  });

  it("uses authMount for a method mounted elsewhere", async () => {
    const request = context({ authMethod: "approle", roleId: "on-team-mount", secretId: SECRET_ID, authMount: "team/approle" });
    expect((await vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" })).value).toBe("signed-in-value");
    expect(logins().at(-1)!.path).toBe("/v1/auth/team/approle/login");
  });

  it("JWT: reads the token file at sign-in and signs in with the role", async () => {
    const request = context({ authMethod: "jwt", role: "ci", jwtFile: path.join(tokenDir, "ci-token") });
    expect((await vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" })).value).toBe("signed-in-value");
    expect(JSON.parse(logins().at(-1)!.body)).toEqual({ role: "ci", jwt: CI_JWT });
    expect(logins().at(-1)!.path).toBe("/v1/auth/jwt/login");
  });

  it("Kubernetes: follows the service-account token's link inside the allowed folder", async () => {
    const request = context({ authMethod: "kubernetes", role: "app", jwtFile: path.join(tokenDir, "token") });
    expect((await vaultAdapter.fetchSecret({ ...request, path: "secret/app/key" })).value).toBe("signed-in-value");
    expect(JSON.parse(logins().at(-1)!.body)).toEqual({ role: "app", jwt: POD_JWT });
  });

  it("never reads a file outside PROVENANCE_TOKEN_FILE_DIRS, through a link, or one that is not a JWT", async () => {
    for (const [file, reason] of [
      [path.join(outside, "env"), /not in a folder token files may be read from/],
      [path.join(tokenDir, "escape"), /links outside the folders/],
      [path.join(tokenDir, "not-a-jwt"), /does not hold a JWT/],
      [path.join(tokenDir, "missing"), /does not exist/],
    ] as const) {
      const before = logins().length;
      const error = await appErrorFrom(
        vaultAdapter.fetchSecret({ ...context({ authMethod: "jwt", role: "ci", jwtFile: file }), path: "secret/app/key" }),
      );
      expect(error.message, file).toMatch(reason);
      expect(error.message).not.toContain("do-not-send-me");
      expect(String(error.extra.hint)).toContain(tokenDir);
      expect(logins().length).toBe(before); // nothing was sent
    }
  });

  it("explains a refused sign-in without echoing the secret ID", async () => {
    const error = await appErrorFrom(
      vaultAdapter.fetchSecret({
        ...context({ authMethod: "approle", roleId: ROLE_ID, secretId: "wrong-secret-id" }),
        path: "secret/app/key",
      }),
    );
    expect(error.code).toBe("provider_error");
    expect(error.message).toMatch(/signing in with approle at auth\/approle\/login was refused \(HTTP 400: invalid role or secret ID\)/);
    expect(String(error.extra.hint)).toMatch(/role ID and secret ID/);
    expectNoCredentials(error, ["wrong-secret-id", SECRET_ID]);
  });

  it("a connection test signs in afresh and looks the issued token up", async () => {
    const request = context({ authMethod: "approle", roleId: ROLE_ID, secretId: SECRET_ID });
    const before = logins().length;
    await vaultAdapter.checkConnection(request);
    await vaultAdapter.checkConnection(request);
    expect(logins().length).toBe(before + 2);
    expect(fake.requests.at(-1)!.path).toBe("/v1/auth/token/lookup-self");
    await expect(vaultAdapter.checkConnection(context({ authMethod: "approle", roleId: ROLE_ID, secretId: "nope" }))).rejects.toThrow(
      /was refused/,
    );
  });
});
