import { inspect } from "node:util";

import { describe, expect, it } from "vitest";

import { createKeyring, deriveSecret, generateMasterKey, KeyringError, type Keyring } from "@/lib/crypto";

const KEY_A = "A".repeat(10) + "-test-master-key-a-0123456789"; // 39 chars
const KEY_B = "B".repeat(10) + "-test-master-key-b-0123456789";

describe("createKeyring", () => {
  it("derives 32-byte keys and a 16-hex-char id", () => {
    const { current, previous } = createKeyring({ masterKey: KEY_A });
    expect(previous).toBeUndefined();
    expect(current.id).toMatch(/^[0-9a-f]{16}$/);
    expect(current.encryptionKey).toHaveLength(32);
    expect(current.macKey).toHaveLength(32);
    expect(current.encryptionKey.equals(current.macKey)).toBe(false);
  });

  it("is deterministic for one key and different across keys", () => {
    const a1 = createKeyring({ masterKey: KEY_A }).current;
    const a2 = createKeyring({ masterKey: KEY_A }).current;
    const b = createKeyring({ masterKey: KEY_B }).current;
    expect(a1.id).toBe(a2.id);
    expect(a1.encryptionKey.equals(a2.encryptionKey)).toBe(true);
    expect(a1.id).not.toBe(b.id);
    expect(a1.encryptionKey.equals(b.encryptionKey)).toBe(false);
  });

  it("ignores surrounding whitespace (e.g. a trailing newline from a secrets file)", () => {
    expect(createKeyring({ masterKey: `  ${KEY_A}\n` }).current.id).toBe(createKeyring({ masterKey: KEY_A }).current.id);
  });

  it("loads a previous key for rotation", () => {
    const ring = createKeyring({ masterKey: KEY_A, previousKey: KEY_B });
    expect(ring.current.id).toBe(createKeyring({ masterKey: KEY_A }).current.id);
    expect(ring.previous?.id).toBe(createKeyring({ masterKey: KEY_B }).current.id);
  });

  it("treats an empty previous key as unset", () => {
    expect(createKeyring({ masterKey: KEY_A, previousKey: "" }).previous).toBeUndefined();
    expect(createKeyring({ masterKey: KEY_A, previousKey: "   " }).previous).toBeUndefined();
  });

  it.each([undefined, "", "   "])("refuses a missing master key (%j) and says how to make one", (masterKey) => {
    expect(() => createKeyring({ masterKey })).toThrow(KeyringError);
    expect(() => createKeyring({ masterKey })).toThrow(/SECRETS_MASTER_KEY is not set.*openssl rand -base64 32/);
  });

  it("refuses a master key shorter than 32 characters without echoing it", () => {
    const short = "s3cr3t-but-short-31-chars-xxxxx";
    expect(short).toHaveLength(31);
    let error: unknown;
    try {
      createKeyring({ masterKey: short });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeyringError);
    const message = (error as Error).message;
    expect(message).toMatch(/SECRETS_MASTER_KEY is too short \(31 characters; at least 32/);
    expect(message).toContain("openssl rand -base64 32");
    expect(message).toContain("randomBytes(32).toString('base64url')");
    expect(message).not.toContain(short);
    expect(() => createKeyring({ masterKey: "x".repeat(32) })).not.toThrow();
  });

  it("refuses a short previous key, naming the variable", () => {
    expect(() => createKeyring({ masterKey: KEY_A, previousKey: "short" })).toThrow(/SECRETS_MASTER_KEY_PREVIOUS is too short/);
  });

  it("refuses a previous key equal to the current one", () => {
    expect(() => createKeyring({ masterKey: KEY_A, previousKey: KEY_A })).toThrow(KeyringError);
    expect(() => createKeyring({ masterKey: KEY_A, previousKey: `${KEY_A}\n` })).toThrow(/same as SECRETS_MASTER_KEY/);
  });

  it("never shows key material when logged or serialised", () => {
    const ring = createKeyring({ masterKey: KEY_A, previousKey: KEY_B });
    const keyHexes = [ring.current, ring.previous!].flatMap((k) => [k.encryptionKey.toString("hex"), k.macKey.toString("hex")]);
    for (const text of [inspect(ring, { depth: 10 }), JSON.stringify(ring), String(ring)]) {
      expect(text).not.toContain(KEY_A);
      expect(text).not.toContain(KEY_B);
      for (const hex of keyHexes) expect(text).not.toContain(hex);
    }
    expect(inspect(ring)).toContain(ring.current.id);
  });

  it("is frozen", () => {
    const ring = createKeyring({ masterKey: KEY_A });
    expect(Object.isFrozen(ring)).toBe(true);
    expect(Object.isFrozen(ring.current)).toBe(true);
  });
});

describe("generateMasterKey", () => {
  it("returns 32 random bytes as base64url that createKeyring accepts", () => {
    const key = generateMasterKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key, "base64url")).toHaveLength(32);
    expect(generateMasterKey()).not.toBe(key);
    expect(() => createKeyring({ masterKey: key })).not.toThrow();
  });
});

describe("deriveSecret", () => {
  const ring = createKeyring({ masterKey: KEY_A, previousKey: KEY_B });

  it("is a stable 32-byte secret per purpose, independent of the other keys", () => {
    const session = deriveSecret(ring, "session");
    expect(session).toHaveLength(32);
    expect(deriveSecret(createKeyring({ masterKey: KEY_A }), "session").equals(session)).toBe(true);
    expect(deriveSecret(ring, "csrf").equals(session)).toBe(false);
    expect(session.equals(ring.current.encryptionKey)).toBe(false);
    expect(session.equals(ring.current.macKey)).toBe(false);
  });

  it("comes from the current key only", () => {
    const rotated = createKeyring({ masterKey: KEY_B });
    expect(deriveSecret(rotated, "session").equals(deriveSecret(ring, "session"))).toBe(false);
  });

  it.each(["", "Session", "a b", "x".repeat(65), "../etc"])("rejects the purpose %j", (purpose) => {
    expect(() => deriveSecret(ring, purpose)).toThrow(TypeError);
  });

  it("rejects a keyring not made by createKeyring", () => {
    const fake: Keyring = { current: { id: "0".repeat(16), encryptionKey: Buffer.alloc(32), macKey: Buffer.alloc(32) } };
    expect(() => deriveSecret(fake, "session")).toThrow(/createKeyring/);
  });
});
