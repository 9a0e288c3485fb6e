import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * Throw-away databases for tests. PostgreSQL is shared by every test run on a machine (and by CI),
 * so each test creates a uniquely named database and drops it afterwards.
 */

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Maintenance connection used to create and drop test databases (trust auth on this project's machines). */
export const POSTGRES_ADMIN_URL = process.env.PROVENANCE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function createSqliteDatabase(): TempDatabase {
  const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-db-"));
  return {
    url: `file:${path.join(dir, "nested", "provenance.db")}`, // "nested": the runner must create it
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect().catch((error: Error) => {
    throw new Error(
      `The PostgreSQL half of the tests needs a server that lets ${POSTGRES_ADMIN_URL} create databases ` +
        `(${error.message}). Start one (on Debian: pg_ctlcluster --skip-systemctl-redirect <version> main start), ` +
        "or point PROVENANCE_TEST_POSTGRES_URL at one, e.g. postgres://user:pass@host:5432/postgres.",
    );
  });
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createPostgresDatabase(): Promise<TempDatabase> {
  const name = `provenance_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a pool that a failed test left open must not keep the database alive.
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
