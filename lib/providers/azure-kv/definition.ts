import type { ProviderDefinition } from "../definition";

export const azureKvDefinition = {
  type: "azure-kv",
  name: "Azure Key Vault",
  description: "Fetch secrets from Azure Key Vault at runtime",
  sdkPackages: ["@azure/keyvault-secrets", "@azure/identity"],
  fields: [
    {
      key: "vaultUrl",
      label: "Vault URL",
      type: "url",
      required: true,
      placeholder: "https://my-vault.vault.azure.net",
      help: "The vault's URL, e.g. https://my-vault.vault.azure.net",
      address: true,
      format: { kind: "url" },
    },
    {
      key: "tenantId",
      label: "Tenant ID",
      type: "text",
      required: false,
      help: "Azure AD (Entra ID) tenant. Omit for managed identity",
      format: { kind: "pattern", pattern: /^[A-Za-z0-9.-]{1,128}$/, message: "Must be a tenant ID (GUID) or domain" },
    },
    {
      key: "clientId",
      label: "Client ID",
      type: "text",
      required: false,
      help: "App registration client ID. Omit to use managed identity / the default credential chain",
      format: { kind: "pattern", pattern: /^[A-Za-z0-9-]{1,128}$/, message: "Must be a client ID (GUID)" },
    },
    {
      key: "clientSecret",
      label: "Client Secret",
      type: "password",
      required: false,
      sensitive: true,
      help: "App registration secret. Required if Client ID is set",
      format: { kind: "any" },
    },
    {
      key: "authorityHost",
      label: "Authority host",
      type: "url",
      required: false,
      help: "Optional: the sign-in authority for sovereign clouds, e.g. https://login.microsoftonline.us",
      placeholder: "https://login.microsoftonline.com",
      address: true,
      format: { kind: "url" },
    },
  ],
  pathHelp: "The secret's name in Key Vault (not its URL), e.g. database-password. Letters, digits and dashes, at most 127.",
  checkPath: (path) =>
    /^[0-9a-zA-Z-]{1,127}$/.test(path) ? null : "Must be a Key Vault secret name: letters, digits and dashes, at most 127 characters",
  crossFieldRules: (config) => {
    const problems: Record<string, string> = {};
    if (config.clientId) {
      if (!config.tenantId) problems.tenantId = "Tenant ID is required when Client ID is set";
      if (!config.clientSecret) problems.clientSecret = "Client Secret is required when Client ID is set";
    } else if (config.clientSecret) {
      problems.clientId = "Client ID is required when Client Secret is set";
    }
    return problems;
  },
} as const satisfies ProviderDefinition<"azure-kv">;
