import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db, disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { env, resetEnvForTests } from "@/lib/env";
import { createSqliteDatabase, type TempDatabase } from "@/tests/support/databases";
import { drainAuditQueue } from "./audit-queue";
import { listAuditEvents } from "./list-audit-events";
import { pruneExpiredAudit } from "./prune-audit";
import { recordAudit, recordAudits } from "./record-audit";

/**
 * PROVENANCE_AUDIT_STREAM on a real database and real files: committed events as JSON lines in
 * the audit pages' shape, written by the time their callers hear back; failures that warn and
 * recover without failing the write; and the retention prune.
 */
let database: TempDatabase;
let dir: string;
const admin: Actor = {
  kind: "user",
  id: "usr_stream",
  label: "admin@example.test",
  role: "admin",
  scope: null,
  userId: "usr_stream",
  sourceIp: "198.51.100.4",
};

beforeAll(async () => {
  database = createSqliteDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), "provenance-audit-stream-"));
  process.env.DATABASE_URL = database.url;
  process.env.SECRETS_MASTER_KEY ??= randomBytes(32).toString("base64url");
  resetEnvForTests();
  await applyMigrations({ url: database.url });
});

afterEach(() => {
  delete process.env.PROVENANCE_AUDIT_STREAM;
  delete process.env.PROVENANCE_AUDIT_RETENTION_DAYS;
  resetEnvForTests();
});

afterAll(async () => {
  await drainAuditQueue();
  await disconnectDb();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function streamTo(target: string): void {
  process.env.PROVENANCE_AUDIT_STREAM = target;
  resetEnvForTests();
}

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; action: string; target: { label: string } });

/** What the process writes to `output` while `run` runs (passed on as well). */
async function writtenTo(output: NodeJS.WriteStream, run: () => Promise<void>): Promise<string> {
  const seen: string[] = [];
  const write = output.write.bind(output);
  output.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    seen.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof output.write;
  try {
    await run();
  } finally {
    output.write = write;
  }
  return seen.join("");
}

const warnings = (text: string) => text.split("\n").filter((line) => line.includes('"level":"warn"'));

describe("audit stream", () => {
  it("appends each committed event as one JSON line, as the audit pages show it, to a file only its owner can read", async () => {
    const file = path.join(dir, "audit.jsonl");
    streamTo(file);
    const label = `stream.${randomBytes(4).toString("hex")}`;
    await Promise.all([
      recordAudit({
        actor: admin,
        action: "secret.update",
        target: { type: "secret", id: "sec_1", label },
        outcome: "success",
        details: { fields: ["value"] },
      }),
      recordAudits([
        { actor: admin, action: "secret.resolve", target: { type: "secret", label }, outcome: "denied", details: { code: "forbidden" } },
      ]),
    ]);
    await db().$transaction(async (tx) =>
      recordAudit(
        { actor: { kind: "system", label: "cli" }, action: "token.create", target: { type: "token", label }, outcome: "success" },
        tx,
      ),
    );

    const written = lines(file);
    expect(written.map((line) => line.action).sort()).toEqual(["secret.resolve", "secret.update", "token.create"]);
    const { events } = await listAuditEvents({ viewer: admin, filter: { target: label } });
    expect(events).toHaveLength(3);
    for (const event of events) expect(written.find((line) => line.id === event.id)).toEqual(event);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("writes nothing for a group whose database write failed", async () => {
    const file = path.join(dir, "failed.jsonl");
    streamTo(file);
    const label = `stream.${randomBytes(4).toString("hex")}`;
    const raw = new Database(database.url.slice("file:".length));
    raw.exec("ALTER TABLE audit_events RENAME TO audit_events_away");
    try {
      await expect(
        recordAudit({ actor: admin, action: "secret.resolve", target: { type: "secret", label: `${label}.failed` }, outcome: "success" }),
      ).rejects.toThrow();
    } finally {
      raw.exec("ALTER TABLE audit_events_away RENAME TO audit_events");
      raw.close();
    }
    await recordAudit({
      actor: admin,
      action: "secret.resolve",
      target: { type: "secret", label: `${label}.written` },
      outcome: "success",
    });
    expect(lines(file).map((line) => line.target.label)).toEqual([`${label}.written`]);
  });

  it("warns once while the file cannot be written, never fails the write, and recovers", async () => {
    const missing = path.join(dir, "later", "audit.jsonl");
    streamTo(missing);
    const label = `stream.${randomBytes(4).toString("hex")}`;
    const stderr = await writtenTo(process.stderr, async () => {
      for (let i = 0; i < 3; i++) {
        await recordAudit({
          actor: admin,
          action: "secret.resolve",
          target: { type: "secret", label: `${label}.lost${i}` },
          outcome: "success",
        });
      }
    });
    expect(warnings(stderr)).toHaveLength(1);
    expect(warnings(stderr)[0]).toMatch(/could not write to the audit stream/);
    expect(await db().auditEvent.count({ where: { targetLabel: { startsWith: `${label}.lost` } } })).toBe(3);

    mkdirSync(path.dirname(missing));
    await recordAudit({ actor: admin, action: "secret.resolve", target: { type: "secret", label: `${label}.kept` }, outcome: "success" });
    expect(lines(missing).map((line) => line.target.label)).toEqual([`${label}.kept`]);
  });

  it("writes the lines to stdout when set to stdout", async () => {
    streamTo("stdout");
    const label = `stream.${randomBytes(4).toString("hex")}`;
    const stdout = await writtenTo(process.stdout, async () => {
      await recordAudit({ actor: admin, action: "secret.resolve", target: { type: "secret", label }, outcome: "success" });
    });
    const line = stdout.split("\n").find((text) => text.includes(label));
    expect(JSON.parse(line!)).toMatchObject({
      action: "secret.resolve",
      actor: { type: "user", label: "admin@example.test" },
      target: { label },
    });
  });

  it("is off by default, and refuses a relative path at start-up", () => {
    expect(env().PROVENANCE_AUDIT_STREAM).toBeUndefined();
    streamTo("stdout");
    expect(env().PROVENANCE_AUDIT_STREAM).toBe("stdout");
    streamTo("logs/audit.jsonl");
    expect(() => env()).toThrow(/PROVENANCE_AUDIT_STREAM: must be `stdout` or an absolute file path/);
  });
});

describe("audit retention", () => {
  const day = 24 * 60 * 60 * 1000;
  const oldEvent = async (ageDays: number) =>
    (
      await db().auditEvent.create({
        data: {
          id: `old_${randomBytes(6).toString("hex")}`,
          at: new Date(Date.now() - ageDays * day),
          actorType: "system",
          action: "retention.probe",
          outcome: "success",
        },
      })
    ).id;

  it("keeps 90 days by default: older events are deleted, younger ones kept", async () => {
    expect(env().PROVENANCE_AUDIT_RETENTION_DAYS).toBe(90);
    const [expired, kept] = [await oldEvent(91), await oldEvent(89)];
    expect(await pruneExpiredAudit()).toBeGreaterThanOrEqual(1);
    const left = await db().auditEvent.findMany({ where: { id: { in: [expired, kept] } }, select: { id: true } });
    expect(left.map((row) => row.id)).toEqual([kept]);
  });

  it("keeps everything when set to 0", async () => {
    process.env.PROVENANCE_AUDIT_RETENTION_DAYS = "0";
    resetEnvForTests();
    const ancient = await oldEvent(5000);
    expect(await pruneExpiredAudit()).toBe(0);
    expect(await db().auditEvent.count({ where: { id: ancient } })).toBe(1);
  });
});
