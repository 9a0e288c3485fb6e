import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { ensureKeyCheck, KEY_CHECK_SETTING } from "@/lib/keys/key-check-store";
import { resetKeyringForTests } from "@/lib/keys/keyring";
import { createSqliteDatabase, type TempDatabase } from "../../tests/support/databases";
import { checkHealth, HEALTH_FRESH_MS } from "./check-health";

/**
 * Health on a real SQLite file, with the clock passed in: a good answer is reused for a second, a
 * bad one never. What changes between the calls is the stored master-key check.
 */
let database: TempDatabase;

beforeAll(async () => {
  database = createSqliteDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.SECRETS_MASTER_KEY = randomBytes(32).toString("base64url");
  resetEnvForTests();
  resetKeyringForTests();
  await applyMigrations({ url: database.url });
}, 60_000);

afterAll(async () => {
  await disconnectDb();
  await database.drop();
});

const dropKeyCheck = () => db().setting.deleteMany({ where: { key: KEY_CHECK_SETTING } });

describe("checkHealth", () => {
  it("answers a failure afresh every time, so a recovery shows at once", async () => {
    const t = 1_000_000;
    await dropKeyCheck();
    expect(await checkHealth(t)).toMatchObject({ status: "unavailable", checks: { masterKey: "missing" } });
    await ensureKeyCheck();
    expect(await checkHealth(t + 1)).toMatchObject({ status: "ok", checks: { database: "ok", masterKey: "ok" } });
  });

  it("reuses a good answer for HEALTH_FRESH_MS, then checks again and shows the failure", async () => {
    const t = 2_000_000;
    await ensureKeyCheck();
    expect((await checkHealth(t)).status).toBe("ok");
    await dropKeyCheck();
    expect((await checkHealth(t + HEALTH_FRESH_MS - 1)).status).toBe("ok");
    expect(await checkHealth(t + HEALTH_FRESH_MS)).toMatchObject({ status: "unavailable", checks: { masterKey: "missing" } });
  });
});
