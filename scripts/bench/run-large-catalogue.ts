/**
 * `tsx scripts/bench/run-large-catalogue.ts [--postgres]`: the large-catalogue measurements alone,
 * on a fresh database and a server of the last `npm run build`.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createPostgresDatabase, createSqliteDatabase } from "../../tests/support/databases";
import { startServer } from "../../tests/api/support/server";
import { measureLargeCatalogue } from "./large-catalogue";
import { formatTable } from "./load";

const ROOT = path.resolve(__dirname, "../..");

async function main() {
  const postgres = process.argv.includes("--postgres");
  const database = postgres ? await createPostgresDatabase() : createSqliteDatabase();
  const env = { DATABASE_URL: database.url, SECRETS_MASTER_KEY: randomBytes(32).toString("base64url") };
  const server = await startServer(env, "catalogue");
  try {
    const token = execFileSync(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), "token", "create", "--name", "catalogue bench", "--role", "admin"], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
    }).trim();
    const rows = await measureLargeCatalogue({ baseUrl: server.baseUrl, token, databaseUrl: env.DATABASE_URL, masterKey: env.SECRETS_MASTER_KEY });
    console.log(`\nLarge catalogue on ${postgres ? "PostgreSQL" : "SQLite"}\n`);
    console.log(formatTable([["measure", "value", "goal", "ok"], ...rows.map((r) => [r.name, r.value, r.goal, r.ok ? "yes" : "NO"])]));
  } finally {
    await server.stop();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
