/**
 * A focused measure of the read path: resolve of one stored secret on SQLite, with the resolve
 * limit on (at its default), through the built server. `npx tsx scripts/bench/hot-resolve.ts`.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createSqliteDatabase } from "../../tests/support/databases";
import { startServer } from "../../tests/api/support/server";
import { formatTable, runLoad } from "./load";

const ROOT = path.resolve(__dirname, "../..");
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function main() {
  const database = createSqliteDatabase();
  const env = { DATABASE_URL: database.url, SECRETS_MASTER_KEY: randomBytes(32).toString("base64url") };
  const server = await startServer(env, "bench-hot");
  const token = execFileSync(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), "token", "create", "--name", "bench", "--role", "admin"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  }).trim();
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const created = await fetch(`${server.baseUrl}/api/secrets`, { method: "POST", headers, body: JSON.stringify({ secretPath: "bench.stored", value: "stored-value" }) });
  if (!created.ok) throw new Error(`create: ${created.status}`);
  const options = { requests: REQUESTS, concurrency: CONCURRENCY, warmup: 200 };
  const results = [
    await runLoad("GET /api/health", () => fetch(`${server.baseUrl}/api/health`), options),
    await runLoad("resolve stored secret", () => fetch(`${server.baseUrl}/api/secrets/resolve?path=bench.stored`, { headers }), options),
  ];
  await server.stop();
  await database.drop();
  const rows = [["scenario", "req/s", "p50 ms", "p99 ms", "errors"]];
  for (const r of results) rows.push([r.name, r.perSecond.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), String(r.errors)]);
  console.log(`\n${REQUESTS} requests, ${CONCURRENCY} concurrent, SQLite\n\n${formatTable(rows)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
