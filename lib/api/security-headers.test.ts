import { describe, expect, it } from "vitest";
import { newNonce, nonceOfPolicy, pageContentSecurityPolicy } from "./security-headers";

describe("nonceOfPolicy", () => {
  it("reads back the nonce pageContentSecurityPolicy put in script-src", () => {
    const nonce = newNonce();
    expect(nonceOfPolicy(pageContentSecurityPolicy(nonce, false))).toBe(nonce);
    expect(nonceOfPolicy(pageContentSecurityPolicy(nonce, true))).toBe(nonce);
  });

  it("finds none without a policy, without a nonce, or with one that could break out of an HTML attribute", () => {
    expect(nonceOfPolicy(undefined)).toBeNull();
    expect(nonceOfPolicy("default-src 'self'; script-src 'self'")).toBeNull();
    expect(nonceOfPolicy(`script-src 'nonce-a"><script>'`)).toBeNull();
    // Only script-src's nonce counts: a style-src nonce is not one for scripts.
    expect(nonceOfPolicy("style-src 'nonce-c3R5bGU='; script-src 'self'")).toBeNull();
  });
});
