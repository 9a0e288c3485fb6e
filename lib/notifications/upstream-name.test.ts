import { describe, expect, it } from "vitest";
import { namesSecret, type CandidateSecret, type UpstreamName } from "./upstream-name";

const secret = (type: string, providerPath: string, config: Record<string, string> = {}, id = "c1"): CandidateSecret => ({
  providerPath,
  connection: { id, type, config },
});
const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/stripe-AbC123";

describe("which secret a notification names", () => {
  it("AWS: a name, a partial ARN and a full ARN are one secret; another region or name is not", () => {
    const byArn: UpstreamName = { type: "aws-sm", id: ARN };
    expect(namesSecret(byArn, secret("aws-sm", "prod/stripe", { region: "eu-west-1" }))).toBe(true);
    expect(namesSecret(byArn, secret("aws-sm", ARN, { region: "eu-west-1" }))).toBe(true);
    expect(
      namesSecret(byArn, secret("aws-sm", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/stripe", { region: "eu-west-1" })),
    ).toBe(true);
    expect(namesSecret({ type: "aws-sm", id: "prod/stripe" }, secret("aws-sm", ARN, { region: "eu-west-1" }))).toBe(true);
    expect(namesSecret(byArn, secret("aws-sm", "prod/stripe", { region: "us-east-1" }))).toBe(false);
    expect(namesSecret(byArn, secret("aws-sm", "prod/stripe-live", { region: "eu-west-1" }))).toBe(false);
    expect(namesSecret(byArn, secret("vault", "prod/stripe"))).toBe(false);
  });

  it("GCP: a short name reads through the connection's project; a project number matches on the name", () => {
    const named: UpstreamName = { type: "gcp-sm", resource: "projects/shop/secrets/db-password" };
    expect(namesSecret(named, secret("gcp-sm", "db-password", { projectId: "shop" }))).toBe(true);
    expect(namesSecret(named, secret("gcp-sm", "projects/shop/secrets/db-password/versions/3", { projectId: "other" }))).toBe(true);
    expect(namesSecret(named, secret("gcp-sm", "db-password", { projectId: "other" }))).toBe(false);
    expect(namesSecret(named, secret("gcp-sm", "db-password-2", { projectId: "shop" }))).toBe(false);
    expect(
      namesSecret(
        { type: "gcp-sm", resource: "projects/123456789/secrets/db-password" },
        secret("gcp-sm", "db-password", { projectId: "shop" }),
      ),
    ).toBe(true);
  });

  it("Azure: the object in the connection's vault, by vault name or by the object's address; names ignore case", () => {
    const named: UpstreamName = {
      type: "azure-kv",
      vaultName: "shop-kv",
      objectName: "Db-Password",
      objectUrl: "https://127.0.0.1:8443/secrets/Db-Password/abc",
    };
    expect(namesSecret(named, secret("azure-kv", "db-password", { vaultUrl: "https://shop-kv.vault.azure.net" }))).toBe(true);
    expect(namesSecret(named, secret("azure-kv", "db-password", { vaultUrl: "https://127.0.0.1:8443" }))).toBe(true);
    expect(namesSecret(named, secret("azure-kv", "db-password", { vaultUrl: "https://other-kv.vault.azure.net" }))).toBe(false);
    expect(namesSecret(named, secret("azure-kv", "api-key", { vaultUrl: "https://shop-kv.vault.azure.net" }))).toBe(false);
  });

  it("the generic webhook: Vault paths with or without data/, and only the connection named", () => {
    expect(namesSecret({ type: "any", path: "secret/data/app/db" }, secret("vault", "secret/app/db"))).toBe(true);
    expect(namesSecret({ type: "any", path: "secret/app/db" }, secret("vault", "secret/data/app/db"))).toBe(true);
    expect(namesSecret({ type: "any", path: "secret/app/db", connectionId: "c2" }, secret("vault", "secret/app/db"))).toBe(false);
    expect(namesSecret({ type: "any", path: "secret/app/db2" }, secret("vault", "secret/app/db"))).toBe(false);
    expect(namesSecret({ type: "any", path: ARN }, secret("aws-sm", "prod/stripe", { region: "eu-west-1" }))).toBe(true);
  });
});
