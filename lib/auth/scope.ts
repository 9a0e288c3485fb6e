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

/**
 * Whether every path scope `inner` allows is also allowed by `outer` (null = unscoped, every path).
 * Decided pattern by pattern: each of inner's patterns must lie inside one single pattern of outer.
 * That is exact, not merely safe: `P.*` matches unboundedly many paths below P, and a set of exact
 * patterns or of other subtrees can only cover it if one of them is a subtree containing P.
 * An invalid scope on either side is inside nothing (and contains nothing), like scopeAllows.
 */
export function scopeWithin(inner: string | null, outer: string | null): boolean {
  if (outer === null) return inner === null || parseScope(inner) !== null;
  const outerPatterns = parseScope(outer);
  if (!outerPatterns) return false;
  const innerPatterns = inner === null ? ["*"] : parseScope(inner);
  if (!innerPatterns) return false;
  return innerPatterns.every((pattern) => outerPatterns.some((container) => patternWithin(pattern, container)));
}

/** One valid pattern inside another: `*` only in `*`; `a.b` in `a.b`, `a.*` or `*`; `a.b.*` in `a.b.*`, `a.*` or `*`. */
function patternWithin(pattern: string, container: string): boolean {
  if (container === "*") return true;
  if (pattern === "*") return false;
  if (container.endsWith(".*")) {
    // Compared with the dot kept ("stripe."), so neither stripeOld.* nor stripe itself is inside stripe.*.
    const prefix = container.slice(0, -1);
    const start = pattern.endsWith(".*") ? pattern.slice(0, -1) : pattern;
    return start.startsWith(prefix);
  }
  return pattern === container;
}

/** A scope narrows what a prefix listing may return: the prefixes a scope can ever match. */
export const SCOPE_HELP = "Comma-separated secret path patterns, e.g. stripe.* or stripe.apiKey,db.*";
