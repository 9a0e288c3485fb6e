// The env-names module itself, not the package index: it has no imports, so client components can
// use it without bundling the HTTP client.
import { envName, isPortableEnvName } from "@/client/src/env-names";
import { parseScope } from "@/lib/auth/scope";

/**
 * The commands and code the dashboard shows for using a secret or a token from a program. Pure
 * text: the token is always a placeholder and a value never appears, so these are safe to render.
 */
export type Snippet = { id: string; label: string; copyLabel: string; code: string; note?: string };

const COMMAND = "<your command>";
const TOKEN_PLACEHOLDER = "<your token>";

export function exportLines(publicUrl: string): string {
  return `export PROVENANCE_URL=${publicUrl}\nexport PROVENANCE_TOKEN=${TOKEN_PLACEHOLDER}`;
}

/** The variable `provenance run --path` gives this secret, and the flag that sets it. */
export function runFlagForPath(secretPath: string): { variable: string; flag: string } {
  const variable = envName(secretPath);
  // A path whose name a shell would refuse (it starts with a digit) has to be named explicitly.
  if (isPortableEnvName(variable)) return { variable, flag: `--path ${secretPath}` };
  const named = `SECRET_${variable}`;
  return { variable: named, flag: `--env ${named}=${secretPath}` };
}

export function secretSnippets(secretPath: string, publicUrl: string): Snippet[] {
  const run = runFlagForPath(secretPath);
  return [
    {
      id: "cli",
      label: "Command line",
      copyLabel: "Copy commands",
      code: [exportLines(publicUrl), `provenance get ${secretPath}`, `provenance run ${run.flag} -- ${COMMAND}`].join("\n"),
      note: `run starts the command with the value in $${run.variable}.`,
    },
    {
      id: "typescript",
      label: "TypeScript",
      copyLabel: "Copy TypeScript",
      code: [
        `import { createClient } from "@provenance/client";`,
        "",
        `const secrets = createClient({`,
        `  url: "${publicUrl}",`,
        `  token: process.env.PROVENANCE_TOKEN!,`,
        `});`,
        `const value = await secrets.get("${secretPath}");`,
      ].join("\n"),
    },
    {
      id: "http",
      label: "HTTP",
      copyLabel: "Copy curl command",
      code: `curl -H "Authorization: Bearer $PROVENANCE_TOKEN" \\\n  "${publicUrl}/api/secrets/resolve?path=${secretPath}"`,
    },
  ];
}

/**
 * The `provenance run` flags that read everything a token's scope allows: `--prefix P` for each
 * `P.*`, `--path P` for each exact path. Null when the scope has no prefix to name (unscoped, or `*`).
 */
export function runFlagsForScope(scope: string | null): string | null {
  const patterns = scope === null ? null : parseScope(scope);
  if (!patterns || patterns.includes("*")) return null;
  return patterns.map((pattern) => (pattern.endsWith(".*") ? `--prefix ${pattern.slice(0, -2)}` : `--path ${pattern}`)).join(" ");
}

/** How to use a token with this scope: the environment, then `run` with what the scope covers. */
export function tokenRunSnippet(scope: string | null, publicUrl: string, id = "token-run"): Snippet {
  const flags = runFlagsForScope(scope);
  return {
    id,
    label: "Command line",
    copyLabel: "Copy commands",
    code: [exportLines(publicUrl), `provenance run ${flags ?? "--prefix <prefix>"} -- ${COMMAND}`].join("\n"),
    note: flags
      ? "Names: with --prefix stripe, stripe.apiKey is API_KEY; with --path stripe.apiKey, it is STRIPE_API_KEY."
      : "This token reads every secret: name the prefix (or --path) your program needs.",
  };
}
