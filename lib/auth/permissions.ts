import { roleAtLeast, type Role } from "./roles";

/**
 * Who may do what: the least role each operation needs, in one table. The route wrapper
 * (lib/api/route.ts), the server actions (lib/api/server-action.ts), the pages (what they show)
 * and the OpenAPI document (`x-minimum-role`) all read it, so none can disagree with another.
 * Keys are the API's operationIds; dashboard-only operations have names of their own. Path scopes
 * narrow a token further (lib/auth/scope.ts): a scoped token is never admin.
 */
export type Access = Role | "public";

export const PERMISSIONS = {
  // Discovery and health
  getApiIndex: "public",
  getHealth: "public",
  getLiveness: "public",
  getReadiness: "public",
  // Monitoring: cluster-wide counts of every connection, so admin only (a scoped token never)
  getMetrics: "admin",
  // Secret providers
  listProviderTypes: "viewer",
  listConnections: "viewer",
  getConnection: "viewer",
  getConnectionUsage: "viewer",
  createConnection: "admin",
  updateConnection: "admin",
  patchConnection: "admin",
  deleteConnection: "admin",
  testConnection: "editor",
  // Secrets: metadata
  listSecrets: "viewer",
  getSecret: "viewer",
  listSecretVersions: "viewer",
  createSecret: "editor",
  updateSecret: "editor",
  patchSecret: "editor",
  deleteSecret: "editor",
  // Values
  resolveSecret: "editor",
  resolveSecrets: "editor",
  watchSecrets: "editor",
  // Tokens, keyless access, users
  listTokens: "admin",
  createToken: "admin",
  revokeToken: "admin",
  listTrustPolicies: "admin",
  getTrustPolicy: "admin",
  createTrustPolicy: "admin",
  updateTrustPolicy: "admin",
  deleteTrustPolicy: "admin",
  exchangeIdToken: "public",
  // Change notifications from the managers: authenticated by each source's own signature
  receiveAwsSnsNotification: "public",
  receiveGcpPubsubNotification: "public",
  receiveAzureEventGridNotification: "public",
  receiveWebhookNotification: "public",
  // Dashboard only
  // The Secrets page's "Import .env": writes secrets as createSecret/updateSecret do.
  importSecrets: "editor",
  manageUsers: "admin",
  changeOwnPassword: "viewer",
  readAllAuditEvents: "admin",
} as const satisfies Record<string, Access>;

export type Operation = keyof typeof PERMISSIONS;
/** Operations that need a signed-in user or a token. */
export type GuardedOperation = { [K in Operation]: (typeof PERMISSIONS)[K] extends "public" ? never : K }[Operation];

export function minimumRole(operation: GuardedOperation): Role {
  return PERMISSIONS[operation];
}

/** Whether someone with `role` may do `operation`. */
export function can(role: Role, operation: GuardedOperation): boolean {
  return roleAtLeast(role, minimumRole(operation));
}
