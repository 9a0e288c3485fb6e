/** Audit actions and outcomes in words people use. Unknown actions fall back to their key. */
const ACTIONS: Record<string, { label: string; failed?: string; denied?: string }> = {
  "auth.sign_in": { label: "Signed in", denied: "Sign-in refused", failed: "Sign-in failed" },
  "auth.setup": { label: "First-run setup", denied: "Setup code refused" },
  "secret.create": { label: "Created secret" },
  "secret.update": { label: "Changed secret" },
  "secret.delete": { label: "Deleted secret" },
  "secret.import_env": { label: "Imported a .env file", failed: "Imported a .env file (some paths failed)" },
  "secret.resolve": { label: "Read secret value", failed: "Failed to read secret value", denied: "Refused secret value" },
  "secret.resolve_batch": {
    label: "Read secret values (batch)",
    failed: "Failed to read secret values (batch)",
    denied: "Refused secret values (batch)",
  },
  "secret_provider.create": { label: "Created connection" },
  "secret_provider.update": { label: "Changed connection" },
  "secret_provider.delete": { label: "Deleted connection" },
  "secret_provider.test": { label: "Tested connection", failed: "Connection test failed" },
  "token.create": { label: "Created API token" },
  "token.revoke": { label: "Revoked API token" },
  "token.exchange": { label: "Exchanged an OIDC ID token for an API token", denied: "OIDC token exchange refused" },
  "trust_policy.create": { label: "Created trust policy" },
  "trust_policy.update": { label: "Changed trust policy" },
  "trust_policy.delete": { label: "Deleted trust policy" },
  "webhook.failed": { label: "Webhook delivery given up", failed: "Webhook delivery given up" },
  "user.create": { label: "Added user" },
  "user.update": { label: "Changed user" },
  "user.password_change": { label: "Changed own password", denied: "Password change refused" },
  "user.password_reset": { label: "Reset password" },
};

export const ACTION_FAMILIES = [
  { value: "secret.", label: "All secret events" },
  { value: "secret_provider.", label: "All connection events" },
  { value: "token.", label: "All token events" },
  { value: "user.", label: "All user events" },
  { value: "auth.", label: "All sign-in events" },
] as const;

export function actionLabel(action: string, outcome?: string): string {
  const known = ACTIONS[action];
  if (!known) return action;
  if (outcome === "failure" && known.failed) return known.failed;
  if (outcome === "denied" && known.denied) return known.denied;
  return known.label;
}

export const OUTCOMES: Record<string, { label: string; tone: "success" | "danger" | "warning" }> = {
  success: { label: "Succeeded", tone: "success" },
  failure: { label: "Failed", tone: "danger" },
  denied: { label: "Denied", tone: "warning" },
};

const REASONS: Record<string, string> = {
  unknown_account: "no such account",
  wrong_password: "wrong password",
  account_disabled: "account disabled",
  wrong_setup_code: "wrong setup code",
  setup_code_expired: "setup code expired or tried too often",
};

/** The details object as short "key: value" phrases; values are facts, never secrets. */
export function describeDetails(details: Record<string, unknown> | null): string[] {
  if (!details) return [];
  return (
    Object.entries(details)
      // Row ids mean nothing to a reader (the target already names the thing).
      .filter(([key]) => !/Id$/.test(key))
      .filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
      .map(([key, value]) => {
        if (key === "reason" && typeof value === "string") return REASONS[value] ?? value;
        const text = Array.isArray(value) ? value.join(", ") : String(value);
        return `${key}: ${text}`;
      })
  );
}
