/**
 * `provenance export` formats, and the .env reader of `provenance import`. Every format carries
 * any value exactly (quotes, `$`, backslashes, newlines, unicode), or refuses it (docker), and what
 * `export --format dotenv` writes, `import` reads back unchanged.
 */
import { FormatError } from "../env-import.js";

// The .env reader lives with the import rules (../env-import.ts), which the server shares.
export { FormatError, parseDotenv } from "../env-import.js";

export const FORMATS = ["dotenv", "docker", "json", "shell"] as const;
export type Format = (typeof FORMATS)[number];

export function formatEnv(format: Format, variables: Array<{ name: string; path: string; value: string }>): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(Object.fromEntries(variables.map((v) => [v.name, v.value])), null, 2)}\n`;
    case "shell":
      return variables.map((v) => `export ${v.name}=${shellQuote(v.value)}\n`).join("");
    case "docker":
      return variables
        .map((v) => {
          // docker --env-file takes one line per variable, verbatim: no quoting, no escapes.
          if (/[\n\r\0]/.test(v.value))
            throw new FormatError(
              `${v.path} (${v.name}) has a line break, which docker --env-file cannot carry; use --format dotenv or json.`,
            );
          return `${v.name}=${v.value}\n`;
        })
        .join("");
    case "dotenv":
      return variables.map((v) => `${v.name}=${dotenvQuote(v.value)}\n`).join("");
  }
}

/** POSIX shell: single quotes take everything literally; a quote itself is closed, escaped, reopened. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Single quotes (literal in every .env reader, line breaks included) unless the value has one;
 * then double quotes with backslash escapes for `\`, `"`, `$`, line breaks and tabs.
 */
export function dotenvQuote(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  const escaped = value.replace(
    /[\\"$\n\r\t]/g,
    (c) => ({ "\\": "\\\\", '"': '\\"', $: "\\$", "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]!,
  );
  return `"${escaped}"`;
}
