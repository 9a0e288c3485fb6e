import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters } from "@/tests/support/fuzz-seed";
import { vaultDefinition } from "./definition";
import { normalizeVaultPath, vaultValue } from "./paths";

/**
 * The Vault path rules fuzzed against their specification (CONTRACT "Path rules", seed document):
 *   secret/my-app/api-key   → secret/data/my-app/api-key   (KV v2: data/ inserted after the mount)
 *   secret/data/my-app/...  → as-is
 *   KV v1                   → as written
 * A path is a mount and a secret under it: two or more `/`-separated segments. What a segment may
 * hold is ours to fix (the request URL is built from it): letters, digits, spaces and _ . @ : + = , ~ -,
 * never blank, never `.` or `..` (they would re-route the request). Surrounding whitespace and
 * slashes are forgiven. The reference below is written from that text, character by character.
 * CONTRACT "Vault connections read KV secrets, nothing else": a path under Vault's built-in
 * non-KV mounts (auth/, sys/, identity/, cubbyhole/, in any case) is refused as well.
 */
const BUILT_IN_NON_KV = ["auth", "sys", "identity", "cubbyhole"];
const SEGMENT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _.@:+=,~-";

function referenceSegments(path: string): string[] | null {
  let clean = path.trim();
  while (clean.startsWith("/")) clean = clean.slice(1);
  while (clean.endsWith("/")) clean = clean.slice(0, -1);
  const segments = clean.split("/");
  if (segments.length < 2) return null;
  const segmentOk = (s: string) => s.trim() !== "" && s !== "." && s !== ".." && [...s].every((c) => SEGMENT_CHARS.includes(c));
  if (!segments.every(segmentOk)) return null;
  return BUILT_IN_NON_KV.includes(segments[0]!.toLowerCase()) ? null : segments;
}

function referenceApiPath(path: string, kvVersion: "1" | "2"): string | null {
  const segments = referenceSegments(path);
  if (!segments) return null;
  if (kvVersion === "1") return segments.join("/");
  const [mount, ...rest] = segments;
  if (rest[0] === "data" && rest.length >= 2) return segments.join("/");
  return [mount, "data", ...rest].join("/");
}

function implementation(path: string, kvVersion: "1" | "2"): string | null {
  try {
    return normalizeVaultPath(path, kvVersion).apiPath;
  } catch (error) {
    expect(error).toMatchObject({ code: "provider_error", message: expect.stringMatching(/^HashiCorp Vault: invalid path/) });
    return null;
  }
}

const HOSTILE = [
  "",
  " ",
  "  ",
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
  ".",
  "..",
  "...",
  "%2F",
  "?",
  "#",
  "&",
  "\\",
];
const segment = fc.oneof(
  fc.constantFrom(
    "secret",
    "kv",
    "data",
    "auth",
    "sys",
    "Sys",
    "identity",
    "CUBBYHOLE",
    "token",
    "lookup-self",
    "my-app",
    "api-key",
    "team a",
    "key b",
    "a:b",
    "a,b",
    "~x",
    "a@b",
    "x=y",
    "+",
    "v1.2",
  ),
  fc.constantFrom(...HOSTILE),
  fc.stringMatching(/^[A-Za-z0-9 _.@:+=,~-]{1,10}$/),
  fc.string({ maxLength: 5, unit: "binary" }),
);
const vaultPath = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("", "/", "//", " ", " /"),
      fc.array(segment, { minLength: 1, maxLength: 5 }),
      fc.constantFrom("", "/", " ", "/ ", "\t"),
    )
    .map(([a, segments, b]) => `${a}${segments.join("/")}${b}`),
  fc.array(fc.oneof(segment, fc.constant("/")), { maxLength: 8 }).map((a) => a.join("")),
);

describe("Vault path rules against the spec", () => {
  it.each(["2", "1"] as const)(
    "normalizeVaultPath (KV v%s) accepts exactly the spec's paths and maps them as the spec says",
    (kvVersion) => {
      fc.assert(
        fc.property(vaultPath, (path) => {
          expect(implementation(path, kvVersion)).toBe(referenceApiPath(path, kvVersion));
        }),
        fuzzParameters(3000),
      );
    },
  );

  it("creating a secret accepts exactly the paths that can later be fetched (checkPath agrees with the fetch)", () => {
    fc.assert(
      fc.property(vaultPath, (path) => {
        // The secret schema trims providerPath before checkPath sees it.
        const accepted = vaultDefinition.checkPath(path.trim()) === null;
        expect(accepted, `checkPath(${JSON.stringify(path.trim())})`).toBe(referenceSegments(path) !== null);
      }),
      fuzzParameters(3000),
    );
  });

  it.each([
    ["secret/ ", false],
    ["secret/ /x", false],
    ["secret/a/ /b", false],
    ["kv", false],
    ["secret/my:app", true],
    ["team a/key", true],
  ])("checkPath(%j) accepts: %s", (path, accepted) => {
    expect(vaultDefinition.checkPath(path) === null).toBe(accepted);
  });

  it("a KV v1 path names a secret under its mount, never the mount alone", () => {
    expect(implementation("kv", "1")).toBeNull();
    expect(implementation("kv/legacy", "1")).toBe("kv/legacy");
  });

  it("without jsonKey: one key gives its value, several keys the whole object as JSON (CONTRACT)", () => {
    const value = fc.oneof(fc.string({ unit: "binary" }), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: "binary", maxLength: 8 }), value, { maxKeys: 4 }), (fields) => {
        const keys = Object.keys(fields);
        const only = fields[keys[0]!];
        const expected = keys.length === 1 ? (typeof only === "string" ? only : JSON.stringify(only)) : JSON.stringify(fields);
        expect(vaultValue(fields)).toBe(expected);
      }),
      fuzzParameters(1000),
    );
  });
});
