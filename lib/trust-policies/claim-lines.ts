/**
 * The form writes claims one per line, `name=pattern` (a claim value such as GitHub's sub holds
 * colons, so `=` separates). Pure, so it is shared by the form and its tests.
 */
export function parseClaimLines(text: string): { claims: Record<string, string> } | { error: string } {
  const claims: Record<string, string> = {};
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const at = line.indexOf("=");
    if (at <= 0) return { error: `Line ${index + 1}: write name=pattern, e.g. sub=repo:acme/*:ref:refs/heads/main` };
    const name = line.slice(0, at).trim();
    if (Object.hasOwn(claims, name)) return { error: `Line ${index + 1}: ${name} is named twice` };
    claims[name] = line.slice(at + 1).trim();
  }
  return { claims };
}

/** A server's field errors for `claims.<name>` as one message for the claims box. */
export function claimErrors(fields: Record<string, string>): { fields: Record<string, string>; claims: string | null } {
  const rest: Record<string, string> = {};
  const claims: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    if (path === "claims") claims.push(message);
    else if (path.startsWith("claims.")) claims.push(`${path.slice("claims.".length)}: ${message}`);
    else rest[path] = message;
  }
  return { fields: rest, claims: claims.length > 0 ? claims.join("; ") : null };
}
