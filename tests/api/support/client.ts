import { createRecorder, headersRecord, registerRequestSecrets } from "../../support/leak-scan/record";
import { apiContext } from "./context";

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  method?: string;
  token?: string | null;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
  baseUrl?: string;
}

/** Every response any test saw, so the leak scan can search them all. */
export const seenResponses: string[] = [];

/** The run-wide leak scan's record of this worker's responses (see tests/support/leak-scan). */
const leakRecorder = createRecorder("integration");
let suiteSecretsRegistered = false;

/** What global-setup made (its creation answers were not recorded, so no answer may carry them). */
function registerSuiteSecrets(): void {
  if (suiteSecretsRegistered) return;
  suiteSecretsRegistered = true;
  const { masterKey, admin, tokens, logFiles } = apiContext();
  leakRecorder.sensitive("SECRETS_MASTER_KEY", "masterKey", masterKey);
  leakRecorder.sensitive("the suite admin's password", "credential", admin.password);
  for (const [role, token] of Object.entries(tokens)) leakRecorder.sensitive(`the suite's ${role} token`, "token", token);
  for (const file of logFiles) leakRecorder.logFile(file);
}

/** One HTTP call to the server under test; `token: null` sends no credentials. */
export async function call<T = unknown>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const context = apiContext();
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? context.tokens.admin : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const method = options.method ?? "GET";
  const response = await fetch(`${options.baseUrl ?? context.baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  seenResponses.push(`${response.status} ${[...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n${text}`);
  recordForLeakScan(method, path, options.body, response, text);
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

function recordForLeakScan(method: string, path: string, sent: unknown, response: Response, text: string): void {
  registerSuiteSecrets();
  let requestBody = sent;
  if (typeof sent === "string") {
    try {
      requestBody = JSON.parse(sent);
    } catch {
      requestBody = undefined;
    }
  }
  registerRequestSecrets(leakRecorder, method, path, requestBody);
  const id = leakRecorder.response({ kind: "response", method, url: path, status: response.status, headers: headersRecord(response.headers), body: text });
  // A token's creation answer is the one place it may appear.
  if (method === "POST" && path.startsWith("/api/tokens") && response.status === 201) {
    try {
      leakRecorder.sensitive(`token created by ${method} ${path}`, "token", (JSON.parse(text) as { token?: unknown }).token, [id]);
    } catch {
      // not JSON: nothing was created
    }
  }
}

let counter = 0;
/** A name no other test (or earlier run on the same database) uses. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}
