import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters } from "@/tests/support/fuzz-seed";
import { gcpSmDefinition } from "./definition";
import { expandGcpPath } from "./paths";

/**
 * The GCP path rules fuzzed against their specification (CONTRACT "Path rules", seed document):
 *   my-secret                        → projects/{projectId}/secrets/my-secret/versions/latest
 *   projects/p/secrets/s             → projects/p/secrets/s/versions/latest
 *   projects/p/secrets/s/versions/N  → used as-is
 * with GCP's own naming: a secret id is 1-255 letters, digits, _ and -; a version is `latest`, a
 * version number (they start at 1) or an alias (a letter, then letters, digits, _ and -, at most
 * 63). The contract writes `projects/p/...`, so a project is any 1-100 letters, digits, `.`, `:`
 * (domain-scoped ids) and `-`, not only a full GCP project id. Surrounding whitespace and slashes
 * are forgiven. The reference below is written from that text, character by character.
 */
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const only = (s: string, allowed: string) => [...s].every((c) => allowed.includes(c));

const isSecretId = (s: string) => s.length >= 1 && s.length <= 255 && only(s, `${LETTERS}${DIGITS}_-`);
const isProject = (s: string) => s.length >= 1 && s.length <= 100 && only(s, `${LETTERS}${DIGITS}.:-`);
const isVersionNumber = (s: string) => s.length >= 1 && s.length <= 19 && only(s, DIGITS) && s[0] !== "0";
const isAlias = (s: string) => s.length >= 1 && s.length <= 63 && LETTERS.includes(s[0]!) && only(s, `${LETTERS}${DIGITS}_-`);
const isVersion = (s: string) => s === "latest" || isVersionNumber(s) || isAlias(s);

function stripSlashes(s: string): string {
  let out = s;
  while (out.startsWith("/")) out = out.slice(1);
  while (out.endsWith("/")) out = out.slice(0, -1);
  return out;
}

/** What the spec says the path expands to, or null when it is not a GCP path at all. */
function referenceExpansion(path: string, projectId: string, version = "latest"): string | null {
  const clean = stripSlashes(path.trim());
  const parts = clean.split("/");
  if (
    parts.length === 6 &&
    parts[0] === "projects" &&
    isProject(parts[1]!) &&
    parts[2] === "secrets" &&
    isSecretId(parts[3]!) &&
    parts[4] === "versions" &&
    isVersion(parts[5]!)
  ) {
    return clean;
  }
  if (!isVersion(version)) return null;
  if (parts.length === 1 && isSecretId(parts[0]!)) return `projects/${projectId}/secrets/${clean}/versions/${version}`;
  if (parts.length === 4 && parts[0] === "projects" && isProject(parts[1]!) && parts[2] === "secrets" && isSecretId(parts[3]!)) {
    return `${clean}/versions/${version}`;
  }
  return null;
}

function implementation(path: string, projectId: string, version?: string): string | null {
  try {
    return expandGcpPath(path, projectId, version);
  } catch (error) {
    expect(error).toMatchObject({ code: "provider_error", message: expect.stringMatching(/^GCP Secret Manager: invalid (path|version)/) });
    return null;
  }
}

// Valid pieces, near-valid pieces and hostile characters, so that both sides of every rule are hit.
const HOSTILE = [
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
  "\udc00",
  "\u{1F511}",
  "é",
  "..",
  ".",
  "%2F",
  "?",
  "#",
  "*",
];
const segment = fc.oneof(
  fc.constantFrom("my-secret", "s", "S_1", "p", "my-project", "example.com:proj", "123456789", "latest", "Latest", "prod", "data"),
  fc.constantFrom("0", "1", "7", "007", "10", "9".repeat(19), "9".repeat(20), "a".repeat(63), "a".repeat(64), "_alias", "-x", "a.b", "a:b"),
  fc.constantFrom(...HOSTILE),
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/),
  fc.integer({ min: 250, max: 260 }).map((n) => "a".repeat(n)),
  fc.string({ maxLength: 6, unit: "binary" }),
);
const keyword = fc.constantFrom("projects", "secrets", "versions", "project", "secret", "version", "Projects");
const structured = fc
  .tuple(keyword, segment, keyword, segment, keyword, segment, fc.integer({ min: 1, max: 6 }))
  .map(([a, b, c, d, e, f, n]) => [a, b, c, d, e, f].slice(0, n).join("/"));
const wellFormed = fc.oneof(
  segment,
  fc.tuple(segment, segment).map(([p, s]) => `projects/${p}/secrets/${s}`),
  fc.tuple(segment, segment, segment).map(([p, s, v]) => `projects/${p}/secrets/${s}/versions/${v}`),
);
const wrapped = (path: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.constantFrom("", "/", "//", " ", "\t", " /"), path, fc.constantFrom("", "/", " ", "/ ", "\n"))
    .map(([a, p, b]) => `${a}${p}${b}`);
const gcpPath = fc.oneof(
  wrapped(wellFormed),
  structured,
  fc.array(fc.oneof(segment, keyword, fc.constant("/")), { maxLength: 8 }).map((a) => a.join("")),
);
const version = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom("latest", "1", "0", "3", "07", "alias-1", "../x", "a b", ""),
  fc.string({ maxLength: 8 }),
);

describe("GCP path rules against the spec", () => {
  it("expandGcpPath accepts exactly the spec's paths and expands them as the spec says", () => {
    fc.assert(
      fc.property(gcpPath, version, (path, wanted) => {
        expect(implementation(path, "my-project", wanted)).toBe(referenceExpansion(path, "my-project", wanted));
      }),
      fuzzParameters(3000),
    );
  });

  it("creating a secret accepts exactly the paths that can later be fetched (checkPath agrees with expandGcpPath)", () => {
    fc.assert(
      fc.property(gcpPath, (path) => {
        // The secret schema trims providerPath before checkPath sees it.
        const accepted = gcpSmDefinition.checkPath(path.trim()) === null;
        expect(accepted, `checkPath(${JSON.stringify(path.trim())})`).toBe(referenceExpansion(path, "my-project") !== null);
      }),
      fuzzParameters(3000),
    );
  });

  it.each([
    ["projects/p/secrets/s/versions/0", false],
    ["projects/p/secrets/s/versions/007", false],
    [`projects/p/secrets/s/versions/${"9".repeat(20)}`, false],
    ["projects/p/secrets/s/versions/prod", true],
    ["/my-secret/", true],
  ])("checkPath(%j) accepts: %s", (path, accepted) => {
    expect(gcpSmDefinition.checkPath(path) === null).toBe(accepted);
  });
});
