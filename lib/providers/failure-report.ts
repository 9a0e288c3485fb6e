import type { AppError } from "@/lib/errors";
import type { ProviderConfig } from "./definition";
import type { ProviderType } from "./registry";
import { isFailureStage, type FailureStage } from "./upstream/failure-stage";

/**
 * A failed connection test said the same way for every provider: the stage it failed at, the
 * host it was talking to, and what to change. Adapters word the message and, where they know
 * it, the stage and a precise hint (the IAM action missing); this fills in the rest.
 */
export interface FailureReport {
  stage: FailureStage;
  /** host[:port] the failing call went to. */
  endpoint: string;
  hint?: string;
}

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

/** host[:port] from a gRPC endpoint setting (host, host:port, or a URL). */
function grpcHost(value: string | undefined): string | null {
  if (!value) return null;
  return hostOf(value.includes("://") ? value : `https://${value}`);
}

function gcpTokenUrlHost(serviceAccountJson: string | undefined): string | null {
  try {
    const parsed = JSON.parse(serviceAccountJson ?? "") as { type?: unknown; token_url?: unknown };
    return parsed.type === "external_account" && typeof parsed.token_url === "string" ? hostOf(parsed.token_url) : null;
  } catch {
    return null;
  }
}

/**
 * Where each provider's calls go, by stage: sign-in happens at a separate service for Azure app
 * registrations (the authority), AWS roles (STS) and GCP workload identity (STS); everything
 * else goes to the secrets service itself.
 */
const ENDPOINTS: Record<ProviderType, (config: ProviderConfig, stage: FailureStage) => string> = {
  vault: (config) => hostOf(config.vaultUrl) ?? "the Vault server",
  "aws-sm": (config, stage) => {
    if (stage === "auth" && config.roleArn) return hostOf(config.stsEndpoint) ?? `sts.${config.region ?? "us-east-1"}.amazonaws.com`;
    return hostOf(config.endpoint) ?? `secretsmanager.${config.region ?? "us-east-1"}.amazonaws.com`;
  },
  "azure-kv": (config, stage) => {
    if (stage === "auth" && config.clientId) return hostOf(config.authorityHost) ?? "login.microsoftonline.com";
    return hostOf(config.vaultUrl) ?? "the vault";
  },
  "gcp-sm": (config, stage) => {
    const sts = stage === "auth" ? gcpTokenUrlHost(config.serviceAccountJson) : null;
    return sts ?? grpcHost(config.apiEndpoint) ?? "secretmanager.googleapis.com";
  },
};

/** What to check at each stage when the adapter had nothing more precise to say. */
function defaultHint(stage: FailureStage, endpoint: string): string | undefined {
  switch (stage) {
    case "dns":
      return `Check the address: ${endpoint} does not resolve from this server (a typo, or a private name its DNS does not know).`;
    case "tcp":
      return `Check the address and port, and that ${endpoint} accepts connections from this server (firewall, proxy, private endpoint).`;
    case "tls":
      return `This server does not trust the TLS certificate of ${endpoint}: check the address, or add the issuing CA with NODE_EXTRA_CA_CERTS.`;
    case "timeout":
      return `${endpoint} did not answer in time: check the address and the network path to it (PROVENANCE_PROVIDER_TIMEOUT_MS sets the limit).`;
    case "auth":
      return "The credentials were refused: check them, and that they have not expired or been revoked.";
    case "permission":
      return "Signed in, but the identity may not read secrets here: check its role or policy.";
    case "not_found":
      return "Check the secret path, and the project, vault or mount it is in.";
    case "other":
      return undefined;
  }
}

export function reportFailure(type: ProviderType, config: ProviderConfig, error: AppError): FailureReport {
  const given = error.extra.stage;
  const stage: FailureStage = isFailureStage(given) ? given : error.code === "provider_timeout" ? "timeout" : "other";
  const endpoint = ENDPOINTS[type](config, stage);
  const hint = typeof error.extra.hint === "string" ? error.extra.hint : defaultHint(stage, endpoint);
  return { stage, endpoint, ...(hint ? { hint } : {}) };
}
