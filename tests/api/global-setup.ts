import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createPostgresDatabase, createSqliteDatabase } from "../support/databases";
import { TEST_CA_ENV } from "../support/fakes/tls";
import { startServer } from "./support/server";
import type { ApiContext } from "./support/context";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Per database: a fresh database, a server that allows http:// provider URLs (the local
 * wire-protocol fakes speak plain HTTP) and a strict one on the same database that does not,
 * an admin made by PROVENANCE_ADMIN_EMAIL, an admin token made by the CLI, and one token per
 * role made through the API.
 */
export default async function setup(project: TestProject) {
  const kind = project.name === "postgres" ? "postgres" : "sqlite";
  const door = project.name === "route-handler" ? "route-handler" : "fast-path";
  const database = kind === "postgres" ? await createPostgresDatabase() : createSqliteDatabase();
  const admin = { email: "admin@example.test", password: `pw-${randomBytes(12).toString("hex")}` };
  const masterKey = randomBytes(32).toString("base64url");
  const env = {
    DATABASE_URL: database.url,
    SECRETS_MASTER_KEY: masterKey,
    PROVENANCE_ADMIN_EMAIL: admin.email,
    PROVENANCE_ADMIN_PASSWORD: admin.password,
    PROVENANCE_PROVIDER_TIMEOUT_MS: "2000",
    // Every test file shares these servers and one source address: the limits stay on (counted on
    // every request) but out of reach. tests/cluster/rate-limits.test.ts proves them on servers of its own.
    PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: "1000000",
    PROVENANCE_TEST_LIMIT_PER_MINUTE: "1000000",
    PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: "1000000",
    PROVENANCE_SIGNIN_FAILURES_PER_ADDRESS: "1000000",
    PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT: "1000000",
    // The Azure fake's sign-in authority speaks https with a test CA, as Azure's SDK requires.
    ...TEST_CA_ENV,
    PROVENANCE_FAST_PATH: door === "fast-path" ? "true" : "false",
    // Due upstream checks are looked for four times a second, so a 5 s refreshSeconds is kept to
    // (tests/api/upstream-refresh.test.ts); secrets of other tests keep the 300 s default.
    PROVENANCE_REFRESH_TICK_MS: "250",
  };
  const server = await startServer({ ...env, PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true" }, kind);
  // Two processes on one SQLite file hear nothing of each other's changes (that takes PostgreSQL),
  // so on SQLite only the main server runs the upstream refresh: a change it finds drops the cache
  // the tests resolve through. On PostgreSQL both run it, as two instances do.
  const strict = await startServer(
    { ...env, PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "false", ...(kind === "sqlite" ? { PROVENANCE_REFRESH: "false" } : {}) },
    `${kind}-strict`,
  );

  const adminToken = execFileSync(
    process.execPath,
    [path.join(ROOT, "bin/provenance.mjs"), "token", "create", "--name", "suite admin", "--role", "admin"],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  ).trim();

  async function token(name: string, role: string, scope?: string): Promise<string> {
    const request = () =>
      fetch(`${server.baseUrl}/api/tokens`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ name, role, scope }),
      });
    // The keep-alive socket of the health check idled through the CLI run above; the server may
    // close it just as it is reused ("other side closed", before the request was read): once more
    // on a new socket.
    const response = await request().catch(() => request());
    if (response.status !== 201) throw new Error(`token create failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  }

  const context: ApiContext = {
    kind,
    door,
    baseUrl: server.baseUrl,
    strictBaseUrl: strict.baseUrl,
    logFiles: [server.logFile, strict.logFile],
    databaseUrl: database.url,
    masterKey,
    admin,
    tokens: {
      admin: adminToken,
      editor: await token("suite editor", "editor"),
      viewer: await token("suite viewer", "viewer"),
      scopedEditor: await token("suite scoped editor", "editor", "stripe.*"),
    },
  };
  project.provide("api", context);

  return async () => {
    await Promise.all([server.stop(), strict.stop()]);
    await database.drop();
  };
}
