import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "./databases";

/** The two databases the app supports, for tests that run the same cases on each. */
export const BOTH_DATABASES = [
  ["SQLite", async () => createSqliteDatabase()],
  ["PostgreSQL", () => createPostgresDatabase()],
] as const;

/**
 * For tests that call lib/ code in their own process: before the file's (or describe block's)
 * tests, a fresh database with every migration applied, which db() then uses; afterwards the
 * connection closed and the database dropped. The returned holder's `database` is set once the
 * hook has run.
 */
export function migratedDatabaseForTests(create: () => TempDatabase | Promise<TempDatabase>): { database: TempDatabase } {
  const holder = {} as { database: TempDatabase };
  beforeAll(async () => {
    holder.database = await create();
    process.env.DATABASE_URL = holder.database.url;
    process.env.SECRETS_MASTER_KEY ??= randomBytes(32).toString("base64url");
    resetEnvForTests();
    await applyMigrations({ url: holder.database.url });
  });
  afterAll(async () => {
    await disconnectDb();
    await holder.database?.drop();
  });
  return holder;
}
