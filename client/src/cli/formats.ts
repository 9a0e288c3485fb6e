/**
 * `provenance export` formats, and the .env reader of `provenance import`. Every format carries
 * any value exactly (quotes, `$`, backslashes, newlines, unicode), or refuses it (docker), and what
 * `export --format dotenv` writes, `import` reads back unchanged.
 */
export const FORMATS = ["dotenv", "docker", "json", "shell"] as const;
export type Format = (typeof FORMATS)[number];

export class FormatError extends Error {}

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
          if (/[\n\r\0]/.test(v.value)) throw new FormatError(`${v.path} (${v.name}) has a line break, which docker --env-file cannot carry; use --format dotenv or json.`);
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
  const escaped = value.replace(/[\\"$\n\r\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', $: "\\$", "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]!);
  return `"${escaped}"`;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"', $: "$" };

/**
 * Reads a .env file: `NAME=value` lines, optional `export `, `#` comments, blank lines; values
 * bare (trailing ` #…` is a comment), single-quoted (literal, may span lines) or double-quoted
 * (the escapes above, may span lines). Names are kept as written.
 */
export function parseDotenv(text: string): Array<{ name: string; value: string; line: number }> {
  const entries: Array<{ name: string; value: string; line: number }> = [];
  let at = 0;
  let line = 1;
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  while (at < source.length) {
    const end = source.indexOf("\n", at) === -1 ? source.length : source.indexOf("\n", at);
    const raw = source.slice(at, end);
    const startLine = line;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      at = end + 1;
      line++;
      continue;
    }
    const match = /^\s*(?:export\s+)?([^=\s]+)\s*=\s*/.exec(raw);
    if (!match) throw new FormatError(`line ${startLine}: expected NAME=value`);
    const name = match[1]!;
    let cursor = at + match[0].length;
    const quote = source[cursor];
    let value: string;
    if (quote === "'" || quote === '"') {
      let result = "";
      cursor++;
      for (;;) {
        if (cursor >= source.length) throw new FormatError(`line ${startLine}: the ${quote === "'" ? "single" : "double"} quote of ${name} is never closed`);
        const c = source[cursor]!;
        if (c === quote) break;
        if (c === "\n") line++;
        if (quote === '"' && c === "\\" && cursor + 1 < source.length) {
          const next = source[cursor + 1]!;
          result += ESCAPES[next] ?? `\\${next}`;
          cursor += 2;
          continue;
        }
        result += c;
        cursor++;
      }
      value = result;
      const restEnd = source.indexOf("\n", cursor) === -1 ? source.length : source.indexOf("\n", cursor);
      const rest = source.slice(cursor + 1, restEnd).trim();
      if (rest !== "" && !rest.startsWith("#")) throw new FormatError(`line ${line}: unexpected text after the closing quote of ${name}`);
      at = restEnd + 1;
    } else {
      value = source.slice(cursor, end).replace(/\s+#.*$/, "").trim();
      at = end + 1;
    }
    line++;
    entries.push({ name, value, line: startLine });
  }
  return entries;
}
