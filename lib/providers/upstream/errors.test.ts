import { describe, expect, it } from "vitest";
import { interpretAwsError } from "../aws-sm/upstream-errors";
import { interpretAzureError } from "../azure-kv/upstream-errors";
import { providerError, sanitizeUpstreamText, upstreamCode } from "./errors";

/** Upstream text is outside text: bounded before anything is done with it, and made one clean line. */
const MIB = 1024 * 1024;
const HOSTILE = `<html>\u001b]52;c;ZWNobyBvd25lZA==\u0007\u001b[2J\n\u009b31m\u202e${"-----BEGIN RSA PRIVATE KEY-----\n".repeat(MIB / 32)}`;

function millis(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

describe("sanitizeUpstreamText", () => {
  it("costs the same for a mebibyte as for a kilobyte (cut before redaction)", () => {
    sanitizeUpstreamText(HOSTILE.slice(0, 2048));
    expect(millis(() => sanitizeUpstreamText(HOSTILE))).toBeLessThan(200);
  });

  it("is one short line with no control sequences", () => {
    const out = sanitizeUpstreamText(HOSTILE);
    expect(out.length).toBeLessThanOrEqual(160);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).not.toContain("ZWNo"); // the OSC 52 payload went with its sequence
  });

  it("still removes a credential that straddles the 1 KiB cut", () => {
    const credential = `hvs.${"k".repeat(2000)}`;
    const out = sanitizeUpstreamText(`${"x".repeat(100)} ${credential}`, [credential]);
    expect(out).not.toContain("kkkk");
  });
});

describe("providerError", () => {
  it("bounds and cleans every message, whatever the adapter put in it", () => {
    const error = providerError("HashiCorp Vault", `version ${"9".repeat(MIB)}\u001b[2J`, {
      upstreamCode: `x\u001b]0;t\u0007${"y".repeat(MIB)}`,
    });
    expect(error.message.length).toBeLessThanOrEqual(600);
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(String(error.extra.upstreamCode).length).toBeLessThanOrEqual(600);
    expect(String(error.extra.upstreamCode)).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe("upstream codes", () => {
  it("keeps code-shaped names only", () => {
    expect(upstreamCode("ResourceNotFoundException")).toBe("ResourceNotFoundException");
    expect(upstreamCode("Not\u001b[2Ja code")).toBe("Error");
    expect(upstreamCode("A".repeat(1000))).toBe("Error");
  });

  it("AWS: a hostile error name and message never reach the message", () => {
    const error = Object.assign(new Error(`kms ${"z".repeat(MIB)}`), {
      name: `Evil\u001b]0;t\u0007${"N".repeat(5000)}`,
      $metadata: { httpStatusCode: 400 },
    });
    const { error: out } = interpretAwsError(error, "prod/stripe");
    expect(out.message).toBe("AWS Secrets Manager: request for prod/stripe failed (Error, HTTP 400)");
  });

  it("Azure: a hostile error code never reaches the message", () => {
    const error = Object.assign(new Error("x"), { name: "RestError", code: `Secret\u001b[2J${"C".repeat(5000)}`, statusCode: 404 });
    const { error: out } = interpretAzureError(error, "stripe-key");
    expect(out.message).toBe("Azure Key Vault: secret stripe-key not found (Error)");
  });
});
