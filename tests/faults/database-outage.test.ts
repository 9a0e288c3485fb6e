import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type Reply } from "../cluster/support/cluster";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../support/databases";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { runCli } from "../transfer/support/cli";
import { errorMessage, expectFaultAnswer, newKey, resolveValue, startWithToken, type Served } from "./support";

/**
 * The database going away under a running server. PostgreSQL: a TCP proxy between the server and
 * the database is cut (live connections reset, new ones refused) while requests are in flight and
 * while idle, then restored. SQLite: another process holds the write lock past the busy timeout.
 * The API answers 503 database_unavailable in the contract's shape (no stack, no connection
 * string), readiness goes 503 while liveness stays 200, and the same server recovers on its own.
 * Every fault is a real one: real sockets reset, a real lock held by a real second connection.
 */
const injected = { proxyCuts: 0, connectionsReset: 0, connectionsRefused: 0, sqliteLocks: 0 };
afterAll(() => console.log(`database faults injected: ${JSON.stringify(injected)}`));

describe("PostgreSQL goes away and comes back", () => {
  // A password in the URL (trust auth ignores it) that must never be shown or logged.
  const password = `pw-${randomBytes(8).toString("hex")}`;
  let database: TempDatabase;
  let proxy: TcpProxy;
  let served: Served;
  let proxiedUrl: string;
  const kept: Record<string, string> = {};

  beforeAll(async () => {
    database = await createPostgresDatabase();
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(proxy.port);
    url.username = "postgres";
    url.password = password;
    proxiedUrl = url.toString();
    served = await startWithToken({ DATABASE_URL: proxiedUrl, SECRETS_MASTER_KEY: newKey() }, "faults-pg-outage");
    for (let i = 0; i < 5; i++) {
      const secretPath = `outage.kept${i}`;
      kept[secretPath] = `kept-${randomBytes(8).toString("hex")}`;
      const created = await call(served.server, "/api/secrets", {
        method: "POST",
        token: served.token,
        body: { secretPath, value: kept[secretPath] },
      });
      expect(created.status, created.text).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    proxy?.restore();
    await served?.server.stop();
    await proxy?.close();
    await database?.drop();
    injected.connectionsReset += proxy?.faults.connectionsReset ?? 0;
    injected.connectionsRefused += proxy?.faults.connectionsRefused ?? 0;
  });

  const hidden = () => [password, proxiedUrl, database.url];

  function cut() {
    injected.proxyCuts++;
    proxy.cut();
  }

  it("while idle: every API call answers 503 database_unavailable, readiness 503, liveness 200", async () => {
    cut();
    try {
      const calls: Array<[string, { method?: string; body?: unknown }]> = [
        ["/api/secrets", {}],
        ["/api/secret-providers", {}],
        ["/api/secrets/resolve?path=outage.kept0", {}],
        ["/api/secrets", { method: "POST", body: { secretPath: "outage.refused", value: "never stored" } }],
        ["/api/tokens", {}],
      ];
      for (const [urlPath, options] of calls) {
        const reply = await call(served.server, urlPath, { ...options, token: served.token });
        expectFaultAnswer(reply, 503, "database_unavailable", hidden());
        expect(errorMessage(reply)).toMatch(/database is unavailable/);
        expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
      }
      const ready = await call<{ checks: { database: string } }>(served.server, "/api/health/ready");
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toBe("unreachable");
      expect((await call(served.server, "/api/health")).status).toBe(503);
      expect((await call(served.server, "/api/health/live")).status).toBe(200);
    } finally {
      proxy.restore();
    }
  });

  it("recovers without a restart once the database is back, with the data intact", async () => {
    expect((await call(served.server, "/api/health/ready")).status).toBe(200);
    for (const [secretPath, value] of Object.entries(kept)) expect((await resolveValue(served, secretPath)).body.value).toBe(value);
    const refused = await resolveValue(served, "outage.refused");
    expect(refused.status).toBe(404);
  });

  it("mid-request: writes in flight when the connection drops answer 201 or 503, never 500, and every 201 is kept", async () => {
    const values = Array.from({ length: 40 }, (_, i) => [`outage.burst${i}`, `burst-${randomBytes(8).toString("hex")}`] as const);
    // Cut as soon as the first write has been acknowledged: the rest are queued or in flight.
    let acknowledged = 0;
    const replies: Reply[] = await Promise.all(
      values.map(([secretPath, value]) =>
        call(served.server, "/api/secrets", { method: "POST", token: served.token, body: { secretPath, value } }).then((reply) => {
          if (reply.status === 201 && ++acknowledged === 1) cut();
          return reply;
        }),
      ),
    );
    proxy.restore();
    const statuses = replies.map((reply) => reply.status);
    expect(
      statuses.filter((s) => s !== 201 && s !== 503),
      JSON.stringify(statuses),
    ).toEqual([]);
    expect(statuses).toContain(503);
    for (const reply of replies) if (reply.status === 503) expectFaultAnswer(reply, 503, "database_unavailable", hidden());

    // Every acknowledged write is there; an unacknowledged one is either absent or whole.
    for (const [index, [secretPath, value]] of values.entries()) {
      const resolved = await resolveValue(served, secretPath);
      if (replies[index]!.status === 201) expect(resolved.body.value).toBe(value);
      else if (resolved.status !== 404) expect(resolved.body.value).toBe(value);
    }
  });

  it("never logs the connection string or its password", () => {
    const log = readFileSync(served.server.logFile, "utf8");
    expect(log).toMatch(/database unavailable/);
    for (const value of hidden()) expect(log).not.toContain(value);
  });
});

describe("SQLite stays locked by another process past the busy timeout", () => {
  const masterKey = newKey();
  let database: TempDatabase;
  let served: Served;

  beforeAll(async () => {
    database = createSqliteDatabase();
    served = await startWithToken({ DATABASE_URL: database.url, SECRETS_MASTER_KEY: masterKey }, "faults-sqlite-locked");
    const created = await call(served.server, "/api/secrets", {
      method: "POST",
      token: served.token,
      body: { secretPath: "locked.kept", value: "kept-value" },
    });
    expect(created.status, created.text).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await served?.server.stop();
    await database?.drop();
  });

  it("answers writes 503 database_unavailable (not 500) while reads go on, and writes again once released", async () => {
    // A backup tool or a second writer holding the write lock (BEGIN IMMEDIATE) longer than the
    // server's busy timeout: the server's write gives up with SQLITE_BUSY.
    const holder = new Database(database.url.slice("file:".length));
    holder.exec("BEGIN IMMEDIATE");
    injected.sqliteLocks++;
    try {
      const write = await call(served.server, "/api/secrets", {
        method: "POST",
        token: served.token,
        body: { secretPath: "locked.new", value: "v" },
      });
      expectFaultAnswer(write, 503, "database_unavailable", [database.url]);
      expect(write.headers.get("retry-after")).toMatch(/^\d+$/);
      // Metadata reads go on (WAL readers do not wait for the writer)…
      const read = await call<Array<{ secretPath: string }>>(served.server, "/api/secrets", { token: served.token });
      expect(read.status, read.text).toBe(200);
      expect(read.body.map((s) => s.secretPath)).toContain("locked.kept");
      // …but a value is never handed out unaudited: its audit entry cannot be written, so 503.
      expectFaultAnswer(await resolveValue(served, "locked.kept"), 503, "database_unavailable", ["kept-value", database.url]);
      // The CLI beside the server says the same in its own words, not the driver's.
      const cli = await runCli(
        ["user", "create", "--email", "locked@example.test", "--role", "viewer", "--password", "a long enough password 1"],
        {
          env: { DATABASE_URL: database.url, SECRETS_MASTER_KEY: masterKey },
        },
      );
      expect(cli.code, cli.stdout + cli.stderr).toBe(1);
      expect(cli.stderr).toContain(
        "provenance: The database is unavailable right now, so the request was not carried out; try again shortly.",
      );
      expect(cli.stdout + cli.stderr).not.toMatch(/\n\s+at |PrismaClient/); // no stack, no raw client error
      expect(cli.stdout + cli.stderr).not.toContain(database.url);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect((await resolveValue(served, "locked.kept")).body.value).toBe("kept-value");
    const retried = await call(served.server, "/api/secrets", {
      method: "POST",
      token: served.token,
      body: { secretPath: "locked.new", value: "v" },
    });
    expect(retried.status, retried.text).toBe(201);
    expect((await resolveValue(served, "locked.new")).body.value).toBe("v");
  }, 60_000);
});
