import { describe, expect, it } from "vitest";
import { awsSmDefinition } from "./aws-sm/definition";
import { azureKvDefinition } from "./azure-kv/definition";
import { effectiveSignIn, initialSignIn, missingForSignIn, otherWaysStored, shownForSignIn } from "./sign-in-choice";
import { vaultDefinition } from "./vault/definition";

const MASK = "••••••••";
const ROLE = "arn:aws:iam::123456789012:role/reader";

describe("the form's sign-in choice", () => {
  it("reads the way a stored config signs in, as the adapters do", () => {
    const aws = (config: Record<string, string>) => initialSignIn(awsSmDefinition, { region: "eu-west-1", ...config });
    expect(aws({})).toBe("default");
    expect(aws({ accessKeyId: MASK, secretAccessKey: MASK })).toBe("keys");
    expect(aws({ roleArn: ROLE, accessKeyId: MASK, secretAccessKey: MASK })).toBe("role");
    expect(aws({ roleArn: ROLE })).toBe("role");
    expect(aws({ roleArn: ROLE, webIdentityTokenFile: "/var/run/token" })).toBe("web-identity");

    const azure = (config: Record<string, string>) =>
      initialSignIn(azureKvDefinition, { vaultUrl: "https://v.vault.azure.net", ...config });
    expect(azure({})).toBe("default");
    expect(azure({ tenantId: "t", clientId: "c", clientSecret: MASK })).toBe("secret");
    expect(azure({ tenantId: "t", clientId: "c", clientCertificate: MASK })).toBe("certificate");
    expect(azure({ tenantId: "t", clientId: "c", federatedTokenFile: "/var/run/token" })).toBe("federated");
  });

  it("starts a new connection with the first way, and has no choice for types without one", () => {
    expect(initialSignIn(awsSmDefinition)).toBe("keys");
    expect(initialSignIn(azureKvDefinition)).toBe("secret");
    expect(initialSignIn(vaultDefinition)).toBeUndefined();
    expect(effectiveSignIn(azureKvDefinition, "keys")).toBe("secret");
    expect(effectiveSignIn(awsSmDefinition, "role")).toBe("role");
  });

  it("shows the chosen way's fields and the fields of no way", () => {
    const shown = (value: string) => awsSmDefinition.fields.map((f) => f.key).filter((key) => shownForSignIn(awsSmDefinition, value, key));
    expect(shown("default")).toEqual(["region", "endpoint", "maxCallsPerMinute"]);
    expect(shown("keys")).toEqual(["region", "accessKeyId", "secretAccessKey", "endpoint", "maxCallsPerMinute"]);
    expect(shown("web-identity")).toEqual([
      "region",
      "endpoint",
      "roleArn",
      "roleSessionName",
      "webIdentityTokenFile",
      "stsEndpoint",
      "maxCallsPerMinute",
    ]);
    expect(shown("role")).not.toContain("webIdentityTokenFile");
    expect(vaultDefinition.fields.every((f) => shownForSignIn(vaultDefinition, undefined, f.key))).toBe(true);
  });

  it("names the stored settings of the other ways, which saving clears", () => {
    const stored = { region: "eu-west-1", accessKeyId: MASK, secretAccessKey: MASK, roleArn: ROLE, externalId: "x-1" };
    expect(otherWaysStored(awsSmDefinition, "role", stored)).toEqual([]);
    expect(otherWaysStored(awsSmDefinition, undefined, stored)).toEqual([]);
    expect(otherWaysStored(awsSmDefinition, "keys", stored)).toEqual(["roleArn", "externalId"]);
    expect(otherWaysStored(awsSmDefinition, "default", stored)).toEqual(["accessKeyId", "secretAccessKey", "roleArn", "externalId"]);
    expect(otherWaysStored(awsSmDefinition, "web-identity", stored)).toEqual(["accessKeyId", "secretAccessKey", "externalId"]);
    const azure = { vaultUrl: "https://v.vault.azure.net", tenantId: "t", clientId: "c", clientSecret: MASK };
    expect(otherWaysStored(azureKvDefinition, "certificate", azure)).toEqual(["clientSecret"]);
    expect(otherWaysStored(azureKvDefinition, "default", azure)).toEqual(["tenantId", "clientId", "clientSecret"]);
  });

  it("asks for what the chosen way cannot do without; a stored credential counts as given", () => {
    expect(missingForSignIn(awsSmDefinition, "keys", {})).toEqual({
      accessKeyId: "Access Key ID is required to sign in with “Access keys”",
      secretAccessKey: "Secret Access Key is required to sign in with “Access keys”",
    });
    expect(missingForSignIn(awsSmDefinition, "keys", { accessKeyId: MASK, secretAccessKey: MASK })).toEqual({});
    expect(Object.keys(missingForSignIn(awsSmDefinition, "role", { accessKeyId: "" }))).toEqual(["roleArn"]);
    expect(missingForSignIn(awsSmDefinition, "default", {})).toEqual({});
    expect(Object.keys(missingForSignIn(azureKvDefinition, "federated", { tenantId: "t", clientId: " " }))).toEqual([
      "clientId",
      "federatedTokenFile",
    ]);
  });
});
