import { expect, type Page } from "@playwright/test";

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
