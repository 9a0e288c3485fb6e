/**
 * The contract's naming rule for environment variables (CONTRACT.md, "Runtime clients"): the
 * path's segments after the prefix (all of them when there is no prefix) joined with `_`,
 * camelCase split with `_`, `-` as `_`, upper-cased. Prefix `stripe` turns `stripe.apiKey` into
 * `API_KEY`; without a prefix `stripe.apiKey` is `STRIPE_API_KEY`.
 */
export function envName(secretPath: string, prefix?: string): string {
  const segments = secretPath.split(".");
  const bare = (prefix ?? "").replace(/\.$/, "");
  let kept = segments;
  if (bare !== "") {
    // A prefix read includes the secret the prefix itself names: it keeps its last segment.
    if (secretPath === bare) kept = segments.slice(-1);
    else if (isUnderPrefix(secretPath, bare)) kept = segments.slice(bare.split(".").length);
    else throw new Error(`${secretPath} is not under the prefix ${bare}`);
  }
  return kept.map(segmentName).join("_").toUpperCase();
}

function segmentName(segment: string): string {
  return (
    segment
      // apiKey → api_Key; HTTPServer → HTTP_Server; v2Token → v2_Token
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
      .replace(/-/g, "_")
  );
}

/** `stripe.apiKey` is under `stripe` and `stripe.`; `stripeX.key` is not under `stripe`. */
export function isUnderPrefix(secretPath: string, prefix: string): boolean {
  const bare = prefix.replace(/\.$/, "");
  return bare === "" || secretPath.startsWith(`${bare}.`);
}

/** A name a shell, `docker --env-file` and process.env all accept. */
export function isPortableEnvName(name: string): boolean {
  return /^[A-Z_][A-Z0-9_]*$/.test(name);
}
