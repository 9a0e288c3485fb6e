import { describe, expect, it } from "vitest";
import { webhookEvent } from "./webhook-event";

const row = {
  id: 42,
  secretId: "s1",
  secretPath: "stripe.apiKey",
  kind: "updated",
  version: "3",
  fingerprint: "hmac-sha256:abc",
  changedAt: new Date("2026-01-02T03:04:05.678Z"),
};

describe("webhookEvent", () => {
  it("names the change log row's kind secret.<kind>, with the row id as the event id", () => {
    expect(webhookEvent(row)).toEqual({
      id: "42",
      type: "secret.updated",
      secretId: "s1",
      secretPath: "stripe.apiKey",
      version: "3",
      fingerprint: "hmac-sha256:abc",
      occurredAt: "2026-01-02T03:04:05.678Z",
    });
  });

  it("passes any kind through, already prefixed or not", () => {
    expect(webhookEvent({ ...row, kind: "upstream_changed" }).type).toBe("secret.upstream_changed");
    expect(webhookEvent({ ...row, kind: "secret.upstream_changed" }).type).toBe("secret.upstream_changed");
  });
});
