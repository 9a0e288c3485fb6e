import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { errorResponse } from "@/lib/api/route";
import type { Actor } from "@/lib/auth/actor";
import { db, disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { createSqliteDatabase, type TempDatabase } from "@/tests/support/databases";
import { AUDIT_ROWS_PER_STATEMENT, auditQueueStats, drainAuditQueue } from "./audit-queue";
import { recordAudit, recordAudits, type AuditEntry } from "./record-audit";

/**
 * Group commit on a real SQLite database: audit rows written outside a caller's transaction
 * share writes, every caller hears its own group's outcome, and a failed write leaves the queue
 * working.
 */
let database: TempDatabase;
const actor: Actor = {
  kind: "token",
  id: "tok_queue",
  label: "queue test",
  role: "editor",
  scope: null,
  userId: null,
  sourceIp: "192.0.2.7",
};

beforeAll(async () => {
  database = createSqliteDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.SECRETS_MASTER_KEY ??= randomBytes(32).toString("base64url");
  delete process.env.PROVENANCE_AUDIT_STREAM;
  resetEnvForTests();
  await applyMigrations({ url: database.url });
});

afterAll(async () => {
  await drainAuditQueue();
  await disconnectDb();
  await database.drop();
});

const tag = () => `queue.${randomBytes(4).toString("hex")}`;
const entry = (label: string, i = 0): AuditEntry => ({
  actor,
  action: "secret.resolve",
  target: { type: "secret", label: `${label}.p${i}` },
  outcome: "success",
});
const rowsLabelled = (label: string) => db().auditEvent.count({ where: { targetLabel: { startsWith: `${label}.` } } });

/** A second connection to the same file, as an operator's sqlite3 shell would be. */
function withRawConnection(run: (raw: Database.Database) => void): void {
  const raw = new Database(database.url.slice("file:".length));
  try {
    run(raw);
  } finally {
    raw.close();
  }
}

describe("audit group commit", () => {
  it("writes 200 concurrent events in one statement, and each caller waits for the commit", async () => {
    const label = tag();
    const before = auditQueueStats();
    const calls = Array.from({ length: 200 }, (_, i) => recordAudit(entry(label, i)));
    // When the first caller hears back, its rows and everyone else's are in the database.
    expect(await calls[0]!.then(() => rowsLabelled(label))).toBe(200);
    await Promise.all(calls);
    expect(auditQueueStats()).toEqual({ groups: before.groups + 1, statements: before.statements + 1 });
  });

  it("rows that arrive while a write is in flight go together into the next write", async () => {
    const label = tag();
    const before = auditQueueStats();
    const first = recordAudit(entry(label, 0));
    await new Promise((resolve) => setImmediate(resolve)); // the first group's write has started
    const rest = Array.from({ length: 150 }, (_, i) => recordAudits([entry(label, i + 1)]));
    await Promise.all([first, ...rest]);
    expect(await rowsLabelled(label)).toBe(151);
    expect(auditQueueStats().groups - before.groups).toBe(2);
  });

  it("splits a large group into statements under the bound-variable limit", async () => {
    const label = tag();
    const before = auditQueueStats();
    const count = AUDIT_ROWS_PER_STATEMENT * 2 + 7;
    await Promise.all(Array.from({ length: count }, (_, i) => recordAudit(entry(label, i))));
    expect(await rowsLabelled(label)).toBe(count);
    expect(auditQueueStats()).toEqual({ groups: before.groups + 1, statements: before.statements + 3 });
  });

  it("two loaded copies of the module share one queue (Next loads lib/ once per bundle)", async () => {
    const label = tag();
    await recordAudit(entry(label, 0));
    const before = auditQueueStats();
    vi.resetModules();
    const copy = await import("./record-audit");
    const copysQueue = await import("./audit-queue");
    expect(copy.recordAudit).not.toBe(recordAudit);
    await Promise.all([recordAudit(entry(label, 1)), copy.recordAudit(entry(label, 2)), recordAudit(entry(label, 3))]);
    expect(await rowsLabelled(label)).toBe(4);
    // One group for the three, counted in the one state both copies see.
    expect(auditQueueStats().groups - before.groups).toBe(1);
    expect(copysQueue.auditQueueStats()).toEqual(auditQueueStats());
  });

  it("a failed write rejects every waiter of its group, as an error answer without details; the next group is written", async () => {
    const label = tag();
    withRawConnection((raw) => raw.exec("ALTER TABLE audit_events RENAME TO audit_events_away"));
    let failures: PromiseSettledResult<void>[];
    try {
      failures = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => recordAudit(entry(label, i))));
    } finally {
      withRawConnection((raw) => raw.exec("ALTER TABLE audit_events_away RENAME TO audit_events"));
    }
    expect(failures.map((f) => f.status)).toEqual(Array(5).fill("rejected"));
    expect(await rowsLabelled(label)).toBe(0);

    // What a resolve whose audit failed answers: the contract's error shape, no stack, no SQL.
    const response = errorResponse((failures[0] as PromiseRejectedResult).reason, "req-1");
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("internal_error");
    expect(JSON.stringify(body)).not.toMatch(/audit_events|INSERT|at .*\.ts/);

    await recordAudit(entry(label, 99));
    expect(await rowsLabelled(label)).toBe(1);
  });

  it("writes in the caller's transaction directly, so the row rolls back with it", async () => {
    const label = tag();
    const before = auditQueueStats();
    await expect(
      db().$transaction(async (tx) => {
        await recordAudit(entry(label), tx);
        expect(await tx.auditEvent.count({ where: { targetLabel: { startsWith: `${label}.` } } })).toBe(1);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await rowsLabelled(label)).toBe(0);
    await db().$transaction(async (tx) => recordAudits([entry(label, 1), entry(label, 2)], tx));
    expect(await rowsLabelled(label)).toBe(2);
    expect(auditQueueStats()).toEqual(before);
  });

  it("stores what it was given: actor, target, outcome, address and details", async () => {
    const label = tag();
    await recordAudit({ ...entry(label), outcome: "denied", details: { code: "forbidden", paths: ["a.b"] } });
    const row = await db().auditEvent.findFirstOrThrow({ where: { targetLabel: `${label}.p0` } });
    expect(row).toMatchObject({
      actorType: "token",
      actorId: "tok_queue",
      actorLabel: "queue test",
      action: "secret.resolve",
      outcome: "denied",
      sourceIp: "192.0.2.7",
    });
    expect(JSON.parse(row.details!)).toEqual({ code: "forbidden", paths: ["a.b"] });
  });
});
