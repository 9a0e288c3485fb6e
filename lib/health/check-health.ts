import { isDatabaseUnavailable } from "@/lib/db/errors";
import { readKeyCheck } from "@/lib/keys/key-check-store";
import { describeError, log } from "@/lib/log";

export interface Health {
  status: "ok" | "unavailable";
  /** `masterKey` is "unknown" while the database cannot be read: the key check lives there. */
  checks: { database: "ok" | "unreachable" | "error"; masterKey: "ok" | "mismatch" | "missing" | "unknown" };
}

// GET /api/health — ok when the database answers and the master key opens the stored key check
export async function checkHealth(): Promise<Health> {
  try {
    const keyCheck = await readKeyCheck();
    const masterKey = keyCheck === "mismatch" ? "mismatch" : keyCheck === "absent" ? "missing" : "ok";
    return { status: masterKey === "ok" ? "ok" : "unavailable", checks: { database: "ok", masterKey } };
  } catch (error) {
    log.warn("health check failed", describeError(error));
    return { status: "unavailable", checks: { database: isDatabaseUnavailable(error) ? "unreachable" : "error", masterKey: "unknown" } };
  }
}
