import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

/**
 * Trust policies mint tokens, so they are managed by people and unscoped admin tokens only: a
 * scoped token (made before admin tokens lost their scopes) must not write itself a way out of its
 * fence, and a token that came from an exchange is never admin.
 */
export function refuseScopedToken(actor: Actor): void {
  if (actor.kind === "token" && actor.scope !== null) {
    throw new AppError("forbidden", "Trust policies cannot be managed with a path-scoped token.");
  }
}
