import { describe, expect, it } from "vitest";
import type { ResolveHost } from "@/lib/providers/upstream/guarded-lookup";
import { resolvedAddressProblems } from "./resolved-address-rules";

/** A resolver from a table, recording what it was asked; unknown names fail as DNS does. */
function resolverOf(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: ResolveHost = async (host) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolve, asked };
}

describe("saving a connection checks where its host names resolve", () => {
  const dns = resolverOf({
    "vault.corp.example": ["10.0.0.5"],
    "sneaky.example": ["10.0.0.6", "169.254.169.254"],
    "v6.example": ["fd00:ec2::254"],
    "login.example": ["169.254.170.2"],
  });

  it("refuses a URL whose name resolves to a metadata address, naming the field", async () => {
    expect(await resolvedAddressProblems("vault", { vaultUrl: "https://sneaky.example:8200", token: "t" }, dns.resolve)).toEqual({
      "config.vaultUrl": expect.stringMatching(/^sneaky\.example resolves to a link-local metadata address/),
    });
    expect(await resolvedAddressProblems("vault", { vaultUrl: "https://v6.example", token: "t" }, dns.resolve)).toHaveProperty([
      "config.vaultUrl",
    ]);
  });

  it("checks every URL field of the type, gRPC endpoints included", async () => {
    const azure = await resolvedAddressProblems(
      "azure-kv",
      { vaultUrl: "https://vault.corp.example", authorityHost: "https://login.example", tenantId: "t", clientId: "c", clientSecret: "s" },
      dns.resolve,
    );
    expect(Object.keys(azure)).toEqual(["config.authorityHost"]);
    expect(
      Object.keys(await resolvedAddressProblems("gcp-sm", { projectId: "p", apiEndpoint: "sneaky.example:443" }, dns.resolve)),
    ).toEqual(["config.apiEndpoint"]);
    expect(
      Object.keys(await resolvedAddressProblems("aws-sm", { region: "eu-west-1", endpoint: "https://sneaky.example" }, dns.resolve)),
    ).toEqual(["config.endpoint"]);
  });

  it("lets through ordinary addresses, names that do not resolve now, and literals (the URL rules judge those)", async () => {
    expect(await resolvedAddressProblems("vault", { vaultUrl: "https://vault.corp.example", token: "t" }, dns.resolve)).toEqual({});
    expect(await resolvedAddressProblems("vault", { vaultUrl: "https://nowhere.example", token: "t" }, dns.resolve)).toEqual({});
    dns.asked.length = 0;
    expect(await resolvedAddressProblems("vault", { vaultUrl: "https://10.1.2.3:8200", token: "t" }, dns.resolve)).toEqual({});
    expect(await resolvedAddressProblems("vault", { vaultUrl: "https://[::1]:8200", token: "t" }, dns.resolve)).toEqual({});
    expect(dns.asked).toEqual([]);
  });

  it("does not hold a save up on a resolver that never answers (it gives up and lets the save through)", async () => {
    const hanging: ResolveHost = () => new Promise(() => undefined);
    expect(await resolvedAddressProblems("vault", { vaultUrl: "https://slow.example", token: "t" }, hanging)).toEqual({});
  }, 15_000);
});
