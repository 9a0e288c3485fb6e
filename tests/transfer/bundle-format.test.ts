import { describe, expect, it } from "vitest";
import {
  BundleError,
  DEFAULT_KDF_COST,
  openBundle,
  parseBundleFile,
  sealBundle,
  type BundleFailure,
  type KdfCost,
} from "@/lib/transfer/bundle-crypto";
import { rejectionOf } from "../support/rejection";

// The bundle envelope alone (no database): format, header binding, tampering, passphrase rules.
const CHEAP: KdfCost = { N: 2 ** 14, r: 8, p: 1 };
const PASSPHRASE = "correct horse battery staple";
const PLAINTEXT = JSON.stringify({ hello: "wörld 🔑", secret: "sk_live_bundle-format-test-value" });

async function expectFailure(promise: Promise<unknown>, ...reasons: BundleFailure[]): Promise<BundleError> {
  const error = await rejectionOf(promise, BundleError);
  expect(reasons).toContain(error.reason);
  return error;
}

/** Rewrites the file's JSON (header members) and re-serialises it. */
function edit(text: string, change: (file: Record<string, unknown> & { kdf: Record<string, unknown> }) => void): string {
  const file = JSON.parse(text) as Record<string, unknown> & { kdf: Record<string, unknown> };
  change(file);
  return JSON.stringify(file);
}

describe("bundle format", () => {
  it("writes the documented header and opens with the passphrase", async () => {
    const text = await sealBundle(PLAINTEXT, PASSPHRASE, CHEAP);
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(file)).toEqual(["format", "version", "kdf", "cipher", "nonce", "ciphertext"]);
    expect(file).toMatchObject({
      format: "provenance-bundle",
      version: 1,
      cipher: "aes-256-gcm",
      kdf: { name: "scrypt", N: 2 ** 14, r: 8, p: 1 },
    });
    expect(Buffer.from((file.kdf as { salt: string }).salt, "base64url")).toHaveLength(16);
    expect(Buffer.from(file.nonce as string, "base64url")).toHaveLength(12);
    expect(Buffer.from(file.ciphertext as string, "base64url")).toHaveLength(Buffer.byteLength(PLAINTEXT) + 16);
    expect(await openBundle(text, PASSPHRASE)).toBe(PLAINTEXT);
    expect(text).not.toContain("sk_live");
  });

  it("uses scrypt N=2^17, r=8, p=1 by default, with a fresh salt and nonce every time", async () => {
    expect(DEFAULT_KDF_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const started = Date.now();
    const a = JSON.parse(await sealBundle(PLAINTEXT, PASSPHRASE)) as {
      kdf: { N: number; salt: string };
      nonce: string;
      ciphertext: string;
    };
    const b = JSON.parse(await sealBundle(PLAINTEXT, PASSPHRASE)) as typeof a;
    expect(a.kdf.N).toBe(131072);
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("NFC-normalises the passphrase: composed and decomposed accents open the same bundle", async () => {
    const composed = "passphrase-caf\u00e9-long";
    const decomposed = "passphrase-cafe\u0301-long";
    const text = await sealBundle(PLAINTEXT, composed, CHEAP);
    expect(await openBundle(text, decomposed)).toBe(PLAINTEXT);
  });
});

describe("passphrase rules", () => {
  it.each(["", "short", "elevenchars"])("refuses %j (fewer than 12 characters)", async (passphrase) => {
    const error = await expectFailure(sealBundle(PLAINTEXT, passphrase, CHEAP), "weak_passphrase");
    expect(error.message).toMatch(/at least 12/);
  });

  it("counts characters, not bytes", async () => {
    await expectFailure(sealBundle(PLAINTEXT, "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", CHEAP), "weak_passphrase");
    expect(await openBundle(await sealBundle(PLAINTEXT, "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", CHEAP), "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑")).toBe(PLAINTEXT);
  });

  it("a wrong passphrase fails authentication with a message that names neither passphrase", async () => {
    const text = await sealBundle(PLAINTEXT, PASSPHRASE, CHEAP);
    const error = await expectFailure(openBundle(text, "correct horse battery stapler"), "authentication_failed");
    expect(error.message).toMatch(/passphrase is wrong, or the file was altered/);
    expect(error.message).not.toContain("horse");
    expect(error.code).toBe("validation_error");
  });
});

describe("tampering", () => {
  it("any flipped bit in the ciphertext or tag fails (sampled across the whole ciphertext)", async () => {
    const text = await sealBundle(PLAINTEXT, PASSPHRASE, CHEAP);
    const file = JSON.parse(text) as { ciphertext: string };
    const sealed = Buffer.from(file.ciphertext, "base64url");
    const positions = [0, 1, Math.floor(sealed.length / 2), sealed.length - 17, sealed.length - 16, sealed.length - 1];
    for (const position of positions) {
      const bad = Buffer.from(sealed);
      bad[position] = bad[position]! ^ 0x01;
      await expectFailure(
        openBundle(
          edit(text, (f) => (f.ciphertext = bad.toString("base64url"))),
          PASSPHRASE,
        ),
        "authentication_failed",
      );
    }
  });

  it("a truncated or extended ciphertext fails", async () => {
    const text = await sealBundle(PLAINTEXT, PASSPHRASE, CHEAP);
    const sealed = Buffer.from((JSON.parse(text) as { ciphertext: string }).ciphertext, "base64url");
    for (const changed of [sealed.subarray(1), sealed.subarray(0, -1), Buffer.concat([sealed, Buffer.of(0)])]) {
      await expectFailure(
        openBundle(
          edit(text, (f) => (f.ciphertext = changed.toString("base64url"))),
          PASSPHRASE,
        ),
        "authentication_failed",
      );
    }
  });

  it("the header is bound: a changed nonce, salt or KDF parameter fails even when still acceptable", async () => {
    const text = await sealBundle(PLAINTEXT, PASSPHRASE, CHEAP);
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, "base64url");
      bytes[0] = bytes[0]! ^ 0x80;
      return bytes.toString("base64url");
    };
    const changes: Array<(f: Record<string, unknown> & { kdf: Record<string, unknown> }) => void> = [
      (f) => (f.nonce = flip(f.nonce as string)),
      (f) => (f.kdf.salt = flip(f.kdf.salt as string)),
      (f) => (f.kdf.N = 2 ** 15),
      (f) => (f.kdf.r = 9),
      (f) => (f.kdf.p = 2),
    ];
    for (const change of changes) await expectFailure(openBundle(edit(text, change), PASSPHRASE), "authentication_failed");
  });

  it("a flipped byte anywhere in the file text is refused, never decrypted", async () => {
    const text = await sealBundle("{}", PASSPHRASE, CHEAP);
    // Every position of the header, and a sample of the ciphertext: each is either no longer a
    // valid bundle (malformed) or fails authentication.
    const ciphertextStart = text.indexOf('"ciphertext"');
    const positions = [...Array(ciphertextStart).keys(), ciphertextStart + 15, ciphertextStart + 30, text.length - 4];
    const opened: number[] = [];
    for (const i of positions) {
      const changed = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 0x01) + text.slice(i + 1);
      try {
        await openBundle(changed, PASSPHRASE);
        opened.push(i);
      } catch (error) {
        expect(error).toBeInstanceOf(BundleError);
        expect(["malformed", "authentication_failed"]).toContain((error as BundleError).reason);
      }
    }
    expect(opened).toEqual([]);
  }, 180_000);

  it("tells a file that is not a bundle, a later version and an unsafe header apart", async () => {
    const text = await sealBundle(PLAINTEXT, PASSPHRASE, CHEAP);
    expect((await rejectionOf(openBundle("not json", PASSPHRASE), BundleError)).message).toMatch(/not a Provenance bundle/);
    expect((await rejectionOf(openBundle("{}", PASSPHRASE), BundleError)).reason).toBe("malformed");
    const later = await rejectionOf(
      openBundle(
        edit(text, (f) => (f.version = 2)),
        PASSPHRASE,
      ),
      BundleError,
    );
    expect(later.reason).toBe("unsupported_version");
    expect(later.message).toMatch(/version 2.*Upgrade Provenance/);
    const cases: Array<[string, (f: Record<string, unknown> & { kdf: Record<string, unknown> }) => void]> = [
      ["cipher", (f) => (f.cipher = "aes-128-gcm")],
      ["kdf name", (f) => (f.kdf.name = "pbkdf2")],
      ["weak N", (f) => (f.kdf.N = 1024)],
      ["N not a power of two", (f) => (f.kdf.N = 100_000)],
      ["huge memory", (f) => ((f.kdf.N = 2 ** 22), (f.kdf.r = 32))],
      ["short salt", (f) => (f.kdf.salt = "AAAA")],
      ["short nonce", (f) => (f.nonce = "AAAAAAAA")],
      ["extra member", (f) => (f.note = "hi")],
      ["non-base64url ciphertext", (f) => (f.ciphertext = `${f.ciphertext as string}+`)],
      ["missing ciphertext", (f) => delete f.ciphertext],
    ];
    for (const [name, change] of cases) {
      const error = await rejectionOf(openBundle(edit(text, change), PASSPHRASE), BundleError);
      expect(error.reason, name).toBe("malformed");
      expect(error.message, name).toMatch(/header is damaged or not supported/);
    }
  });

  it("parseBundleFile checks the header without a passphrase", async () => {
    const text = await sealBundle(PLAINTEXT, PASSPHRASE, CHEAP);
    expect(parseBundleFile(text).kdf.N).toBe(2 ** 14);
    expect(() => parseBundleFile('{"format":"something-else"}')).toThrow(/not a Provenance bundle/);
  });
});
