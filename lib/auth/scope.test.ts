import { describe, expect, it } from "vitest";
import { isValidScope, scopeAllows } from "./scope";

describe("token path scopes", () => {
  it("a null scope allows every path", () => expect(scopeAllows(null, "db.password")).toBe(true));
  it("prefix.* covers everything below the prefix and nothing beside it", () => {
    expect(scopeAllows("stripe.*", "stripe.apiKey")).toBe(true);
    expect(scopeAllows("stripe.*", "stripe.live.apiKey")).toBe(true);
    expect(scopeAllows("stripe.*", "stripe")).toBe(false);
    expect(scopeAllows("stripe.*", "stripeOld.apiKey")).toBe(false);
    expect(scopeAllows("stripe.*", "db.password")).toBe(false);
  });
  it("exact patterns and lists", () => {
    expect(scopeAllows("stripe.apiKey,db.*", "stripe.apiKey")).toBe(true);
    expect(scopeAllows("stripe.apiKey,db.*", "stripe.webhook")).toBe(false);
    expect(scopeAllows("stripe.apiKey,db.*", "db.main.password")).toBe(true);
    expect(scopeAllows("*", "anything.at.all")).toBe(true);
  });
  it("rejects malformed scopes", () => {
    for (const bad of ["", ",", "stripe.**", "*.key", "stri*pe", "a..b", "stripe.*.x"]) expect(isValidScope(bad), bad).toBe(false);
    for (const good of ["*", "stripe.*", "stripe.apiKey", "a-b_c.*, d.e"]) expect(isValidScope(good), good).toBe(true);
  });
  it("an invalid stored scope allows nothing rather than everything", () => expect(scopeAllows("stri*pe", "stripe")).toBe(false));
});
