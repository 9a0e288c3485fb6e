/**
 * Structured JSON logs, one object per line. Callers pass facts, never values or credentials;
 * as a second line of defence, anything that looks like a token or key is masked on the way out.
 */
type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, unknown>;

const REDACTIONS: Array<[RegExp, string]> = [
  [/pvn_[A-Za-z0-9_-]{20,}/g, "pvn_[redacted]"],
  [/\bhvs\.[A-Za-z0-9_-]{10,}/g, "hvs.[redacted]"],
  [/\bAKIA[A-Z0-9]{12,}/g, "AKIA[redacted]"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, "[redacted private key]"],
  [/\bpv1\.[A-Za-z0-9]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, "pv1.[ciphertext]"],
  [/("?(?:password|secret|token|secretAccessKey|clientSecret|serviceAccountJson|value|authorization)"?\s*[:=]\s*)"(?:[^"\\]|\\.)*"/gi, '$1"[redacted]"'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
  return out;
}

function write(level: Level, message: string, fields: Fields = {}): void {
  const line = redact(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (message: string, fields?: Fields) => {
    if (process.env.PROVENANCE_LOG_LEVEL === "debug") write("debug", message, fields);
  },
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

/** An error's name and message for a log line, without its stack (stacks can carry values). */
export function describeError(error: unknown): Fields {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message.slice(0, 500) };
  return { errorName: typeof error };
}
