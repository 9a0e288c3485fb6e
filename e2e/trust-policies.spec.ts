import { expect, test, toasts, uniqueSuffix } from "./support/fixtures";
import { dialog } from "./support/ui";

test("an admin creates a trust policy in the dashboard, sees what it trusts, and deletes it", async ({ page }) => {
  const suffix = uniqueSuffix();
  const name = `gha-${suffix}`;
  await page.goto("/settings/trust-policies");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await expect(page.getByLabel("Issuer")).toHaveValue("https://token.actions.githubusercontent.com");
  await page.getByLabel("Audience").fill("https://secrets.example.com");
  await page.getByLabel("Path scope").fill(`ci${suffix}.*`);

  // A line without name=pattern is caught in the form; a bad scope by the server, on its field.
  await page.getByLabel("Claims").fill("repository");
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByText("Line 1: write name=pattern")).toBeVisible();
  await page.getByLabel("Claims").fill(`sub=repo:acme${suffix}/*:ref:refs/heads/main`);
  await page.getByLabel("Path scope").fill("ci*");
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByText(/Scope is not valid/)).toBeVisible();

  await page.getByLabel("Path scope").fill(`ci${suffix}.*`);
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(toasts(page)).toContainText(`Trust policy “${name}” created.`);
  const row = page.locator(`[data-testid="trust-policy-row"][data-policy-name="${name}"]`);
  await expect(row).toContainText(`sub = repo:acme${suffix}/*:ref:refs/heads/main`);
  await expect(row).toContainText(`ci${suffix}.*`);
  await expect(row).toContainText("tokens live 15 min");

  await row.getByRole("button", { name: `Delete trust policy ${name}` }).click();
  await dialog(page, `Delete “${name}”?`).getByRole("button", { name: "Delete policy" }).click();
  await expect(toasts(page)).toContainText(`Trust policy “${name}” deleted.`);
  await expect(row).toHaveCount(0);
});
