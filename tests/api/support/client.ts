import { expect } from "vitest";
import { apiContext } from "./context";
import { openApiProblems } from "./openapi-check";
import { recordForLeakScan } from "./leak-recorder";

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
  recordForLeakScan(method, path, options.body, response, text, headers);
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  // Every answer is held to the published OpenAPI document (support/openapi-check.ts).
  expect(
    openApiProblems(method, path, response.status, response.headers.get("content-type") ?? "", text ? (parsed ?? text) : undefined),
  ).toEqual([]);
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

let counter = 0;
/** A name no other test (or earlier run on the same database) uses. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}
