/**
 * Token path scopes. A scope is one or more comma-separated patterns over secret paths:
 * `stripe.apiKey` (exactly that path), `stripe.*` (everything below stripe), `*` (everything).
 * `*` matches any run of characters, dots included.
 */
const PATTERN = /^(\*|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?)$/;

export function parseScope(scope: string): string[] | null {
  const patterns = scope
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (patterns.length === 0 || patterns.some((p) => !PATTERN.test(p) || p.length > 200)) return null;
  return patterns;
}

export function isValidScope(scope: string): boolean {
  return parseScope(scope) !== null;
}

export function scopeAllows(scope: string | null, secretPath: string): boolean {
  if (scope === null) return true;
  const patterns = parseScope(scope);
  if (!patterns) return false;
  return patterns.some((pattern) => {
    if (pattern === "*") return true;
    if (pattern.endsWith(".*")) return secretPath.startsWith(pattern.slice(0, -1));
    return secretPath === pattern;
  });
}

/** A scope narrows what a prefix listing may return: the prefixes a scope can ever match. */
export const SCOPE_HELP = "Comma-separated secret path patterns, e.g. stripe.* or stripe.apiKey,db.*";
