import { describe, expect, it } from "vitest";
import { envName, isPortableEnvName, isUnderPrefix } from "./env-names";

describe("envName: the contract's naming rule", () => {
  it.each([
    ["stripe.apiKey", "stripe", "API_KEY"],
    ["stripe.apiKey", "stripe.", "API_KEY"],
    ["stripe.apiKey", undefined, "STRIPE_API_KEY"],
    ["stripe.webhook.signingSecret", "stripe", "WEBHOOK_SIGNING_SECRET"],
    ["prod.db-url", "prod", "DB_URL"],
    ["prod.HTTPServer", "prod", "HTTP_SERVER"],
    ["prod.v2Token", undefined, "PROD_V2_TOKEN"],
    ["prod.db.url", "", "PROD_DB_URL"],
    // A prefix read includes the secret the prefix names: it keeps its own last segment.
    ["stripe.apiKey", "stripe.apiKey", "API_KEY"],
  ])("%s under prefix %s is %s", (path, prefix, expected) => {
    expect(envName(path, prefix)).toBe(expected);
  });

  it("refuses a path outside the prefix instead of inventing a name", () => {
    expect(() => envName("stripeX.key", "stripe")).toThrow(/not under the prefix stripe/);
  });

  it("knows prefixes by whole segments", () => {
    expect(isUnderPrefix("stripe.key", "stripe")).toBe(true);
    expect(isUnderPrefix("stripeX.key", "stripe")).toBe(false);
    expect(isUnderPrefix("anything", "")).toBe(true);
  });

  it("tells portable names from ones a shell would refuse", () => {
    expect(isPortableEnvName("API_KEY")).toBe(true);
    expect(isPortableEnvName("_X1")).toBe(true);
    expect(isPortableEnvName("1ST")).toBe(false);
    expect(isPortableEnvName("")).toBe(false);
  });
});
