import { describe, expect, it } from "vitest";
import { isPackageInstalled, missingPackages, sdkMissingError } from "./sdk";

describe("optional SDK detection", () => {
  it("finds installed packages and reports missing ones", () => {
    expect(isPackageInstalled("@aws-sdk/client-secrets-manager")).toBe(true);
    expect(isPackageInstalled("@azure/identity")).toBe(true);
    expect(missingPackages(["@azure/keyvault-secrets", "@provenance/no-such-sdk"])).toEqual(["@provenance/no-such-sdk"]);
  });

  it("names the package and how to install it in the 503 error", () => {
    const error = sdkMissingError("Azure Key Vault", ["@azure/keyvault-secrets", "@azure/identity"]);
    expect(error.status).toBe(503);
    expect(error.code).toBe("provider_sdk_missing");
    expect(error.message).toContain("npm install @azure/keyvault-secrets @azure/identity");
  });
});
