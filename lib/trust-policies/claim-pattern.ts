/**
 * Claim patterns of a trust policy. A pattern is an exact string, or uses `*` to stand for one
 * segment: one or more characters other than the separators `/` and `:`. So
 * `repo:acme/*:ref:refs/heads/main` matches `repo:acme/api:ref:refs/heads/main` but neither
 * `repo:acme/api/x:ref:refs/heads/main` nor `repo:acme/api:environment:prod:ref:refs/heads/main`:
 * a star never crosses into another segment, so it never widens a policy to another owner, ref or
 * environment. There is no escape for a literal `*` (claim values of the common issuers have none).
 *
 * Pure: the API validation and the dashboard can share it.
 */
/** One segment: what `*` stands for. */
const SEGMENT = "[^/:]+";

export function claimPatternMatches(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  return patternRegex(pattern).test(value);
}

const compiled = new Map<string, RegExp>();

function patternRegex(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = pattern
      .split("*")
      .map((literal) => literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
      .join(SEGMENT);
    regex = new RegExp(`^${source}$`, "u");
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

/**
 * The text a claim is compared as: strings as they are, numbers and booleans in their JSON form
 * (`run_attempt: 1` matches "1"). Objects, arrays and absent claims match no pattern.
 */
export function claimText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  return null;
}

/** Whether every claim the policy names is present and matches its pattern. */
export function claimsMatch(patterns: Record<string, string>, claims: Record<string, unknown>): boolean {
  return Object.entries(patterns).every(([name, pattern]) => {
    const text = Object.hasOwn(claims, name) ? claimText(claims[name]) : null;
    return text !== null && claimPatternMatches(pattern, text);
  });
}
