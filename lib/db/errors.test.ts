import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { formStateFromError } from "@/lib/api/form-state";
import { db, disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "@/tests/support/databases";
import { startTcpProxy } from "@/tests/support/tcp-proxy";
import { databaseAppError, isDatabaseUnavailable, isStorageFull } from "./errors";

/**
 * Real failures from the real drivers, as the app meets them: each is recognised, becomes the
 * AppError the API answers with, and the same plain message in a server action's form state.
 */
let database: TempDatabase | undefined;
afterEach(async () => {
  await disconnectDb();
  await database?.drop();
  database = undefined;
});

async function useDatabase(created: TempDatabase): Promise<void> {
  database = created;
  process.env.DATABASE_URL = created.url;
  process.env.SECRETS_MASTER_KEY ??= randomBytes(32).toString("base64url");
  resetEnvForTests();
  await applyMigrations({ url: created.url });
}

const write = () => db().setting.create({ data: { key: `k-${randomBytes(6).toString("hex")}`, value: "x".repeat(2_000) } });

function expectUnavailable(error: unknown) {
  expect(isDatabaseUnavailable(error)).toBe(true);
  expect(databaseAppError(error)).toMatchObject({
    code: "database_unavailable",
    status: 503,
    extra: { retryAfterSeconds: expect.any(Number) },
  });
  expect(formStateFromError(error).message).toMatch(/database is unavailable/);
}

describe("database errors from the real drivers", () => {
  it("PostgreSQL dropping the connection (idle, then refused) is database_unavailable", async () => {
    const real = await createPostgresDatabase();
    await useDatabase(real);
    const proxy = await startTcpProxy(Number(new URL(real.url).port || 5432));
    try {
      const url = new URL(real.url);
      url.port = String(proxy.port);
      process.env.DATABASE_URL = url.toString();
      resetEnvForTests();
      await db().setting.count(); // a pooled connection through the proxy
      proxy.cut();
      const error = await db()
        .setting.count()
        .catch((e: unknown) => e);
      expectUnavailable(error);
      expect(isStorageFull(error)).toBe(false);
      proxy.restore();
      expect(await db().setting.count()).toBe(0);
    } finally {
      await disconnectDb();
      await proxy.close();
    }
  });

  it("SQLite locked by another connection past the busy timeout is database_unavailable", async () => {
    await useDatabase(createSqliteDatabase());
    await db().setting.count();
    const holder = new Database(database!.url.slice("file:".length));
    holder.exec("BEGIN IMMEDIATE");
    try {
      expectUnavailable(await write().catch((e: unknown) => e));
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  }, 20_000);

  it("SQLite out of pages is storage_full (507), which is not a reason to retry", async () => {
    await useDatabase(createSqliteDatabase());
    const [{ page_count: pages }] = await db().$queryRawUnsafe<[{ page_count: bigint }]>("PRAGMA page_count");
    await db().$queryRawUnsafe(`PRAGMA max_page_count = ${Number(pages)}`);
    let error: unknown;
    for (let i = 0; i < 50 && error === undefined; i++) await write().catch((e: unknown) => (error = e));
    expect(isStorageFull(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(databaseAppError(error)).toMatchObject({ code: "storage_full", status: 507 });
    expect(formStateFromError(error).message).toMatch(/disk is full/);
  });

  it("other errors are left alone", async () => {
    await useDatabase(createSqliteDatabase());
    const error = await db()
      .$queryRawUnsafe("SELECT * FROM no_such_table")
      .catch((e: unknown) => e);
    expect(databaseAppError(error)).toBeUndefined();
    expect(formStateFromError(error).message).toMatch(/Something went wrong/);
  });
});
