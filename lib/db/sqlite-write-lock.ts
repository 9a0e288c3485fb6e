import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type Query = Parameters<Adapter["queryRaw"]>[0];
/** The factory's public shape (the class itself has private fields a plain object cannot match). */
type AdapterFactory = Pick<PrismaBetterSqlite3, "provider" | "adapterName" | "connect" | "connectToShadowDb">;

/**
 * How the app waits for SQLite's write lock when another process holds it (the CLI beside the
 * server, a second server on the same file, a backup), on top of Prisma's SQLite adapter:
 *
 * 1. **Transactions take the lock when they begin** (BEGIN IMMEDIATE), not at their first write.
 *    The adapter begins with a plain BEGIN; a transaction that reads and then writes holds a WAL
 *    snapshot from its first read, and if another process commits before its first write, SQLite
 *    cannot upgrade that snapshot and fails the write at once with SQLITE_BUSY (no busy timeout
 *    helps). Beginning with the lock, the transaction then runs to its end.
 *
 * 2. **Waiting does not block the event loop.** better-sqlite3 is synchronous: its busy timeout
 *    would stop every request of the process (health checks, pages, resolves served from memory)
 *    for as long as the other process holds the lock. Here the connection's busy timeout is 0, and
 *    a statement or BEGIN refused with SQLITE_BUSY is retried after a short timer, for up to
 *    `waitMs`; then the error goes up as before (the API answers 503 database_unavailable). A
 *    refused statement did nothing, so running it again is safe.
 *
 * 3. **A statement outside a transaction never runs inside another request's.** The adapter has one
 *    connection for the whole process, and took its transaction mutex only for transactions: a
 *    write of another request, run while a transaction was open, became part of it and was rolled
 *    back with it, after its caller had been told it was written. Such statements now wait until
 *    no transaction is open. (Code inside a transaction must use the transaction's client for its
 *    statements; one made through the global client would now wait for its own transaction, until
 *    Prisma's transaction timeout.)
 *
 * The adapter's own startTransaction takes a mutex and runs BEGIN; if BEGIN threw, that mutex would
 * never be released and every later transaction of the process would hang. So BEGIN IMMEDIATE runs
 * here, under a mutex of our own, before the adapter's startTransaction is called; the adapter's
 * BEGIN is then skipped (the transaction is already open) and cannot fail. Our mutex is released
 * when the adapter's transaction commits or rolls back. This reaches into the adapter's `client`
 * and its BEGIN statement: lib/db/sqlite-write-lock.test.ts and tests/faults/database-outage.test.ts
 * fail if a new adapter version changes either.
 */
export function withSqliteWriteLock(factory: PrismaBetterSqlite3, options: { waitMs: number }): AdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => waitingForLocks(await factory.connect(), options.waitMs),
    connectToShadowDb: async () => waitingForLocks(await factory.connectToShadowDb(), options.waitMs),
  };
}

function waitingForLocks(adapter: Adapter, waitMs: number): Adapter {
  const client = (adapter as unknown as { client: Database.Database }).client;
  client.pragma("busy_timeout = 0"); // waits happen on timers below, never inside the driver
  const untilFree = <T>(attempt: () => Promise<T>) => retryWhileBusy(attempt, waitMs);

  // The adapter runs every statement on its one connection. A statement outside a transaction,
  // run while another request's transaction is open, would become part of that transaction: rolled
  // back with it, although its own caller was told it was done. So statements outside a
  // transaction wait until none is open (checked again before each attempt), and wait for
  // another process's lock like the rest. Inside a transaction the lock is already ours.
  let openTransaction: { ended: Promise<void>; end: () => void } | null = null;
  const outsideTransactions = <T>(statement: () => Promise<T>) =>
    untilFree(async () => {
      while (openTransaction) await openTransaction.ended;
      return statement();
    });
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.queryRaw = (query: Query) => outsideTransactions(() => queryRaw(query));
  adapter.executeRaw = (query: Query) => outsideTransactions(() => executeRaw(query));

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

  // BEGIN IMMEDIATE runs synchronously (better-sqlite3), and the transaction is marked open in
  // the same step: no statement from outside can slip in between. Errors are worded by the adapter
  // (SQLITE_BUSY past the wait then reads as "unavailable", like any other statement's).
  const reportError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
  const beginImmediate = async () => {
    try {
      client.prepare("BEGIN IMMEDIATE").run();
    } catch (error) {
      reportError(error);
    }
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    openTransaction = { ended, end };
  };
  const lock = createMutex();
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const unlock = await lock.acquire();
    let released = false;
    // Once only: the marker it ends is this transaction's while our mutex is held.
    const release = () => {
      if (released) return;
      released = true;
      const ending = openTransaction;
      openTransaction = null;
      ending?.end();
      unlock();
    };
    let transaction: Transaction;
    try {
      await untilFree(beginImmediate);
      begun = true;
      transaction = await startTransaction(isolationLevel);
    } catch (error) {
      begun = false;
      if (openTransaction) await executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
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

const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;

async function retryWhileBusy<T>(attempt: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() + pause > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** The adapter's DriverAdapterError for SQLITE_BUSY (and its extended codes, e.g. SQLITE_BUSY_RECOVERY). */
function isBusy(error: unknown): boolean {
  const cause = (error as { cause?: { originalCode?: unknown } } | null)?.cause;
  return typeof cause?.originalCode === "string" && cause.originalCode.startsWith("SQLITE_BUSY");
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
