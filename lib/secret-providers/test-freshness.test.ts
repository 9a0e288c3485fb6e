import { describe, expect, it } from "vitest";
import { testStatus } from "./test-freshness";

describe("testStatus", () => {
  const at = "2026-01-01T10:00:00.000Z";

  it("is never when there was no test", () => {
    expect(testStatus({ lastTest: null, updatedAt: at })).toEqual({ kind: "never" });
  });

  it("is current when the connection was not updated after the test", () => {
    expect(testStatus({ lastTest: { at, ok: true, message: null }, updatedAt: "2026-01-01T09:59:59.999Z" })).toEqual({
      kind: "passed",
      at,
      message: null,
      changedSince: false,
    });
  });

  it("is out of date when the connection was updated after the test", () => {
    const status = testStatus({
      lastTest: { at, ok: false, message: "HashiCorp Vault: the token was rejected" },
      updatedAt: "2026-01-01T10:00:00.001Z",
    });
    expect(status).toMatchObject({ kind: "failed", changedSince: true, message: "HashiCorp Vault: the token was rejected" });
  });

  it("carries a failure's stage, host and hint", () => {
    const report = { stage: "auth" as const, endpoint: "vault.example.test:8200", hint: "Check the token." };
    const status = testStatus({ lastTest: { at, ok: false, message: "rejected", ...report }, updatedAt: at });
    expect(status).toEqual({ kind: "failed", at, message: "rejected", ...report, changedSince: false });
  });
});
