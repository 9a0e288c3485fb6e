import type { Actor } from "./actor";
import { isRole } from "./roles";

/** The actor for a signed-in user, or null when the account cannot act (disabled, bad role). */
export function userActor(
  user: { id: string; email: string; role: string; disabled: boolean },
  sourceIp: string | null,
): Actor | null {
  if (user.disabled || !isRole(user.role)) return null;
  return { kind: "user", id: user.id, label: user.email, role: user.role, scope: null, userId: user.id, sourceIp };
}
