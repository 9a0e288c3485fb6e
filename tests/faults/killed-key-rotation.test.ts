import { spawn } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { createKeyring, keyIdOf } from "@/lib/crypto";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { ensureKeyCheck } from "@/lib/keys/key-check-store";
import { resetKeyringForTests } from "@/lib/keys/keyring";
import { createConnection } from "@/lib/secret-providers/write-connections";
import { createSecret } from "@/lib/secrets/write-secrets";
import { cli, sql } from "../cluster/support/cluster";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../support/databases";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { newKey, resolveAll, resolveValue, startWithToken, type Served } from "./support";

/**
 * `npx provenance key rotate` killed with SIGKILL after its first batch: every stored value and
 * connection credential still opens (each row is under the old key or the new one, never in
 * between), the server serves all of them, and running the command again finishes the job.
 */
const ROOT = path.resolve(__dirname, "../..");
const SECRETS = 1_200; // six batches of 200: the kill lands with most of the work still to do
const VAULT_TOKEN = "hvs.rotation-fault-token-0123456789";
const actor: Actor = { kind: "user", id: "seed", label: "seed", role: "admin", scope: null, userId: null, sourceIp: null };

let vault: VaultFake;
beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } });
  vault.putSecret("secret/rotation/external", { value: "from-vault" });
});
afterAll(() => vault.close());

/** Seeds through lib/ in this process (as the server would write them), under `key`. */
async function seed(databaseUrl: string, key: string): Promise<Record<string, string>> {
  Object.assign(process.env, { DATABASE_URL: databaseUrl, SECRETS_MASTER_KEY: key, PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true" });
  delete process.env.SECRETS_MASTER_KEY_PREVIOUS;
  resetEnvForTests();
  resetKeyringForTests();
  try {
    await applyMigrations({ url: databaseUrl });
    await ensureKeyCheck();
    const connection = await createConnection({
      actor,
      input: { name: "rotation vault", type: "vault", config: { vaultUrl: vault.url, token: VAULT_TOKEN } },
    });
    await createSecret({
      actor,
      input: {
        secretPath: "rotation.external",
        provider: "vault",
        providerPath: "secret/rotation/external",
        secretProviderId: connection.id,
      },
    });
    const expected: Record<string, string> = { "rotation.external": "from-vault" };
    for (let i = 0; i < SECRETS; i++) {
      const secretPath = `rotation.s${String(i).padStart(4, "0")}`;
      expected[secretPath] = `value-${i}-${newKey()}`;
      await createSecret({ actor, input: { secretPath, value: expected[secretPath] } });
    }
    return expected;
  } finally {
    await disconnectDb();
  }
}

/** Which key each ciphertext names, straight from the database. */
async function ciphertextKeys(kind: "sqlite" | "postgres", databaseUrl: string): Promise<string[]> {
  const query =
    "SELECT value_ciphertext AS c FROM secrets WHERE value_ciphertext IS NOT NULL UNION ALL SELECT credentials AS c FROM secret_providers WHERE credentials IS NOT NULL";
  const rows =
    kind === "postgres"
      ? await sql<{ c: string }>(databaseUrl, query)
      : (() => {
          const connection = new Database(databaseUrl.slice("file:".length), { readonly: true });
          try {
            return connection.prepare(query).all() as Array<{ c: string }>;
          } finally {
            connection.close();
          }
        })();
  return rows.map((row) => keyIdOf(row.c) ?? "not a ciphertext");
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * Runs `key rotate` in its own process group (bin/provenance.mjs runs the CLI as a child), stops
 * the group when the first batch is reported, lets the test look, then SIGKILLs it.
 */
async function rotateAndKillAfterFirstBatch(env: Record<string, string>, whileStopped: () => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), "key", "rotate"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stderr = "";
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/so far/.test(stderr)) resolve();
    });
    child.on("exit", () => reject(new Error(`key rotate ended before its first batch:\n${stderr}`)));
  });
  process.kill(-child.pid!, "SIGSTOP");
  try {
    await whileStopped();
  } finally {
    process.kill(-child.pid!, "SIGKILL");
  }
  expect(await exited).toBe("SIGKILL");
  return stderr;
}

describe.each(["sqlite", "postgres"] as const)("key rotate killed mid-way on %s", (kind) => {
  let database: TempDatabase;
  let served: Served | undefined;
  afterEach(async () => {
    await served?.server.stop();
    served = undefined;
    await database?.drop();
  });

  it("leaves every value readable under one of the two keys, and a second run finishes", async () => {
    database = kind === "postgres" ? await createPostgresDatabase() : createSqliteDatabase();
    const oldKey = newKey();
    const currentKey = newKey();
    const expected = await seed(database.url, oldKey);
    const oldId = createKeyring({ masterKey: oldKey }).current.id;
    const newId = createKeyring({ masterKey: currentKey }).current.id;
    const rotating = {
      DATABASE_URL: database.url,
      SECRETS_MASTER_KEY: currentKey,
      SECRETS_MASTER_KEY_PREVIOUS: oldKey,
      PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
      // Every value is read back several times; the resolve limit is proven elsewhere.
      PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: "0",
    };

    let atKill: Record<string, number> = {};
    const output = await rotateAndKillAfterFirstBatch(rotating, async () => {
      atKill = countBy(await ciphertextKeys(kind, database.url));
    });
    // Killed part-way: some rows moved, most did not, and no row names a third key.
    expect(output).toMatch(/Re-encrypted \d+ value\(s\) so far/);
    expect(Object.keys(atKill).sort()).toEqual([newId, oldId].sort());
    expect(atKill[newId]).toBeGreaterThan(0);
    expect(atKill[oldId]).toBeGreaterThan(SECRETS / 2);

    // Restarted with both keys (step 1 of the README's rotation): every value and the connection
    // credential open; the external secret resolving proves Vault accepted the decrypted token.
    served = await startWithToken(rotating, `rotation-killed-${kind}`);
    expect(await resolveAll(served, Object.keys(expected))).toEqual(expected);
    expect(vault.requests.some((r) => r.headers["x-vault-token"] === VAULT_TOKEN)).toBe(true);

    // The interrupted run is finished by running it again, even with the server up.
    const again = await cli(["key", "rotate"], rotating);
    expect(again.stderr).toMatch(/SECRETS_MASTER_KEY_PREVIOUS can now be removed/);
    expect(new Set(await ciphertextKeys(kind, database.url))).toEqual(new Set([newId]));
    if (kind === "sqlite") {
      const connection = new Database(database.url.slice("file:".length), { readonly: true });
      expect(connection.pragma("integrity_check", { simple: true })).toBe("ok");
      connection.close();
    }

    // Step 3: the old key removed, everything still opens.
    await served.server.stop();
    const { SECRETS_MASTER_KEY_PREVIOUS: _old, ...withoutOld } = rotating;
    served = await startWithToken(withoutOld, `rotation-done-${kind}`, served.token);
    expect(await resolveAll(served, Object.keys(expected))).toEqual(expected);
    expect((await resolveValue(served, "rotation.s0000")).body.value).toBe(expected["rotation.s0000"]);
  }, 240_000);
});
