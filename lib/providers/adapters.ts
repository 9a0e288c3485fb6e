import "server-only";
import type { ProviderAdapter } from "./adapter";
import { awsSmAdapter } from "./aws-sm/adapter";
import { azureKvAdapter } from "./azure-kv/adapter";
import { gcpSmAdapter } from "./gcp-sm/adapter";
import type { ProviderType } from "./registry";
import { vaultAdapter } from "./vault/adapter";

/**
 * The one typed map from provider type to adapter: a fifth ProviderType fails to compile until
 * it has an adapter here. Importing this loads no SDK; each adapter loads its own on first use.
 */
export const providerAdapters: Record<ProviderType, ProviderAdapter> = {
  "aws-sm": awsSmAdapter,
  "azure-kv": azureKvAdapter,
  "gcp-sm": gcpSmAdapter,
  vault: vaultAdapter,
};
