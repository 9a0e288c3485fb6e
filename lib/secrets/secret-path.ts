/** A secret's dotted name (CONTRACT): `stripe.apiKey`, `db.primary.password`. */
export const SECRET_PATH_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
export const SECRET_PATH_MAX_LENGTH = 200;

export function isSecretPath(value: string): boolean {
  return value.length <= SECRET_PATH_MAX_LENGTH && SECRET_PATH_PATTERN.test(value);
}

/**
 * Prefixes are dotted too: `stripe` matches `stripe` and `stripe.apiKey`, not `stripeOld.key`.
 * A trailing dot (`stripe.`) matches only what is below it.
 */
export function matchesPrefix(secretPath: string, prefix: string): boolean {
  if (prefix === "") return true;
  if (prefix.endsWith(".")) return secretPath.startsWith(prefix);
  return secretPath === prefix || secretPath.startsWith(prefix + ".");
}

export function isValidPrefix(prefix: string): boolean {
  return prefix === "" || isSecretPath(prefix.endsWith(".") ? prefix.slice(0, -1) : prefix);
}
