import { apiPost, expect, test, toasts, uniqueSuffix } from "./support/fixtures";
import { dialog } from "./support/ui";

test("a connection that secrets use cannot be deleted: the dialog says how many and links to them", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const name = `AWS in use ${suffix}`;
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", { name, type: "aws-sm", config: { region: "eu-west-1" } });

  // The page is drawn while nothing uses the connection...
  await page.goto(`/settings/secret-providers/${connection.id}`);
  // ...and then a secret starts using it, so the refusal comes from the server.
  const secretPath = `e2e.inuse${suffix}.key`;
  await apiPost(api, "/api/secrets", { secretPath, provider: "aws-sm", providerPath: "prod/stripe", secretProviderId: connection.id });

  await page.getByRole("button", { name: "Delete connection" }).click();
  const confirm = dialog(page, `Delete “${name}”?`);
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Delete connection" }).click();

  const blocked = dialog(page, `“${name}” is still in use`);
  await expect(blocked).toContainText("It is used by 1 secret");
  await expect(blocked).toContainText(secretPath);
  await blocked.getByRole("link", { name: "Show the 1 secret using it" }).click();

  await expect(page).toHaveURL(new RegExp(`/secrets\\?secretProviderId=${connection.id}$`));
  await expect(page.getByText("Showing secrets using the connection")).toContainText(name);
  await expect(page.getByRole("link", { name: secretPath })).toBeVisible();
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2); // header + the one secret

  // Delete the secret (asks first), then the connection can go.
  await page.getByRole("link", { name: secretPath }).click();
  await page.getByRole("button", { name: "Delete secret" }).click();
  await dialog(page, `Delete ${secretPath}?`).getByRole("button", { name: "Delete secret" }).click();
  await expect(toasts(page)).toContainText(`Secret ${secretPath} deleted.`);
  await expect(page).toHaveURL(/\/secrets$/);

  await page.goto(`/settings/secret-providers/${connection.id}`);
  await page.getByRole("button", { name: "Delete connection" }).click();
  await dialog(page, `Delete “${name}”?`).getByRole("button", { name: "Delete connection" }).click();
  await expect(page).toHaveURL(/\/settings\/secret-providers$/);
  await expect(toasts(page)).toContainText(`Connection “${name}” deleted.`);
  await expect(page.getByRole("link", { name })).toHaveCount(0);
});

test("when the page already knows secrets use it, the dialog says so straight away", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const name = `Azure in use ${suffix}`;
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name,
    type: "azure-kv",
    config: { vaultUrl: "https://e2e.vault.azure.net" },
  });
  for (const n of [1, 2]) {
    await apiPost(api, "/api/secrets", {
      secretPath: `e2e.azure${suffix}.s${n}`,
      provider: "azure-kv",
      providerPath: `secret-${n}`,
      secretProviderId: connection.id,
    });
  }
  await page.goto(`/settings/secret-providers/${connection.id}`);
  await page.getByRole("button", { name: "Delete connection" }).click();
  const blocked = dialog(page, `“${name}” is still in use`);
  await expect(blocked).toContainText("It is used by 2 secrets");
  await expect(blocked.getByRole("button", { name: "Delete connection" })).toHaveCount(0);
  await expect(blocked.getByRole("link", { name: "Show the 2 secrets using it" })).toHaveAttribute(
    "href",
    `/secrets?secretProviderId=${connection.id}`,
  );
  await page.keyboard.press("Escape");
  await expect(blocked).toBeHidden();
});
