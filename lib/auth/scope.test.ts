import { describe, expect, it } from "vitest";
import { isValidScope, scopeAllows, scopeWithin } from "./scope";

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

describe("one scope inside another", () => {
  const inside = (inner: string | null, outer: string | null) => scopeWithin(inner, outer);

  it("anything valid is inside no scope at all; no scope is inside only * ", () => {
    expect(inside("stripe.*", null)).toBe(true);
    expect(inside(null, null)).toBe(true);
    expect(inside(null, "*")).toBe(true);
    expect(inside(null, "stripe.*")).toBe(false);
    expect(inside(null, "stripe.*,db.*")).toBe(false);
  });
  it("subtrees and exact paths below a subtree", () => {
    expect(inside("stripe.*", "stripe.*")).toBe(true);
    expect(inside("stripe.live.*", "stripe.*")).toBe(true);
    expect(inside("stripe.apiKey", "stripe.*")).toBe(true);
    expect(inside("stripe.live.apiKey,stripe.test.*", "stripe.*")).toBe(true);
    expect(inside("stripe.*", "*")).toBe(true);
    expect(inside("*", "*")).toBe(true);
  });
  it("adversarial near-misses are not inside", () => {
    expect(inside("*", "stripe.*")).toBe(false);
    expect(inside("stripe", "stripe.*")).toBe(false); // the prefix itself is not below it
    expect(inside("stripeOld.*", "stripe.*")).toBe(false);
    expect(inside("stripeOld.apiKey", "stripe.*")).toBe(false);
    expect(inside("stripe*", "stripe.*")).toBe(false); // not a valid scope at all
    expect(inside("stripe.*", "stripe*")).toBe(false);
    expect(inside("stripe.a,other.*", "stripe.*")).toBe(false); // one pattern outside is enough
    expect(inside("stripe.*", "stripe.apiKey")).toBe(false);
    expect(inside("stripe.*", "stripe.a,stripe.b")).toBe(false); // a subtree is never covered by exact paths
    expect(inside("stripe.apiKey", "stripe.apikey")).toBe(false); // paths are case-sensitive, like scopeAllows
    expect(inside("Stripe.*", "stripe.*")).toBe(false);
    expect(inside("stripe.*", "stripe.live.*")).toBe(false);
    expect(inside("stripe.**", "stripe.*")).toBe(false);
    expect(inside("", "stripe.*")).toBe(false);
    expect(inside("stripe.apiKey", "")).toBe(false);
  });
  it("lists: each inner pattern needs a container; whitespace and order do not matter", () => {
    expect(inside("db.main, stripe.apiKey", "stripe.*,db.*")).toBe(true);
    expect(inside("db.main", "stripe.apiKey, db.main")).toBe(true);
    expect(inside("db.main,db.replica", "db.main")).toBe(false);
  });
  it("agrees with scopeAllows on sample paths whenever it says inside", () => {
    const scopes = ["*", "stripe.*", "stripe.apiKey", "stripe.live.*", "stripeOld.*", "db.*,stripe.apiKey", "stripe", "db.main"];
    const paths = ["stripe", "stripe.apiKey", "stripe.live.key", "stripeOld.key", "db.main", "db.main.x", "other"];
    for (const inner of scopes) {
      for (const outer of scopes) {
        if (!scopeWithin(inner, outer)) continue;
        for (const path of paths) {
          if (scopeAllows(inner, path)) expect(scopeAllows(outer, path), `${inner} in ${outer} at ${path}`).toBe(true);
        }
      }
    }
  });
});
