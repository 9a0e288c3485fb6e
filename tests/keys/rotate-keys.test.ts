import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { keyIdOf } from "@/lib/crypto";
import { db, disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { ensureKeyCheck, readKeyCheck } from "@/lib/keys/key-check-store";
import { keyring, resetKeyringForTests } from "@/lib/keys/keyring";
import { rotateKeys } from "@/lib/keys/rotate-keys";
import { openConfig } from "@/lib/secret-providers/connection-config";
import { createConnection } from "@/lib/secret-providers/write-connections";
import { createSecret } from "@/lib/secrets/write-secrets";
import { decrypt } from "@/lib/crypto";
import { secretValueAad } from "@/lib/keys/aad";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../support/databases";

const actor: Actor = { kind: "user", id: "u1", label: "tester", role: "admin", scope: null, userId: null, sourceIp: null };
const newKey = () => randomBytes(32).toString("base64url");

function useKeys(current: string, previous?: string) {
  process.env.SECRETS_MASTER_KEY = current;
  if (previous) process.env.SECRETS_MASTER_KEY_PREVIOUS = previous;
  else delete process.env.SECRETS_MASTER_KEY_PREVIOUS;
  resetEnvForTests();
  resetKeyringForTests();
}

async function seed(count: number) {
  const secrets: Array<{ id: string; value: string }> = [];
  const connection = await createConnection({
    actor,
    input: {
      name: `vault-${randomBytes(3).toString("hex")}`,
      type: "vault",
      config: { vaultUrl: "https://vault.example.com", token: "hvs.rotate-me" },
    },
  });
  for (let i = 0; i < count; i++) {
    const value = `value-${i}-${randomBytes(4).toString("hex")}`;
    const secret = await createSecret({ actor, input: { secretPath: `rotate.s${i}`, value } });
    secrets.push({ id: secret.id, value });
  }
  return { connectionId: connection.id, secrets };
}

async function readAll(connectionId: string, secrets: Array<{ id: string }>) {
  const row = await db().secretProvider.findUniqueOrThrow({ where: { id: connectionId } });
  const rows = await db().secret.findMany({ where: { id: { in: secrets.map((s) => s.id) } } });
  return {
    token: openConfig(row).token,
    values: Object.fromEntries(rows.map((r) => [r.id, decrypt(keyring(), r.valueCiphertext!, secretValueAad(r.id))])),
    keyIds: new Set([keyIdOf(row.credentials!), ...rows.map((r) => keyIdOf(r.valueCiphertext!))]),
  };
}

describe.each([
  ["sqlite", createSqliteDatabase],
  ["postgres", createPostgresDatabase],
] as const)("key rotation on %s", (_name, create) => {
  let database: TempDatabase;

  beforeEach(async () => {
    database = await create();
    process.env.DATABASE_URL = database.url;
    useKeys(newKey());
    await applyMigrations({ url: database.url });
    await ensureKeyCheck();
  });
  afterEach(async () => {
    await disconnectDb();
    await database.drop();
  });
  afterAll(() => {
    delete process.env.SECRETS_MASTER_KEY_PREVIOUS;
  });

  it("re-encrypts every ciphertext under the new key, after which the old key is not needed", async () => {
    const oldKey = process.env.SECRETS_MASTER_KEY!;
    const { connectionId, secrets } = await seed(5);
    const newMaster = newKey();
    useKeys(newMaster, oldKey);
    expect(await readKeyCheck()).toBe("previous");

    const report = await rotateKeys();
    expect(report.reencrypted).toEqual({ secretProviders: 1, secrets: 5 });

    useKeys(newMaster);
    expect(await readKeyCheck()).toBe("current");
    const after = await readAll(connectionId, secrets);
    expect(after.token).toBe("hvs.rotate-me");
    expect(after.values).toEqual(Object.fromEntries(secrets.map((s) => [s.id, s.value])));
    expect(after.keyIds).toEqual(new Set([keyring().current.id]));
  });

  it("finishes an interrupted rotation when run again, and both keys open the data in between", async () => {
    const oldKey = process.env.SECRETS_MASTER_KEY!;
    const { connectionId, secrets } = await seed(6);
    const newMaster = newKey();
    useKeys(newMaster, oldKey);

    // Simulate a crash part-way: the process dies after three secrets were rewritten.
    const original = db().secret.updateMany.bind(db().secret);
    let writes = 0;
    const crash = vi.spyOn(db().secret, "updateMany").mockImplementation(((args: Parameters<typeof original>[0]) => {
      if (++writes > 3) throw new Error("killed");
      return original(args);
    }) as unknown as typeof original);
    await expect(rotateKeys()).rejects.toThrow("killed");
    crash.mockRestore();

    const halfway = await readAll(connectionId, secrets);
    expect(halfway.keyIds.size).toBe(2);
    expect(await readKeyCheck()).toBe("previous");
    expect(halfway.values).toEqual(Object.fromEntries(secrets.map((s) => [s.id, s.value])));

    const report = await rotateKeys();
    expect(report.reencrypted.secrets).toBe(3);
    expect(report.alreadyCurrent).toBe(4);
    useKeys(newMaster);
    const after = await readAll(connectionId, secrets);
    expect(after.keyIds).toEqual(new Set([keyring().current.id]));
  });

  it("refuses to start with a key that does not match the data", async () => {
    useKeys(newKey());
    await expect(ensureKeyCheck()).rejects.toThrow(/does not match/);
  });
});
