import type { ProviderDefinition } from "../definition";
import { builtInMountProblem, cleanVaultPathOrNull, isVaultSecretPath } from "./path-syntax";

export const vaultDefinition = {
  type: "vault",
  name: "HashiCorp Vault",
  description: "Fetch secrets from HashiCorp Vault (KV v2 or v1) at runtime",
  sdkPackages: [],
  fields: [
    {
      key: "vaultUrl",
      label: "Vault URL",
      type: "url",
      required: true,
      placeholder: "https://vault.example.com",
      help: "The Vault server's address, e.g. https://vault.example.com",
      address: true,
      format: { kind: "url" },
    },
    {
      key: "token",
      label: "Vault Token",
      type: "password",
      required: true,
      sensitive: true,
      placeholder: "hvs.…",
      help: "Authentication token (hvs.…) with read access to the secrets",
      format: { kind: "any" },
    },
    {
      key: "namespace",
      label: "Namespace",
      type: "text",
      required: false,
      help: "Vault namespace (Enterprise feature), sent as X-Vault-Namespace",
      format: { kind: "pattern", pattern: /^[A-Za-z0-9_.\/-]{1,256}$/, message: "Must be a Vault namespace such as admin/team-a" },
    },
    {
      key: "kvVersion",
      label: "KV version",
      type: "text",
      required: false,
      placeholder: "2",
      help: "2 (default) inserts /data/ into paths; 1 reads KV v1 mounts as-is; auto asks Vault for each mount's version",
      format: { kind: "choice", options: ["1", "2", "auto"] },
    },
  ],
  pathHelp:
    "The KV path, e.g. secret/my-app/api-key (KV v2: /data/ is inserted, giving secret/data/my-app/api-key). With several keys in the secret, set jsonKey to pick one.",
  checkPath: (path) => {
    if (!isVaultSecretPath(path)) return "Must be a KV path with a mount and a secret, e.g. secret/my-app/api-key";
    return builtInMountProblem(cleanVaultPathOrNull(path)!);
  },
} as const satisfies ProviderDefinition<"vault">;
