import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { e2eRecorder, recordingApi, watchContext } from "./leak-scan";
import { SEED_TOKEN, SERVER_STATE } from "./paths";

/**
 * The tests' shared fixtures: the running server's address (written by global-setup), an API
 * client authenticated with the admin seed token (each test seeds its own data through the API),
 * and a unique suffix so tests running side by side never collide on names.
 */
export function serverInfo(): { baseUrl: string; logFile: string } {
  return JSON.parse(readFileSync(SERVER_STATE, "utf8")) as { baseUrl: string; logFile: string };
}

export function seedToken(): string {
  return (JSON.parse(readFileSync(SEED_TOKEN, "utf8")) as { token: string }).token;
}

export function uniqueSuffix(): string {
  return randomBytes(4).toString("hex");
}

export const test = base.extend<{ api: APIRequestContext; leakScan: void }>({
  // (The fixture callback is named `provide`, not Playwright's usual `use`, so React's hook lint
  // rule does not mistake it for React's use().)
  baseURL: async ({}, provide) => provide(serverInfo().baseUrl),
  api: async ({ playwright }, provide) => {
    const token = seedToken();
    e2eRecorder().sensitive("the e2e seed token", "token", token);
    const api = await playwright.request.newContext({
      baseURL: serverInfo().baseUrl,
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    await provide(recordingApi(api));
    await api.dispose();
  },
  // Every test's pages are recorded for the run-wide leak scan (e2e/support/leak-scan.ts).
  leakScan: [
    async ({ context }, provide) => {
      const finish = await watchContext(context, serverInfo().baseUrl);
      await provide();
      await finish();
    },
    { auto: true },
  ],
});

export { expect };

/** POSTs JSON through the API and returns the parsed body, failing loudly on a non-2xx answer. */
export async function apiPost<T = Record<string, unknown>>(api: APIRequestContext, url: string, data: unknown): Promise<T> {
  const response = await api.post(url, { data });
  if (!response.ok()) throw new Error(`POST ${url} → ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The page's HTML exactly as the server sent it (not the live DOM). */
export async function serverHtml(page: Page, url = page.url()): Promise<string> {
  const response = await page.request.get(url);
  return response.text();
}

/** The polite live region every toast is announced in. */
export function toasts(page: Page) {
  return page.getByRole("status", { name: "Notifications" });
}
