import { describe, expect, it } from "vitest";
import { BundleError, DEFAULT_KDF_COST, openBundle, parseBundleFile, sealBundle, type KdfCost } from "@/lib/transfer/bundle-crypto";
import { rejectionOf } from "../support/rejection";

/**
 * A bundle's header chooses the scrypt cost a reader pays before the passphrase is checked. A
 * header alone may cost at most what `export` spends itself (128 MiB, N * r * p = 2^20); anything
 * more is refused without deriving a key, so at once. Before this bound, N=2^20, r=8, p=16 was
 * accepted and cost about 53 s and 1.15 GB before failing.
 */
const PASSPHRASE = "correct horse battery staple";
const CHEAP: KdfCost = { N: 2 ** 14, r: 8, p: 1 };

async function crafted(kdf: Partial<KdfCost>): Promise<string> {
  const file = JSON.parse(await sealBundle("{}", PASSPHRASE, CHEAP)) as { kdf: Record<string, unknown> };
  Object.assign(file.kdf, kdf);
  return JSON.stringify(file);
}

describe("bundle KDF bounds", () => {
  it.each([
    ["the reported header (N=2^20, r=8, p=16)", { N: 2 ** 20, r: 8, p: 16 }, /N|memory|work/],
    [
      "16 times the default's work within the old bounds (N=2^17, r=8, p=16)",
      { N: 2 ** 17, r: 8, p: 16 },
      /more work than an export ever uses/,
    ],
    ["more than 128 MiB (N=2^17, r=16)", { N: 2 ** 17, r: 16, p: 1 }, /more than 128 MiB/],
    ["N above 2^17", { N: 2 ** 18, r: 8, p: 1 }, /kdf\.N/],
  ])("refuses %s from the header alone, at once", async (_name, kdf, message) => {
    const text = await crafted(kdf);
    const started = performance.now();
    expect(() => parseBundleFile(text)).toThrow(message);
    const error = await rejectionOf(openBundle(text, PASSPHRASE), BundleError);
    expect(error.reason).toBe("malformed");
    expect(error.message).toMatch(/header is damaged or not supported/);
    // No key was derived: refusing takes milliseconds (deriving at this cost would take many seconds).
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("still accepts the default cost and its equal-cost variants", async () => {
    expect(parseBundleFile(await crafted(DEFAULT_KDF_COST)).kdf).toMatchObject(DEFAULT_KDF_COST);
    expect(parseBundleFile(await crafted({ N: 2 ** 16, r: 16, p: 1 })).kdf.r).toBe(16);
    expect(parseBundleFile(await crafted({ N: 2 ** 14, r: 8, p: 8 })).kdf.p).toBe(8);
  });
});
