import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Which database a DATABASE_URL names. Shared by the migration runner and the Prisma client so that
 * both open exactly the same SQLite file.
 */
export type DatabaseTarget = { dialect: "sqlite"; /** absolute path, or ":memory:" */ file: string } | { dialect: "postgres"; url: string };

/**
 * `file:./data/x.db` and `file:data/x.db` resolve against `cwd` (as Prisma's own SQLite URLs do
 * relative to where the app runs); `file:/abs/x.db` and `file:///abs/x.db` are absolute.
 * Query parameters (`?connection_limit=…`, Prisma URL habits) are ignored for SQLite.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (url.startsWith("file:")) {
    const withoutQuery = url.replace(/\?.*$/, "");
    if (withoutQuery.startsWith("file://")) return { dialect: "sqlite", file: fileURLToPath(withoutQuery) };
    const rest = withoutQuery.slice("file:".length);
    if (rest === "") throw new Error("DATABASE_URL `file:` names no file (e.g. file:./data/provenance.db)");
    if (rest === ":memory:") return { dialect: "sqlite", file: ":memory:" };
    return { dialect: "sqlite", file: path.resolve(cwd, rest) };
  }
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return { dialect: "postgres", url };
  // Never echo the URL: it may carry a password.
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// / postgres:// (PostgreSQL)");
}
