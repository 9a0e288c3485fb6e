import Database from "better-sqlite3";
import pg from "pg";
import { apiContext } from "./context";

/**
 * Read-only SQL against the servers' database, for checks an HTTP client cannot make: that a
 * credential is stored as ciphertext, that audit rows carry no values.
 */
export async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const { databaseUrl } = apiContext();
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length), { readonly: true, fileMustExist: true });
    try {
      // SQLite placeholders are ?; the tests write PostgreSQL's $1, $2.
      return db.prepare(sql.replace(/\$\d+/g, "?")).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
