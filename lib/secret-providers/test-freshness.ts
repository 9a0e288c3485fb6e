import type { ConnectionView } from "./connection-view";

/**
 * What the last test says about the connection as it is now. A test does not touch updatedAt
 * (test-connection.ts), so a connection updated after its last test was changed since: that
 * result is about an older config, and is shown as such rather than as the current status.
 */
export type TestStatus =
  { kind: "never" } | ({ kind: "passed" | "failed"; changedSince: boolean } & Omit<NonNullable<ConnectionView["lastTest"]>, "ok">);

export function testStatus(connection: Pick<ConnectionView, "lastTest" | "updatedAt">): TestStatus {
  const last = connection.lastTest;
  if (!last) return { kind: "never" };
  // A failure's stage, host and hint come along, so the page shows it as it showed the fresh one.
  const { ok, ...rest } = last;
  return { kind: ok ? "passed" : "failed", ...rest, changedSince: Date.parse(connection.updatedAt) > Date.parse(last.at) };
}
