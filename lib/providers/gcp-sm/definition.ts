import { MAX_CALLS_PER_MINUTE_FIELD, type ProviderDefinition } from "../definition";
import { checkCredentialConfig, impersonatesByItself, SERVICE_ACCOUNT_EMAIL } from "./credential-config";
import { isGcpPath } from "./path-syntax";

export const gcpSmDefinition = {
  type: "gcp-sm",
  name: "GCP Secret Manager",
  description: "Fetch secrets from Google Cloud Secret Manager at runtime",
  sdkPackages: ["@google-cloud/secret-manager"],
  fields: [
    {
      key: "projectId",
      label: "Project ID",
      type: "text",
      required: true,
      placeholder: "my-project-123",
      help: "GCP project ID, e.g. my-project-123",
      format: {
        kind: "pattern",
        pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[a-z0-9.-]+:[a-z][a-z0-9-]{4,28}[a-z0-9]$|^\d{1,20}$/,
        message: "Must be a GCP project ID (6-30 lowercase letters, digits and dashes) or project number",
      },
    },
    {
      key: "serviceAccountJson",
      label: "Service Account JSON",
      type: "textarea",
      required: false,
      sensitive: true,
      help: "A service account key JSON, or a Workload Identity Federation configuration (type external_account) whose credential_source is a token file in PROVENANCE_TOKEN_FILE_DIRS. Omit to use application default credentials",
      maxLength: 20_000,
      upload: { accept: ".json,application/json", description: "the key file (JSON) downloaded from the Cloud console" },
      format: { kind: "json", check: checkCredentialConfig },
    },
    {
      key: "impersonateServiceAccount",
      label: "Impersonate service account",
      type: "text",
      required: false,
      placeholder: "secrets-reader@my-project.iam.gserviceaccount.com",
      help: "Optional: read secrets as this service account. The credentials above (or the default ones) need roles/iam.serviceAccountTokenCreator on it",
      format: {
        kind: "pattern",
        pattern: SERVICE_ACCOUNT_EMAIL,
        message: "Must be a service account email, e.g. reader@my-project.iam.gserviceaccount.com",
      },
    },
    {
      key: "apiEndpoint",
      label: "API endpoint",
      type: "text",
      required: false,
      help: "Optional: host[:port] of a private or regional endpoint, e.g. secretmanager.me-central2.rep.googleapis.com",
      placeholder: "secretmanager.googleapis.com:443",
      address: true,
      format: { kind: "grpc-endpoint" },
    },
    MAX_CALLS_PER_MINUTE_FIELD,
  ],
  crossFieldRules: (config): Record<string, string> =>
    config.impersonateServiceAccount && impersonatesByItself(config.serviceAccountJson)
      ? {
          impersonateServiceAccount:
            "The external account configuration already impersonates a service account (service_account_impersonation_url): set one or the other",
        }
      : {},
  pathHelp:
    "A short name (my-secret, expanded to projects/{projectId}/secrets/my-secret/versions/latest) or a full resource path projects/p/secrets/s[/versions/N].",
  checkPath: (path) =>
    isGcpPath(path) ? null : "Must be a secret name (my-secret) or projects/{project}/secrets/{name}[/versions/{N|latest|alias}]",
} as const satisfies ProviderDefinition<"gcp-sm">;
