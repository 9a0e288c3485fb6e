import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { parseDatabaseUrl } from "./url";

/**
 * Applies the hand-written SQL migrations in prisma/migrations/{sqlite,postgres}/NNNN_name/migration.sql.
 *
 * Why our own runner: Prisma's migrate commands need a native schema engine that cannot be
 * downloaded on this project's machines. This file has no framework dependency, so the app
 * (on start), the CLI and the tests all use it. Rules it enforces:
 * - migrations apply in directory-name order, each in its own transaction (both databases have
 *   transactional DDL, so a failing migration leaves nothing behind);
 * - an applied migration is immutable: a changed checksum is refused, never re-applied;
 * - two processes starting at once do not both apply a migration (PostgreSQL advisory lock,
 *   SQLite write lock taken before reading what is applied).
 * Migration files must not contain BEGIN/COMMIT themselves.
 */

export const MIGRATIONS_TABLE = "_provenance_migrations";

export interface ApplyMigrationsOptions {
  /** A DATABASE_URL: `file:…` for SQLite, `postgresql://…` / `postgres://…` for PostgreSQL. */
  url: string;
  /**
   * The folder holding the `sqlite/` and `postgres/` migration folders. Defaults to
   * `<cwd>/prisma/migrations`: `next start`, the CLI and vitest all run from the project root, and
   * the standalone server chdirs to .next/standalone, where Next's file tracing copies
   * prisma/migrations (see defaultMigrationsDir).
   */
  migrationsDir?: string;
}

export interface Migration {
  name: string;
  checksum: string;
  sql: string;
}

interface AppliedRow {
  name: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function applyMigrations(options: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const target = parseDatabaseUrl(options.url);
  const dir = options.migrationsDir
    ? path.join(/* turbopackIgnore: true */ options.migrationsDir, target.dialect)
    : defaultMigrationsDir(target.dialect);
  const migrations = loadMigrations(dir);
  const applied = target.dialect === "sqlite" ? await applySqlite(target.file, migrations) : await applyPostgres(target.url, migrations);
  return { applied };
}

// ---------------------------------------------------------------------------------------------
// Files and planning (dialect-independent)

/**
 * Spelled out as literal paths on purpose: Next's file tracing then knows exactly which folder the
 * server reads (and copies it into a standalone build) instead of tracing the whole project.
 */
function defaultMigrationsDir(dialect: "sqlite" | "postgres"): string {
  return dialect === "sqlite"
    ? path.join(process.cwd(), "prisma", "migrations", "sqlite")
    : path.join(process.cwd(), "prisma", "migrations", "postgres");
}

export function loadMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) {
    throw new MigrationError(`No migrations folder at ${dir}. Run from the project root or pass migrationsDir to applyMigrations().`);
  }
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort(); // zero-padded prefixes make name order the apply order
  return names.map((name) => {
    const file = path.join(dir, name, "migration.sql");
    if (!existsSync(file)) throw new MigrationError(`Migration folder ${name} has no migration.sql (${dir})`);
    const sql = readFileSync(file, "utf8");
    return { name, sql, checksum: checksumOf(sql) };
  });
}

/** sha256 of the script; line endings are normalised so that a CRLF checkout is not a "change". */
export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

/** Verifies what the database already has and returns what is still to apply, in order. */
function pendingMigrations(local: Migration[], applied: AppliedRow[]): Migration[] {
  const byName = new Map(local.map((m) => [m.name, m]));
  for (const row of applied) {
    const migration = byName.get(row.name);
    if (!migration) {
      throw new MigrationError(
        `The database has migration ${row.name} applied, but this build does not know it: ` +
          `it was migrated by a newer version of Provenance. Refusing to start against it.`,
      );
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the ` +
          `database, ${migration.checksum.slice(0, 12)}… on disk). Applied migrations are immutable: restore ` +
          `the original migration.sql and put the change in a new migration.`,
      );
    }
  }
  const done = new Set(applied.map((row) => row.name));
  return local.filter((m) => !done.has(m.name));
}

function failed(migration: Migration, error: unknown): MigrationError {
  const reason = error instanceof Error ? error.message : String(error);
  return new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
}

// ---------------------------------------------------------------------------------------------
// SQLite (better-sqlite3)

async function applySqlite(file: string, migrations: Migration[]): Promise<string[]> {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  // `timeout` is the busy timeout: a second process waits for the first one's write lock.
  const db = new Database(file, { timeout: 15_000 });
  try {
    // WAL is a property of the database file, so setting it here once covers every later connection.
    db.pragma("journal_mode = WAL");
    // Table rebuilds (SQLite's way to alter columns) need foreign keys off, and the pragma is a
    // no-op inside a transaction: turn it off for this connection, check integrity per migration.
    db.pragma("foreign_keys = OFF");
    db.exec(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
        "name" TEXT NOT NULL PRIMARY KEY,
        "checksum" TEXT NOT NULL,
        "applied_at" TEXT NOT NULL
      )`,
    );
    const readApplied = db.prepare<[], AppliedRow>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`);
    const record = db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`);

    const applied: string[] = [];
    for (;;) {
      // IMMEDIATE takes the write lock before we read what is applied, so a concurrent runner
      // waits here and then sees our rows instead of applying the same migration again.
      db.exec("BEGIN IMMEDIATE");
      let next: Migration | undefined;
      try {
        next = pendingMigrations(migrations, readApplied.all())[0];
        if (!next) {
          db.exec("COMMIT");
          return applied;
        }
        db.exec(next.sql);
        const violations = db.pragma("foreign_key_check") as unknown[];
        if (violations.length > 0) throw new Error(`${violations.length} foreign key violation(s) after the script`);
        record.run(next.name, next.checksum, new Date().toISOString());
        db.exec("COMMIT");
        applied.push(next.name);
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw next && !(error instanceof MigrationError) ? failed(next, error) : error;
      }
    }
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (pg)

/**
 * Advisory lock key shared by every Provenance process. Advisory locks are scoped to the current
 * database, so instances on different databases never wait for each other. Derived from a name
 * rather than picked by hand so it is unlikely to clash with another application's keys.
 */
const PG_LOCK_KEY = createHash("sha256").update("provenance:migrations").digest().readBigInt64BE(0).toString();

async function applyPostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  // A connection lost between queries is emitted as an event, which would crash the process if
  // unhandled; the next query fails with it anyway and that error is what we report.
  client.on("error", () => undefined);
  await client.connect();
  try {
    // Session-level lock, held across the per-migration transactions; released explicitly below
    // and, should this process die, by PostgreSQL when the connection closes.
    await client.query("SELECT pg_advisory_lock($1::bigint)", [PG_LOCK_KEY]);
    try {
      // Inside the lock: concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL.
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
          "name" TEXT NOT NULL PRIMARY KEY,
          "checksum" TEXT NOT NULL,
          "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
        )`,
      );
      const { rows } = await client.query<AppliedRow>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`);
      const applied: string[] = [];
      for (const migration of pendingMigrations(migrations, rows)) {
        await client.query("BEGIN");
        try {
          // No parameters: pg uses the simple query protocol, which runs a multi-statement script.
          await client.query(migration.sql);
          await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw failed(migration, error);
        }
        applied.push(migration.name);
      }
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [PG_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
