import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  aadFor,
  createKeyring,
  decrypt,
  DecryptionError,
  encrypt,
  isCurrentKey,
  keyIdOf,
  reencrypt,
  type DecryptionFailure,
} from "@/lib/crypto";

const KEY_OLD = "envelope-test-old-master-key-0123456789";
const KEY_NEW = "envelope-test-new-master-key-0123456789";
const KEY_OTHER = "envelope-test-other-master-key-01234567";

const ring = createKeyring({ masterKey: KEY_NEW });
const AAD = aadFor("secrets", "sec_123", "value");
const SECRET = "sk_live_51Hq-very-secret-value";

/** Runs `fn`, expects a DecryptionError and returns it. */
function decryptionError(fn: () => unknown): DecryptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DecryptionError);
    return error as DecryptionError;
  }
  throw new Error("expected a DecryptionError, but decryption succeeded");
}

function expectFailure(fn: () => unknown, ...reasons: DecryptionFailure[]): DecryptionError {
  const error = decryptionError(fn);
  expect(reasons).toContain(error.reason);
  return error;
}

/** Rebuilds a token with one of its base64url parts changed at the byte level. */
function withBytes(token: string, part: 2 | 3, change: (bytes: Buffer) => Buffer): string {
  const parts = token.split(".");
  parts[part] = change(Buffer.from(parts[part]!, "base64url")).toString("base64url");
  return parts.join(".");
}

describe("encrypt / decrypt round trip", () => {
  it.each([
    ["ascii", SECRET],
    ["empty string", ""],
    ["multi-byte unicode", "pässwörd 🔑 秘密 ‮ \u0000 end"],
    ["64 KiB value", "x".repeat(64 * 1024)],
    ["JSON", JSON.stringify({ client_email: "a@b.c", private_key: "-----BEGIN PRIVATE KEY-----\n..." })],
  ])("%s", (_name, plaintext) => {
    const token = encrypt(ring, plaintext, AAD);
    expect(decrypt(ring, token, AAD)).toBe(plaintext);
  });

  it("holds for arbitrary Unicode strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (plaintext) => {
        expect(decrypt(ring, encrypt(ring, plaintext, AAD), AAD)).toBe(plaintext);
      }),
      { numRuns: 200 },
    );
  });

  it("produces the documented format and never contains the plaintext", () => {
    const token = encrypt(ring, SECRET, AAD);
    expect(token).toMatch(/^pv1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(token.split(".")[1]).toBe(ring.current.id);
    expect(Buffer.from(token.split(".")[2]!, "base64url")).toHaveLength(12);
    // ciphertext || 16-byte tag; GCM does not pad
    expect(Buffer.from(token.split(".")[3]!, "base64url")).toHaveLength(Buffer.byteLength(SECRET) + 16);
    expect(token).not.toContain(SECRET);
  });

  it("uses a fresh nonce: the same plaintext encrypts differently every time", () => {
    const tokens = Array.from({ length: 50 }, () => encrypt(ring, SECRET, AAD));
    expect(new Set(tokens).size).toBe(50);
    expect(new Set(tokens.map((t) => t.split(".")[2])).size).toBe(50);
  });

  it("refuses plaintext with a lone surrogate instead of altering it", () => {
    expect(() => encrypt(ring, "abc\uD800", AAD)).toThrow(TypeError);
  });
});

describe("tampering", () => {
  const token = encrypt(ring, SECRET, AAD);

  it("any changed byte of the nonce fails authentication", () => {
    for (let i = 0; i < 12; i++) {
      const bad = withBytes(token, 2, (b) => {
        b[i] = b[i]! ^ 0x01;
        return b;
      });
      expectFailure(() => decrypt(ring, bad, AAD), "authentication_failed");
    }
  });

  it("any changed byte of the ciphertext or the tag fails authentication", () => {
    const length = Buffer.from(token.split(".")[3]!, "base64url").length;
    for (let i = 0; i < length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bad = withBytes(token, 3, (b) => {
          b[i] = b[i]! ^ mask;
          return b;
        });
        expectFailure(() => decrypt(ring, bad, AAD), "authentication_failed");
      }
    }
  });

  it("a shortened or extended ciphertext fails", () => {
    expectFailure(
      () =>
        decrypt(
          ring,
          withBytes(token, 3, (b) => b.subarray(1)),
          AAD,
        ),
      "authentication_failed",
    );
    expectFailure(
      () =>
        decrypt(
          ring,
          withBytes(token, 3, (b) => b.subarray(0, -1)),
          AAD,
        ),
      "authentication_failed",
    );
    expectFailure(
      () =>
        decrypt(
          ring,
          withBytes(token, 3, (b) => Buffer.concat([b, Buffer.of(0)])),
          AAD,
        ),
      "authentication_failed",
    );
  });

  it("any changed character anywhere in the token is rejected, never decrypted", () => {
    const alphabet = "0123456789abcdefABCDEF_-.xZ";
    for (let i = 0; i < token.length; i++) {
      for (const c of alphabet) {
        if (c === token[i]) continue;
        const bad = token.slice(0, i) + c + token.slice(i + 1);
        expectFailure(() => decrypt(ring, bad, AAD), "authentication_failed", "malformed", "unknown_key");
      }
    }
  });

  it("the header is authenticated: relabelling the key id as another loaded key fails", () => {
    const rotating = createKeyring({ masterKey: KEY_NEW, previousKey: KEY_OLD });
    const relabelled = token.replace(rotating.current.id, rotating.previous!.id);
    expectFailure(() => decrypt(rotating, relabelled, AAD), "authentication_failed");
  });

  it("the key id is part of the authenticated data, not just a key selector", () => {
    // Two ids over the same key material (impossible via createKeyring, but it isolates the AAD):
    // only the header binding can catch the relabelling.
    const k = ring.current;
    const twins = { current: k, previous: { id: "0123456789abcdef", encryptionKey: k.encryptionKey, macKey: k.macKey } };
    const relabelled = token.replace(k.id, "0123456789abcdef");
    expectFailure(() => decrypt(twins, relabelled, AAD), "authentication_failed");
  });

  it("an unknown version is malformed", () => {
    expectFailure(() => decrypt(ring, token.replace(/^pv1/, "pv2"), AAD), "malformed");
  });
});

describe("associated data binds a ciphertext to its row and field", () => {
  const token = encrypt(ring, SECRET, AAD);

  it.each([
    ["another row", aadFor("secrets", "sec_124", "value")],
    ["another field", aadFor("secrets", "sec_123", "description")],
    ["another table", aadFor("provider_connections", "sec_123", "value")],
  ])("moved to %s fails", (_name, aad) => {
    expectFailure(() => decrypt(ring, token, aad), "authentication_failed");
  });

  it("two rows' ciphertexts swapped both fail", () => {
    const aadA = aadFor("provider_connections", "pc_a", "config.secretAccessKey");
    const aadB = aadFor("provider_connections", "pc_b", "config.secretAccessKey");
    const a = encrypt(ring, "secret-of-a", aadA);
    const b = encrypt(ring, "secret-of-b", aadB);
    expectFailure(() => decrypt(ring, b, aadA), "authentication_failed");
    expectFailure(() => decrypt(ring, a, aadB), "authentication_failed");
  });

  it("aadFor builds table:rowId:field and rejects ambiguous parts", () => {
    expect(aadFor("secrets", "abc", "value")).toBe("secrets:abc:value");
    expect(() => aadFor("secrets", "a:b", "value")).toThrow(TypeError);
    expect(() => aadFor("secrets:x", "a", "value")).toThrow(TypeError);
    expect(() => aadFor("secrets", "", "value")).toThrow(TypeError);
    expect(() => aadFor("secrets", "a", "")).toThrow(TypeError);
  });

  it("encrypt and decrypt accept only aadFor's shape", () => {
    for (const aad of ["", "secrets", "secrets:abc", "a::b", "a:b:c:d"]) {
      expect(() => encrypt(ring, SECRET, aad)).toThrow(TypeError);
      expect(() => decrypt(ring, token, aad)).toThrow(TypeError);
    }
  });
});

describe("wrong or unknown key", () => {
  it("a token under another key is unknown_key, naming only the key id", () => {
    const token = encrypt(createKeyring({ masterKey: KEY_OTHER }), SECRET, AAD);
    const error = expectFailure(() => decrypt(ring, token, AAD), "unknown_key");
    expect(error.keyId).toBe(keyIdOf(token));
    expect(error.message).toContain(keyIdOf(token)!);
  });

  it("the right key id with the wrong key material fails authentication", () => {
    // Simulates a key whose id matches but whose encryption key does not (e.g. a corrupted keyring).
    const token = encrypt(ring, SECRET, AAD);
    const forged = { current: { id: ring.current.id, encryptionKey: Buffer.alloc(32, 7), macKey: Buffer.alloc(32) } };
    expectFailure(() => decrypt(forged, token, AAD), "authentication_failed");
  });
});

describe("malformed input never crashes", () => {
  const token = encrypt(ring, SECRET, AAD);
  const [, keyId, nonce, sealed] = token.split(".") as [string, string, string, string];

  it.each([
    ["empty", ""],
    ["garbage", "not a token"],
    ["JSON", '{"v":1}'],
    ["version only", "pv1"],
    ["missing part", `pv1.${keyId}.${nonce}`],
    ["extra part", `${token}.x`],
    ["empty nonce", `pv1.${keyId}..${sealed}`],
    ["short nonce", `pv1.${keyId}.${nonce.slice(0, 12)}.${sealed}`],
    ["long nonce", `pv1.${keyId}.${nonce}AAAA.${sealed}`],
    ["tag-less ciphertext", `pv1.${keyId}.${nonce}.${Buffer.alloc(15).toString("base64url")}`],
    ["empty ciphertext", `pv1.${keyId}.${nonce}.`],
    ["padded base64", `pv1.${keyId}.${nonce}.${sealed}==`],
    ["standard base64 chars", `pv1.${keyId}.${nonce}.${sealed.slice(0, -1)}+`],
    ["uppercase key id", `pv1.${keyId.toUpperCase()}.${nonce}.${sealed}`],
    ["short key id", `pv1.${keyId.slice(1)}.${nonce}.${sealed}`],
    ["whitespace", ` ${token}`],
  ])("%s", (_name, bad) => {
    expectFailure(() => decrypt(ring, bad, AAD), "malformed");
  });

  it("every prefix of a token is rejected", () => {
    for (let i = 0; i < token.length; i++) {
      expectFailure(() => decrypt(ring, token.slice(0, i), AAD), "malformed", "authentication_failed");
    }
  });

  it("non-string input from a bad database row is malformed", () => {
    for (const bad of [null, undefined, 42, {}]) {
      expectFailure(() => decrypt(ring, bad as unknown as string, AAD), "malformed");
      expect(keyIdOf(bad as unknown as string)).toBeNull();
    }
  });

  it("random strings only ever produce DecryptionError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (junk) => {
        expectFailure(() => decrypt(ring, junk, AAD), "malformed", "unknown_key", "authentication_failed");
      }),
      { numRuns: 300 },
    );
  });
});

describe("rotation", () => {
  const oldRing = createKeyring({ masterKey: KEY_OLD });
  const rotating = createKeyring({ masterKey: KEY_NEW, previousKey: KEY_OLD });
  const oldToken = encrypt(oldRing, SECRET, AAD);

  it("old ciphertexts still decrypt with the previous key", () => {
    expect(keyIdOf(oldToken)).toBe(rotating.previous!.id);
    expect(decrypt(rotating, oldToken, AAD)).toBe(SECRET);
    expect(isCurrentKey(rotating, oldToken)).toBe(false);
  });

  it("new encryptions always use the current key", () => {
    const token = encrypt(rotating, SECRET, AAD);
    expect(keyIdOf(token)).toBe(rotating.current.id);
    expect(isCurrentKey(rotating, token)).toBe(true);
    expect(decrypt(createKeyring({ masterKey: KEY_NEW }), token, AAD)).toBe(SECRET);
    expectFailure(() => decrypt(oldRing, token, AAD), "unknown_key");
  });

  it("reencrypt moves a value to the current key and leaves current ones alone", () => {
    const moved = reencrypt(rotating, oldToken, AAD);
    expect(isCurrentKey(rotating, moved)).toBe(true);
    expect(decrypt(createKeyring({ masterKey: KEY_NEW }), moved, AAD)).toBe(SECRET);
    expect(reencrypt(rotating, moved, AAD)).toBe(moved);
    // It still verifies the AAD, so a misplaced value is not laundered into a valid one.
    expectFailure(() => reencrypt(rotating, oldToken, aadFor("secrets", "other", "value")), "authentication_failed");
  });

  it("after the previous key is dropped, old ciphertexts are unknown_key", () => {
    expectFailure(() => decrypt(createKeyring({ masterKey: KEY_NEW }), oldToken, AAD), "unknown_key");
  });

  it("keyIdOf returns null for non-tokens", () => {
    expect(keyIdOf("garbage")).toBeNull();
    expect(keyIdOf("")).toBeNull();
    expect(isCurrentKey(rotating, "garbage")).toBe(false);
  });
});

describe("error messages", () => {
  it("never contain the plaintext, the token, the AAD's value or any key", () => {
    const rotating = createKeyring({ masterKey: KEY_NEW, previousKey: KEY_OLD });
    const token = encrypt(rotating, SECRET, AAD);
    const other = encrypt(createKeyring({ masterKey: KEY_OTHER }), SECRET, AAD);
    const errors = [
      decryptionError(() => decrypt(rotating, token, aadFor("secrets", "x", "value"))),
      decryptionError(() =>
        decrypt(
          rotating,
          withBytes(token, 3, (b) => b.fill(0)),
          AAD,
        ),
      ),
      decryptionError(() => decrypt(rotating, other, AAD)),
      decryptionError(() => decrypt(rotating, token.slice(0, 20), AAD)),
      decryptionError(() => decrypt(rotating, SECRET, AAD)),
    ];
    const forbidden = [
      SECRET,
      token.split(".")[3]!,
      KEY_NEW,
      KEY_OLD,
      KEY_OTHER,
      rotating.current.encryptionKey.toString("hex"),
      rotating.current.encryptionKey.toString("base64url"),
      rotating.previous!.encryptionKey.toString("hex"),
    ];
    for (const error of errors) {
      const rendered = [error.message, String(error), JSON.stringify(error), error.stack ?? ""].join("\n");
      for (const needle of forbidden) expect(rendered).not.toContain(needle);
      expect(error.cause).toBeUndefined();
      expect(error.name).toBe("DecryptionError");
    }
  });
});
