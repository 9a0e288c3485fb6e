import { MAX_CALLS_PER_MINUTE_FIELD, TOKEN_FILE_FORMAT, type ProviderDefinition } from "../definition";
import { builtInMountProblem, cleanVaultPathOrNull, isVaultSecretPath } from "./path-syntax";

export const VAULT_AUTH_METHODS = ["token", "approle", "jwt", "kubernetes"] as const;
export type VaultAuthMethod = (typeof VAULT_AUTH_METHODS)[number];
/** Where Kubernetes mounts a pod's service-account token. */
export const KUBERNETES_TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** The chosen auth method; empty means the default, token. */
const authMethodOf = (config: Record<string, string>): string => config.authMethod || "token";

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
      key: "authMethod",
      label: "Auth method",
      type: "text",
      required: false,
      placeholder: "token",
      help: "token (default): a static token. approle, jwt, kubernetes: Provenance signs in with that method and renews or signs in again before the token expires",
      format: { kind: "choice", options: VAULT_AUTH_METHODS },
    },
    {
      key: "token",
      label: "Vault Token",
      type: "password",
      required: true,
      sensitive: true,
      placeholder: "hvs.…",
      help: "Authentication token (hvs.…) with read access to the secrets; not needed when another auth method signs in",
      format: { kind: "any" },
      optionalWhen: (config) => (config.authMethod ?? "token") !== "token",
      shownWhen: (config) => authMethodOf(config) === "token",
    },
    {
      key: "roleId",
      label: "AppRole role ID",
      type: "text",
      required: false,
      help: "approle: the role_id of the AppRole",
      shownWhen: (config) => authMethodOf(config) === "approle",
      format: { kind: "pattern", pattern: /^[A-Za-z0-9_.-]{1,200}$/, message: "Must be an AppRole role_id" },
    },
    {
      key: "secretId",
      label: "AppRole secret ID",
      type: "password",
      required: false,
      sensitive: true,
      help: "approle: the secret_id issued for the role",
      shownWhen: (config) => authMethodOf(config) === "approle",
      format: { kind: "any" },
    },
    {
      key: "role",
      label: "Role",
      type: "text",
      required: false,
      help: "jwt, kubernetes: the Vault role to sign in as",
      shownWhen: (config) => ["jwt", "kubernetes"].includes(authMethodOf(config)),
      format: { kind: "pattern", pattern: /^[A-Za-z0-9_.@-]{1,200}$/, message: "Must be a Vault role name" },
    },
    {
      key: "jwtFile",
      label: "JWT file",
      type: "text",
      required: false,
      placeholder: KUBERNETES_TOKEN_FILE,
      help: `jwt: the file holding the identity token (required); kubernetes: the service-account token (default ${KUBERNETES_TOKEN_FILE}). Read again at every sign-in, only from the folders PROVENANCE_TOKEN_FILE_DIRS allows`,
      format: TOKEN_FILE_FORMAT,
      shownWhen: (config) => ["jwt", "kubernetes"].includes(authMethodOf(config)),
    },
    {
      key: "authMount",
      label: "Auth mount",
      type: "text",
      required: false,
      help: "Where the auth method is mounted, if not at its default path (approle, jwt, kubernetes)",
      shownWhen: (config) => authMethodOf(config) !== "token",
      format: {
        kind: "pattern",
        pattern: /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
        message: "Must be a mount path such as approle or team/jwt",
      },
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
    MAX_CALLS_PER_MINUTE_FIELD,
  ],
  crossFieldRules: (config) => {
    const problems: Record<string, string> = {};
    const method = config.authMethod ?? "token";
    const need = (key: string, label: string) => {
      if (!config[key]) problems[key] = `${label} is required with the ${method} auth method`;
    };
    if (method === "approle") {
      need("roleId", "AppRole role ID");
      need("secretId", "AppRole secret ID");
    }
    if (method === "jwt") {
      need("role", "Role");
      need("jwtFile", "JWT file");
    }
    if (method === "kubernetes") need("role", "Role");
    return problems;
  },
  pathHelp:
    "The KV path, e.g. secret/my-app/api-key (KV v2: /data/ is inserted, giving secret/data/my-app/api-key). With several keys in the secret, set jsonKey to pick one.",
  checkPath: (path) => {
    if (!isVaultSecretPath(path)) return "Must be a KV path with a mount and a secret, e.g. secret/my-app/api-key";
    return builtInMountProblem(cleanVaultPathOrNull(path)!);
  },
} as const satisfies ProviderDefinition<"vault">;
