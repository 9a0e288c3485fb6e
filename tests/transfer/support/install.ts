import { randomBytes } from "node:crypto";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { ensureKeyCheck } from "@/lib/keys/key-check-store";
import { resetKeyringForTests } from "@/lib/keys/keyring";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../../support/databases";

/** One Provenance install, as export/import sees it: a database and the master key over it. */
export interface Install {
  url: string;
  key: string;
}

export type Dialect = "sqlite" | "postgres";

/** Points the process (env, db(), keyring()) at an install, migrated and with its key check. */
export async function switchTo(install: Install): Promise<void> {
  await disconnectDb();
  process.env.DATABASE_URL = install.url;
  process.env.SECRETS_MASTER_KEY = install.key;
  delete process.env.SECRETS_MASTER_KEY_PREVIOUS;
  resetEnvForTests();
  resetKeyringForTests();
  await applyMigrations({ url: install.url });
  await ensureKeyCheck();
}

/** A fresh database with a new key, switched to; `created` collects it for dropping afterwards. */
export async function newInstall(dialect: Dialect, created: TempDatabase[]): Promise<Install> {
  const database = dialect === "sqlite" ? createSqliteDatabase() : await createPostgresDatabase();
  created.push(database);
  const install = { url: database.url, key: randomBytes(32).toString("base64url") };
  await switchTo(install);
  return install;
}
