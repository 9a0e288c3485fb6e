import { describe, expect, it } from "vitest";

import { createKeyring, fingerprint } from "@/lib/crypto";

const ringA = createKeyring({ masterKey: "fingerprint-test-key-A-0123456789abcdef" });
const ringB = createKeyring({ masterKey: "fingerprint-test-key-B-0123456789abcdef" });

describe("fingerprint", () => {
  it("has the documented shape", () => {
    expect(fingerprint(ringA, "sk_live_123")).toMatch(/^hmac-sha256:[A-Za-z0-9_-]{16}$/);
  });

  it("is stable for one key, including across keyring instances", () => {
    const again = createKeyring({ masterKey: "fingerprint-test-key-A-0123456789abcdef" });
    expect(fingerprint(ringA, "sk_live_123")).toBe(fingerprint(ringA, "sk_live_123"));
    expect(fingerprint(again, "sk_live_123")).toBe(fingerprint(ringA, "sk_live_123"));
  });

  it("differs across values and across keys", () => {
    expect(fingerprint(ringA, "sk_live_123")).not.toBe(fingerprint(ringA, "sk_live_124"));
    expect(fingerprint(ringA, "")).not.toBe(fingerprint(ringA, " "));
    expect(fingerprint(ringA, "sk_live_123")).not.toBe(fingerprint(ringB, "sk_live_123"));
  });

  it("uses the current key, so it follows rotation", () => {
    const rotating = createKeyring({
      masterKey: "fingerprint-test-key-B-0123456789abcdef",
      previousKey: "fingerprint-test-key-A-0123456789abcdef",
    });
    expect(fingerprint(rotating, "v")).toBe(fingerprint(ringB, "v"));
  });

  it("is keyed: not a plain SHA-256 of the value", async () => {
    const { createHash } = await import("node:crypto");
    const plain = createHash("sha256").update("sk_live_123").digest("base64url").slice(0, 16);
    expect(fingerprint(ringA, "sk_live_123")).not.toContain(plain);
  });
});
