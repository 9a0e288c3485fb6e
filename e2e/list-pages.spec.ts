import path from "node:path";
import { measurePageWeights } from "../scripts/page-weight";
import { apiPost, expect, test, toasts, uniqueSuffix } from "./support/fixtures";
import { ROOT } from "./support/paths";

/**
 * The secrets and secret providers lists ship no framework (lib/page-scripts.ts): the server
 * renders them whole and public/dashboard.js does the rest. Copying and folders are walked in
 * secrets-list.spec.ts, the carried toasts in delete-connection.spec.ts; these check what is
 * particular to such a page: what it loads, the phone menu, a refused copy, and the sign-in gate.
 */
const LIST_PAGES = ["/secrets", "/settings/secret-providers"] as const;

for (const route of LIST_PAGES) {
  test(`${route} loads only the scripts its weight counts, each with this response's nonce, and no React`, async ({ page }) => {
    const loaded: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") loaded.push(new URL(request.url()).pathname);
    });
    const response = await page.goto(route);
    await page.waitForLoadState("load");
    const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"] ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const scripts = await page
      .locator("script")
      .evaluateAll((tags) => tags.map((tag) => ({ src: tag.getAttribute("src"), nonce: (tag as HTMLScriptElement).nonce })));
    const measured = measurePageWeights(path.join(ROOT, ".next")).pages.find((p) => p.route === route);
    expect(measured?.files).toEqual(["/dashboard.js"]);
    expect(scripts.map((s) => s.src)).toEqual(measured?.files);
    expect(scripts.map((s) => s.nonce)).toEqual(scripts.map(() => nonce));
    expect(loaded).toEqual(["/dashboard.js"]);
  });

  test(`${route} on a phone: Menu opens the sections and the account, Escape closes it`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(route);
    await page.waitForLoadState("load");
    const menu = page.getByRole("button", { name: "Menu" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    const panel = page.locator(`#${await menu.getAttribute("aria-controls")}`);
    await expect(panel).toBeHidden();
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(panel.getByRole("link", { name: "Audit log" })).toBeVisible();
    await expect(panel.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(panel).toBeHidden();
    await menu.click();
    await panel.getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  });

  test.describe("signed out", () => {
    test.use({ storageState: { cookies: [], origins: [] } });
    test(`${route} sends a visitor without a session to the sign-in page`, async ({ page }) => {
      await page.goto(route);
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    });
  });
}

test("Copy value that the server refuses says why in a toast, and copies nothing", async ({ page, api, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const secretPath = `e2e.refused${uniqueSuffix()}.key`;
  const secret = await apiPost<{ id: string }>(api, "/api/secrets", { secretPath, value: "gone before it is copied" });
  await page.goto(`/secrets?view=list&prefix=${secretPath}`);
  await page.waitForLoadState("load");
  await page.evaluate(() => navigator.clipboard.writeText("before"));
  // Deleted after the list was shown: the read is refused (404), and the toast gives the reason.
  expect((await api.delete(`/api/secrets/${secret.id}`)).status()).toBe(204);

  await page.getByRole("button", { name: `Copy value of ${secretPath}` }).click();
  const toast = toasts(page).locator("[data-toast=error]");
  await expect(toast).toContainText(secretPath);
  await expect(toast).not.toContainText("did not allow");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("before");
  await expect(page.getByRole("button", { name: `Copy value of ${secretPath}` })).toBeEnabled();
});
