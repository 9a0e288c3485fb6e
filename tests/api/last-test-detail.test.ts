import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { Browser } from "./support/browser";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";

/**
 * A failed connection test is kept with where it failed, at which host and what to check, so the
 * API view and the connection's page still say it after a reload; a passing test clears it.
 */
const GOOD_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const BAD_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;

interface LastTest {
  at: string;
  ok: boolean;
  message: string | null;
  stage?: string;
  endpoint?: string;
  hint?: string;
}
interface Connection {
  id: string;
  lastTest: LastTest | null;
}
interface TestResult {
  ok: boolean;
  error?: { code: string; message: string; stage?: string; endpoint?: string; hint?: string };
}

let vault: VaultFake;
let browser: Browser;

beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [GOOD_TOKEN]: [""] } });
  browser = new Browser();
  const { admin } = apiContext();
  const signIn = await browser.signIn(admin.email, admin.password);
  expect(signIn.status, signIn.text).toBeLessThan(400);
});
afterAll(async () => {
  await vault?.close();
});

async function view(id: string): Promise<Connection> {
  const response = await call<Connection>(`/api/secret-providers/${id}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function runTest(id: string): Promise<TestResult> {
  const response = await call<TestResult>(`/api/secret-providers/${id}/test`, { method: "POST", body: {} });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function pageHtml(id: string): Promise<string> {
  const page = await browser.request(`/settings/secret-providers/${id}`);
  expect(page.status).toBe(200);
  return page.text;
}

/** React escapes text in HTML; the detail is compared as it appears there. */
const inHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#x27;");

describe("the last test's failure detail", () => {
  it("survives a reload in the API view and on the page, and a passing test clears it", async () => {
    const created = await call<Connection>("/api/secret-providers", {
      method: "POST",
      body: { name: unique("last-test"), type: "vault", config: { vaultUrl: vault.url, token: BAD_TOKEN } },
    });
    expect(created.status, created.text).toBe(201);
    const { id } = created.body;
    expect(created.body.lastTest).toBeNull();

    const failed = await runTest(id);
    expect(failed.ok).toBe(false);
    const error = failed.error!;
    expect(error).toMatchObject({ stage: "auth", endpoint: `127.0.0.1:${vault.port}` });
    expect(error.hint).toBeTruthy();

    // Read back from the database, not from the answer of the test.
    const stored = (await view(id)).lastTest!;
    expect(stored).toMatchObject({ ok: false, message: error.message, stage: error.stage, endpoint: error.endpoint, hint: error.hint });
    expect(stored.endpoint).not.toMatch(/@|\?|token/i);
    expect(JSON.stringify(stored)).not.toContain(BAD_TOKEN);

    const html = await pageHtml(id);
    expect(html).toContain('data-testid="last-failure"');
    expect(html).toContain('data-stage="auth"');
    expect(html).toContain("Failed at Authentication");
    expect(html).toContain(inHtml(error.endpoint!));
    expect(html).toContain(inHtml(error.hint!));
    expect(html).not.toContain(BAD_TOKEN);

    const fixed = await call(`/api/secret-providers/${id}`, { method: "PUT", body: { config: { token: GOOD_TOKEN } } });
    expect(fixed.status, fixed.text).toBe(200);
    expect((await runTest(id)).ok).toBe(true);

    const passed = (await view(id)).lastTest!;
    expect(passed).toEqual({ at: passed.at, ok: true, message: null });
    const after = await pageHtml(id);
    expect(after).not.toContain('data-testid="last-failure"');
    expect(after).not.toContain(inHtml(error.hint!));
    expect(after).toContain("Connected");
  });
});
