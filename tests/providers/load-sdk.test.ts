import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { providerAdapters } from "@/lib/providers/adapters";
import { awsSmDefinition } from "@/lib/providers/aws-sm/definition";
import { azureKvDefinition } from "@/lib/providers/azure-kv/definition";
import { gcpSmDefinition } from "@/lib/providers/gcp-sm/definition";
import { PROVIDER_TYPES } from "@/lib/providers/registry";
import { loadSdk, requireSdkDependency } from "@/lib/providers/upstream/load-sdk";
import { appErrorFrom } from "./support/app-errors";

// The SDKs are optional: a missing one must become 503 provider_sdk_missing, never a crash.
describe("loadSdk", () => {
  it("turns a package that is not installed into provider_sdk_missing naming every package", async () => {
    // Written like the adapters' literal imports; the package deliberately does not exist.
    // @ts-expect-error -- no such module
    const error = await appErrorFrom(loadSdk(azureKvDefinition, () => import("provenance-test-no-such-sdk")));
    expect(error.code).toBe("provider_sdk_missing");
    expect(error.status).toBe(503);
    expect(error.message).toContain("Azure Key Vault needs the optional package @azure/keyvault-secrets and @azure/identity");
    expect(error.extra.packages).toEqual(["@azure/keyvault-secrets", "@azure/identity"]);
  });

  it("does the same for a name only known at run time (Node's own resolver)", async () => {
    const name = `provenance-test-missing-${Date.now()}`;
    const error = await appErrorFrom(loadSdk(awsSmDefinition, () => import(/* @vite-ignore */ name)));
    expect(error.code).toBe("provider_sdk_missing");
  });

  it("reports any other load failure as a provider_error, and returns the module when it loads", async () => {
    const broken = await appErrorFrom(loadSdk(awsSmDefinition, () => Promise.reject(new TypeError("boom"))));
    expect(broken.code).toBe("provider_error");
    expect(broken.message).toBe("AWS Secrets Manager: the SDK (@aws-sdk/client-secrets-manager) failed to load");
    const sdk = await loadSdk(awsSmDefinition, () => import("@aws-sdk/client-secrets-manager"));
    expect(typeof sdk.SecretsManagerClient).toBe("function");
  });

  it("resolves an SDK's own dependency from the SDK, and reports a missing one", () => {
    const gax = requireSdkDependency<{ grpc: { credentials: unknown } }>(gcpSmDefinition, "@google-cloud/secret-manager", "google-gax");
    expect(gax.grpc.credentials).toBeTruthy();
    expect(() => requireSdkDependency(gcpSmDefinition, "@google-cloud/secret-manager", "provenance-test-no-such-dep")).toThrow(AppError);
    expect(() => requireSdkDependency(gcpSmDefinition, "provenance-test-no-such-sdk", "google-gax")).toThrow(/needs the optional package/);
  });
});

describe("providerAdapters", () => {
  it("has an adapter for every provider type", () => {
    expect(Object.keys(providerAdapters).sort()).toEqual([...PROVIDER_TYPES].sort());
    for (const adapter of Object.values(providerAdapters)) {
      expect(typeof adapter.fetchSecret).toBe("function");
      expect(typeof adapter.checkConnection).toBe("function");
      expect(typeof adapter.forget).toBe("function");
    }
  });

  it("imports no SDK at module level (only `import type` and lazy import())", () => {
    const sdkPattern = /^import\s+(?!type\b)[^;]*from\s+"(@aws-sdk|@azure|@google-cloud|google-gax|@grpc)\//m;
    for (const type of PROVIDER_TYPES) {
      const source = readFileSync(path.join(process.cwd(), "lib/providers", type, "adapter.ts"), "utf8");
      expect(source, type).not.toMatch(sdkPattern);
      expect(source.split("\n")[0], type).toBe('import "server-only";');
    }
  });
});
