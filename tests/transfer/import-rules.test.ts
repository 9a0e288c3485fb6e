import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { decrypt } from "@/lib/crypto";
import { db, disconnectDb } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { secretValueAad } from "@/lib/keys/aad";
import { keyring } from "@/lib/keys/keyring";
import { openConfig } from "@/lib/secret-providers/connection-config";
import { createConnection, updateConnection } from "@/lib/secret-providers/write-connections";
import { createSecret, updateSecret } from "@/lib/secrets/write-secrets";
import { BundleError, sealBundle, type KdfCost } from "@/lib/transfer/bundle-crypto";
import { collectPayload, exportToFile } from "@/lib/transfer/export-bundle";
import { importBundle, type OnConflict, type Rebind } from "@/lib/transfer/import-bundle";
import type { BundlePayload } from "@/lib/transfer/payload";
import type { TempDatabase } from "../support/databases";
import { newInstall, switchTo, type Install } from "./support/install";
import { appErrorFrom } from "../providers/support/app-errors";

/**
 * What an import refuses and how it resolves conflicts, on both databases: a wrong passphrase, an
 * altered file or an invalid payload writes nothing; conflicts fail (default), skip or replace.
 */
const actor: Actor = { kind: "user", id: "u-rules", label: "tester", role: "admin", scope: null, userId: null, sourceIp: null };
const PASSPHRASE = "import rules passphrase";
const CHEAP: KdfCost = { N: 2 ** 14, r: 8, p: 1 };

let workDir: string;
const created: TempDatabase[] = [];

beforeAll(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), "provenance-import-rules-"));
  process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS = "false";
});
afterEach(async () => {
  await disconnectDb();
  await Promise.all(created.splice(0).map((d) => d.drop()));
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  delete process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS;
  resetEnvForTests();
});

const valueOf = (row: { id: string; valueCiphertext: string | null }) => decrypt(keyring(), row.valueCiphertext!, secretValueAad(row.id));

/** Every row that an import could touch, as stored (ciphertexts included), plus the audit log. */
async function snapshot() {
  return {
    connections: await db().secretProvider.findMany({ orderBy: { id: "asc" } }),
    secrets: await db().secret.findMany({ orderBy: { id: "asc" } }),
    audit: await db().auditEvent.count(),
  };
}

describe.each(["sqlite", "postgres"] as const)("import rules on %s", (dialect) => {
  let source: Install;
  let target: Install;
  let bundle: string;

  /**
   * Source: connections shared-vault (token A) and aws-main; secrets app.db = "bundle-value",
   * app.ext (through shared-vault) and app.only-in-bundle.
   * Target: connection shared-vault (token B); secrets app.db = "target-value", target.own and
   * target.ext (through the target's shared-vault).
   */
  beforeEach(async () => {
    source = await newInstall(dialect, created);
    const vaultId = (
      await createConnection({
        actor,
        input: { name: "shared-vault", type: "vault", config: { vaultUrl: "https://vault.example.com", token: "hvs.token-A-from-bundle" } },
      })
    ).id;
    await createConnection({
      actor,
      input: {
        name: "aws-main",
        type: "aws-sm",
        config: { region: "eu-west-1", accessKeyId: "AKIAABCDEFGHIJKLMNOP", secretAccessKey: "bundle-aws-secret" },
      },
    });
    await createSecret({ actor, input: { secretPath: "app.db", value: "bundle-value" } });
    await createSecret({
      actor,
      input: { secretPath: "app.ext", provider: "vault", providerPath: "secret/app/ext", secretProviderId: vaultId },
    });
    await createSecret({ actor, input: { secretPath: "app.only-in-bundle", value: "only-in-bundle-value" } });
    const file = path.join(workDir, `${dialect}-${randomBytes(4).toString("hex")}.json`);
    await exportToFile({ actor, passphrase: PASSPHRASE, file, kdfCost: CHEAP });
    bundle = readFileSync(file, "utf8");

    target = await newInstall(dialect, created);
    const targetVault = await createConnection({
      actor,
      input: { name: "shared-vault", type: "vault", config: { vaultUrl: "https://vault.target.example.com", token: "hvs.token-B-target" } },
    });
    await createSecret({ actor, input: { secretPath: "app.db", value: "target-value", description: "the target's own" } });
    await createSecret({ actor, input: { secretPath: "target.own", value: "target-own-value" } });
    await createSecret({
      actor,
      input: { secretPath: "target.ext", provider: "vault", providerPath: "secret/t", secretProviderId: targetVault.id },
    });
  }, 60_000);

  const importWith = (
    onConflict?: OnConflict,
    text = bundle,
    passphrase = PASSPHRASE,
    more: { rebind?: boolean; onRebind?: (r: Rebind[]) => void } = {},
  ) => importBundle({ actor, text, passphrase, onConflict, label: "bundle.json", ...more });
  const seal = (p: unknown) => sealBundle(JSON.stringify(p), PASSPHRASE, CHEAP);

  it("by default refuses the whole import when names or paths exist, listing them; nothing is written", async () => {
    const before = await snapshot();
    const error = await appErrorFrom(importWith());
    expect(error.code).toBe("conflict");
    expect(error.message).toContain('connection "shared-vault"');
    expect(error.message).toContain("secret app.db");
    expect(error.message).not.toContain("app.only-in-bundle");
    expect(error.message).toContain("--on-conflict skip");
    expect(error.extra.conflicts).toEqual({ connections: ["shared-vault"], secrets: ["app.db"] });
    expect(await snapshot()).toEqual(before);
  });

  it("skip never silently attaches the bundle's external secrets to this server's connection of that name", async () => {
    const before = await snapshot();
    const error = await appErrorFrom(importWith("skip"));
    expect(error.code).toBe("conflict");
    expect(error.message).toContain('secret app.ext → this server\'s connection "shared-vault" at secret/app/ext');
    expect(error.message).toContain("--rebind");
    expect(error.extra.rebinds).toEqual([{ secretPath: "app.ext", connection: "shared-vault", providerPath: "secret/app/ext" }]);
    expect(await snapshot()).toEqual(before);
  });

  it("skip with rebind keeps what is here, adds the rest, and names every rebound secret with its provider path first", async () => {
    const targetVault = await db().secretProvider.findUniqueOrThrow({ where: { name: "shared-vault" } });
    const told: Rebind[][] = [];
    const report = await importWith("skip", bundle, PASSPHRASE, { rebind: true, onRebind: (r) => told.push(r) });
    expect(told).toEqual([[{ secretPath: "app.ext", connection: "shared-vault", providerPath: "secret/app/ext" }]]);
    expect(report).toEqual({
      connections: { created: 1, replaced: 0, skipped: 1 },
      secrets: { created: 2, replaced: 0, skipped: 1 },
      newIds: 0,
    });

    const vaultNow = await db().secretProvider.findUniqueOrThrow({ where: { name: "shared-vault" } });
    expect(vaultNow).toEqual(targetVault);
    expect(openConfig(vaultNow).token).toBe("hvs.token-B-target");
    expect(openConfig(await db().secretProvider.findUniqueOrThrow({ where: { name: "aws-main" } })).secretAccessKey).toBe(
      "bundle-aws-secret",
    );
    expect(valueOf(await db().secret.findUniqueOrThrow({ where: { secretPath: "app.db" } }))).toBe("target-value");
    expect(valueOf(await db().secret.findUniqueOrThrow({ where: { secretPath: "app.only-in-bundle" } }))).toBe("only-in-bundle-value");
    expect((await db().secret.findUniqueOrThrow({ where: { secretPath: "app.ext" } })).secretProviderId).toBe(targetVault.id);
    const [event] = await db().auditEvent.findMany({ where: { action: "bundle.import" } });
    expect(JSON.parse(event!.details!)).toMatchObject({
      onConflict: "skip",
      rebound: 1,
      connectionsSkipped: 1,
      secretsSkipped: 1,
      secretsCreated: 2,
    });
  });

  it("a rebound secret must fit this server's connection: its allowedProviderPaths fence is applied; nothing is written", async () => {
    const targetVault = await db().secretProvider.findUniqueOrThrow({ where: { name: "shared-vault" } });
    await updateConnection({ actor, id: targetVault.id, input: { allowedProviderPaths: ["secret/t", "secret/payments/**"] } });
    const before = await snapshot();
    const error = await appErrorFrom(importWith("skip", bundle, PASSPHRASE, { rebind: true }));
    expect(error.code).toBe("forbidden");
    expect(error.message).toContain('secret app.ext: Provider path secret/app/ext is outside the paths connection "shared-vault" allows');
    expect(await snapshot()).toEqual(before);
  });

  it("imported rows go through the same checks as POST /api/secrets, fences of the bundle's own connections included", async () => {
    await switchTo(source);
    const payload = await collectPayload();
    await switchTo(target);
    const before = await snapshot();

    const fenced = structuredClone(payload);
    fenced.connections.find((c) => c.name === "aws-main")!.allowedProviderPaths = ["payments/**"];
    const awsId = fenced.connections.find((c) => c.name === "aws-main")!.id;
    fenced.secrets.push(
      {
        ...fenced.secrets.find((s) => s.secretPath === "app.ext")!,
        id: "s-aws-in",
        secretPath: "app.aws-in",
        provider: "aws-sm",
        providerPath: "payments/stripe",
        secretProviderId: awsId,
      },
      {
        ...fenced.secrets.find((s) => s.secretPath === "app.ext")!,
        id: "s-aws-out",
        secretPath: "app.aws-out",
        provider: "aws-sm",
        providerPath: "prod/db-root",
        secretProviderId: awsId,
      },
    );
    fenced.counts.secrets += 2;
    const error = await appErrorFrom(importWith("replace", await seal(fenced)));
    expect(error.code).toBe("forbidden");
    expect(error.message).toContain('secret app.aws-out: Provider path prod/db-root is outside the paths connection "aws-main" allows');
    expect(error.message).not.toContain("app.aws-in");
    expect(await snapshot()).toEqual(before);

    const badPattern = structuredClone(payload);
    badPattern.connections[0]!.allowedProviderPaths = ["secret/**/x"];
    const patternError = (await appErrorFrom(importWith("replace", await seal(badPattern)))) as BundleError;
    expect(patternError.reason).toBe("invalid_payload");
    expect(patternError.message).toContain("allowedProviderPaths.0: ** is allowed only as the last segment");

    // Without the out-of-fence row the fence travels with its connection.
    fenced.secrets = fenced.secrets.filter((s) => s.secretPath !== "app.aws-out");
    fenced.counts.secrets -= 1;
    await importWith("replace", await seal(fenced));
    expect((await db().secretProvider.findUniqueOrThrow({ where: { name: "aws-main" } })).allowedProviderPaths).toBe('["payments/**"]');
  });

  it("replace overwrites in place: ids kept here, versions bumped, values and credentials from the bundle", async () => {
    const targetVault = await db().secretProvider.findUniqueOrThrow({ where: { name: "shared-vault" } });
    const targetDb = await db().secret.findUniqueOrThrow({ where: { secretPath: "app.db" } });
    const report = await importWith("replace");
    expect(report).toEqual({
      connections: { created: 1, replaced: 1, skipped: 0 },
      secrets: { created: 2, replaced: 1, skipped: 0 },
      newIds: 0,
    });

    const vaultNow = await db().secretProvider.findUniqueOrThrow({ where: { name: "shared-vault" } });
    expect(vaultNow.id).toBe(targetVault.id);
    expect(vaultNow.version).toBe(targetVault.version + 1);
    expect(openConfig(vaultNow)).toEqual({ vaultUrl: "https://vault.example.com", token: "hvs.token-A-from-bundle" });
    const dbNow = await db().secret.findUniqueOrThrow({ where: { secretPath: "app.db" } });
    expect(dbNow.id).toBe(targetDb.id);
    expect(dbNow.version).toBe(targetDb.version + 1);
    expect(dbNow.description).toBe("");
    expect(valueOf(dbNow)).toBe("bundle-value");
    // The target's own rows are untouched, and still point at the (replaced) connection.
    expect(valueOf(await db().secret.findUniqueOrThrow({ where: { secretPath: "target.own" } }))).toBe("target-own-value");
    expect((await db().secret.findUniqueOrThrow({ where: { secretPath: "target.ext" } })).secretProviderId).toBe(targetVault.id);
    expect((await db().secret.findUniqueOrThrow({ where: { secretPath: "app.ext" } })).secretProviderId).toBe(targetVault.id);
  });

  it("a connection of another type under the same name is refused in every mode", async () => {
    await createConnection({
      actor,
      input: { name: "aws-main", type: "vault", config: { vaultUrl: "https://v.example.com", token: "hvs.x" } },
    });
    const before = await snapshot();
    for (const mode of ["fail", "skip", "replace"] as const) {
      const error = await appErrorFrom(importWith(mode));
      expect(error.code).toBe("conflict");
      expect(error.message).toContain('connection "aws-main" is vault here and aws-sm in the bundle');
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a wrong passphrase or an altered file is a clear error and writes nothing", async () => {
    const before = await snapshot();
    const wrong = await appErrorFrom(importWith("replace", bundle, "not the right passphrase"));
    expect(wrong).toBeInstanceOf(BundleError);
    expect((wrong as BundleError).reason).toBe("authentication_failed");
    expect(wrong.message).toMatch(/passphrase is wrong, or the file was altered/);

    const file = JSON.parse(bundle) as { ciphertext: string };
    const sealed = Buffer.from(file.ciphertext, "base64url");
    sealed[Math.floor(sealed.length / 2)]! ^= 0x04;
    const altered = JSON.stringify({ ...file, ciphertext: sealed.toString("base64url") });
    expect(((await appErrorFrom(importWith("replace", altered))) as BundleError).reason).toBe("authentication_failed");
    expect(await snapshot()).toEqual(before);
  });

  it("an invalid payload (sealed with the right passphrase) is refused with every problem listed; nothing is written", async () => {
    await switchTo(source);
    const payload = await collectPayload();
    await switchTo(target);
    const before = await snapshot();

    const shape = structuredClone(payload) as BundlePayload & { secrets: Array<Record<string, unknown>> };
    shape.secrets[0]!.extra = "x";
    shape.secrets[1]!.value = "x".repeat(60 * 1024 + 1);
    const shapeError = (await appErrorFrom(importWith("replace", await seal(shape)))) as BundleError;
    expect(shapeError.reason).toBe("invalid_payload");
    expect(shapeError.message).toContain("unknown member extra");
    expect(shapeError.message).toMatch(/Value must be at most 60 KiB/);

    const rules = structuredClone(payload);
    rules.counts.secrets += 1;
    rules.connections.find((c) => c.name === "shared-vault")!.config.vaultUrl = "http://vault.internal:8200";
    rules.secrets.find((s) => s.secretPath === "app.ext")!.secretProviderId = "nonexistent";
    rules.secrets.find((s) => s.secretPath === "app.db")!.value = null;
    const rulesError = (await appErrorFrom(importWith("replace", await seal(rules)))) as BundleError;
    expect(rulesError.reason).toBe("invalid_payload");
    expect(rulesError.message).toContain("counts: do not match");
    expect(rulesError.message).toContain('connections[1] ("shared-vault").config.vaultUrl: Plain http:// is refused');
    expect(rulesError.message).toContain("PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS");
    expect(rulesError.message).toContain('secrets[1] ("app.ext").secretProviderId: names no connection in the bundle');
    expect(rulesError.message).toContain('("app.db").value: a secret stored in Provenance needs its value');

    expect(((await appErrorFrom(importWith("replace", await seal({ ...payload, connections: "nope" })))) as BundleError).reason).toBe(
      "invalid_payload",
    );
    expect(await snapshot()).toEqual(before);
  });

  it("rows whose id is taken here by another row get new ids, and their values are bound to them", async () => {
    // Import once, rename everything here, import again: no name or path is taken any more, but
    // the ids of the rows the first import created are (aws-main, app.ext, app.only-in-bundle).
    await importWith("skip", bundle, PASSPHRASE, { rebind: true });
    for (const row of await db().secretProvider.findMany())
      await updateConnection({ actor, id: row.id, input: { name: `old-${row.name}` } });
    for (const row of await db().secret.findMany())
      await updateSecret({ actor, id: row.id, input: { secretPath: `old.${row.secretPath}` } });
    const report = await importWith();
    expect(report).toEqual({
      connections: { created: 2, replaced: 0, skipped: 0 },
      secrets: { created: 3, replaced: 0, skipped: 0 },
      newIds: 3,
    });

    const renamed = await db().secret.findUniqueOrThrow({ where: { secretPath: "old.app.only-in-bundle" } });
    const fresh = await db().secret.findUniqueOrThrow({ where: { secretPath: "app.only-in-bundle" } });
    expect(fresh.id).not.toBe(renamed.id);
    expect(valueOf(fresh)).toBe("only-in-bundle-value");
    expect(() => decrypt(keyring(), fresh.valueCiphertext!, secretValueAad(renamed.id))).toThrow();
    const vault = await db().secretProvider.findUniqueOrThrow({ where: { name: "shared-vault" } });
    expect(openConfig(vault).token).toBe("hvs.token-A-from-bundle");
    expect((await db().secret.findUniqueOrThrow({ where: { secretPath: "app.ext" } })).secretProviderId).toBe(vault.id);
  }, 60_000);

  it("export refuses a short passphrase before writing anything", async () => {
    await switchTo(source);
    const file = path.join(workDir, "short.json");
    const auditBefore = await db().auditEvent.count();
    const error = await appErrorFrom(exportToFile({ actor, passphrase: "too short", file }));
    expect((error as BundleError).reason).toBe("weak_passphrase");
    expect(existsSync(file)).toBe(false);
    expect(await db().auditEvent.count()).toBe(auditBefore);
  });
});
