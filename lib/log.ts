import { stripControls } from "@/lib/validation/text";

/**
 * Structured JSON logs, one object per line. Callers pass facts, never values or credentials;
 * as a second line of defence, anything that looks like a token or key is masked on the way out.
 *
 * Log lines can hold outside text (an upstream's error, a path someone sent), so every pattern
 * here must cost time linear in the line's length whatever it holds: no pattern has a lazy or
 * greedy run that can be retried from many starting points. Private keys are found with indexOf
 * (see redactPrivateKeys), not with a regex that spans BEGIN to END.
 */
type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, unknown>;

const REDACTIONS: Array<[RegExp, string]> = [
  [/pvn_[A-Za-z0-9_-]{20,}/g, "pvn_[redacted]"],
  [/\bhvs\.[A-Za-z0-9_-]{10,}/g, "hvs.[redacted]"],
  [/\bAKIA[A-Z0-9]{12,}/g, "AKIA[redacted]"],
  [/\bpv1\.[A-Za-z0-9]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, "pv1.[ciphertext]"],
  [
    /("?(?:password|secret|token|secretAccessKey|clientSecret|serviceAccountJson|value|authorization)"?\s*[:=]\s*)"(?:[^"\\]|\\.)*"/gi,
    '$1"[redacted]"',
  ],
];

const KEY_BEGIN = /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/g;
const KEY_END = /-----END [A-Z ]{0,40}PRIVATE KEY-----/g;
const REDACTED_KEY = "[redacted private key]";

/**
 * Every `-----BEGIN … PRIVATE KEY-----` through its END line becomes one marker; a BEGIN with no
 * END hides everything after it (a cut-off key is still a key). One forward pass: each search
 * starts where the previous one stopped, so hostile text (a megabyte of BEGIN lines and no END)
 * costs one scan, not one scan per BEGIN.
 */
export function redactPrivateKeys(text: string): string {
  if (!text.includes("PRIVATE KEY-----")) return text;
  let out = "";
  let from = 0;
  for (;;) {
    KEY_BEGIN.lastIndex = from;
    const begin = KEY_BEGIN.exec(text);
    if (!begin) return out + text.slice(from);
    out += text.slice(from, begin.index) + REDACTED_KEY;
    KEY_END.lastIndex = begin.index + begin[0].length;
    const end = KEY_END.exec(text);
    if (!end) return out;
    from = end.index + end[0].length;
  }
}

export function redact(text: string): string {
  let out = redactPrivateKeys(text);
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

/**
 * An error's name and message for a log line, without its stack (stacks can carry values). Both
 * can come from outside (an SDK quoting its server), so they are cut first, then stripped of
 * control characters.
 */
export function describeError(error: unknown): Fields {
  if (error instanceof Error) {
    return { errorName: stripControls(String(error.name).slice(0, 100)), errorMessage: stripControls(error.message.slice(0, 500)) };
  }
  return { errorName: typeof error };
}
