/**
 * The rules of `provenance import <file.env> --prefix P`, shared by the CLI and the dashboard's
 * Secrets page so the two doors cannot drift: what a .env file holds, the path each variable gets
 * (P.<name as written>) and what happens to a path that exists already. Neither the reader nor
 * the plan ever puts a value into a message. No imports: the server loads this file as it is.
 */
/** A .env file (or an export format) that cannot be read or written as asked; messages name lines, never values. */
export class FormatError extends Error {}

export const ON_CONFLICT = ["fail", "skip", "replace"] as const;
export type OnConflict = (typeof ON_CONFLICT)[number];

export function isOnConflict(value: unknown): value is OnConflict {
  return typeof value === "string" && (ON_CONFLICT as readonly string[]).includes(value);
}

export interface EnvImportEntry {
  name: string;
  value: string;
  /** The line the variable starts on. */
  line: number;
  secretPath: string;
}

/** A path segment: what a variable's name must be to become `P.<name>`. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** `stripe.` and `stripe` are the same prefix here: the variables go below it. */
export function importBase(prefix: string): string {
  return prefix.replace(/\.$/, "");
}

/**
 * The variables of a .env file, each with the path it is stored under. Throws FormatError (with
 * line numbers, never a value) for a file that is not .env, a name that cannot be a path segment,
 * or a name set twice.
 */
export function readEnvImport(text: string, prefix: string): EnvImportEntry[] {
  const entries = parseDotenv(text);
  const bad = entries.filter((e) => !SEGMENT.test(e.name));
  if (bad.length > 0)
    throw new FormatError(
      `these names cannot be path segments (letters, digits, _ and - only): ${bad.map((e) => `line ${e.line}`).join(", ")}.`,
    );
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const first = seen.get(entry.name);
    if (first !== undefined) throw new FormatError(`${entry.name} is set twice (lines ${first} and ${entry.line}); keep one.`);
    seen.set(entry.name, entry.line);
  }
  const base = importBase(prefix);
  return entries.map((entry) => ({ ...entry, secretPath: `${base}.${entry.name}` }));
}

export type EnvImportStep<T extends { secretPath: string }> =
  { kind: "create"; entry: T } | { kind: "skip"; entry: T; id: string } | { kind: "replace"; entry: T; id: string };

export interface EnvImportPlan<T extends { secretPath: string }> {
  steps: Array<EnvImportStep<T>>;
  /** Entries whose path exists already. */
  clashes: T[];
  /** With `fail`, any clash means nothing is written. */
  blocked: boolean;
}

/** What an import does with each entry, given the ids of the paths that exist (path → id). */
export function planEnvImport<T extends { secretPath: string }>(
  entries: T[],
  existing: ReadonlyMap<string, string>,
  onConflict: OnConflict,
): EnvImportPlan<T> {
  const steps = entries.map((entry): EnvImportStep<T> => {
    const id = existing.get(entry.secretPath);
    if (id === undefined) return { kind: "create", entry };
    return onConflict === "replace" ? { kind: "replace", entry, id } : { kind: "skip", entry, id };
  });
  const clashes = entries.filter((entry) => existing.has(entry.secretPath));
  return { steps, clashes, blocked: onConflict === "fail" && clashes.length > 0 };
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
        if (cursor >= source.length)
          throw new FormatError(`line ${startLine}: the ${quote === "'" ? "single" : "double"} quote of ${name} is never closed`);
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
      value = source
        .slice(cursor, end)
        .replace(/\s+#.*$/, "")
        .trim();
      at = end + 1;
    }
    line++;
    entries.push({ name, value, line: startLine });
  }
  return entries;
}

export interface EnvImportCounts {
  created: number;
  replaced: number;
  skipped: number;
  failed: number;
}
