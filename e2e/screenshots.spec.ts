import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { apiPost, expect, serverInfo, test, uniqueSuffix } from "./support/fixtures";
import { ARTIFACTS_DIR } from "./support/paths";
import { chooseRadio } from "./support/ui";

/**
 * Screenshots of the main pages at a laptop and a phone width, into e2e/artifacts/ (gitignored),
 * for people to look at. Seeds a little data first so the pages are not all empty states.
 */
const VIEWPORTS = { laptop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

async function shoot(page: Page, name: string, viewport: keyof typeof VIEWPORTS) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.waitForLoadState("load");
  await page.evaluate(() => document.fonts.ready.then(() => true));
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-${viewport}.png`), fullPage: true });
  // On a phone, long pages shrink to a sliver when viewed whole: keep the first screen too.
  if (viewport === "phone") await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-${viewport}-first-screen.png`) });
}

test("screenshots of the main pages at laptop and phone widths", async ({ page, api, browser }) => {
  test.setTimeout(300_000);
  const suffix = uniqueSuffix();
  const vault = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Staging Vault ${suffix}`,
    type: "vault",
    description: "KV v2 on the staging cluster",
    config: { vaultUrl: "https://vault.staging.example.com", token: "hvs.screenshot" },
  });
  await apiPost(api, "/api/secret-providers", {
    name: `Production AWS ${suffix}`,
    type: "aws-sm",
    description: "eu-west-1 account",
    config: { region: "eu-west-1" },
  });
  const stored = await apiPost<{ id: string }>(api, "/api/secrets", {
    secretPath: `stripe${suffix}.apiKey`,
    value: "sk_live_screenshot",
    description: "Stripe live secret key",
  });
  await apiPost(api, "/api/secrets", {
    secretPath: `db${suffix}.primary.password`,
    provider: "vault",
    providerPath: "secret/db/primary",
    secretProviderId: vault.id,
    providerConfig: { jsonKey: "password" },
  });

  for (const viewport of Object.keys(VIEWPORTS) as Array<keyof typeof VIEWPORTS>) {
    await page.setViewportSize(VIEWPORTS[viewport]);
    const pages: Array<[string, string]> = [
      ["overview", "/"],
      ["secrets", "/secrets"],
      ["secret", `/secrets/${stored.id}`],
      ["new-secret", "/secrets/new"],
      ["providers", "/settings/secret-providers"],
      ["connection", `/settings/secret-providers/${vault.id}`],
      ["tokens", "/settings/tokens"],
      ["users", "/settings/users"],
      ["audit", "/audit"],
    ];
    for (const [name, url] of pages) {
      await page.goto(url);
      await expect(page.locator("h1").first()).toBeVisible();
      await shoot(page, name, viewport);
    }

    await page.goto("/settings/secret-providers/new");
    await chooseRadio(page, /GCP Secret Manager/);
    await page.getByRole("button", { name: "Create connection" }).click();
    await shoot(page, "new-connection", viewport);

    if (viewport === "phone") {
      await page.goto("/secrets");
      await page.getByRole("button", { name: "Menu" }).click();
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
      await shoot(page, "menu-open", viewport);
    }

    const anonymous = await browser.newContext({
      baseURL: serverInfo().baseUrl,
      storageState: { cookies: [], origins: [] },
      viewport: VIEWPORTS[viewport],
    });
    const login = await anonymous.newPage();
    await login.goto("/login");
    await shoot(login, "login", viewport);
    await anonymous.close();
  }
});
