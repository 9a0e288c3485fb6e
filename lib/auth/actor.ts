import type { Role } from "./roles";

/** Who is making a request: a signed-in person or an API token. */
export interface Actor {
  kind: "user" | "token";
  id: string;
  /** Human label for audit and messages: an email or a token name. */
  label: string;
  role: Role;
  /** Path scope of a token (e.g. "stripe.*"); null means every path. */
  scope: string | null;
  /** For tokens, the user who created the token; for users, their own id. */
  userId: string | null;
  sourceIp: string | null;
}

/** The actor recorded for work the system does by itself (start-up, CLI). */
export interface SystemActor {
  kind: "system";
  label: string;
}

export type AuditActor = Actor | SystemActor;
