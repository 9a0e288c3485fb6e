import { z } from "zod";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { readKeyCheck } from "@/lib/keys/key-check-store";
import { describeError, log } from "@/lib/log";
import { processShared } from "@/lib/process-shared";

export const healthSchema = z
  .strictObject({
    status: z.enum(["ok", "unavailable"]),
    checks: z.strictObject({
      database: z.enum(["ok", "unreachable", "error"]),
      // The key check lives in the database.
      masterKey: z.enum(["ok", "mismatch", "missing", "unknown"]).describe("unknown while the database cannot be read"),
    }),
  })
  .meta({ id: "Health" });
export type Health = z.infer<typeof healthSchema>;

/**
 * A load balancer polls health many times a second across its nodes; one database read per
 * HEALTH_FRESH_MS answers them all. Only a good result is kept, and only that long, so a failure
 * shows within HEALTH_FRESH_MS and a recovery at once; callers that arrive while a check is
 * running share it.
 */
export const HEALTH_FRESH_MS = 1_000;

interface LastCheck {
  startedAt: number;
  pending: Promise<Health>;
  /** Set once the check answered "ok". */
  ok: boolean;
  settled: boolean;
}

// One per process (lib/process-shared.ts): Next loads lib modules once per bundle, and both share it.
const lastCheck = () => processShared("health", (): { check?: LastCheck } => ({}));

// GET /api/health — ok when the database answers and the master key opens the stored key check
export function checkHealth(now = Date.now()): Promise<Health> {
  const last = lastCheck().check;
  if (last && (!last.settled || (last.ok && now - last.startedAt < HEALTH_FRESH_MS && now >= last.startedAt))) return last.pending;
  const check: LastCheck = { startedAt: now, ok: false, settled: false, pending: runChecks() };
  void check.pending.then((health) => {
    check.ok = health.status === "ok";
    check.settled = true;
  });
  lastCheck().check = check;
  return check.pending;
}

async function runChecks(): Promise<Health> {
  try {
    const keyCheck = await readKeyCheck();
    const masterKey = keyCheck === "mismatch" ? "mismatch" : keyCheck === "absent" ? "missing" : "ok";
    return { status: masterKey === "ok" ? "ok" : "unavailable", checks: { database: "ok", masterKey } };
  } catch (error) {
    log.warn("health check failed", describeError(error));
    return { status: "unavailable", checks: { database: isDatabaseUnavailable(error) ? "unreachable" : "error", masterKey: "unknown" } };
  }
}
