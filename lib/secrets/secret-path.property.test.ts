import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters } from "@/tests/support/fuzz-seed";
import { isSecretPath, isValidPrefix, matchesPrefix } from "./secret-path";
import { secretPath } from "./secret-schemas";

/**
 * `secretPath` fuzzed against its specification (CONTRACT "Secrets"): a dotted name,
 * `^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`, at most 200 characters. The request schema forgives
 * surrounding whitespace (it trims). The reference is written from that text, without a regex.
 */
const NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const referenceIsPath = (s: string) =>
  s.length >= 1 && s.length <= 200 && s.split(".").every((name) => name.length > 0 && [...name].every((c) => NAME_CHARS.includes(c)));

const piece = fc.oneof(
  fc.constantFrom("stripe", "apiKey", "db", "a", "A-1", "_", "-", "x".repeat(99), "x".repeat(100)),
  fc.constantFrom(
    "",
    " ",
    "\t",
    "\n",
    "\u0000",
    "\u00a0",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\ud800",
    "\u{1F511}",
    "é",
    "/",
    "*",
    "a b",
    "..",
    "%2E",
  ),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/),
  fc.string({ maxLength: 4, unit: "binary" }),
);
const dotted = fc.array(piece, { minLength: 1, maxLength: 6 }).map((a) => a.join("."));
const wrapped = fc
  .tuple(fc.constantFrom("", " ", "\n", "."), dotted, fc.constantFrom("", " ", "\t", ".", "\n"))
  .map(([a, p, b]) => `${a}${p}${b}`);
const candidate = fc.oneof(
  dotted,
  wrapped,
  fc.integer({ min: 195, max: 205 }).map((n) => `${"a.".repeat(n)}`.slice(0, n)),
);

describe("secretPath against the spec", () => {
  it("isSecretPath accepts exactly the contract's dotted names", () => {
    fc.assert(
      fc.property(candidate, (s) => {
        expect(isSecretPath(s), JSON.stringify(s)).toBe(referenceIsPath(s));
      }),
      fuzzParameters(3000),
    );
  });

  it("the request schema accepts exactly the contract's names once trimmed, and stores the trimmed name", () => {
    fc.assert(
      fc.property(candidate, (s) => {
        const parsed = secretPath.safeParse(s);
        expect(parsed.success, JSON.stringify(s)).toBe(referenceIsPath(s.trim()));
        if (parsed.success) expect(parsed.data).toBe(s.trim());
      }),
      fuzzParameters(3000),
    );
  });

  it("a prefix matches the path itself and what is below it, never a sibling that only starts the same", () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,4}$/);
    const path = fc.array(name, { minLength: 1, maxLength: 4 }).map((a) => a.join("."));
    fc.assert(
      fc.property(path, path, fc.boolean(), (p, prefix, trailingDot) => {
        const written = trailingDot ? `${prefix}.` : prefix;
        expect(isValidPrefix(written)).toBe(true);
        const below = p.startsWith(`${prefix}.`);
        expect(matchesPrefix(p, written)).toBe(trailingDot ? below : below || p === prefix);
      }),
      fuzzParameters(2000),
    );
  });
});
