import { describe, expect, it } from "vitest";
import { claimPatternMatches, claimsMatch } from "./claim-pattern";

describe("claim patterns", () => {
  it("an exact pattern matches only the same string", () => {
    expect(claimPatternMatches("repo:acme/api:ref:refs/heads/main", "repo:acme/api:ref:refs/heads/main")).toBe(true);
    expect(claimPatternMatches("repo:acme/api:ref:refs/heads/main", "repo:acme/api:ref:refs/heads/main2")).toBe(false);
    expect(claimPatternMatches("acme", "ACME")).toBe(false);
  });

  it("* matches one segment: never across / or :", () => {
    const pattern = "repo:acme/*:ref:refs/heads/main";
    expect(claimPatternMatches(pattern, "repo:acme/api:ref:refs/heads/main")).toBe(true);
    expect(claimPatternMatches(pattern, "repo:acme/web-app:ref:refs/heads/main")).toBe(true);
    expect(claimPatternMatches(pattern, "repo:acme/api/x:ref:refs/heads/main")).toBe(false);
    expect(claimPatternMatches(pattern, "repo:acme/api:environment:prod:ref:refs/heads/main")).toBe(false);
    expect(claimPatternMatches(pattern, "repo:acme/:ref:refs/heads/main")).toBe(false); // a segment is never empty
    expect(claimPatternMatches(pattern, "repo:evil/acme/api:ref:refs/heads/main")).toBe(false);
  });

  it("* may sit inside a segment, and several may appear", () => {
    expect(claimPatternMatches("refs/heads/release-*", "refs/heads/release-1.2")).toBe(true);
    expect(claimPatternMatches("refs/heads/release-*", "refs/heads/release-1/evil")).toBe(false);
    expect(claimPatternMatches("repo:*/*:ref:*", "repo:acme/api:ref:main")).toBe(true);
    expect(claimPatternMatches("repo:*/*:ref:*", "repo:acme/api:ref:refs/heads/main")).toBe(false);
  });

  it("other regex characters are literal", () => {
    expect(claimPatternMatches("a.b", "axb")).toBe(false);
    expect(claimPatternMatches("a+(b)*", "a+(b)x")).toBe(true);
    expect(claimPatternMatches("a+(b)*", "aa(b)x")).toBe(false);
    expect(claimPatternMatches("[x]", "x")).toBe(false);
  });

  it("every named claim must be present and match; numbers and booleans compare as text; objects never match", () => {
    const claims = { repository: "acme/api", run_attempt: 1, ref_protected: true, nested: { a: "b" }, list: ["x"] };
    expect(claimsMatch({ repository: "acme/*", run_attempt: "1", ref_protected: "true" }, claims)).toBe(true);
    expect(claimsMatch({ repository: "acme/*", environment: "*" }, claims)).toBe(false);
    expect(claimsMatch({ nested: "*" }, claims)).toBe(false);
    expect(claimsMatch({ list: "x" }, claims)).toBe(false);
    expect(claimsMatch({ toString: "*" }, claims)).toBe(false); // inherited members are not claims
  });
});
