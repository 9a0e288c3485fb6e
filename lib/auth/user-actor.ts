import type { Actor } from "./actor";
import { isRole, lowerRole, type Role } from "./roles";

/** The columns of a user that decide whether, and with which role, the user (or a token) may act. */
interface ActingUser {
  id: string;
  email: string;
  role: string;
  disabled: boolean;
}

/**
 * The one rule for what a credential may do on behalf of a user: at most the user's current role,
 * nothing once the user is disabled. A session acts with the user's role itself; a token with the
 * lower of its own role and its user's. Both re-read the user on every request.
 */
export function roleOnBehalfOf(user: { role: string; disabled: boolean }, ownRole: Role | null = null): Role | null {
  if (user.disabled || !isRole(user.role)) return null;
  return ownRole === null ? user.role : lowerRole(ownRole, user.role);
}

/** The actor for a signed-in user, or null when the account cannot act (disabled, bad role). */
export function userActor(user: ActingUser, sourceIp: string | null): Actor | null {
  const role = roleOnBehalfOf(user);
  if (role === null) return null;
  return { kind: "user", id: user.id, label: user.email, role, scope: null, userId: user.id, sourceIp };
}
