import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { call, unique, type ApiResponse } from "./client";

/** What a set sensitive field reads as everywhere (CONTRACT): 8 × U+2022. */
export const MASK = "\u2022".repeat(8);

export type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } & Record<string, unknown> };

const STACK_MARKERS = [/\n\s*at\s/, /\bat .+\(.+:\d+:\d+\)/, /\/work\//, /\.tsx?:\d+/, /node_modules/, /webpack-internal/, /\.js:\d+:\d+/];

/** A response text carries no stack trace or server file path. */
export function expectNoStackTrace(text: string): void {
  for (const marker of STACK_MARKERS) expect(text, `response leaks ${marker}`).not.toMatch(marker);
}

/**
 * The contract's error shape: `{error: {code: snake_case, message: sentence}}`, no stack trace.
 * Pass `status` and `code` to pin them; `fields` (keys) to require entries in `error.fields`.
 */
export function expectError(response: ApiResponse, status?: number, code?: string, fields: string[] = []): ErrorBody["error"] {
  const context = `${response.status} ${response.text.slice(0, 300)}`;
  if (status !== undefined) expect(response.status, context).toBe(status);
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(response.headers.get("content-type") ?? "", context).toMatch(/application\/json/);
  const body = response.body as ErrorBody;
  expect(body, context).toMatchObject({ error: { code: expect.stringMatching(/^[a-z]+(_[a-z]+)*$/), message: expect.any(String) } });
  expect(body.error.message.trim().length, context).toBeGreaterThan(0);
  if (code !== undefined) expect(body.error.code, context).toBe(code);
  for (const field of fields) expect(Object.keys(body.error.fields ?? {}), context).toContain(field);
  expectNoStackTrace(response.text);
  return body.error;
}

/** A client error (4xx) with the contract's shape: never a 5xx, never a stack. */
export function expectClientError(response: ApiResponse, code?: string): ErrorBody["error"] {
  expect(response.status, `${response.status} ${response.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${response.status} ${response.text.slice(0, 300)}`).toBeLessThan(500);
  return expectError(response, undefined, code);
}

/** Any answer but a 5xx; errors keep the contract's shape. */
export function expectNot5xx(response: ApiResponse): void {
  expect(response.status, `${response.status} ${response.text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) expectError(response);
}

/** The server still answers normally after something hostile. */
export async function expectHealthy(): Promise<void> {
  const health = await call<{ status: string }>("/api/health", { token: null });
  expect(health.status).toBe(200);
  expect(health.body.status).toBe("ok");
  const list = await call<unknown[]>("/api/secret-providers");
  expect(list.status).toBe(200);
  expect(Array.isArray(list.body)).toBe(true);
}

/** A well-formed token (pvn_ + 43 base64url characters) that the server never issued. */
export function unknownToken(): string {
  return `pvn_${randomBytes(32).toString("base64url")}`;
}

/** Random uppercase letters and digits (AWS access key ids are made of these). */
export function randomUpper(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

/** Random letters and digits: survives JSON escaping unchanged, so a plain substring search finds it. */
export function randomAlnum(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

interface Created {
  id: string;
}

/** A vault connection created as admin (201 required). */
export async function createVaultConnection(
  config: Record<string, string> = {},
  name = unique("vault"),
): Promise<Created & { name: string }> {
  const response = await call<Created & { name: string }>("/api/secret-providers", {
    method: "POST",
    body: { name, type: "vault", config: { vaultUrl: "https://vault.example.com", token: `hvs.${randomAlnum(24)}`, ...config } },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/** A secret stored in Provenance, created as admin (201 required). */
export async function createStoredSecret(
  secretPath: string,
  value = randomAlnum(24),
): Promise<Created & { secretPath: string; value: string }> {
  const response = await call<Created & { secretPath: string }>("/api/secrets", { method: "POST", body: { secretPath, value } });
  expect(response.status, response.text).toBe(201);
  return { ...response.body, value };
}

/** A token created through the API as admin; returns its id and the secret shown once. */
export async function createToken(role: string, scope?: string): Promise<{ id: string; token: string }> {
  const response = await call<{ id: string; token: string }>("/api/tokens", {
    method: "POST",
    body: { name: unique(`t-${role}`), role, scope },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/** How many connections, secrets and tokens exist, as the admin sees them. */
export async function storedCounts(): Promise<{ connections: number; secrets: number; tokens: number }> {
  const [connections, secrets, tokens] = await Promise.all(
    ["/api/secret-providers", "/api/secrets", "/api/tokens"].map((p) => call<unknown[]>(p)),
  );
  for (const r of [connections, secrets, tokens]) expect(r!.status).toBe(200);
  return { connections: connections!.body.length, secrets: secrets!.body.length, tokens: tokens!.body.length };
}
