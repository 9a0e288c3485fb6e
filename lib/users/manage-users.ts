import type { AuditActor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { parseInput } from "@/lib/validation/zod-errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyChange } from "@/lib/change-events";
import { db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { keepAnotherAdmin } from "./last-admin";
import { createUserInput, updateUserInput } from "./user-schemas";

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: string;
  disabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

export const userSelect = { id: true, email: true, name: true, role: true, disabled: true, lastSignInAt: true, createdAt: true } as const;

export function userView(row: {
  id: string;
  email: string;
  name: string | null;
  role: string;
  disabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
}): UserView {
  return { ...row, lastSignInAt: row.lastSignInAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString() };
}

export async function createUser(options: { actor: AuditActor; input: unknown }): Promise<UserView> {
  const input = parseInput(createUserInput, options.input);
  const passwordHash = await hashPassword(input.password);
  const id = newId();
  return db().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new AppError("conflict", `A user with email ${input.email} already exists.`, { fields: { email: "Already taken" } });
    }
    const row = await tx.user.create({
      data: { id, email: input.email, name: input.name ?? null, role: input.role, passwordHash },
      select: userSelect,
    });
    await recordAudit(
      {
        actor: options.actor,
        action: "user.create",
        target: { type: "user", id, label: input.email },
        outcome: "success",
        details: { role: input.role },
      },
      tx,
    );
    return userView(row);
  });
}

export async function listUsers(): Promise<UserView[]> {
  const rows = await db().user.findMany({ select: userSelect, orderBy: { createdAt: "asc" } });
  return rows.map(userView);
}

/**
 * Changes a user's role, status or name; the last active admin cannot be demoted or disabled (see
 * keepAnotherAdmin). Passwords change only through lib/users/passwords.ts.
 */
export async function updateUser(options: { actor: AuditActor; id: string; input: unknown }): Promise<UserView> {
  const input = parseInput(updateUserInput, options.input);
  const view = await db().$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { id: options.id }, select: userSelect });
    if (!existing) throw notFound("User");
    const losesAdmin =
      existing.role === "admin" && !existing.disabled && ((input.role && input.role !== "admin") || input.disabled === true);
    if (losesAdmin) await keepAnotherAdmin(tx, existing.id);
    const row = await tx.user.update({
      where: { id: options.id },
      data: { role: input.role, disabled: input.disabled, name: input.name },
      select: userSelect,
    });
    // A disabled account ends every session the user has open (its tokens stop at their next request).
    if (input.disabled === true) await tx.userSession.deleteMany({ where: { userId: row.id } });
    const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    await recordAudit(
      {
        actor: options.actor,
        action: "user.update",
        target: { type: "user", id: row.id, label: row.email },
        outcome: "success",
        details: { changed },
      },
      tx,
    );
    return userView(row);
  });
  // After the commit: a demotion or a disable reaches the user's tokens at their next request.
  notifyChange({ kind: "user", id: view.id });
  return view;
}
