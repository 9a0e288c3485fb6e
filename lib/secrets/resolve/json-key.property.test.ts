import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters } from "@/tests/support/fuzz-seed";
import { isAppError } from "@/lib/errors";
import { providerConfigShape } from "../secret-schemas";
import { extractJsonKey } from "./json-key";

/**
 * `jsonKey` fuzzed against its specification (CONTRACT): the value is parsed as JSON and that
 * key's value returned, a string as-is and anything else as its JSON text; a missing key is
 * `json_key_not_found`, a value that is not a JSON object is `not_json`. Documented extension: a
 * dotted key walks into nested objects unless a key with the dots in it exists at the top. Only
 * the document's own members count (never `constructor` or `__proto__` from Object), and with
 * duplicate keys the last one wins, as in JSON.parse.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON text of an object from its entries, keeping duplicates and `__proto__` as written. */
function objectText(entries: Array<[string, Json]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;
}

/** The member of an entry list the spec picks: the last one with that key. */
function lastMember(entries: Array<[string, Json]>, key: string): { found: boolean; value?: Json } {
  for (let i = entries.length - 1; i >= 0; i -= 1) if (entries[i]![0] === key) return { found: true, value: entries[i]![1] };
  return { found: false };
}

const asText = (value: Json) => (typeof value === "string" ? value : JSON.stringify(value));

function outcome(run: () => string): { value: string } | { code: string } {
  try {
    return { value: run() };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code };
  }
}

const key = fc.oneof(
  fc.constantFrom(
    "password",
    "api_key",
    "a",
    "a.b",
    "b",
    "0",
    "",
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "a..b",
    ".a",
    "a.",
  ),
  fc.constantFrom("\u0000", "\ud800", "\u202e", "\u200b", "\u{1F511}", "é", " "),
  fc.string({ maxLength: 6, unit: "binary" }),
);
const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<Json> = fc.oneof(
  leaf,
  fc.array(leaf, { maxLength: 3 }),
  fc.array(fc.tuple(key, leaf), { maxLength: 3 }).map((entries) => JSON.parse(objectText(entries)) as Json),
);
const entries = fc.array(fc.tuple(key, value), { maxLength: 6 });

describe("jsonKey against the spec", () => {
  it("a key present at the top returns its last value: a string as-is, anything else as JSON text", () => {
    fc.assert(
      fc.property(entries, key, (members, wanted) => {
        const member = lastMember(members, wanted);
        fc.pre(member.found);
        expect(extractJsonKey({ value: objectText(members) }, wanted, "x")).toBe(asText(member.value!));
      }),
      fuzzParameters(2000),
    );
  });

  it("a key absent at the top walks dotted parts through own members of objects, else json_key_not_found", () => {
    fc.assert(
      fc.property(entries, key, (members, wanted) => {
        fc.pre(!lastMember(members, wanted).found);
        let current: Json | undefined = JSON.parse(objectText(members)) as Json;
        for (const part of wanted.split(".")) {
          const isObject: boolean = typeof current === "object" && current !== null && !Array.isArray(current);
          current = isObject && Object.hasOwn(current as object, part) ? (current as Record<string, Json>)[part] : undefined;
          if (current === undefined) break;
        }
        const expected = current === undefined ? { code: "json_key_not_found" } : { value: asText(current) };
        expect(outcome(() => extractJsonKey({ value: objectText(members) }, wanted, "x"))).toEqual(expected);
      }),
      fuzzParameters(2000),
    );
  });

  it("a value that is not a JSON object is not_json, whatever the key", () => {
    const notObject = fc.oneof(
      fc.string({ unit: "binary", maxLength: 20 }).filter((s) => {
        try {
          const parsed: unknown = JSON.parse(s);
          return typeof parsed !== "object" || parsed === null || Array.isArray(parsed);
        } catch {
          return true;
        }
      }),
      fc
        .jsonValue({ maxDepth: 2 })
        .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(notObject, key, (text, wanted) => {
        expect(outcome(() => extractJsonKey({ value: text }, wanted, "x"))).toEqual({ code: "not_json" });
      }),
      fuzzParameters(2000),
    );
  });

  it("the error never carries the secret value", () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/);
    fc.assert(
      fc.property(secret, key, (s, wanted) => {
        fc.pre(!s.includes(wanted) || wanted === "");
        for (const text of [s, objectText([["other", s]])]) {
          try {
            extractJsonKey({ value: text }, wanted, "x");
          } catch (error) {
            expect((error as Error).message).not.toContain(s);
          }
        }
      }),
      fuzzParameters(500),
    );
  });

  it("providerConfig.jsonKey accepts any single line of 1-200 well-formed characters", () => {
    const candidate = fc.oneof(
      key,
      fc.string({ unit: "binary", maxLength: 210 }),
      fc.integer({ min: 195, max: 205 }).map((n) => "k".repeat(n)),
    );
    fc.assert(
      fc.property(candidate, (k) => {
        const valid = k.length >= 1 && k.length <= 200 && k.isWellFormed() && ![...k].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f");
        expect(providerConfigShape.safeParse({ jsonKey: k }).success, JSON.stringify(k)).toBe(valid);
      }),
      fuzzParameters(2000),
    );
  });
});
