import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { decrypt } from "@/lib/crypto";
import { db, disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { secretValueAad } from "@/lib/keys/aad";
import { ensureKeyCheck } from "@/lib/keys/key-check-store";
import { keyring, resetKeyringForTests } from "@/lib/keys/keyring";
import { openConfig } from "@/lib/secret-providers/connection-config";
import { createConnection } from "@/lib/secret-providers/write-connections";
import { createSecret } from "@/lib/secrets/write-secrets";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../support/databases";
import { runCli } from "./support/cli";

/**
 * The real command line, end to end: `node bin/provenance.mjs export` from a SQLite install, then
 * `import` into a fresh PostgreSQL database (which the command migrates) under another master key.
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const actor: Actor = { kind: "user", id: "u-cli", label: "tester", role: "admin", scope: null, userId: null, sourceIp: null };
const PASSPHRASE = `cli passphrase ${randomBytes(6).toString("hex")}`;

const VALUES: Record<string, string> = {
  "cli.plain": `sk_cli_${randomBytes(10).toString("hex")}`,
  "cli.unicode": `clé 🔐 ключ ${randomBytes(4).toString("hex")}`,
  "cli.large": randomBytes(30 * 1024).toString("base64"),
};
const CONFIGS: Record<string, { type: string; config: Record<string, string> }> = {
  "cli-vault": { type: "vault", config: { vaultUrl: "https://vault.example.com", token: `hvs.${randomBytes(10).toString("hex")}` } },
  "cli-azure": {
    type: "azure-kv",
    config: {
      vaultUrl: "https://cli.vault.azure.net",
      tenantId: "tenant",
      clientId: "client",
      clientSecret: randomBytes(12).toString("hex"),
    },
  },
};

let workDir: string;
let source: { database: TempDatabase; key: string };
let target: { database: TempDatabase; key: string };

// Explicit values win over the checkout's .env (the CLI never overrides what is set).
const cli = (args: string[], env: Record<string, string>) => runCli(args, { env });

const sourceEnv = () => ({ DATABASE_URL: source.database.url, SECRETS_MASTER_KEY: source.key });
const targetEnv = () => ({ DATABASE_URL: target.database.url, SECRETS_MASTER_KEY: target.key });

async function useInProcess(install: { database: TempDatabase; key: string }, migrate: boolean): Promise<void> {
  await disconnectDb();
  process.env.DATABASE_URL = install.database.url;
  process.env.SECRETS_MASTER_KEY = install.key;
  delete process.env.SECRETS_MASTER_KEY_PREVIOUS;
  resetEnvForTests();
  resetKeyringForTests();
  if (migrate) {
    await applyMigrations({ url: install.database.url });
    await ensureKeyCheck();
  }
}

async function postgresTables(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
    return (result.rows[0] as { n: number }).n;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), "provenance-cli-transfer-"));
  source = { database: createSqliteDatabase(), key: randomBytes(32).toString("base64url") };
  target = { database: await createPostgresDatabase(), key: randomBytes(32).toString("base64url") };
  await useInProcess(source, true);
  for (const [name, { type, config }] of Object.entries(CONFIGS)) await createConnection({ actor, input: { name, type, config } });
  for (const [secretPath, value] of Object.entries(VALUES)) await createSecret({ actor, input: { secretPath, value } });
  await disconnectDb();
}, 60_000);

afterAll(async () => {
  await disconnectDb();
  await source?.database.drop();
  await target?.database.drop();
  rmSync(workDir, { recursive: true, force: true });
});

describe("npx provenance export / import", () => {
  const file = () => path.join(workDir, "backup.json");

  it("refuses a passphrase given as an argument, without echoing it", async () => {
    const run = await cli(["export", "--out", file(), "--passphrase", "hunter2-hunter2-hunter2"], sourceEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--passphrase is not accepted/);
    expect(run.stderr).not.toContain("hunter2");
    const inline = await cli(["import", "--in", file(), "--passphrase=hunter2-hunter2-hunter2"], sourceEnv());
    expect(inline.code).toBe(2);
    expect(inline.stderr).not.toContain("hunter2");
  }, 60_000);

  it("without a passphrase and without a terminal, says how to give one", async () => {
    const run = await cli(["export", "--out", file()], sourceEnv());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No passphrase: set PROVENANCE_BUNDLE_PASSPHRASE/);
  }, 60_000);

  it("exports to a 0600 file, printing counts to stderr only", async () => {
    const run = await cli(["export", "--out", file()], { ...sourceEnv(), PROVENANCE_BUNDLE_PASSPHRASE: PASSPHRASE });
    expect(run.stderr).toMatch(/Exported 2 connections and 3 secrets \(3 with a stored value\)/);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    const text = readFileSync(file(), "utf8");
    expect(JSON.parse(text)).toMatchObject({ format: "provenance-bundle", version: 1, kdf: { name: "scrypt", N: 131072, r: 8, p: 1 } });
    for (const value of [...Object.values(VALUES), ...Object.values(CONFIGS).flatMap((c) => Object.values(c.config))]) {
      expect(text).not.toContain(value);
    }
  }, 60_000);

  it("a wrong passphrase fails before the target database is touched", async () => {
    const run = await cli(["import", "--in", file(), "--passphrase-env", "MY_BUNDLE_PASS"], {
      ...targetEnv(),
      MY_BUNDLE_PASS: "definitely not the passphrase",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Cannot open the bundle: the passphrase is wrong, or the file was altered or damaged\. Nothing was imported\./,
    );
    expect(await postgresTables(target.database.url)).toBe(0);
  }, 60_000);

  it("imports into a fresh PostgreSQL database under another master key; every value is the same", async () => {
    const run = await cli(["import", "--in", file(), "--passphrase-env", "MY_BUNDLE_PASS"], { ...targetEnv(), MY_BUNDLE_PASS: PASSPHRASE });
    expect(run.stderr).toContain("Connections: 2 created, 0 replaced, 0 skipped");
    expect(run.stderr).toContain("Secrets: 3 created, 0 replaced, 0 skipped");
    expect(run.code).toBe(0);

    await useInProcess(target, false);
    for (const [secretPath, value] of Object.entries(VALUES)) {
      const row = await db().secret.findUniqueOrThrow({ where: { secretPath } });
      expect(decrypt(keyring(), row.valueCiphertext!, secretValueAad(row.id))).toBe(value);
    }
    for (const [name, { config }] of Object.entries(CONFIGS)) {
      expect(openConfig(await db().secretProvider.findUniqueOrThrow({ where: { name } }))).toEqual(config);
    }
    const events = await db().auditEvent.findMany({ where: { action: "bundle.import" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "system", actorLabel: "cli", targetLabel: "backup.json" });
    await disconnectDb();
  }, 90_000);

  it("a second import stops at the conflicts unless told to skip or replace", async () => {
    const env = { ...targetEnv(), PROVENANCE_BUNDLE_PASSPHRASE: PASSPHRASE };
    const conflict = await cli(["import", "--in", file()], env);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('connection "cli-vault"');
    expect(conflict.stderr).toContain("secret cli.plain");
    expect(conflict.stderr).toContain("--on-conflict skip");

    const bogus = await cli(["import", "--in", file(), "--on-conflict", "merge"], env);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toContain("--on-conflict: Must be one of fail, skip, replace");

    const skip = await cli(["import", "--in", file(), "--on-conflict", "skip"], env);
    expect(skip.code).toBe(0);
    expect(skip.stderr).toContain("Secrets: 0 created, 0 replaced, 3 skipped");
  }, 120_000);

  it("skip refuses to attach the bundle's external secrets to a connection here unless --rebind, which lists each one", async () => {
    await useInProcess(source, false);
    const vaultId = (await db().secretProvider.findUniqueOrThrow({ where: { name: "cli-vault" } })).id;
    await createSecret({
      actor,
      input: { secretPath: "cli.ext", provider: "vault", providerPath: "secret/app/ext", secretProviderId: vaultId },
    });
    await disconnectDb();
    const second = path.join(workDir, "with-external.json");
    const env = { PROVENANCE_BUNDLE_PASSPHRASE: PASSPHRASE };
    expect((await cli(["export", "--out", second], { ...sourceEnv(), ...env })).code).toBe(0);

    const line = 'secret cli.ext → this server\'s connection "cli-vault" at secret/app/ext';
    const refused = await cli(["import", "--in", second, "--on-conflict", "skip"], { ...targetEnv(), ...env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(line);
    expect(refused.stderr).toContain("--rebind");
    const wrongMode = await cli(["import", "--in", second, "--on-conflict", "replace", "--rebind"], { ...targetEnv(), ...env });
    expect(wrongMode.code).toBe(1);
    expect(wrongMode.stderr).toContain("--rebind: Only with --on-conflict skip");

    const rebound = await cli(["import", "--in", second, "--on-conflict", "skip", "--rebind"], { ...targetEnv(), ...env });
    expect(rebound.code, rebound.stderr).toBe(0);
    expect(rebound.stderr).toContain(`Rebinding 1 secret to this server's connections (--rebind):\n  ${line}`);
    expect(rebound.stderr).toContain("Secrets: 1 created, 0 replaced, 3 skipped");
  }, 120_000);

  it("refuses a file that is not a bundle, before asking for a passphrase", async () => {
    const run = await cli(["import", "--in", path.join(root, "package.json")], targetEnv());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a Provenance bundle/);
    const missing = await cli(["import", "--in", path.join(workDir, "nope.json")], targetEnv());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read the bundle .*nope\.json: no such file or directory/);
  }, 60_000);
});
