import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { createSqliteDatabase } from "@/tests/support/databases";
import { migratedDatabaseForTests } from "@/tests/support/migrated-database";

/**
 * SQLite beside another process writing to the same file (the CLI beside a server, a second
 * server): lib/db/sqlite-write-lock.ts. Before it, a transaction that read and then wrote failed at
 * once with SQLITE_BUSY when the other process committed in between (what made `provenance user
 * create` and token creation fail now and then in the integration suite), and a write waiting for
 * the other process's lock stopped the whole event loop while it waited.
 */
describe("SQLite: writing beside another process", () => {
  const migrated = migratedDatabaseForTests(createSqliteDatabase);
  let other: Database.Database;
  beforeAll(() => {
    other = new Database(migrated.database.url.replace(/^file:/, ""), { timeout: 0 });
    other.exec("CREATE TABLE other_writes (x TEXT)");
  });
  afterAll(() => other?.close());

  const newUser = (email: string) => ({ id: `u_${randomBytes(6).toString("hex")}`, email, passwordHash: "x", role: "viewer" });
  const anEmail = () => `between-${randomBytes(4).toString("hex")}@example.test`;

  it("a read-then-write transaction commits: it holds the write lock from BEGIN, so the other writer waits its turn", async () => {
    const email = anEmail();
    let otherWrite: "written" | "refused" | undefined;
    await db().$transaction(async (tx) => {
      expect(await tx.user.findUnique({ where: { email } })).toBeNull();
      try {
        other.prepare("INSERT INTO other_writes (x) VALUES ('between')").run();
        otherWrite = "written";
      } catch (error) {
        expect((error as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
        otherWrite = "refused";
      }
      await tx.user.create({ data: newUser(email) });
    });
    expect(otherWrite).toBe("refused");
    expect(await db().user.count({ where: { email } })).toBe(1);
    other.prepare("INSERT INTO other_writes (x) VALUES ('after')").run(); // the lock was let go
  });

  it("a transaction that cannot get the lock within the busy timeout fails as 'unavailable', and the next one runs", async () => {
    other.exec("BEGIN IMMEDIATE");
    let failure: unknown;
    try {
      await db().$transaction(async (tx) => tx.user.create({ data: newUser(anEmail()) }));
    } catch (error) {
      failure = error;
    } finally {
      other.exec("ROLLBACK");
    }
    expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);

    // Nothing of the failed BEGIN is left held: later transactions, one after another and at
    // once, commit (they would wait forever if a lock of the adapter's had not been let go).
    const emails = [anEmail(), anEmail(), anEmail()];
    const [first = anEmail(), ...rest] = emails;
    await db().$transaction(async (tx) => tx.user.create({ data: newUser(first) }));
    await Promise.all(rest.map((email) => db().$transaction(async (tx) => tx.user.create({ data: newUser(email) }))));
    expect(await db().user.count({ where: { email: { in: emails } } })).toBe(3);
  }, 20_000);

  it("writes waiting for another process's lock wait on timers: the event loop keeps running, and they land once it is let go", async () => {
    const HELD_MS = 2_000;
    other.exec("BEGIN IMMEDIATE");
    setTimeout(() => other.exec("ROLLBACK"), HELD_MS);
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    const [inTransaction, alone] = [anEmail(), anEmail()];
    try {
      await Promise.all([
        db().$transaction(async (tx) => tx.user.create({ data: newUser(inTransaction) })),
        db().user.create({ data: newUser(alone) }),
      ]);
    } finally {
      clearInterval(ticker);
    }
    expect(await db().user.count({ where: { email: { in: [inTransaction, alone] } } })).toBe(2);
    // A driver-level busy wait would have frozen the timers (and the release above) for the whole hold.
    expect(longestGap).toBeLessThan(HELD_MS / 2);
  }, 20_000);

  it("a transaction that throws rolls back and lets the next one in", async () => {
    const email = anEmail();
    await expect(
      db().$transaction(async (tx) => {
        await tx.user.create({ data: newUser(email) });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db().user.count({ where: { email } })).toBe(0);
    other.prepare("INSERT INTO other_writes (x) VALUES ('after rollback')").run();
    await db().$transaction(async (tx) => tx.user.create({ data: newUser(email) }));
    expect(await db().user.count({ where: { email } })).toBe(1);
  });

  it("a write outside any transaction, made while another request's transaction is open, is not part of it", async () => {
    const [rolledBack, standalone] = [anEmail(), anEmail()];
    let standaloneWrite: Promise<unknown> | undefined;
    await expect(
      db().$transaction(async (tx) => {
        await tx.user.create({ data: newUser(rolledBack) });
        // Another request's write, while this transaction is open on the same connection (then()
        // starts it now: Prisma runs a query only once it is awaited).
        standaloneWrite = db()
          .user.create({ data: newUser(standalone) })
          .then(() => "written");
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("this transaction fails");
      }),
    ).rejects.toThrow("this transaction fails");
    expect(await standaloneWrite).toBe("written");
    // Before, the other write ran inside the transaction and was rolled back with it, although its
    // caller had been told it was written.
    expect(await db().user.count({ where: { email: standalone } })).toBe(1);
    expect(await db().user.count({ where: { email: rolledBack } })).toBe(0);
  });
});
