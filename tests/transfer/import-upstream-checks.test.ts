import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db, disconnectDb } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import type { ResolveHost } from "@/lib/providers/upstream/guarded-lookup";
import { createConnection } from "@/lib/secret-providers/write-connections";
import { createSecret } from "@/lib/secrets/write-secrets";
import { collectPayload } from "@/lib/transfer/export-bundle";
import { importPayload, type OnConflict } from "@/lib/transfer/import-bundle";
import type { BundlePayload } from "@/lib/transfer/payload";
import { appErrorFrom } from "../providers/support/app-errors";
import type { TempDatabase } from "../support/databases";
import { startHttpFake, type HttpFake } from "../support/fakes/http";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { newInstall } from "./support/install";
import { resolverAnswering } from "../support/resolver";

/**
 * An import applies the rules of the API's doors that look outside this server, before its
 * transaction: CONTRACT "Vault connections read KV secrets, nothing else" (a path Vault reports on
 * another engine is refused; a Vault that cannot answer lets it in) and the metadata-address rule
 * after DNS for the connections it creates or replaces.
 */
const actor: Actor = { kind: "user", id: "u-upstream", label: "tester", role: "admin", scope: null, userId: null, sourceIp: null };
const TOKEN = `hvs.${randomBytes(8).toString("hex")}`;

let vault: VaultFake;
let closed: HttpFake;
const created: TempDatabase[] = [];

beforeAll(async () => {
  process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS = "true";
  resetEnvForTests();
  vault = await startVaultFake({ mounts: { secret: 2 }, otherMounts: { database: "database" }, tokens: { [TOKEN]: [""] } });
  // A Vault address where nothing answers any more.
  closed = await startHttpFake((_req, res) => void res.end());
  await closed.close();
});
afterEach(async () => {
  await disconnectDb();
  await Promise.all(created.splice(0).map((d) => d.drop()));
});
afterAll(async () => {
  await vault?.close();
  delete process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS;
  resetEnvForTests();
});

async function snapshot() {
  return {
    connections: await db().secretProvider.findMany({ orderBy: { id: "asc" } }),
    secrets: await db().secret.findMany({ orderBy: { id: "asc" } }),
    audit: await db().auditEvent.count(),
  };
}

describe.each(["sqlite", "postgres"] as const)("import's upstream checks on %s", (dialect) => {
  let payload: BundlePayload;

  /** Source: connection "vault" (the fake) with secret app.kv at secret/app/kv; target: empty, with a connection "vault" too. */
  beforeEach(async () => {
    await newInstall(dialect, created);
    const connection = await createConnection({
      actor,
      input: { name: "vault", type: "vault", config: { vaultUrl: vault.url, token: TOKEN } },
    });
    await createSecret({
      actor,
      input: { secretPath: "app.kv", provider: "vault", providerPath: "secret/app/kv", secretProviderId: connection.id },
    });
    payload = await collectPayload();
    await newInstall(dialect, created);
  }, 60_000);

  const withDynamicSecret = (p: BundlePayload): BundlePayload => {
    const copy = structuredClone(p);
    copy.secrets.push({
      ...copy.secrets.find((s) => s.secretPath === "app.kv")!,
      id: `s-dyn-${randomBytes(3).toString("hex")}`,
      secretPath: "app.dyn",
      providerPath: "database/creds/readonly",
    });
    copy.counts.secrets += 1;
    return copy;
  };
  const importing = (p: BundlePayload, onConflict?: OnConflict, resolveHost?: ResolveHost) =>
    importPayload({ actor, payload: p, onConflict, label: "bundle.json", ...(resolveHost ? { resolveHost } : {}) });

  it("refuses a vault secret on a mount Vault reports as another engine, naming it; nothing is written", async () => {
    const before = await snapshot();
    const error = await appErrorFrom(importing(withDynamicSecret(payload)));
    expect(error.code).toBe("validation_error");
    expect(error.message).toMatch(
      /secret app\.dyn: providerPath: HashiCorp Vault: database\/.*creds\/readonly is on the mount database\/, a database engine/,
    );
    expect(error.message).not.toContain("app.kv");
    expect(await snapshot()).toEqual(before);
    expect(vault.requests.some((r) => r.path.startsWith("/v1/database/"))).toBe(false);
  });

  it("refuses it through this server's own connection as well (skip + rebind)", async () => {
    await createConnection({ actor, input: { name: "vault", type: "vault", config: { vaultUrl: vault.url, token: TOKEN } } });
    const before = await snapshot();
    // Without --rebind nothing is asked through this server's connection for the bundle's paths.
    const asked = vault.requests.length;
    expect((await appErrorFrom(importPayload({ actor, payload: withDynamicSecret(payload), onConflict: "skip" }))).code).toBe("conflict");
    expect(vault.requests.length).toBe(asked);
    const error = await appErrorFrom(importPayload({ actor, payload: withDynamicSecret(payload), onConflict: "skip", rebind: true }));
    expect(error.code).toBe("validation_error");
    expect(error.message).toContain("secret app.dyn: providerPath:");
    expect(await snapshot()).toEqual(before);
  });

  it("lets the secrets in when Vault cannot answer (an import made before Vault is reachable), without waiting long", async () => {
    const offline = structuredClone(withDynamicSecret(payload));
    offline.connections[0]!.config.vaultUrl = closed.url;
    const started = Date.now();
    const report = await importing(offline);
    expect(report.secrets.created).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses a connection whose host name resolves to a metadata address, on create and on replace; nothing is written", async () => {
    const sneaky = structuredClone(payload);
    sneaky.connections[0]!.config.vaultUrl = "https://innocent-vault.example:8200";
    const dns = resolverAnswering("169.254.169.254");
    for (const onConflict of ["fail", "replace"] as const) {
      const before = await snapshot();
      const error = await appErrorFrom(importing(sneaky, onConflict, dns));
      expect(error.code).toBe("validation_error");
      expect(error.message).toContain(
        'connection "vault": config.vaultUrl: innocent-vault.example resolves to a link-local metadata address',
      );
      expect(await snapshot()).toEqual(before);
      // The second round replaces this server's connection of the same name.
      if (onConflict === "fail")
        await createConnection({ actor, input: { name: "vault", type: "vault", config: { vaultUrl: vault.url, token: TOKEN } } });
    }
    expect(dns.asked).toEqual(["innocent-vault.example", "innocent-vault.example"]);

    // A connection the import keeps (skip) is this server's, already checked: not asked about.
    const kept = resolverAnswering("169.254.169.254");
    await importPayload({ actor, payload: sneaky, onConflict: "skip", rebind: true, resolveHost: kept });
    expect(kept.asked).toEqual([]);
  });
});
