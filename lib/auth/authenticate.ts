import "server-only";
import { getServerSession } from "next-auth";
import { sourceIp } from "@/lib/api/source-ip";
import { db } from "@/lib/db/client";
import { authenticateToken } from "@/lib/tokens/authenticate-token";
import type { Actor } from "./actor";
import { authOptions } from "./auth-options";
import { userActor } from "./user-actor";

/**
 * Who is calling: a bearer token when an Authorization header is present (a bad one is never
 * silently replaced by a cookie), otherwise the session cookie. The user behind a session is
 * re-read on every request, so a role change or a disabled account takes effect at once.
 */
export async function authenticateRequest(headers: Headers): Promise<Actor | null> {
  const ip = sourceIp(headers);
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? authenticateToken(match[1]!, ip) : null;
  }
  return sessionActor(ip);
}

/** The signed-in user of the current request (pages, server actions, route handlers). */
export async function sessionActor(ip: string | null): Promise<Actor | null> {
  const session = (await getServerSession(authOptions())) as { userId?: string } | null;
  if (!session?.userId) return null;
  const user = await db().user.findUnique({
    where: { id: session.userId },
    select: { id: true, email: true, role: true, disabled: true },
  });
  return user ? userActor(user, ip) : null;
}
