import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createSqliteDatabase } from "@/tests/support/databases";
import { migratedDatabaseForTests } from "@/tests/support/migrated-database";

/**
 * KNOWN BUG, kept as an expected failure so that whoever fixes it sees this turn green. A SQLite
 * transaction that reads and then writes, while another connection to the same file (the CLI
 * beside a server, a second server) commits in between, fails its write at once with SQLITE_BUSY
 * ("Operation has timed out"): the adapter begins transactions with a plain BEGIN, so the read
 * holds a snapshot that SQLite cannot upgrade once another write has landed. This is what made
 * `provenance user create` fail now and then in the integration suite.
 *
 * BEGIN IMMEDIATE would fix it, but the adapter takes its transaction mutex before BEGIN and does
 * not release it when BEGIN throws (busy past the timeout), so every later transaction of the
 * process would hang: the fix needs either that handled or a retry of the whole transaction on
 * SQLITE_BUSY_SNAPSHOT in our own code.
 */
describe("SQLite: a read-then-write transaction with another writer in between", () => {
  const migrated = migratedDatabaseForTests(createSqliteDatabase);
  let other: Database.Database;
  beforeAll(() => {
    other = new Database(migrated.database.url.replace(/^file:/, ""), { timeout: 0 });
    other.exec("CREATE TABLE other_writes (x TEXT)");
  });
  afterAll(() => other?.close());

  it.fails("commits (today it fails with SQLITE_BUSY: see above)", async () => {
    const email = `between-${randomBytes(4).toString("hex")}@example.test`;
    await db().$transaction(async (tx) => {
      expect(await tx.user.findUnique({ where: { email } })).toBeNull();
      try {
        other.prepare("INSERT INTO other_writes (x) VALUES ('between')").run();
      } catch {
        // Taking the write lock at BEGIN would make this wait its turn instead.
      }
      await tx.user.create({ data: { id: `u_${randomBytes(6).toString("hex")}`, email, passwordHash: "x", role: "viewer" } });
    });
    expect(await db().user.count({ where: { email } })).toBe(1);
  });
});
