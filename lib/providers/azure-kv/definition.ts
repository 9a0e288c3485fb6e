import { MAX_CALLS_PER_MINUTE_FIELD, TOKEN_FILE_FORMAT, type ProviderDefinition } from "../definition";

/**
 * Azure sign-in: a client secret, a client certificate or a federated token file (workload
 * identity federation) for an app registration, else managed identity / the default chain.
 *
 * federatedTokenFile is a path, not a credential: it is shown, and need not be entered again when
 * vaultUrl or authorityHost changes (re-typing a path anyone with the form can read would prove
 * nothing). What keeps the token in that file from going to a host of someone's choosing is where
 * it may be read from (PROVENANCE_TOKEN_FILE_DIRS, set by whoever runs the server, as for Vault's
 * jwtFile) and that only admins configure connections. clientCertificate is a credential like
 * clientSecret: sensitive, so encrypted, masked and re-entered with a new address (address-change.ts).
 */
const SIGN_IN_FIELDS = ["clientSecret", "clientCertificate", "federatedTokenFile"] as const;
const SIGN_IN_LABELS = {
  clientSecret: "Client Secret",
  clientCertificate: "Client certificate",
  federatedTokenFile: "Federated token file",
} as const;

/** One CERTIFICATE block and one unencrypted RSA private key block (PKCS#8 or PKCS#1), in any order. */
const PEM_BLOCK = (label: string) => `-----BEGIN ${label}-----[A-Za-z0-9+/=\\s]+-----END ${label}-----`;
const CERTIFICATE_PEM = new RegExp(
  `^(?=[\\s\\S]*${PEM_BLOCK("CERTIFICATE")})(?=[\\s\\S]*(?:${PEM_BLOCK("PRIVATE KEY")}|${PEM_BLOCK("RSA PRIVATE KEY")}))[\\s\\S]*$`,
);

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
      help: "Azure AD (Entra ID) tenant. Required with Client ID; omit for managed identity",
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
      help: "App registration secret. With Client ID, give exactly one of Client Secret, Client certificate or Federated token file",
      format: { kind: "any" },
    },
    {
      key: "clientCertificate",
      label: "Client certificate",
      type: "textarea",
      required: false,
      sensitive: true,
      help: "Instead of a client secret: PEM text holding the certificate uploaded to the app registration and its unencrypted RSA private key (-----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY----- blocks). Needs Tenant ID and Client ID",
      maxLength: 20_000,
      upload: { accept: ".pem,.crt,.cer,application/x-pem-file", description: "a PEM file" },
      format: {
        kind: "pattern",
        pattern: CERTIFICATE_PEM,
        message: "Must be PEM text with a CERTIFICATE block and an unencrypted PRIVATE KEY (or RSA PRIVATE KEY) block",
      },
    },
    {
      key: "federatedTokenFile",
      label: "Federated token file",
      type: "text",
      required: false,
      placeholder: "/var/run/secrets/azure/tokens/azure-identity-token",
      help: "Instead of a client secret: workload identity federation. The file holding the token the app registration's federated credential trusts (AKS workload identity mounts it at AZURE_FEDERATED_TOKEN_FILE). Needs Tenant ID and Client ID. Read again at every sign-in, only from the folders PROVENANCE_TOKEN_FILE_DIRS allows",
      format: TOKEN_FILE_FORMAT,
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
    MAX_CALLS_PER_MINUTE_FIELD,
  ],
  pathHelp: "The secret's name in Key Vault (not its URL), e.g. database-password. Letters, digits and dashes, at most 127.",
  checkPath: (path) =>
    /^[0-9a-zA-Z-]{1,127}$/.test(path) ? null : "Must be a Key Vault secret name: letters, digits and dashes, at most 127 characters",
  signIn: {
    methods: [
      {
        value: "secret",
        label: "Client secret",
        help: "An app registration (Entra ID) and one of its client secrets, stored encrypted.",
        fields: ["tenantId", "clientId", "clientSecret", "authorityHost"],
        required: ["tenantId", "clientId", "clientSecret"],
      },
      {
        value: "certificate",
        label: "Client certificate",
        help: "An app registration and a certificate uploaded to it, with its private key, stored encrypted.",
        fields: ["tenantId", "clientId", "clientCertificate", "authorityHost"],
        required: ["tenantId", "clientId", "clientCertificate"],
      },
      {
        value: "federated",
        label: "Workload identity (keyless)",
        help: "An app registration whose federated credential trusts a token file where Provenance runs (e.g. AKS workload identity): no secret stored.",
        fields: ["tenantId", "clientId", "federatedTokenFile", "authorityHost"],
        required: ["tenantId", "clientId", "federatedTokenFile"],
      },
      {
        value: "default",
        label: "Managed identity or the server's default credentials",
        help: "The Azure default credential chain where Provenance runs (managed identity, environment, Azure CLI): nothing stored.",
        fields: [],
      },
    ],
    // As the adapter decides (sign-in.ts): no Client ID is the default chain.
    methodOf: (config) =>
      !config.clientId ? "default" : config.clientCertificate ? "certificate" : config.federatedTokenFile ? "federated" : "secret",
  },
  crossFieldRules: (config) => {
    const problems: Record<string, string> = {};
    const given = SIGN_IN_FIELDS.filter((key) => config[key]);
    const ways = "a Client Secret, a Client certificate or a Federated token file";
    if (given.length > 1) {
      for (const key of given.slice(1)) problems[key] = `Use only one of ${ways}`;
    }
    if (config.clientId) {
      if (!config.tenantId) problems.tenantId = "Tenant ID is required when Client ID is set";
      if (given.length === 0) problems.clientSecret = `Client ID needs ${ways}`;
    } else if (given.length > 0) {
      problems.clientId = `Client ID is required with a ${SIGN_IN_LABELS[given[0]!]}`;
      if (!config.tenantId) problems.tenantId = `Tenant ID is required with a ${SIGN_IN_LABELS[given[0]!]}`;
    }
    return problems;
  },
} as const satisfies ProviderDefinition<"azure-kv">;
