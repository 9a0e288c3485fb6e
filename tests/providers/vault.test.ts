import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { appErrorFrom, expectNoCredentials } from "./support/app-errors";

// Vault over plain HTTP: what the adapter reads, and what the fake receives.
const TOKEN = "hvs.provenance-test-token-0123456789";
const NARROW_TOKEN = "hvs.narrow-policy-token-0123456789";

let fake: VaultFake;
let connection = 0;
beforeAll(async () => {
  fake = await startVaultFake({
    mounts: { secret: 2, kv: 1, "team/kv": 2 },
    tokens: { [TOKEN]: [""], [NARROW_TOKEN]: ["secret/data/allowed/"] },
  });
  fake.putSecret("secret/my-app/api-key", { value: "abc123" });
  fake.putSecret("secret/database", { username: "app", password: "pw" });
  fake.putSecret("secret/numbers", { port: 5432 });
  fake.putSecret("kv/legacy/db", { password: "v1-pw" });
  fake.putSecret("team/kv/service/key", { key: "team-value" });
  fake.putSecret("team/kv/service/other", { key: "other-value" });
});
afterAll(() => fake.close());

function context(config: Record<string, string> = {}, timeoutMs = 3_000) {
  return { connectionKey: `vault-${++connection}:1`, config: { vaultUrl: fake.url, token: TOKEN, ...config }, timeoutMs };
}
const last = () => fake.requests.at(-1)!;

describe("vault adapter: reading", () => {
  it("reads KV v2 with data/ inserted and the token header, returning value, fields and version", async () => {
    const secret = await vaultAdapter.fetchSecret({ ...context(), path: "secret/my-app/api-key" });
    expect(secret).toEqual({ value: "abc123", fields: { value: "abc123" }, version: "1" });
    expect(last().path).toBe("/v1/secret/data/my-app/api-key");
    expect(last().headers["x-vault-token"]).toBe(TOKEN);
    expect(last().headers["x-vault-namespace"]).toBeUndefined();
  });

  it("returns several keys as JSON text, a single non-string as its JSON", async () => {
    const several = await vaultAdapter.fetchSecret({ ...context(), path: "/secret/database/" });
    expect(JSON.parse(several.value)).toEqual({ username: "app", password: "pw" });
    expect(several.fields).toEqual({ username: "app", password: "pw" });
    expect((await vaultAdapter.fetchSecret({ ...context(), path: "secret/numbers" })).value).toBe("5432");
  });

  it("URL-encodes each path segment (Vault key names may hold spaces)", async () => {
    fake.putSecret("secret/team a/key b", { value: "spaced" });
    expect((await vaultAdapter.fetchSecret({ ...context(), path: "secret/team a/key b" })).value).toBe("spaced");
    expect(last().path).toBe("/v1/secret/data/team%20a/key%20b");
  });

  it("uses a path that already holds data/ as written", async () => {
    await vaultAdapter.fetchSecret({ ...context(), path: "secret/data/my-app/api-key" });
    expect(last().path).toBe("/v1/secret/data/my-app/api-key");
  });

  it("asks for a KV v2 version with ?version=N", async () => {
    fake.putSecret("secret/rotated", { value: "old" });
    fake.putSecret("secret/rotated", { value: "new" });
    expect(await vaultAdapter.fetchSecret({ ...context(), path: "secret/rotated" })).toMatchObject({ value: "new", version: "2" });
    const old = await vaultAdapter.fetchSecret({ ...context(), path: "secret/rotated", version: "1" });
    expect(last().path).toBe("/v1/secret/data/rotated?version=1");
    expect(old).toMatchObject({ value: "old", version: "1" });
  });

  it("reads KV v1 as written, with no version", async () => {
    const secret = await vaultAdapter.fetchSecret({ ...context({ kvVersion: "1" }), path: "kv/legacy/db" });
    expect(last().path).toBe("/v1/kv/legacy/db");
    expect(secret).toEqual({ value: "v1-pw", fields: { password: "v1-pw" }, version: null });
    const error = await appErrorFrom(vaultAdapter.fetchSecret({ ...context({ kvVersion: "1" }), path: "kv/legacy/db", version: "2" }));
    expect(error.message).toContain("KV v1 mount, which keeps no versions");
  });

  it("detects each mount's KV version once per connection with kvVersion auto", async () => {
    const ctx = context({ kvVersion: "auto" });
    const before = fake.requests.length;
    expect((await vaultAdapter.fetchSecret({ ...ctx, path: "team/kv/service/key" })).value).toBe("team-value");
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual([
      "/v1/sys/internal/ui/mounts/team/kv/service/key",
      "/v1/team/kv/data/service/key",
    ]);
    await vaultAdapter.fetchSecret({ ...ctx, path: "team/kv/service/other" });
    expect(last().path).toBe("/v1/team/kv/data/service/other");
    expect(fake.requests.length - before).toBe(3);
    expect((await vaultAdapter.fetchSecret({ ...ctx, path: "kv/legacy/db" })).value).toBe("v1-pw");
    expect(last().path).toBe("/v1/kv/legacy/db");
    // forget() drops what was learnt: the mount is asked about again.
    vaultAdapter.forget(ctx.connectionKey.split(":")[0]!);
    await vaultAdapter.fetchSecret({ ...ctx, path: "team/kv/service/key" });
    expect(fake.requests.at(-2)!.path).toBe("/v1/sys/internal/ui/mounts/team/kv/service/key");
  });

  it("explains a mount detection the token may not do", async () => {
    const error = await appErrorFrom(
      vaultAdapter.fetchSecret({ ...context({ kvVersion: "auto", token: "hvs.unknown-token-000000000" }), path: "secret/x" }),
    );
    expect(error.message).toBe("HashiCorp Vault: permission denied detecting the mount of secret/x (HTTP 403: permission denied)");
    expect(error.extra.hint).toContain("which engine serves a path");
  });

  it("sends X-Vault-Namespace when a namespace is set, on every request", async () => {
    await vaultAdapter.fetchSecret({ ...context({ namespace: "admin/team-a", kvVersion: "auto" }), path: "secret/my-app/api-key" });
    expect(fake.requests.slice(-2).map((r) => r.headers["x-vault-namespace"])).toEqual(["admin/team-a", "admin/team-a"]);
  });

  it("reports a deleted KV v2 version (404 with metadata, or 200 with data: null)", async () => {
    fake.putSecret("secret/gone", { value: "a" });
    fake.putSecret("secret/gone", { value: "b" });
    fake.deleteVersion("secret/gone", 1);
    const error = await appErrorFrom(vaultAdapter.fetchSecret({ ...context(), path: "secret/gone", version: "1" }));
    expect(error.message).toBe("HashiCorp Vault: version 1 of secret/data/gone is deleted or destroyed (HTTP 404)");
    fake.faults.add({ malformed: JSON.stringify({ data: { data: null, metadata: { version: 3 } } }) });
    const nulled = await appErrorFrom(vaultAdapter.fetchSecret({ ...context(), path: "secret/gone" }));
    expect(nulled.message).toBe("HashiCorp Vault: version 3 of secret/data/gone is deleted or destroyed");
  });

  it("checks the connection with lookup-self, and reports a rejected token without echoing it", async () => {
    await expect(vaultAdapter.checkConnection(context())).resolves.toBeUndefined();
    expect(last().path).toBe("/v1/auth/token/lookup-self");
    const wrong = "hvs.wrong-token-value-987654321";
    const error = await appErrorFrom(vaultAdapter.checkConnection(context({ token: wrong })));
    expect(error.message).toBe("HashiCorp Vault: the token was rejected (HTTP 403: permission denied)");
    expect(last().headers["x-vault-token"]).toBe(wrong);
    expectNoCredentials(error, [wrong, TOKEN]);
  });

  it("asks which mount serves a path once for many parallel first reads on a connection", async () => {
    const ctx = context();
    const before = fake.requests.length;
    fake.faults.add({ delayMs: 50 }, 1);
    const paths = ["secret/my-app/api-key", "secret/database", "secret/numbers"];
    const read = await Promise.all(paths.map((path) => vaultAdapter.fetchSecret({ ...ctx, path })));
    expect(read.map((r) => r.value)).toEqual(["abc123", JSON.stringify({ username: "app", password: "pw" }), "5432"]);
    const asked = fake.requests.slice(before).filter((r) => r.path.startsWith("/v1/sys/internal/ui/mounts/"));
    expect(asked).toHaveLength(1);
  });
});
