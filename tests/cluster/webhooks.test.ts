import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "@/lib/webhooks/webhook-signature";
import { startServer } from "../api/support/server";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../support/databases";
import { call, cli, sql, startInstance, waitFor, type Instance } from "./support/cluster";

/**
 * The outgoing webhook (PROVENANCE_WEBHOOK_URL) against a receiver of the test's own (node:http):
 * every change event arrives signed with PROVENANCE_WEBHOOK_SECRET and without a value; a receiver
 * that fails is retried with backoff (shortened here by PROVENANCE_WEBHOOK_RETRY_BASE_MS) until it
 * answers or the attempts run out; a delivery survives a restart; two instances on one PostgreSQL
 * database deliver each event once.
 */
const ROOT = path.resolve(__dirname, "../..");
const KEY = randomBytes(32).toString("base64url");
const WEBHOOK_SECRET = `whsec-${randomBytes(16).toString("hex")}`;
const EVENT_KEYS = ["fingerprint", "id", "occurredAt", "secretId", "secretPath", "type", "version"];

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  event: Record<string, unknown>;
  status: number;
  at: number;
}

/** A webhook receiver: answers 204, or 500 while a secret path has failures left (Infinity: always). */
async function startReceiver() {
  const received: Received[] = [];
  const failures = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let event: Record<string, unknown> = {};
      try {
        event = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // recorded as is; the test fails on it
      }
      const left = failures.get(String(event.secretPath)) ?? 0;
      if (left > 0) failures.set(String(event.secretPath), left - 1);
      const status = left > 0 ? 500 : 204;
      received.push({ headers: request.headers, body, event, status, at: Date.now() });
      response.writeHead(status).end(status === 500 ? "receiver is down" : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // A path and query like a real receiver's, with a token in it the logs must never show.
    url: `http://127.0.0.1:${port}/hooks/provenance?token=receiver-path-token`,
    received,
    failures,
    for: (secretPath: string) => received.filter((r) => r.event.secretPath === secretPath),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const webhookEnv = (database: TempDatabase, receiver: Receiver, extra: Record<string, string> = {}) => ({
  DATABASE_URL: database.url,
  SECRETS_MASTER_KEY: KEY,
  PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
  PROVENANCE_WEBHOOK_URL: receiver.url,
  PROVENANCE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  PROVENANCE_WEBHOOK_RETRY_BASE_MS: "300",
  PROVENANCE_WEBHOOK_MAX_ATTEMPTS: "4",
  ...extra,
});

const secretPathFor = (label: string) => `hooks.${label}_${randomBytes(4).toString("hex")}`;

function expectSigned(request: Received): void {
  const header = String(request.headers["provenance-signature"]);
  expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  expect(verifySignature({ secret: WEBHOOK_SECRET, body: request.body, header, nowSeconds: Math.floor(request.at / 1000) })).toBe(true);
  expect(
    verifySignature({ secret: `${WEBHOOK_SECRET}-wrong`, body: request.body, header, nowSeconds: Math.floor(request.at / 1000) }),
  ).toBe(false);
  expect(request.headers["content-type"]).toBe("application/json");
  expect(request.headers["provenance-event-id"]).toBe(request.event.id);
  expect(request.headers["provenance-event-type"]).toBe(request.event.type);
}

async function adminToken(databaseUrl: string): Promise<string> {
  return (
    await cli(["token", "create", "--name", `webhook admin ${randomBytes(3).toString("hex")}`, "--role", "admin"], {
      DATABASE_URL: databaseUrl,
      SECRETS_MASTER_KEY: KEY,
    })
  ).stdout.trim();
}

beforeAll(() => {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("build the app first (npm run build)");
});

describe("one instance on SQLite", () => {
  let database: TempDatabase;
  let receiver: Receiver;
  let server: Instance;
  let token: string;

  beforeAll(async () => {
    database = createSqliteDatabase();
    receiver = await startReceiver();
    server = await startInstance("webhook", webhookEnv(database, receiver));
    token = await adminToken(database.url);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await database?.drop();
  }, 60_000);

  it("POSTs created, updated and deleted, signed, with the fingerprint and never the value", async () => {
    const secretPath = secretPathFor("lifecycle");
    const [first, second] = [`first-${randomBytes(12).toString("hex")}`, `second-${randomBytes(12).toString("hex")}`];
    const created = await call<{ id: string }>(server, "/api/secrets", { method: "POST", token, body: { secretPath, value: first } });
    expect(created.status, created.text).toBe(201);
    expect((await call(server, `/api/secrets/${created.body.id}`, { method: "PATCH", token, body: { value: second } })).status).toBe(200);
    expect((await call(server, `/api/secrets/${created.body.id}`, { method: "DELETE", token })).status).toBe(204);

    await waitFor(() => (receiver.for(secretPath).length >= 3 ? true : undefined), 15_000);
    const requests = receiver.for(secretPath).sort((a, b) => Number(a.event.id) - Number(b.event.id));
    expect(requests.map((r) => [r.event.type, r.event.version, r.status])).toEqual([
      ["secret.created", "1", 204],
      ["secret.updated", "2", 204],
      ["secret.deleted", null, 204],
    ]);
    for (const request of requests) {
      expectSigned(request);
      expect(Object.keys(request.event).sort()).toEqual(EVENT_KEYS);
      expect(request.event.secretId).toBe(created.body.id);
      expect(Date.parse(String(request.event.occurredAt))).not.toBeNaN();
      expect(request.headers["provenance-delivery-attempt"]).toBe("1");
      const everything = request.body + JSON.stringify(request.headers);
      expect(everything).not.toContain(first);
      expect(everything).not.toContain(second);
    }
    expect(requests[0]!.event.fingerprint).toMatch(/^hmac-sha256:/);
    expect(requests[1]!.event.fingerprint).toMatch(/^hmac-sha256:/);
    expect(requests[1]!.event.fingerprint).not.toBe(requests[0]!.event.fingerprint);
    expect(requests[2]!.event.fingerprint).toBeNull();
  });

  it("retries a receiver that failed twice, with growing waits, and delivers the same event on the third attempt", async () => {
    const secretPath = secretPathFor("retried");
    receiver.failures.set(secretPath, 2);
    expect((await call(server, "/api/secrets", { method: "POST", token, body: { secretPath, value: "retried-value" } })).status).toBe(201);
    await waitFor(() => (receiver.for(secretPath).some((r) => r.status === 204) ? true : undefined), 15_000);
    await new Promise((r) => setTimeout(r, 1_000)); // nothing more comes once it was delivered
    const requests = receiver.for(secretPath);
    expect(requests.map((r) => [r.status, r.headers["provenance-delivery-attempt"]])).toEqual([
      [500, "1"],
      [500, "2"],
      [204, "3"],
    ]);
    expect(new Set(requests.map((r) => r.event.id)).size).toBe(1);
    for (const request of requests) expectSigned(request);
    // 300 ms then 600 ms, each ±20 %.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(240 - 20);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(480 - 20);
  });

  it("gives up after the last attempt: audited as webhook.failed, counted in /api/metrics, logged without the URL's path", async () => {
    const secretPath = secretPathFor("given_up");
    receiver.failures.set(secretPath, Infinity);
    expect((await call(server, "/api/secrets", { method: "POST", token, body: { secretPath, value: "given-up-value" } })).status).toBe(201);
    await waitFor(() => (receiver.for(secretPath).length >= 4 ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 2_500)); // a fifth attempt would have come by now
    expect(receiver.for(secretPath).map((r) => r.headers["provenance-delivery-attempt"])).toEqual(["1", "2", "3", "4"]);

    const audit = await waitFor(() => {
      const db = new Database(database.url.slice("file:".length), { readonly: true });
      try {
        return db
          .prepare(
            "SELECT action, outcome, actor_type, target_label, details FROM audit_events WHERE action = 'webhook.failed' AND target_label = ?",
          )
          .get(secretPath) as { action: string; outcome: string; actor_type: string; details: string } | undefined;
      } finally {
        db.close();
      }
    }, 5_000);
    expect(audit).toMatchObject({ outcome: "failure", actor_type: "system" });
    expect(JSON.parse(audit!.details)).toMatchObject({ attempts: 4, lastError: "HTTP 500", eventType: "secret.created" });

    const metrics = await call(server, "/api/metrics", { token });
    expect(metrics.text).toMatch(/^provenance_webhook_deliveries\{state="failed"\} [1-9]\d*$/m);
    const log = readFileSync(server.logFile, "utf8");
    expect(log).toContain("webhook delivery failed; giving up");
    expect(log).not.toContain("receiver-path-token");
    expect(log).not.toContain(WEBHOOK_SECRET);
  });
});

describe("a restart in the middle of the retries", () => {
  it("delivers after the restart, once, on the next attempt", async () => {
    const database = createSqliteDatabase();
    const receiver = await startReceiver();
    // Long enough waits that the instance is stopped before its next attempt falls due.
    const env = webhookEnv(database, receiver, { PROVENANCE_WEBHOOK_RETRY_BASE_MS: "3000" });
    let server = await startInstance("webhook-restart-1", env);
    try {
      const token = await adminToken(database.url);
      const secretPath = secretPathFor("restarted");
      receiver.failures.set(secretPath, Infinity);
      expect((await call(server, "/api/secrets", { method: "POST", token, body: { secretPath, value: "restarted-value" } })).status).toBe(
        201,
      );
      await waitFor(() => (receiver.for(secretPath).length >= 1 ? true : undefined), 15_000);
      await server.stop();
      expect(receiver.for(secretPath)).toHaveLength(1);
      receiver.failures.delete(secretPath);
      server = await startInstance("webhook-restart-2", env);
      await waitFor(() => (receiver.for(secretPath).some((r) => r.status === 204) ? true : undefined), 20_000);
      await new Promise((r) => setTimeout(r, 1_000));
      const requests = receiver.for(secretPath);
      expect(requests.map((r) => [r.status, r.headers["provenance-delivery-attempt"]])).toEqual([
        [500, "1"],
        [204, "2"],
      ]);
      expect(requests[1]!.event.id).toBe(requests[0]!.event.id);
    } finally {
      await server.stop();
      await receiver.close();
      await database.drop();
    }
  }, 90_000);
});

describe("two instances on one PostgreSQL database", () => {
  it("deliver each event once", async () => {
    const database = await createPostgresDatabase();
    const receiver = await startReceiver();
    const env = webhookEnv(database, receiver);
    const a = await startInstance("webhook-a", env);
    const b = await startInstance("webhook-b", env);
    try {
      const token = await adminToken(database.url);
      const paths = Array.from({ length: 12 }, (_, i) => secretPathFor(`pair${i}`));
      // Half of them fail once, so retries are claimed across instances too.
      for (const p of paths.slice(0, 6)) receiver.failures.set(p, 1);
      for (const [i, secretPath] of paths.entries()) {
        const reply = await call(i % 2 === 0 ? a : b, "/api/secrets", { method: "POST", token, body: { secretPath, value: `pair-${i}` } });
        expect(reply.status, reply.text).toBe(201);
      }
      await waitFor(() => (paths.every((p) => receiver.for(p).some((r) => r.status === 204)) ? true : undefined), 30_000);
      await new Promise((r) => setTimeout(r, 2_500)); // time for a duplicate to show
      for (const [i, p] of paths.entries()) {
        expect(
          receiver.for(p).map((r) => r.status),
          p,
        ).toEqual(i < 6 ? [500, 204] : [204]);
      }
      const rows = await sql<{ status: string; n: string }>(
        database.url,
        "SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status",
      );
      expect(rows).toEqual([{ status: "delivered", n: "12" }]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await receiver.close();
      await database.drop();
    }
  }, 120_000);
});

describe("start-up", () => {
  it("refuses to start with a webhook URL and no secret, or a URL the provider rules refuse, saying which", async () => {
    const database = createSqliteDatabase();
    try {
      const base = { DATABASE_URL: database.url, SECRETS_MASTER_KEY: KEY, PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "false" };
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ PROVENANCE_WEBHOOK_URL: "https://hooks.example.com/provenance" }, /PROVENANCE_WEBHOOK_SECRET is not/],
        [
          { PROVENANCE_WEBHOOK_URL: "http://hooks.example.com/provenance", PROVENANCE_WEBHOOK_SECRET: WEBHOOK_SECRET },
          /PROVENANCE_WEBHOOK_URL is refused: Plain http/,
        ],
        [
          { PROVENANCE_WEBHOOK_URL: "https://169.254.169.254/latest", PROVENANCE_WEBHOOK_SECRET: WEBHOOK_SECRET },
          /metadata addresses are not allowed/,
        ],
      ];
      for (const [env, message] of cases) {
        const error = await startServer({ ...base, ...env }, "webhook-refused").then(
          () => null,
          (e: Error) => e,
        );
        expect(error?.message).toMatch(/server exited with 1; see (\S+)/);
        const logFile = /see (\S+)$/.exec(error!.message)![1]!;
        expect(readFileSync(logFile, "utf8")).toMatch(message);
      }
    } finally {
      await database.drop();
    }
  }, 90_000);
});
