import { AppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";

/**
 * Recognises database errors by their Prisma codes and driver-adapter causes without importing
 * either generated client (there is one per dialect); both raise errors of the same shape.
 */
function prismaCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/**
 * What the driver adapter reported underneath a Prisma error (`meta.driverAdapterError.cause`):
 * raw queries and model queries wrap the same cause under different Prisma codes (P2010, P1017…).
 */
interface DriverCause {
  kind?: string;
  /** The driver's own code: `SQLITE_BUSY`, PostgreSQL's SQLSTATE in `code` for kind "postgres". */
  originalCode?: string;
  code?: string;
}

function driverCause(error: unknown): DriverCause | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  // Inside interactive transactions (begin, commit) the adapter's error arrives unwrapped.
  const bare = error as { name?: unknown; cause?: unknown };
  const meta = (error as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta;
  const cause = bare.name === "DriverAdapterError" ? bare.cause : meta?.driverAdapterError?.cause;
  return typeof cause === "object" && cause !== null ? (cause as DriverCause) : undefined;
}

/** A unique constraint failed (e.g. a name or path that is already taken). */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_DRIVER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TlsConnectionError",
]);
/** Driver codes (SQLite names, PostgreSQL SQLSTATEs, socket errors) that mean "not now", not "wrong". */
const UNAVAILABLE_DRIVER_CODES = new Set([
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_CANTOPEN",
  "SQLITE_IOERR",
  "ECONNREFUSED",
  "ECONNRESET",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, in recovery)
  "08000", // connection_exception
  "08001",
  "08003",
  "08006",
]);

/**
 * The database could not be reached, refused or dropped the connection, or stayed locked past the
 * busy timeout: the request may succeed if retried once it is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = prismaCode(error);
  if (code && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_DRIVER_CODES.has(code))) return true;
  const cause = driverCause(error);
  if (cause?.kind && UNAVAILABLE_DRIVER_KINDS.has(cause.kind)) return true;
  const causeCode = cause?.originalCode ?? cause?.code;
  if (causeCode && UNAVAILABLE_DRIVER_CODES.has(primarySqliteCode(causeCode))) return true;
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === "PrismaClientInitializationError") return true;
  return error instanceof Error && PG_CONNECTION_LOST.test(error.message);
}

/**
 * node-postgres loses a connection with plain Errors that carry no code (the PostgreSQL adapter
 * passes them through as they are, e.g. when the connection ends while a transaction begins):
 * their messages are all there is to go by.
 */
const PG_CONNECTION_LOST =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;

/** `SQLITE_BUSY_SNAPSHOT` → `SQLITE_BUSY`: extended SQLite codes share their primary's meaning. */
function primarySqliteCode(code: string): string {
  return code.startsWith("SQLITE_") ? code.split("_").slice(0, 2).join("_") : code;
}

/** SQLite's SQLITE_FULL ("database or disk is full") or PostgreSQL's disk_full (53100). */
export function isStorageFull(error: unknown): boolean {
  const code = prismaCode(error);
  if (code === "SQLITE_FULL" || code === "53100") return true;
  const cause = driverCause(error);
  return cause?.originalCode === "SQLITE_FULL" || (cause?.kind === "postgres" && cause.code === "53100");
}

/**
 * The database failures a caller can do something about, as the AppError the API and the forms
 * show (undefined for anything else), logged for the operator with the driver's own words.
 * Messages name what happened and never the connection string.
 */
export function databaseAppError(error: unknown, logFields: Record<string, unknown> = {}): AppError | undefined {
  if (isStorageFull(error)) {
    log.error("database storage full", { ...logFields, ...describeError(error) });
    return new AppError(
      "storage_full",
      "The database's disk is full, so nothing was saved; free some space and try again. Stored data is unaffected.",
    );
  }
  if (isDatabaseUnavailable(error)) {
    log.error("database unavailable", { ...logFields, ...describeError(error) });
    return new AppError(
      "database_unavailable",
      "The database is unavailable right now, so the request was not carried out; try again shortly.",
      {
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      },
    );
  }
  return undefined;
}

/** What a 503 tells clients to wait before retrying: about how long a database restart takes. */
const DATABASE_RETRY_AFTER_SECONDS = 5;
