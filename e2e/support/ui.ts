import { expect, type Browser, type Page } from "@playwright/test";
import { serverInfo } from "./fixtures";

/**
 * A browser context of its own, signed in through the sign-in form (which needs JavaScript, even
 * in a test that turns it off), on the Overview once the page's scripts have run: the page is
 * server-rendered whole, so it shows before its buttons work.
 */
export async function signInAs(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: serverInfo().baseUrl,
    storageState: { cookies: [], origins: [] },
    javaScriptEnabled: true,
  });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.waitForLoadState("load");
  return page;
}

/** Picks a radio card (the radio itself is visually hidden inside its labelled card). */
export async function chooseRadio(page: Page, name: string | RegExp): Promise<void> {
  const radio = page.getByRole("radio", { name });
  await radio.focus();
  await page.keyboard.press("Space");
  await expect(radio).toBeChecked();
}

/** A confirmation dialog by its title. */
export function dialog(page: Page, title: string | RegExp) {
  return page.getByRole("dialog", { name: title });
}

/** Opens the edit form on a connection's page (its settings show as a summary until then). */
export async function openConnectionEdit(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Edit\b/ }).click();
  await expect(page.getByRole("heading", { name: "Edit connection" })).toBeVisible();
}

/** Opens the edit form on a secret's page (its settings show as a summary until then). */
export async function openSecretEdit(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Edit secret" })).toBeVisible();
}

/**
 * Holds the App Router's scripts (a slow network) until the returned function lets them go: the
 * page shows, server-rendered, before any of its handlers are attached.
 */
export async function holdScripts(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname.startsWith("/_next/static/") && url.pathname.endsWith(".js"),
    async (route) => {
      await held;
      await route.continue();
    },
  );
  return release;
}
