import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureHeader, verifySignature } from "./webhook-signature";

const secret = "whsec-test-0123456789abcdef";
const body = JSON.stringify({ id: "7", type: "secret.updated" });

describe("Provenance-Signature", () => {
  it("is t=<unix>,v1=<hex HMAC-SHA256 of t.body>, as a receiver computes it by hand", () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it("verifies within the tolerance and refuses a changed body, another secret, or a replay", () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    expect(verifySignature({ secret, body, header, nowSeconds: 1_700_000_100 })).toBe(true);
    expect(verifySignature({ secret, body: body.replace("7", "8"), header, nowSeconds: 1_700_000_100 })).toBe(false);
    expect(verifySignature({ secret: `${secret}x`, body, header, nowSeconds: 1_700_000_100 })).toBe(false);
    expect(verifySignature({ secret, body, header, nowSeconds: 1_700_000_000 + 301 })).toBe(false);
    expect(verifySignature({ secret, body, header: "t=1700000000,v1=zz", nowSeconds: 1_700_000_000 })).toBe(false);
    expect(verifySignature({ secret, body, header: "", nowSeconds: 1_700_000_000 })).toBe(false);
  });
});
