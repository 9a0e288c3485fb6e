import { describe, expect, it } from "vitest";
import { configSchema, describeField } from "./definition";
import { PROVIDER_TYPES, providerDefinition } from "./registry";

const rules = { allowInsecure: false };
const parse = (type: (typeof PROVIDER_TYPES)[number], config: Record<string, unknown>) =>
  configSchema(providerDefinition(type), rules).safeParse(config);
const problems = (type: (typeof PROVIDER_TYPES)[number], config: Record<string, unknown>) => {
  const result = parse(type, config);
  return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
};

const serviceAccount = JSON.stringify({
  type: "service_account",
  client_email: "sa@p.iam.gserviceaccount.com",
  private_key: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
});

describe("provider config schemas", () => {
  it("every type marks its credentials sensitive, as the contract lists them", () => {
    const sensitive = Object.fromEntries(
      PROVIDER_TYPES.map((t) => [
        t,
        providerDefinition(t)
          .fields.filter((f) => f.sensitive)
          .map((f) => f.key),
      ]),
    );
    expect(sensitive).toEqual({
      "aws-sm": ["accessKeyId", "secretAccessKey"],
      "azure-kv": ["clientSecret", "clientCertificate"],
      "gcp-sm": ["serviceAccountJson"],
      vault: ["token", "secretId"],
    });
  });

  it("publishes a choice field's values as options, and keeps the contract's members for every field", () => {
    const vault = providerDefinition("vault").fields.map(describeField);
    expect(vault.find((f) => f.key === "kvVersion")).toEqual({
      key: "kvVersion",
      label: "KV version",
      type: "text",
      required: false,
      help: expect.any(String),
      placeholder: "2",
      options: ["1", "2", "auto"],
    });
    for (const type of PROVIDER_TYPES) {
      for (const field of providerDefinition(type).fields) {
        const described = describeField(field);
        expect(Object.keys(described)).toEqual(expect.arrayContaining(["key", "label", "type", "required"]));
        if (field.format.kind !== "choice") expect(described).not.toHaveProperty("options");
      }
    }
  });

  it("accepts minimal valid configs and trims and drops empty values", () => {
    expect(parse("aws-sm", { region: " eu-west-1 ", accessKeyId: "" })).toEqual({ success: true, data: { region: "eu-west-1" } });
    expect(parse("azure-kv", { vaultUrl: "https://v.vault.azure.net" }).success).toBe(true);
    expect(parse("gcp-sm", { projectId: "my-project-123", serviceAccountJson: serviceAccount }).success).toBe(true);
    expect(parse("vault", { vaultUrl: "https://vault.example.com", token: "hvs.x" }).success).toBe(true);
  });

  it("requires required fields and refuses unknown ones and non-strings", () => {
    expect(problems("aws-sm", {})).toEqual({ region: "Region is required" });
    expect(problems("vault", { vaultUrl: "https://v.example.com", token: "t", tokne: "x" })).toHaveProperty("tokne");
    expect(problems("vault", { vaultUrl: "https://v.example.com", token: 42 })).toHaveProperty("token");
  });

  it("applies the cross-field rules", () => {
    expect(problems("aws-sm", { region: "eu-west-1", accessKeyId: "AKIAABCDEFGHIJKLMNOP" })).toHaveProperty("secretAccessKey");
    expect(problems("aws-sm", { region: "eu-west-1", secretAccessKey: "x" })).toHaveProperty("accessKeyId");
    expect(problems("azure-kv", { vaultUrl: "https://v.vault.azure.net", clientId: "abc" })).toMatchObject({
      tenantId: expect.any(String),
      clientSecret: expect.any(String),
    });
  });

  it("checks the service account key's shape", () => {
    expect(problems("gcp-sm", { projectId: "my-project-123", serviceAccountJson: "{" })).toHaveProperty(
      "serviceAccountJson",
      "Must be valid JSON",
    );
    expect(problems("gcp-sm", { projectId: "my-project-123", serviceAccountJson: '{"private_key":"x"}' })).toHaveProperty(
      "serviceAccountJson",
    );
  });

  it("refuses http:// and metadata endpoints in every URL field", () => {
    expect(problems("vault", { vaultUrl: "http://vault.local", token: "t" })).toHaveProperty("vaultUrl");
    expect(problems("aws-sm", { region: "eu-west-1", endpoint: "http://169.254.169.254" })).toHaveProperty("endpoint");
    expect(problems("azure-kv", { vaultUrl: "https://v.vault.azure.net", authorityHost: "http://login.local" })).toHaveProperty(
      "authorityHost",
    );
    expect(problems("gcp-sm", { projectId: "my-project-123", apiEndpoint: "http://127.0.0.1:9000" })).toHaveProperty("apiEndpoint");
  });

  it("checks each type's secret path syntax", () => {
    expect(providerDefinition("azure-kv").checkPath("db-password")).toBeNull();
    expect(providerDefinition("azure-kv").checkPath("db_password")).not.toBeNull();
    expect(providerDefinition("gcp-sm").checkPath("projects/p/secrets/s/versions/3")).toBeNull();
    expect(providerDefinition("gcp-sm").checkPath("projects/p/secrets")).not.toBeNull();
    expect(providerDefinition("vault").checkPath("secret/my-app/api-key")).toBeNull();
    expect(providerDefinition("vault").checkPath("secret/../sys/raw")).not.toBeNull();
    expect(providerDefinition("aws-sm").checkPath("arn:aws:secretsmanager:eu-west-1:123456789012:secret:my-secret")).toBeNull();
  });
});
