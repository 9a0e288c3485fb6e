// No `import "server-only"` here on purpose: the CLI and vitest import this module outside Next.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import { env } from "@/lib/env";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/postgres/client";
import { PrismaClient as SqlitePrismaClient } from "@/lib/generated/sqlite/client";
import { withSqliteWriteLock } from "./sqlite-write-lock";
import { parseDatabaseUrl } from "./url";

/**
 * The application's database client. Both generated clients come from the same models
 * (prisma/models.prisma), so their model APIs are identical; the app is typed against the SQLite
 * one and the PostgreSQL client is cast to it (see createClient). Differences between the two
 * would only show in provider-specific features (e.g. `mode: "insensitive"`, which SQLite lacks),
 * which the app must not use.
 */
export type Db = SqlitePrismaClient;

/** How long a SQLite statement waits for another process's write lock before failing (lib/db/sqlite-write-lock.ts). */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

// Kept on globalThis so that Next's hot reload in development, which re-evaluates modules, reuses
// the client instead of opening a new connection pool on every edit.
const globalForDb = globalThis as typeof globalThis & { __provenanceDb?: Db };

export function db(): Db {
  let client = globalForDb.__provenanceDb;
  if (!client) {
    client = createClient(env().DATABASE_URL);
    // Production keeps it too: one client per process either way, and the module-level cache
    // would hold the same single instance.
    globalForDb.__provenanceDb = client;
  }
  return client;
}

/** Closes the connections (CLI commands and tests call this so that the process can exit). */
export async function disconnectDb(): Promise<void> {
  const client = globalForDb.__provenanceDb;
  globalForDb.__provenanceDb = undefined;
  await client?.$disconnect();
}

function createClient(url: string): Db {
  const target = parseDatabaseUrl(url);
  if (target.dialect === "sqlite") {
    if (target.file !== ":memory:") enableWal(target.file);
    const adapter = withSqliteWriteLock(new PrismaBetterSqlite3({ url: target.file }), { waitMs: SQLITE_BUSY_TIMEOUT_MS });
    // A transaction may wait its turn behind this process's others (they run one at a time on the
    // one connection) and then for another process's write lock: Prisma's 2 s default for
    // starting one would cut that wait short with an error of its own.
    return new SqlitePrismaClient({ adapter, transactionOptions: { maxWait: 2 * SQLITE_BUSY_TIMEOUT_MS } });
  }
  const adapter = new PrismaPg({ connectionString: target.url });
  // Same models, same generated API shape; only the provider differs (see the `Db` comment).
  return new PostgresPrismaClient({ adapter }) as unknown as Db;
}

/**
 * WAL lets readers proceed while a request writes. The journal mode is stored in the database
 * file, so one short-lived connection sets it for every later one; the adapter opens its own
 * connection and does not let us run pragmas on it. The migration runner sets it too.
 */
function enableWal(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const connection = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    connection.pragma("journal_mode = WAL");
  } finally {
    connection.close();
  }
}
