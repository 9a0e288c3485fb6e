import type { Page } from "@playwright/test";
import { ADMIN } from "./support/accounts";
import { apiPost, expect, serverInfo, test, uniqueSuffix } from "./support/fixtures";

/**
 * The strict Content-Security-Policy (per-request nonce, no inline scripts) must not break the
 * app: every dashboard page is loaded signed in, and any script, style or connection the
 * browser refuses fails the test. Interactions that need the page's JavaScript (signing in,
 * revealing a value, client-side navigation) show the scripts really ran.
 */
interface Violation {
  directive: string;
  blocked: string;
  page: string;
}

/**
 * Collects every `securitypolicyviolation` event, in every document the page loads (an init
 * script reports them through an exposed function, so nothing is lost across navigations), and
 * "Refused to …" console messages.
 */
async function watchCsp(page: Page): Promise<{ violations: Violation[]; console: string[] }> {
  const violations: Violation[] = [];
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) console.push(`${page.url()}: ${message.text()}`);
  });
  await page.exposeFunction("__reportCspViolation", (violation: Violation) => void violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (v: unknown) => void }).__reportCspViolation;
      report({ directive: event.effectiveDirective, blocked: event.blockedURI, page: location.pathname });
    });
  });
  return { violations, console };
}

test("every dashboard page works under the CSP, signed in, with no violation", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const value = `csp-value-${suffix}`;
  const secret = await apiPost<{ id: string }>(api, "/api/secrets", { secretPath: `e2ecsp${suffix}.key`, value });
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `CSP check ${suffix}`,
    type: "vault",
    config: { vaultUrl: "https://vault.example.com", token: `hvs.csp${suffix}` },
  });
  const csp = await watchCsp(page);
  const pages = [
    "/",
    "/secrets",
    "/secrets/new",
    `/secrets/${secret.id}`,
    "/settings",
    "/settings/secret-providers",
    "/settings/secret-providers/new",
    `/settings/secret-providers/${connection.id}`,
    "/settings/tokens",
    "/settings/users",
    "/audit",
    "/no-such-page",
  ];
  for (const path of pages) {
    const response = await page.goto(path);
    expect(response?.headers()["content-security-policy"], path).toContain("'strict-dynamic'");
    await page.waitForLoadState("networkidle");
  }
  // /settings is an HTTP redirect, answered before any page renders.
  const settings = await page.request.get("/settings", { maxRedirects: 0 });
  expect(settings.status()).toBe(307);
  expect(settings.headers()["location"]).toBe("/settings/secret-providers");

  // The page's scripts run: a reveal is a server action called from client code.
  await page.goto(`/secrets/${secret.id}`);
  await page.getByRole("button", { name: "Reveal value" }).click();
  await expect(page.getByTestId("secret-value")).toHaveText(value);
  // Client-side navigation loads further chunks under 'strict-dynamic'.
  await page.getByRole("link", { name: "Audit" }).first().click();
  await expect(page).toHaveURL(/\/audit$/);
  await page.waitForLoadState("networkidle");

  expect(csp.violations).toEqual([]);
  expect(csp.console).toEqual([]);
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in form works under the CSP with no violation", async ({ page }) => {
    const csp = await watchCsp(page);
    await page.goto("/login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(csp.violations).toEqual([]);
    expect(csp.console).toEqual([]);
    expect(page.url().startsWith(serverInfo().baseUrl)).toBe(true);
  });

  test("an injected inline script is refused (the policy is really enforced)", async ({ page }) => {
    const csp = await watchCsp(page);
    await page.goto("/login");
    // What an XSS would do: inject markup with an inline event handler. It must not run.
    await page.evaluate(() => {
      document.body.insertAdjacentHTML("beforeend", '<img src="/no-such-image.png" onerror="window.__injectedRan = true">');
    });
    await expect.poll(() => csp.violations.map((v) => v.directive)).toContain("script-src-attr");
    expect(await page.evaluate(() => (window as unknown as { __injectedRan?: boolean }).__injectedRan)).toBeUndefined();
  });
});
