import { describe, expect, it } from "vitest";
import { claimErrors, parseClaimLines } from "./claim-lines";

describe("claim lines of the trust policy form", () => {
  it("reads name=pattern per line, keeping colons and = in the pattern", () => {
    expect(parseClaimLines("sub=repo:acme/*:ref:refs/heads/main\n\n  environment = prod \nx=a=b")).toEqual({
      claims: { sub: "repo:acme/*:ref:refs/heads/main", environment: "prod", x: "a=b" },
    });
  });
  it("says which line is wrong", () => {
    expect(parseClaimLines("sub=a\nrepository")).toEqual({ error: expect.stringMatching(/^Line 2:/) });
    expect(parseClaimLines("=x")).toEqual({ error: expect.stringMatching(/^Line 1:/) });
    expect(parseClaimLines("sub=a\nsub=b")).toEqual({ error: "Line 2: sub is named twice" });
  });
  it("gathers the server's claims.<name> errors for the claims box", () => {
    expect(claimErrors({ "claims.aud": "reserved", name: "taken" })).toEqual({ fields: { name: "taken" }, claims: "aud: reserved" });
    expect(claimErrors({ scope: "bad" })).toEqual({ fields: { scope: "bad" }, claims: null });
  });
});
