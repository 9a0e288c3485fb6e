import { describe, expect, it } from "vitest";
import { allowedProviderPathsShape, fenceAllows, fencePatternProblem, normalizeProviderPath, patternMatches } from "./provider-path-fence";

const fence = (type: string, allowedProviderPaths: string[] | null, config: Record<string, string> = {}) => ({
  type,
  config,
  allowedProviderPaths,
});

describe("patternMatches", () => {
  it("* stays within one segment, a trailing ** reaches any depth below", () => {
    expect(patternMatches("secret/payments/*", "secret/payments/stripe")).toBe(true);
    expect(patternMatches("secret/payments/*", "secret/payments/stripe/key")).toBe(false);
    expect(patternMatches("secret/payments/**", "secret/payments/stripe/key")).toBe(true);
    expect(patternMatches("secret/payments/**", "secret/payments")).toBe(false);
    expect(patternMatches("secret/pay*/x", "secret/payments/x")).toBe(true);
    expect(patternMatches("secret/pay*/x", "secret/prod/x")).toBe(false);
    expect(patternMatches("**", "anything/at/all")).toBe(true);
  });
  it("treats regex characters in patterns literally", () => {
    expect(patternMatches("app.key", "appXkey")).toBe(false);
    expect(patternMatches("a+b", "aab")).toBe(false);
    expect(patternMatches("a+b", "a+b")).toBe(true);
  });
  it("never admits a path with empty, . or .. segments", () => {
    expect(patternMatches("payments/**", "payments/../prod/db")).toBe(false);
    expect(patternMatches("payments/**", "payments/./x")).toBe(false);
    expect(patternMatches("payments/*/**", "payments//x")).toBe(false);
  });
});

describe("fencePatternProblem", () => {
  it("refuses patterns that could not mean what they say", () => {
    expect(fencePatternProblem("secret/payments/**")).toBeNull();
    expect(fencePatternProblem("**")).toBeNull();
    expect(fencePatternProblem("")).toMatch(/empty/);
    expect(fencePatternProblem("secret//x")).toMatch(/empty segments/);
    expect(fencePatternProblem("secret/../x")).toMatch(/\.\./);
    expect(fencePatternProblem("secret/**/x")).toMatch(/last segment/);
    expect(fencePatternProblem("secret/a**")).toMatch(/last segment/);
    expect(fencePatternProblem("secret/\u0000")).toMatch(/control/);
  });
  it("reports the failing pattern by its index, and refuses an empty list", () => {
    const result = allowedProviderPathsShape.safeParse(["ok/**", "bad//x"]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([1]);
    expect(allowedProviderPathsShape.safeParse([]).success).toBe(false);
    expect(allowedProviderPathsShape.parse(null)).toBeNull();
    expect(allowedProviderPathsShape.parse(["/secret/x/", "secret/x"])).toEqual(["secret/x"]);
  });
});

describe("fenceAllows: the same upstream secret in another spelling", () => {
  it("no fence allows every path", () => {
    expect(fenceAllows(fence("vault", null), "secret/prod/db-root")).toBe(true);
  });

  it("vault KV v2: data/ after the mount is one spelling of the same path, in paths and in patterns", () => {
    const v2 = fence("vault", ["secret/payments/**"], { kvVersion: "2" });
    expect(fenceAllows(v2, "secret/payments/stripe")).toBe(true);
    expect(fenceAllows(v2, "secret/data/payments/stripe")).toBe(true);
    expect(fenceAllows(v2, "/secret/payments/stripe/")).toBe(true);
    expect(fenceAllows(v2, "secret/prod/db-root")).toBe(false);
    expect(fenceAllows(v2, "secret/data/prod/db-root")).toBe(false);
    expect(fenceAllows(v2, "secret/payments/../prod/db-root")).toBe(false);
    expect(fenceAllows(v2, "auth/token/lookup-self")).toBe(false);
    expect(fenceAllows(v2, "cubbyhole/payments/x")).toBe(false);
    // kvVersion unset reads as 2, like the adapter.
    expect(fenceAllows(fence("vault", ["secret/data/payments/**"]), "secret/payments/x")).toBe(true);
  });

  it("vault KV v1 and auto: data/ is compared as written (it may be another secret there)", () => {
    const v1 = fence("vault", ["secret/payments/**"], { kvVersion: "1" });
    expect(fenceAllows(v1, "secret/payments/x")).toBe(true);
    expect(fenceAllows(v1, "secret/data/payments/x")).toBe(false);
    const auto = fence("vault", ["secret/payments/**"], { kvVersion: "auto" });
    expect(fenceAllows(auto, "secret/data/payments/x")).toBe(false);
  });

  it("gcp-sm: short names take the connection's project; versions do not matter", () => {
    const gcp = fence("gcp-sm", ["payments-*"], { projectId: "my-project" });
    expect(fenceAllows(gcp, "payments-stripe")).toBe(true);
    expect(fenceAllows(gcp, "projects/my-project/secrets/payments-stripe")).toBe(true);
    expect(fenceAllows(gcp, "projects/my-project/secrets/payments-stripe/versions/3")).toBe(true);
    expect(fenceAllows(gcp, "projects/other-project/secrets/payments-stripe")).toBe(false);
    expect(fenceAllows(gcp, "projects/my-project/secrets/prod-db/versions/1")).toBe(false);
    expect(fenceAllows(gcp, "prod-db")).toBe(false);
    const full = fence("gcp-sm", ["projects/my-project/secrets/payments-*/versions/latest"], { projectId: "my-project" });
    expect(fenceAllows(full, "payments-x")).toBe(true);
    expect(normalizeProviderPath("gcp-sm", { projectId: "p1" }, "/s/")).toBe("projects/p1/secrets/s");
  });

  it("azure-kv: names are case-insensitive, so the fence is too", () => {
    const azure = fence("azure-kv", ["payments-*"]);
    expect(fenceAllows(azure, "PAYMENTS-stripe")).toBe(true);
    expect(fenceAllows(fence("azure-kv", ["Prod-DB"]), "prod-db")).toBe(true);
    expect(fenceAllows(azure, "prod-db")).toBe(false);
  });

  it("aws-sm: an ARN is never admitted by a name pattern", () => {
    const aws = fence("aws-sm", ["payments/**"]);
    expect(fenceAllows(aws, "payments/stripe")).toBe(true);
    expect(fenceAllows(aws, "prod/db")).toBe(false);
    expect(fenceAllows(aws, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/stripe")).toBe(false);
    expect(fenceAllows(aws, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db")).toBe(false);
    const arns = fence("aws-sm", ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/**"]);
    expect(fenceAllows(arns, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/stripe-AbCdEf")).toBe(true);
    expect(fenceAllows(arns, "arn:aws:secretsmanager:eu-west-1:999999999999:secret:payments/stripe")).toBe(false);
  });
});
