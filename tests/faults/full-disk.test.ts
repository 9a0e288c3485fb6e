import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { errorResponse } from "@/lib/api/route";
import type { Actor } from "@/lib/auth/actor";
import { db, disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { ensureKeyCheck } from "@/lib/keys/key-check-store";
import { resetKeyringForTests } from "@/lib/keys/keyring";
import { resolveSecret } from "@/lib/secrets/resolve/resolve-secrets";
import { createSecret } from "@/lib/secrets/write-secrets";
import { call } from "../cluster/support/cluster";
import { createSqliteDatabase, type TempDatabase } from "../support/databases";
import { errorMessage, expectFaultAnswer, newKey, resolveValue, startWithToken, type Served } from "./support";

/**
 * A full disk under SQLite: writes answer 507 storage_full with a message that says so, nothing
 * stored before is lost, and writes work again once there is room. Twice: through SQLite's own
 * page limit (PRAGMA max_page_count, real SQLITE_FULL from the real driver, runs anywhere), and
 * for real on a small tmpfs under the built server (needs root to mount, as on this project's
 * machines and CI; skipped with the reason otherwise).
 */
const actor: Actor = { kind: "user", id: "full", label: "full disk", role: "admin", scope: null, userId: null, sourceIp: null };
const faults = { pageLimitFulls: 0, tmpfsFulls: 0 };
afterAll(() => console.log(`full-disk faults injected: ${JSON.stringify(faults)}`));

describe("SQLite's page limit reached (SQLITE_FULL through the real driver)", () => {
  let database: TempDatabase;
  beforeAll(async () => {
    database = createSqliteDatabase();
    Object.assign(process.env, { DATABASE_URL: database.url, SECRETS_MASTER_KEY: newKey() });
    delete process.env.SECRETS_MASTER_KEY_PREVIOUS;
    resetEnvForTests();
    resetKeyringForTests();
    await applyMigrations({ url: database.url });
    await ensureKeyCheck();
  });
  afterAll(async () => {
    await disconnectDb();
    await database.drop();
  });

  it("maps the failed write to 507 storage_full, keeps what was stored, and writes again once there is room", async () => {
    const kept = `kept-${randomBytes(8).toString("hex")}`;
    await createSecret({ actor, input: { secretPath: "full.kept", value: kept } });
    const [{ page_count: pages }] = await db().$queryRawUnsafe<[{ page_count: bigint }]>("PRAGMA page_count");
    await db().$queryRawUnsafe(`PRAGMA max_page_count = ${Number(pages)}`);

    let failure: unknown;
    for (let i = 0; i < 50 && failure === undefined; i++) {
      await createSecret({ actor, input: { secretPath: `full.more${i}`, value: "x".repeat(8_000) } }).catch(
        (error: unknown) => (failure = error),
      );
    }
    faults.pageLimitFulls++;
    expect(failure, "the page limit was never reached").toBeDefined();
    const response = errorResponse(failure, "req-full");
    expect(response.status).toBe(507);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("storage_full");
    expect(body.error.message).toMatch(/disk is full/);

    await db().$queryRawUnsafe("PRAGMA max_page_count = 1073741823");
    expect((await resolveSecret({ actor, path: "full.kept" })).value).toBe(kept);
    await createSecret({ actor, input: { secretPath: "full.after", value: "room again" } });
    expect((await resolveSecret({ actor, path: "full.after" })).value).toBe("room again");
  });
});

describe("the disk under a running server's SQLite file fills up (tmpfs)", () => {
  let mountPoint: string | undefined;
  let cannotMount: string | undefined;
  let served: Served | undefined;
  const filler = () => path.join(mountPoint!, "filler");

  beforeAll(() => {
    if (process.getuid?.() !== 0) {
      cannotMount = "not running as root, so a tmpfs cannot be mounted";
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-full-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", dir], { stdio: "pipe" });
      mountPoint = dir;
    } catch (error) {
      cannotMount = `mount -t tmpfs was refused (${(error as { stderr?: Buffer }).stderr?.toString().trim() || String(error)})`;
      rmSync(dir, { recursive: true, force: true });
    }
  });
  afterEach(async () => {
    await served?.server.stop();
    served = undefined;
  });
  afterAll(() => {
    if (!mountPoint) return;
    execFileSync("umount", [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it("answers writes 507 storage_full, keeps every stored value, and writes again once space is freed", async (context) => {
    if (cannotMount) return context.skip(`${cannotMount}; the page-limit test above covers SQLITE_FULL`);
    const databaseUrl = `file:${path.join(mountPoint!, "provenance.db")}`;
    served = await startWithToken({ DATABASE_URL: databaseUrl, SECRETS_MASTER_KEY: newKey() }, "faults-full-disk");
    const kept: Record<string, string> = {};
    for (let i = 0; i < 5; i++) {
      kept[`disk.kept${i}`] = `kept-${randomBytes(8).toString("hex")}`;
      const created = await call(served.server, "/api/secrets", {
        method: "POST",
        token: served.token,
        body: { secretPath: `disk.kept${i}`, value: kept[`disk.kept${i}`] },
      });
      expect(created.status, created.text).toBe(201);
    }

    fillDisk(filler());
    faults.tmpfsFulls++;
    // SQLite may still have room in pages it already holds: write until the disk says no.
    let refused;
    for (let i = 0; i < 400 && !refused; i++) {
      const reply = await call(served.server, "/api/secrets", {
        method: "POST",
        token: served.token,
        body: { secretPath: `disk.more${i}`, value: "y".repeat(30_000) },
      });
      if (reply.status !== 201) refused = reply;
    }
    expect(refused, "the disk never filled up").toBeDefined();
    expectFaultAnswer(refused!, 507, "storage_full", [databaseUrl]);
    expect(errorMessage(refused!)).toMatch(/disk is full/);
    // Metadata is still readable while full.
    const listed = await call<Array<{ secretPath: string }>>(served.server, "/api/secrets", { token: served.token });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.map((s) => s.secretPath)).toEqual(expect.arrayContaining(Object.keys(kept)));

    unlinkSync(filler());
    const after = await call(served.server, "/api/secrets", {
      method: "POST",
      token: served.token,
      body: { secretPath: "disk.after", value: "room again" },
    });
    expect(after.status, after.text).toBe(201);
    for (const [secretPath, value] of Object.entries({ ...kept, "disk.after": "room again" })) {
      expect((await resolveValue(served, secretPath)).body.value).toBe(value);
    }
  }, 120_000);
});

/** Writes a file until the file system has no byte left. */
function fillDisk(file: string): void {
  const fd = openSync(file, "w");
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}
