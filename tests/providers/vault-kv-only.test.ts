import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vaultDefinition } from "@/lib/providers/vault/definition";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { appErrorFrom } from "./support/app-errors";

// CONTRACT "Vault connections read KV secrets, nothing else": with any kvVersion, a path whose
// mount is not a KV engine is never read, so the connection's own token (auth/token/lookup-self,
// jsonKey "id"), cubbyhole, sys and dynamic-credential engines stay out of reach.
const TOKEN = "hvs.kv-only-token-0123456789abcdef";

let fake: VaultFake;
let connection = 0;
beforeAll(async () => {
  fake = await startVaultFake({
    mounts: { secret: 2, kv: 1 },
    otherMounts: { database: "database", pki: "pki", "team/db": "database" },
    tokens: { [TOKEN]: [""] },
  });
  fake.putSecret("secret/app", { value: "kv2-value" });
  fake.putSecret("kv/app", { value: "kv1-value" });
});
afterAll(() => fake.close());

const KV_VERSIONS = ["1", "2", "auto"] as const;
function context(kvVersion: string) {
  return { connectionKey: `vault-kv-only-${++connection}:1`, config: { vaultUrl: fake.url, token: TOKEN, kvVersion }, timeoutMs: 3_000 };
}

/** Requests that reached a non-KV engine's data (mount detection is a question, not a read). */
function nonKvReads(from: number) {
  return fake.requests
    .slice(from)
    .map((r) => r.path)
    .filter((path) => !path.startsWith("/v1/sys/internal/ui/mounts/") && !/^\/v1\/(secret|kv)\//.test(path));
}

const BUILT_IN_PATHS = [
  "auth/token/lookup-self",
  "cubbyhole/my-secret",
  "sys/internal/ui/mounts/secret",
  "identity/entity/name/admin",
  // The same, spelled to slip past a prefix check.
  "/auth/token/lookup-self",
  "//auth//token/lookup-self",
  " auth/token/lookup-self ",
  "AUTH/token/lookup-self",
  "Cubbyhole/x",
];
const TRICKS = [
  "secret/../sys/seal-status",
  "secret/data/../../auth/token/lookup-self",
  "%61uth/token/lookup-self",
  "secret/%2e%2e/auth/token/lookup-self",
  "secret/./../auth/token/lookup-self",
];
const DYNAMIC_PATHS = ["database/creds/readonly", "pki/issue/web", "team/db/creds/app"];

describe("vault: KV secrets only", () => {
  it.each(KV_VERSIONS)("kvVersion %s: built-in non-KV mounts and path tricks are refused before anything is sent", async (kvVersion) => {
    for (const path of [...BUILT_IN_PATHS, ...TRICKS]) {
      const before = fake.requests.length;
      const error = await appErrorFrom(vaultAdapter.fetchSecret({ ...context(kvVersion), path }));
      expect(error.code, path).toBe("provider_error");
      expect(error.message, path).toMatch(/invalid path/);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect(fake.requests.length, path).toBe(before);
    }
  });

  it.each(KV_VERSIONS)("kvVersion %s: a mount Vault reports as another engine (database, pki) is never read", async (kvVersion) => {
    for (const path of DYNAMIC_PATHS) {
      const before = fake.requests.length;
      const error = await appErrorFrom(vaultAdapter.fetchSecret({ ...context(kvVersion), path }));
      expect(error.code, path).toBe("provider_error");
      // KV v2 reads team/db/creds/app as team/data/db/creds/app, a path no mount serves: refused too.
      if (!(kvVersion === "2" && path.startsWith("team/"))) {
        expect(error.message, path).toMatch(/engine; Vault connections read KV secrets only$/);
        expect(error.extra).toMatchObject({ upstreamCode: "not_kv_mount" });
      } else {
        expect(error.message, path).toContain("team/data/db/creds/app");
      }
      expect(nonKvReads(before), path).toEqual([]);
    }
  });

  it.each(KV_VERSIONS)("kvVersion %s: KV v1 and v2 secrets still read", async (kvVersion) => {
    const ctx = context(kvVersion);
    if (kvVersion !== "1") expect((await vaultAdapter.fetchSecret({ ...ctx, path: "secret/app" })).value).toBe("kv2-value");
    if (kvVersion !== "2") expect((await vaultAdapter.fetchSecret({ ...ctx, path: "kv/app" })).value).toBe("kv1-value");
  });

  it("asks about each mount once per connection, and refuses from what it learnt", async () => {
    const ctx = context("2");
    const before = fake.requests.length;
    await vaultAdapter.fetchSecret({ ...ctx, path: "secret/app" });
    await vaultAdapter.fetchSecret({ ...ctx, path: "secret/app" });
    await appErrorFrom(vaultAdapter.fetchSecret({ ...ctx, path: "database/creds/a" }));
    await appErrorFrom(vaultAdapter.fetchSecret({ ...ctx, path: "database/creds/b" }));
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual([
      "/v1/sys/internal/ui/mounts/secret/data/app",
      "/v1/secret/data/app",
      "/v1/secret/data/app",
      "/v1/sys/internal/ui/mounts/database/data/creds/a",
    ]);
  });

  it.each(KV_VERSIONS)(
    "kvVersion %s: when Vault will not say which engine serves a path, nothing is read (fails closed)",
    async (kvVersion) => {
      for (const fault of [
        { status: 403, message: "permission denied" },
        { status: 500 },
        { malformed: JSON.stringify({ data: { type: "kv" } }) },
      ]) {
        fake.mountFaults.add(fault, 3);
        const before = fake.requests.length;
        const error = await appErrorFrom(
          vaultAdapter.fetchSecret({ ...context(kvVersion), path: kvVersion === "1" ? "kv/app" : "secret/app" }),
        );
        expect(error.code).toBe("provider_error");
        const sent = fake.requests.slice(before);
        expect(sent.length).toBeGreaterThan(0); // the mount was asked about, and nothing else
        expect(sent.every((r) => r.path.startsWith("/v1/sys/internal/ui/mounts/"))).toBe(true);
        while (fake.mountFaults.take());
      }
    },
  );

  it("checkPath refuses the built-in mounts on save (every caller: API, server action, import)", () => {
    for (const path of BUILT_IN_PATHS.map((p) => p.trim()))
      expect(vaultDefinition.checkPath(path), path).toMatch(/not a KV secrets engine|Must be a KV path/);
    for (const path of TRICKS) expect(vaultDefinition.checkPath(path), path).not.toBeNull();
    expect(vaultDefinition.checkPath("secret/my-app/auth")).toBeNull();
    expect(vaultDefinition.checkPath("authz/x")).toBeNull();
  });
});
