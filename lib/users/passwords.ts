import type { AuditActor } from "@/lib/auth/actor";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { reserveSignInAttempt } from "@/lib/auth/sign-in-limits";
import { parseInput } from "@/lib/validation/zod-errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyChange } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { AppError, notFound, validationError } from "@/lib/errors";
import { describeWait } from "@/lib/rate-limit/sliding-window";
import { userSelect, userView, type UserView } from "./manage-users";
import { changePasswordInput, email as emailSchema, resetPasswordInput } from "./user-schemas";

/**
 * Password changes, one way for every door (the account page, the users page, the CLI). A new
 * password ends the sessions it should: after a change by the owner every OTHER session (a
 * leaked password's sessions die, the owner stays signed in); after a reset every session.
 * API tokens are separate credentials and are not touched.
 */

/** The signed-in user changes their own password; `keepSessionId` is the session doing it. */
export async function changeOwnPassword(options: { actor: AuditActor; keepSessionId: string | null; input: unknown }): Promise<UserView> {
  const { actor } = options;
  if (actor.kind !== "user")
    throw new AppError("forbidden", "Only a signed-in person can change their own password; a token or the CLI cannot.");
  const input = parseInput(changePasswordInput, options.input);
  const user = await db().user.findUnique({ where: { id: actor.id }, select: { id: true, email: true, passwordHash: true } });
  if (!user) throw notFound("User");
  // A wrong current password is a failed sign-in: the same limits, so a borrowed session cannot
  // guess the password it would need to lock the owner out.
  const attempt = await reserveSignInAttempt(user.email, actor.sourceIp);
  if (!attempt.allowed) {
    throw new AppError("rate_limited", `Too many wrong passwords. Try again in ${describeWait(attempt.retryAfterSeconds)}.`, {
      retryAfterSeconds: attempt.retryAfterSeconds,
    });
  }
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await recordAudit({
      actor,
      action: "user.password_change",
      target: { type: "user", id: user.id, label: user.email },
      outcome: "denied",
      details: { reason: "wrong_password" },
    });
    throw validationError({ currentPassword: "Not your current password" }, "Your current password is not right.");
  }
  await attempt.forgive();
  return storePassword({
    actor,
    userId: user.id,
    passwordHash: await hashPassword(input.newPassword),
    keepSessionId: options.keepSessionId,
    action: "user.password_change",
  });
}

/** An admin (or the CLI) sets another user's password, e.g. after a leak; every session of that user ends. */
export async function resetPassword(options: {
  actor: AuditActor;
  user: { id: string } | { email: string };
  input: unknown;
}): Promise<UserView> {
  const { actor } = options;
  if (actor.kind !== "system" && actor.role !== "admin") throw new AppError("forbidden", "Only an admin can reset a password.");
  const input = parseInput(resetPasswordInput, options.input);
  const where = "id" in options.user ? { id: options.user.id } : { email: emailOrThrow(options.user.email) };
  const user = await db().user.findUnique({ where, select: { id: true } });
  if (!user) throw notFound("User");
  // One's own password changes only with the current one (changeOwnPassword): a borrowed admin
  // session must not be able to reset its way past that and lock the owner out.
  if (actor.kind === "user" && actor.id === user.id) {
    throw new AppError("forbidden", "Change your own password on Your account, with your current password; a reset is for other people's.");
  }
  return storePassword({
    actor,
    userId: user.id,
    passwordHash: await hashPassword(input.newPassword),
    keepSessionId: null,
    action: "user.password_reset",
  });
}

function emailOrThrow(value: string): string {
  const parsed = emailSchema.safeParse(value);
  if (!parsed.success) throw validationError({ email: "Must be an email address" });
  return parsed.data;
}

async function storePassword(options: {
  actor: AuditActor;
  userId: string;
  passwordHash: string;
  keepSessionId: string | null;
  action: "user.password_change" | "user.password_reset";
}): Promise<UserView> {
  const view = await db().$transaction(async (tx) => {
    const row = await tx.user.update({ where: { id: options.userId }, data: { passwordHash: options.passwordHash }, select: userSelect });
    const ended = await tx.userSession.deleteMany({
      where: { userId: row.id, ...(options.keepSessionId ? { id: { not: options.keepSessionId } } : {}) },
    });
    await recordAudit(
      {
        actor: options.actor,
        action: options.action,
        target: { type: "user", id: row.id, label: row.email },
        outcome: "success",
        details: { endedSessions: ended.count },
      },
      tx,
    );
    return userView(row);
  });
  // Tokens stay valid across a password change, but whatever is cached about the user is re-read.
  notifyChange({ kind: "user", id: view.id });
  return view;
}
