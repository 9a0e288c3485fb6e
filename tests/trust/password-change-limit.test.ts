import { afterEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { db, disconnectDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { resetEnvForTests } from "@/lib/env";
import { changeOwnPassword, resetPassword } from "@/lib/users/passwords";
import type { TempDatabase } from "../support/databases";
import { rejectionOf } from "../support/rejection";
import { newInstall } from "../transfer/support/install";

/**
 * A wrong current password on "Your account" counts as a failed sign-in (issue 10, a sibling of
 * finding 10): someone holding a borrowed session cannot guess the password they would need to
 * change it and lock the owner out.
 */
const created: TempDatabase[] = [];
const LIMIT = "3";
afterEach(async () => {
  delete process.env.PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS;
  resetEnvForTests();
  await disconnectDb();
  await Promise.all(created.splice(0).map((d) => d.drop()));
});

describe.each(["sqlite", "postgres"] as const)("on %s", (dialect) => {
  it("wrong current passwords are limited like sign-ins, the right one is refused while the limit holds", async () => {
    await newInstall(dialect, created);
    process.env.PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = LIMIT;
    resetEnvForTests();
    const user = await db().user.create({
      data: { id: "owner", email: "owner@example.test", passwordHash: await hashPassword("the-real-password"), role: "editor" },
    });
    const actor: Actor = {
      kind: "user",
      id: user.id,
      label: user.email,
      role: "editor",
      scope: null,
      userId: user.id,
      sourceIp: "203.0.113.7",
    };
    const change = (currentPassword: string) =>
      changeOwnPassword({ actor, keepSessionId: null, input: { currentPassword, newPassword: "a-brand-new-password" } });

    for (let i = 0; i < Number(LIMIT); i++)
      expect(await rejectionOf(change(`guess-${i}`), AppError)).toMatchObject({ code: "validation_error" });
    const limited = await rejectionOf(change("the-real-password"), AppError);
    expect(limited).toMatchObject({ code: "rate_limited" });
    expect(limited.extra.retryAfterSeconds).toBeGreaterThan(0);
    // Nothing changed: the old password still verifies.
    const stored = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toBe(user.passwordHash);
  }, 60_000);

  it("an admin cannot reset their own password (that needs the current one), only other people's", async () => {
    await newInstall(dialect, created);
    const admin = await db().user.create({
      data: { id: "admin", email: "admin@example.test", passwordHash: await hashPassword("admins-password"), role: "admin" },
    });
    const other = await db().user.create({
      data: { id: "other", email: "other@example.test", passwordHash: await hashPassword("others-password"), role: "viewer" },
    });
    const actor: Actor = { kind: "user", id: admin.id, label: admin.email, role: "admin", scope: null, userId: admin.id, sourceIp: null };
    const own = await rejectionOf(
      resetPassword({ actor, user: { id: admin.id }, input: { newPassword: "taken-over-password" } }),
      AppError,
    );
    expect(own).toMatchObject({ code: "forbidden" });
    expect((await db().user.findUniqueOrThrow({ where: { id: admin.id } })).passwordHash).toBe(admin.passwordHash);
    await resetPassword({ actor, user: { id: other.id }, input: { newPassword: "a-new-password-for-other" } });
    expect((await db().user.findUniqueOrThrow({ where: { id: other.id } })).passwordHash).not.toBe(other.passwordHash);
  }, 60_000);
});
