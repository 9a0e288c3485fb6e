import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";

/**
 * The leak scan's artefacts (gitignored, cleared at the start of `npm test`): every response the
 * integration client and the browser tests saw, the server log files, and a registry of the
 * sensitive strings the tests sent or were given. `npm run test:leaks` (scripts/leak-scan.ts)
 * searches the one for the other at the end of the run. One JSON object per line, one file per
 * process, so parallel workers never interleave.
 */
export const LEAK_SCAN_DIR = path.resolve(__dirname, "../../../test-results/leak-scan");

export type Source = "integration" | "e2e";

/**
 * value: a stored secret's value (allowed in resolve and reveal answers);
 * credential: a provider credential or a password; masterKey; token: an API token (allowed only
 * in the answer that created it).
 */
export type SensitiveKind = "value" | "credential" | "masterKey" | "token";

export interface ResponseRecord {
  id: string;
  source: Source;
  /** "response": an HTTP answer; "page": a page's rendered HTML after a navigation. */
  kind: "response" | "page";
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Sent by a server action (Next's `next-action` request header). */
  serverAction?: boolean;
}

export interface SensitiveEntry {
  source: Source;
  name: string;
  kind: SensitiveKind;
  value: string;
  /** Responses allowed to carry it (a token's creation answer). */
  exemptResponses?: string[];
}

export interface LogFileEntry {
  source: Source;
  file: string;
}

/**
 * Short or repetitive strings ("v", "••••••••", "aaaaaaaaaa") also occur in ordinary pages and
 * cannot be told apart from a leak; every sensitive string the tests make is longer and random.
 */
export function isDistinctive(value: string): boolean {
  return value.trim().length >= 10 && new Set(value).size >= 6 && /[A-Za-z0-9]/.test(value);
}

export interface Recorder {
  /** Writes one response and returns its id (for a token's creation answer). */
  response(record: Omit<ResponseRecord, "id" | "source">): string;
  sensitive(name: string, kind: SensitiveKind, value: unknown, exemptResponses?: string[]): void;
  logFile(file: string): void;
}

export function createRecorder(source: Source, dir = LEAK_SCAN_DIR): Recorder {
  const prefix = `${source}-${process.pid}`;
  const registered = new Set<string>();
  const loggedFiles = new Set<string>();
  let sequence = 0;
  const append = (file: string, entry: unknown) => {
    mkdirSync(dir, { recursive: true });
    appendFileSync(path.join(dir, `${file}-${prefix}.jsonl`), JSON.stringify(entry) + "\n");
  };
  return {
    response(record) {
      const id = `${prefix}-${++sequence}`;
      append("responses", { id, source, ...record } satisfies ResponseRecord);
      return id;
    },
    sensitive(name, kind, value, exemptResponses) {
      if (typeof value !== "string" || !isDistinctive(value)) return;
      const key = `${kind}\0${value}\0${exemptResponses?.join(",") ?? ""}`;
      if (registered.has(key)) return;
      registered.add(key);
      append("sensitive", { source, name, kind, value, ...(exemptResponses ? { exemptResponses } : {}) } satisfies SensitiveEntry);
    },
    logFile(file) {
      if (loggedFiles.has(file)) return;
      loggedFiles.add(file);
      append("logs", { source, file } satisfies LogFileEntry);
    },
  };
}

/** Config fields the contract marks sensitive, in any provider type. */
const SENSITIVE_CONFIG_FIELDS = ["accessKeyId", "secretAccessKey", "clientSecret", "serviceAccountJson", "token"];

/**
 * Registers what a request body hands the server to keep secret: a secret's `value`, and the
 * sensitive fields of a connection's `config` (a service-account JSON also by its private key's
 * lines, which could leak on their own).
 */
export function registerRequestSecrets(recorder: Recorder, method: string, urlPath: string, body: unknown): void {
  if (!["POST", "PUT", "PATCH"].includes(method.toUpperCase()) || typeof body !== "object" || body === null) return;
  const fields = body as Record<string, unknown>;
  if (/^\/api\/secrets(\/[^/?]+)?(\?|$)/.test(urlPath) && !urlPath.startsWith("/api/secrets/resolve")) {
    recorder.sensitive(`stored value sent to ${method} ${urlPath}`, "value", fields.value);
  }
  if (/^\/api\/secret-providers(\/[^/?]+)?(\?|$)/.test(urlPath) && typeof fields.config === "object" && fields.config !== null) {
    const config = fields.config as Record<string, unknown>;
    for (const field of SENSITIVE_CONFIG_FIELDS) {
      recorder.sensitive(`config.${field} sent to ${method} ${urlPath}`, "credential", config[field]);
      if (field === "serviceAccountJson" && typeof config[field] === "string") {
        for (const line of privateKeyLines(config[field]))
          recorder.sensitive(`config.serviceAccountJson private key line`, "credential", line);
      }
    }
  }
}

function privateKeyLines(json: string): string[] {
  try {
    const key = (JSON.parse(json) as { private_key?: unknown }).private_key;
    return typeof key === "string" ? key.split("\n").filter((line) => !line.startsWith("-----")) : [];
  } catch {
    return [];
  }
}

export function headersRecord(headers: Headers | Record<string, string> | Array<{ name: string; value: string }>): Record<string, string> {
  const pairs: Array<[string, string]> = Array.isArray(headers)
    ? headers.map(({ name, value }) => [name, value])
    : headers instanceof Headers
      ? [...headers]
      : Object.entries(headers);
  const record: Record<string, string> = {};
  // Repeated headers (Set-Cookie) are kept whole, one per line.
  for (const [name, value] of pairs)
    record[name.toLowerCase()] = record[name.toLowerCase()] === undefined ? value : `${record[name.toLowerCase()]}\n${value}`;
  return record;
}
