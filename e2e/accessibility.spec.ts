import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { apiPost, expect, test, uniqueSuffix } from "./support/fixtures";

/**
 * Every main page, scanned by axe-core in the browser (WCAG 2.x A and AA rules and axe's best
 * practices): zero violations, contrast included. The same walk checks that no page asks for
 * something that is not there (the favicon was a 404 on every page) and that the icon is served.
 */
async function scan(page: Page, path: string): Promise<{ violations: string[]; missing: string[] }> {
  const missing: string[] = [];
  const onResponse = (response: import("@playwright/test").Response) => {
    if (response.status() === 404 && response.request().resourceType() !== "document") missing.push(response.url());
  };
  page.on("response", onResponse);
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  page.off("response", onResponse);
  const violations = results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}: ${n.failureSummary ?? v.help}`));
  return { violations, missing };
}

/** Scans every path, then answers once with every problem on every page. */
async function scanAll(page: Page, paths: string[]): Promise<void> {
  const found: Record<string, { violations: string[]; missing: string[] }> = {};
  for (const path of paths) {
    const result = await scan(page, path);
    if (result.violations.length > 0 || result.missing.length > 0) found[path] = result;
  }
  expect(found).toEqual({});
}

test("the dashboard's lists have no axe violations and no missing files", async ({ page }) => {
  test.setTimeout(240_000);
  await scanAll(page, ["/", "/secrets", "/settings/secret-providers", "/settings/tokens", "/settings/users", "/audit"]);
});

test("a secret, a connection and the forms have no axe violations and no missing files", async ({ page, api }) => {
  test.setTimeout(240_000);
  const suffix = uniqueSuffix();
  const secret = await apiPost<{ id: string }>(api, "/api/secrets", { secretPath: `e2eaxe${suffix}.key`, value: `axe-value-${suffix}` });
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Axe check ${suffix}`,
    type: "vault",
    config: { vaultUrl: "https://vault.example.com", token: `hvs.axe${suffix}` },
  });
  await scanAll(page, [
    `/secrets/${secret.id}`,
    `/settings/secret-providers/${connection.id}`,
    "/secrets/new",
    "/settings/secret-providers/new",
    "/account",
  ]);
});

test("the folder view, the .env import and its preview have no axe violations", async ({ page, api }) => {
  test.setTimeout(240_000);
  const suffix = uniqueSuffix();
  for (const secretPath of [`e2eaxefold${suffix}.inner.key`, `e2eaxefold${suffix}.top`])
    await apiPost(api, "/api/secrets", { secretPath, value: `axe-value-${suffix}` });
  await scanAll(page, [
    `/secrets?prefix=e2eaxefold${suffix}`,
    `/secrets?prefix=e2eaxefold${suffix}&view=list`,
    `/secrets/import?prefix=e2eaxefold${suffix}`,
  ]);

  // The preview, with a path that exists (the red "stops the import" row and the banner).
  await page.getByLabel("Or paste its contents").fill(`top=one\nNEW=two\n`);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("import-preview")).toBeVisible();
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  expect(results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))).toEqual([]);
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page has no axe violations, and the icon is served under the page's CSP", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    expect(await scan(page, "/login")).toEqual({ violations: [], missing: [] });
    const icon = page.locator('link[rel="icon"]');
    await expect(icon).toHaveAttribute("type", "image/svg+xml");
    const served = await page.request.get((await icon.getAttribute("href"))!);
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toContain("image/svg+xml");
    expect(violations).toEqual([]);
  });
});
