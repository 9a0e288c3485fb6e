import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { apiPost, expect, serverHtml, test, toasts, uniqueSuffix } from "./support/fixtures";
import { openSecretEdit } from "./support/ui";

/**
 * A secret's page shows its settings as a summary; Edit (for editors and admins) swaps it for the
 * secret form, loaded then, and Cancel or a save swaps it back. The viewer's side is in
 * viewer.spec.ts.
 */
async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  expect(results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))).toEqual([]);
}

/** The value of one setting in the summary, by its label. */
function setting(page: Page, label: string) {
  return page
    .getByTestId("secret-settings")
    .locator("div")
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator("dd");
}

test("a stored secret: the summary on arrival, Edit opens the form, Cancel closes it, a save updates the summary", async ({
  page,
  api,
}) => {
  const suffix = uniqueSuffix();
  const secretPath = `e2e.page${suffix}.token`;
  const other = `e2e.page${suffix}.other`;
  const secret = await apiPost<{ id: string }>(api, "/api/secrets", { secretPath, value: `page-value-${suffix}`, description: "Before" });
  await apiPost(api, "/api/secrets", { secretPath: other, value: `other-value-${suffix}` });
  const stored = async () =>
    (await (await api.get(`/api/secrets/${secret.id}`)).json()) as { secretPath: string; description: string | null };
  await page.goto(`/secrets/${secret.id}`);

  // The summary, and no form: not in the HTML the server sends either.
  const summary = page.getByTestId("secret-settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(summary).toContainText(secretPath);
  await expect(summary).toContainText("Stored in Provenance, encrypted");
  await expect(summary).toContainText("Before");
  await expect(page.getByRole("textbox")).toHaveCount(0);
  expect(await serverHtml(page)).not.toContain('name="secretPath"');

  // Edit: the form, focus in its first field; Cancel: nothing saved, the summary and focus back on Edit.
  await openSecretEdit(page);
  await expect(page.getByLabel("Secret path")).toBeFocused();
  await expect(page.getByLabel("Secret path")).toHaveValue(secretPath);
  await expect(page.getByLabel("New value")).toHaveValue("");
  await expectNoAxeViolations(page);
  await page.getByLabel("Description").fill("Changed, then cancelled");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toBeFocused();
  await expect(summary).toContainText("Before");
  expect((await stored()).description).toBe("Before");

  // The server's refusal (the path is taken) keeps the form open, with the error on its field.
  await openSecretEdit(page);
  await expect(page.getByLabel("Description")).toHaveValue("Before");
  await page.getByLabel("Secret path").fill(other);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#secretPath-error")).toHaveText("Already taken");
  await expect(page.getByRole("heading", { name: "Edit secret" })).toBeVisible();

  // Saved: the summary shows the new values; Edit again starts from them.
  await page.getByLabel("Secret path").fill(`${secretPath}2`);
  await page.getByLabel("Description").fill("After");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved ${secretPath}2.`);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(summary).toContainText(`${secretPath}2`);
  await expect(summary).toContainText("After");
  expect(await stored()).toMatchObject({ secretPath: `${secretPath}2`, description: "After" });
  await openSecretEdit(page);
  await expect(page.getByLabel("Description")).toHaveValue("After");

  // Saving with nothing changed closes the form too.
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText("Nothing to save: no changes.");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
});

test("an external secret: the summary names the connection, the path, the pins and the checks, and shows a saved change", async ({
  page,
  api,
}) => {
  const suffix = uniqueSuffix();
  const vault = await apiPost<{ id: string; name: string }>(api, "/api/secret-providers", {
    name: `Vault for the secret page ${suffix}`,
    type: "vault",
    config: { vaultUrl: "https://vault.example.com", token: `hvs.page${suffix}` },
  });
  const secret = await apiPost<{ id: string }>(api, "/api/secrets", {
    secretPath: `e2e.pageext${suffix}.password`,
    provider: "vault",
    providerPath: "secret/db/primary",
    secretProviderId: vault.id,
    providerConfig: { jsonKey: "password", cacheTtlSeconds: 60 },
  });
  await page.goto(`/secrets/${secret.id}`);

  await expect(setting(page, "Connection").getByRole("link", { name: vault.name })).toBeVisible();
  await expect(setting(page, "Connection")).toContainText("(HashiCorp Vault)");
  await expect(setting(page, "Path in HashiCorp Vault")).toHaveText("secret/db/primary");
  await expect(setting(page, "JSON key")).toHaveText("password");
  await expect(setting(page, "Version")).toHaveText("The latest");
  await expect(setting(page, "Cache for")).toHaveText("60 s");
  await expect(setting(page, "Check upstream")).toHaveText("Every 300 s (the default)");

  await openSecretEdit(page);
  await expect(page.getByRole("combobox", { name: "Connection", exact: true })).toHaveValue(vault.id);
  await expect(page.getByLabel("Path in HashiCorp Vault")).toHaveValue("secret/db/primary");
  await page.getByText("Advanced: version and caching").click();
  await page.getByRole("textbox", { name: "Version (optional)" }).fill("3");
  await page.getByRole("textbox", { name: "Check upstream every (seconds) (optional)" }).fill("0");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved e2e.pageext${suffix}.password.`);
  await expect(setting(page, "Version")).toHaveText("3");
  await expect(setting(page, "Check upstream")).toHaveText("Never");
  await expect(setting(page, "Cache for")).toHaveText("60 s");
});
