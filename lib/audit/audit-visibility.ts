import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";

/**
 * Which audit events a reader may see. The log names every account, every secret path, every
 * address: admins see all of it; editors and viewers see only what they did themselves (a person
 * their own sign-ins and changes, a token its own calls). Every query on the log, lists and filter
 * choices alike, starts from this.
 */
export function visibleTo(viewer: Actor) {
  if (can(viewer.role, "readAllAuditEvents")) return {};
  return { actorType: viewer.kind, actorId: viewer.id };
}
