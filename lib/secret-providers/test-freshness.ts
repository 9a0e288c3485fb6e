import type { ConnectionView } from "./connection-view";

/**
 * What the last test says about the connection as it is now. A test does not touch updatedAt
 * (test-connection.ts), so a connection updated after its last test was changed since: that
 * result is about an older config, and is shown as such rather than as the current status.
 */
export type TestStatus = { kind: "never" } | { kind: "passed" | "failed"; at: string; message: string | null; changedSince: boolean };

export function testStatus(connection: Pick<ConnectionView, "lastTest" | "updatedAt">): TestStatus {
  const last = connection.lastTest;
  if (!last) return { kind: "never" };
  return {
    kind: last.ok ? "passed" : "failed",
    at: last.at,
    message: last.message,
    changedSince: Date.parse(connection.updatedAt) > Date.parse(last.at),
  };
}
