import { describe, expect, it } from "vitest";
import { PROVIDER_TYPES } from "@/lib/providers/registry";
import { estimatedCostUsd, USD_PER_10K_CALLS } from "./price-table";

describe("the list-price table", () => {
  it("prices every provider type", () => {
    expect(Object.keys(USD_PER_10K_CALLS).sort()).toEqual([...PROVIDER_TYPES].sort());
  });

  it("charges AWS $0.05, GCP and Azure $0.03 per 10,000 calls, Vault nothing", () => {
    expect(estimatedCostUsd("aws-sm", 10_000)).toBe(0.05);
    expect(estimatedCostUsd("gcp-sm", 10_000)).toBe(0.03);
    expect(estimatedCostUsd("azure-kv", 10_000)).toBe(0.03);
    expect(estimatedCostUsd("vault", 10_000_000)).toBe(0);
  });

  it("is proportional below 10,000 calls, to a millionth of a dollar", () => {
    expect(estimatedCostUsd("aws-sm", 1)).toBe(0.000005);
    expect(estimatedCostUsd("aws-sm", 3)).toBe(0.000015);
    expect(estimatedCostUsd("gcp-sm", 2_880_000)).toBe(8.64);
    expect(estimatedCostUsd("aws-sm", 0)).toBe(0);
  });

  it("prices an unknown type at zero rather than failing", () => {
    expect(estimatedCostUsd("something-else", 500)).toBe(0);
  });
});
