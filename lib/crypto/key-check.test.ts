import { describe, expect, it } from "vitest";

import { aadFor, createKeyCheck, createKeyring, decrypt, describeKeyMismatch, encrypt, keyIdOf, verifyKeyCheck } from "@/lib/crypto";

const OLD = "key-check-test-old-key-0123456789abcdef";
const NEW = "key-check-test-new-key-0123456789abcdef";
const OTHER = "key-check-test-other-key-0123456789abcd";

describe("key check", () => {
  it("is a pv1 envelope under the current key", () => {
    const ring = createKeyring({ masterKey: NEW, previousKey: OLD });
    const check = createKeyCheck(ring);
    expect(keyIdOf(check)).toBe(ring.current.id);
    expect(check).not.toBe(createKeyCheck(ring));
  });

  it("reports current when the data key is SECRETS_MASTER_KEY", () => {
    const ring = createKeyring({ masterKey: OLD });
    expect(verifyKeyCheck(ring, createKeyCheck(ring))).toBe("current");
    expect(verifyKeyCheck(createKeyring({ masterKey: OLD, previousKey: NEW }), createKeyCheck(ring))).toBe("current");
  });

  it("reports previous during a rotation", () => {
    const stored = createKeyCheck(createKeyring({ masterKey: OLD }));
    expect(verifyKeyCheck(createKeyring({ masterKey: NEW, previousKey: OLD }), stored)).toBe("previous");
  });

  it("reports mismatch for a wrong key, with or without a previous key", () => {
    const stored = createKeyCheck(createKeyring({ masterKey: OLD }));
    expect(verifyKeyCheck(createKeyring({ masterKey: OTHER }), stored)).toBe("mismatch");
    expect(verifyKeyCheck(createKeyring({ masterKey: OTHER, previousKey: NEW }), stored)).toBe("mismatch");
  });

  it("reports mismatch for damaged or foreign values instead of throwing", () => {
    const ring = createKeyring({ masterKey: OLD });
    const stored = createKeyCheck(ring);
    const flipped = stored.slice(0, -3) + (stored.at(-3) === "A" ? "B" : "A") + stored.slice(-2);
    for (const value of ["", "garbage", stored.slice(0, 30), flipped]) {
      expect(verifyKeyCheck(ring, value)).toBe("mismatch");
    }
    // A valid ciphertext from another field cannot stand in for the key check.
    expect(verifyKeyCheck(ring, encrypt(ring, "x", aadFor("secrets", "s1", "value")))).toBe("mismatch");
  });

  it("decrypts only with the key check's own AAD", () => {
    const ring = createKeyring({ masterKey: OLD });
    const stored = createKeyCheck(ring);
    expect(() => decrypt(ring, stored, aadFor("settings", "master_key_check", "value"))).not.toThrow();
    expect(() => decrypt(ring, stored, aadFor("settings", "other", "value"))).toThrow();
  });

  it("describes a mismatch with key ids only", () => {
    const stored = createKeyCheck(createKeyring({ masterKey: OLD }));
    const ring = createKeyring({ masterKey: OTHER });
    const message = describeKeyMismatch(ring, stored);
    expect(message).toContain(keyIdOf(stored)!);
    expect(message).toContain(ring.current.id);
    expect(message).not.toContain(OLD);
    expect(message).not.toContain(OTHER);
    expect(describeKeyMismatch(ring, "garbage")).toMatch(/damaged/);
  });
});
