import { awsSmDefinition } from "./aws-sm/definition";
import { azureKvDefinition } from "./azure-kv/definition";
import type { ProviderDefinition } from "./definition";
import { gcpSmDefinition } from "./gcp-sm/definition";
import { vaultDefinition } from "./vault/definition";

/** Every external provider type. Adding one means adding it here, and every typed map follows. */
export const PROVIDER_TYPES = ["aws-sm", "azure-kv", "gcp-sm", "vault"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const providerDefinitions: Record<ProviderType, ProviderDefinition<ProviderType>> = {
  "aws-sm": awsSmDefinition,
  "azure-kv": azureKvDefinition,
  "gcp-sm": gcpSmDefinition,
  vault: vaultDefinition,
};

export function isProviderType(value: unknown): value is ProviderType {
  return typeof value === "string" && (PROVIDER_TYPES as readonly string[]).includes(value);
}

export function providerDefinition(type: ProviderType): ProviderDefinition<ProviderType> {
  return providerDefinitions[type];
}
