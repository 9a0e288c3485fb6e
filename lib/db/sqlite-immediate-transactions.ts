import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
/** The factory's public shape (the class itself has private fields a plain object cannot match). */
type AdapterFactory = Pick<PrismaBetterSqlite3, "provider" | "adapterName" | "connect" | "connectToShadowDb">;

/**
 * SQLite transactions that take the write lock when they begin (BEGIN IMMEDIATE), not at their
 * first write.
 *
 * The adapter begins with a plain BEGIN. A transaction that reads and then writes holds a WAL
 * snapshot from its first read; if another process (the CLI beside the server, a second server on
 * the same file) commits before our first write, SQLite cannot upgrade that snapshot and fails the
 * write at once with SQLITE_BUSY, without waiting for the busy timeout. BEGIN IMMEDIATE waits its
 * turn (up to the busy timeout) before anything is read, so the transaction then runs to its end.
 *
 * The adapter's own startTransaction takes a mutex and runs BEGIN; if BEGIN throws, that mutex is
 * never released and every later transaction of the process would hang. So BEGIN IMMEDIATE runs
 * here, under a mutex of our own, before the adapter's startTransaction is called; the adapter's
 * BEGIN is then skipped (the transaction is already open) and cannot fail. Our mutex is released
 * when the adapter's transaction commits or rolls back. This reaches into the adapter's `client`
 * and its BEGIN statement: lib/db/read-then-write.test.ts and tests/faults/database-outage.test.ts
 * fail if a new adapter version changes either.
 */
export function withImmediateTransactions(factory: PrismaBetterSqlite3): AdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => immediate(await factory.connect()),
    connectToShadowDb: async () => immediate(await factory.connectToShadowDb()),
  };
}

function immediate(adapter: Adapter): Adapter {
  const client = (adapter as unknown as { client: Database.Database }).client;
  const lock = createMutex();
  let begun = false;

  const prepare = client.prepare.bind(client);
  const alreadyBegun = { run: () => ({ changes: 0, lastInsertRowid: 0 }) };
  client.prepare = ((sql: string) => {
    if (sql === "BEGIN" && begun) {
      begun = false;
      return alreadyBegun;
    }
    return prepare(sql);
  }) as typeof client.prepare;

  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const release = await lock.acquire();
    let transaction: Transaction;
    let open = false;
    try {
      // Through the adapter, so that SQLITE_BUSY past the timeout is reported like any other error.
      await adapter.executeRaw({ sql: "BEGIN IMMEDIATE", args: [], argTypes: [] });
      open = begun = true;
      transaction = await startTransaction(isolationLevel);
    } catch (error) {
      begun = false;
      if (open) await adapter.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
      release();
      throw error;
    }
    const commit = transaction.commit.bind(transaction);
    const rollback = transaction.rollback.bind(transaction);
    transaction.commit = () => commit().finally(release);
    transaction.rollback = () => rollback().finally(release);
    return transaction;
  };
  return adapter;
}

/** One holder at a time, in arrival order; `acquire` resolves to the function that lets the next in. */
function createMutex(): { acquire(): Promise<() => void> } {
  let tail: Promise<void> = Promise.resolve();
  return {
    acquire() {
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        let done = false;
        release = () => {
          if (done) return;
          done = true;
          resolve();
        };
      });
      const turn = tail.then(() => release);
      tail = tail.then(() => released);
      return turn;
    },
  };
}
