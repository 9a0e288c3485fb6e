import type { ProviderType } from "@/lib/providers/registry";

/**
 * What each manager charges for API calls at list price, in US dollars per 10,000 calls (the one
 * table behind every cost estimate). AWS Secrets Manager: $0.05 per 10,000 API calls; Google
 * Secret Manager: $0.03 per 10,000 access operations; Azure Key Vault: $0.03 per 10,000
 * (standard tier) operations; Vault (self-hosted or HCP, not billed per call): $0.
 * Storage and per-secret monthly fees are not call costs and are not estimated.
 */
export const USD_PER_10K_CALLS: Readonly<Record<ProviderType, number>> = {
  "aws-sm": 0.05,
  "gcp-sm": 0.03,
  "azure-kv": 0.03,
  vault: 0,
};

/** The list-price cost of `calls` upstream calls on a connection of `type`, rounded to a millionth of a dollar. */
export function estimatedCostUsd(type: string, calls: number): number {
  const rate = (USD_PER_10K_CALLS as Record<string, number | undefined>)[type] ?? 0;
  return Math.round((calls * rate * 1e6) / 10_000) / 1e6;
}
