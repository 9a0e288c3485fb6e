import type { ProviderDefinition } from "../definition";
import { isGcpPath } from "./path-syntax";

/** A service-account key must carry what the SDK signs its own tokens with. */
function checkServiceAccountKey(parsed: unknown): string | null {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return "Must be a service account key JSON object";
  }
  const key = parsed as Record<string, unknown>;
  if (typeof key.client_email !== "string" || key.client_email === "") return "Service account JSON must contain client_email";
  if (typeof key.private_key !== "string" || !key.private_key.includes("PRIVATE KEY")) {
    return "Service account JSON must contain a private_key";
  }
  if (key.type !== undefined && key.type !== "service_account") return 'Service account JSON must have "type": "service_account"';
  return null;
}

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
      help: "The full service account key JSON. Omit to use application default credentials",
      maxLength: 20_000,
      format: { kind: "json", check: checkServiceAccountKey },
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
  ],
  pathHelp:
    "A short name (my-secret, expanded to projects/{projectId}/secrets/my-secret/versions/latest) or a full resource path projects/p/secrets/s[/versions/N].",
  checkPath: (path) =>
    isGcpPath(path) ? null : "Must be a secret name (my-secret) or projects/{project}/secrets/{name}[/versions/{N|latest|alias}]",
} as const satisfies ProviderDefinition<"gcp-sm">;
