import { afterEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db, disconnectDb } from "@/lib/db/client";
import { completeSetup, issueSetupCode } from "@/lib/setup/setup-code";
import { updateUser } from "@/lib/users/manage-users";
import type { TempDatabase } from "../support/databases";
import { newInstall } from "../transfer/support/install";

/**
 * Races that a count-then-write lets through (Trust rules; issue 10, findings 10 and 11), run on a
 * real SQLite file and a real PostgreSQL database: two admins demoting or disabling each other at
 * once must leave one admin, and parallel wrong setup codes must not get past the attempt limit.
 */
const created: TempDatabase[] = [];
afterEach(async () => {
  await disconnectDb();
  await Promise.all(created.splice(0).map((d) => d.drop()));
});

const asUser = (id: string, email: string): Actor => ({
  kind: "user",
  id,
  label: email,
  role: "admin",
  scope: null,
  userId: id,
  sourceIp: null,
});

async function settle<T>(work: Promise<T>[]) {
  const results = await Promise.allSettled(work);
  return {
    ok: results.filter((r) => r.status === "fulfilled").length,
    refused: results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason),
  };
}

describe.each(["sqlite", "postgres"] as const)("on %s", (dialect) => {
  it.each([
    ["demoting", { role: "editor" }],
    ["disabling", { disabled: true }],
  ])(
    "two admins %s each other at once leave one active admin",
    async (_label, change) => {
      await newInstall(dialect, created);
      // Several rounds: a race that is lost only sometimes must still show.
      for (let round = 0; round < 8; round++) {
        // Stored directly (no password hashing): only these two are admins in this round.
        await db().user.updateMany({ where: { role: "admin" }, data: { role: "viewer" } });
        const admin = (name: string) =>
          db().user.create({
            data: { id: `${name}-${round}`, email: `${name}${round}@example.test`, passwordHash: "unused", role: "admin" },
          });
        const a = await admin("a");
        const b = await admin("b");
        const { ok, refused } = await settle([
          updateUser({ actor: asUser(a.id, a.email), id: b.id, input: change }),
          updateUser({ actor: asUser(b.id, b.email), id: a.id, input: change }),
        ]);
        expect(await db().user.count({ where: { role: "admin", disabled: false } }), `round ${round}`).toBe(1);
        expect(ok).toBe(1);
        expect(refused).toHaveLength(1);
        expect(refused[0]).toMatchObject({ code: "conflict" });
      }
    },
    60_000,
  );

  it("parallel wrong setup codes are counted one by one: the 10-try limit holds", async () => {
    await newInstall(dialect, created);
    const code = await issueSetupCode();
    const wrong = (i: number) =>
      completeSetup({
        code: `WRNG-${String(i).padStart(4, "2")}-AAAA`,
        email: "first@example.test",
        password: "first-admin-password",
        sourceIp: null,
      });
    const { ok, refused } = await settle(Array.from({ length: 30 }, (_, i) => wrong(i)));
    expect(ok).toBe(0);
    const codes = refused.map((e) => (e as { code?: string }).code);
    // Exactly ten guesses were compared with the code; the other twenty were refused without a comparison.
    expect(codes.filter((c) => c === "validation_error")).toHaveLength(10);
    expect(codes.filter((c) => c === "forbidden")).toHaveLength(20);
    // The limit is used up: even the right code is refused now, and no admin was made.
    await expect(
      completeSetup({ code, email: "first@example.test", password: "first-admin-password", sourceIp: null }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await db().user.count()).toBe(0);
  });

  it("the right setup code sent twice at once makes one admin", async () => {
    await newInstall(dialect, created);
    const code = await issueSetupCode();
    const { ok } = await settle([
      completeSetup({ code, email: "one@example.test", password: "first-admin-password", sourceIp: null }),
      completeSetup({ code, email: "two@example.test", password: "first-admin-password", sourceIp: null }),
    ]);
    expect(ok).toBe(1);
    expect(await db().user.count()).toBe(1);
  });

  it("a setup form mistake does not use up an attempt, and the code still works after it", async () => {
    await newInstall(dialect, created);
    const code = await issueSetupCode();
    for (let i = 0; i < 12; i++) {
      await expect(completeSetup({ code, email: "not-an-email", password: "first-admin-password", sourceIp: null })).rejects.toMatchObject({
        code: "validation_error",
      });
    }
    await completeSetup({ code, email: "first@example.test", password: "first-admin-password", sourceIp: null });
    expect(await db().user.count({ where: { role: "admin" } })).toBe(1);
  });
});
