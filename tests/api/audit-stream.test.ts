import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { startServer, type RunningServer } from "./support/server";

/**
 * Reads audited in groups, through the built server: concurrent resolves are each answered with
 * their value, each has its own audit row, and with PROVENANCE_AUDIT_STREAM set each is also one
 * JSON line in the file, without the value. A server of its own on the suite's database.
 */
const CONCURRENT = 40;
let server: RunningServer;
let dir: string;
let streamFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "provenance-audit-stream-"));
  streamFile = path.join(dir, "audit.jsonl");
  const { databaseUrl, masterKey } = apiContext();
  server = await startServer(
    { DATABASE_URL: databaseUrl, SECRETS_MASTER_KEY: masterKey, PROVENANCE_AUDIT_STREAM: streamFile },
    `${apiContext().kind}-audit-stream`,
  );
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type StreamLine = {
  id: string;
  at: string;
  action: string;
  outcome: string;
  actor: { type: string; label: string };
  target: { label: string };
  details: unknown;
};

describe("audit of concurrent reads", () => {
  it(`answers ${CONCURRENT} concurrent resolves with their value, one audit row and one stream line each, no value in the stream`, async () => {
    const secretPath = unique("auditstream.s").replace(/[^A-Za-z0-9_.-]/g, "-");
    const value = `stream-value-${randomBytes(12).toString("hex")}`;
    const created = await call("/api/secrets", { method: "POST", body: { secretPath, value }, baseUrl: server.baseUrl });
    expect(created.status, created.text).toBe(201);

    const replies = await Promise.all(
      Array.from({ length: CONCURRENT }, () =>
        call<{ value: string }>(`/api/secrets/resolve?path=${secretPath}`, { baseUrl: server.baseUrl }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(CONCURRENT).fill(200));
    expect(replies.every((r) => r.body.value === value)).toBe(true);

    // Each answer waited for its row's commit: the rows are there as soon as the answers are.
    const rows = await query<{ id: string }>("SELECT id FROM audit_events WHERE action = 'secret.resolve' AND target_label = $1", [
      secretPath,
    ]);
    expect(rows).toHaveLength(CONCURRENT);

    // Each line is written after its commit and before its answer: all there already.
    const text = readFileSync(streamFile, "utf8");
    expect(text).not.toContain(value);
    const lines = text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as StreamLine)
      .filter((line) => line.action === "secret.resolve" && line.target.label === secretPath);
    expect(lines).toHaveLength(CONCURRENT);
    expect(new Set(lines.map((line) => line.id))).toEqual(new Set(rows.map((row) => row.id)));
    expect(lines[0]).toMatchObject({
      outcome: "success",
      actor: { type: "token", label: "suite admin" },
      details: { provider: "provenance", cache: "none" },
    });
    expect(statSync(streamFile).mode & 0o777).toBe(0o600);
  });

  it("a server stopped in the middle of a burst of reads has an audit row for every read it answered", async () => {
    const { databaseUrl, masterKey } = apiContext();
    const own = await startServer({ DATABASE_URL: databaseUrl, SECRETS_MASTER_KEY: masterKey }, `${apiContext().kind}-audit-stop`);
    const secretPath = unique("auditstop.s").replace(/[^A-Za-z0-9_.-]/g, "-");
    const created = await call("/api/secrets", {
      method: "POST",
      body: { secretPath, value: `stop-${randomBytes(8).toString("hex")}` },
      baseUrl: own.baseUrl,
    });
    expect(created.status, created.text).toBe(201);
    const headers = { authorization: `Bearer ${apiContext().tokens.admin}` };
    const replies = Array.from({ length: 100 }, () =>
      fetch(`${own.baseUrl}/api/secrets/resolve?path=${secretPath}`, { headers }).then(
        (reply) => reply.status,
        () => 0,
      ),
    );
    await Promise.race(replies);
    await own.stop();
    const answered = (await Promise.all(replies)).filter((status) => status === 200).length;
    const rows = await query<{ id: string }>("SELECT id FROM audit_events WHERE action = 'secret.resolve' AND target_label = $1", [
      secretPath,
    ]);
    expect(answered).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThanOrEqual(answered);
  }, 60_000);

  it("a relative stream path stops the server at start-up with a message naming the variable", async () => {
    const { databaseUrl, masterKey } = apiContext();
    const started = startServer(
      { DATABASE_URL: databaseUrl, SECRETS_MASTER_KEY: masterKey, PROVENANCE_AUDIT_STREAM: "audit.jsonl" },
      `${apiContext().kind}-audit-relative`,
    );
    const failure = await started.then(
      async (unexpected) => {
        await unexpected.stop();
        return null;
      },
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/server exited/);
    const logFile = /see (\S+)$/.exec(failure!.message)![1]!;
    expect(readFileSync(logFile, "utf8")).toMatch(
      /Provenance cannot start: Invalid environment: PROVENANCE_AUDIT_STREAM: must be `stdout` or an absolute file path/,
    );
  }, 60_000);
});
