import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import type { Actor } from "./actor";
import { userActor } from "./user-actor";

/**
 * Browser sessions live in the database: the (encrypted, signed) session cookie only names one.
 * Signing out or disabling the user deletes the row, so a copied cookie stops working at once,
 * on every instance; the user's role is read fresh on every request.
 */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export async function createSession(userId: string, sourceIp: string | null): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  const now = Date.now();
  await db().$transaction([
    // Expired sessions of this user are tidied away whenever they sign in again.
    db().userSession.deleteMany({ where: { userId, expiresAt: { lt: new Date(now) } } }),
    db().userSession.create({ data: { id, userId, sourceIp, expiresAt: new Date(now + SESSION_MAX_AGE_SECONDS * 1000) } }),
  ]);
  return id;
}

export async function endSession(id: string): Promise<void> {
  await db().userSession.deleteMany({ where: { id } });
}

/** The actor behind a live session, or null for an unknown, expired or disabled one. */
export async function sessionUser(sessionId: string, sourceIp: string | null): Promise<Actor | null> {
  const session = await db().userSession.findUnique({
    where: { id: sessionId },
    include: { user: { select: { id: true, email: true, role: true, disabled: true } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  return userActor(session.user, sourceIp);
}
