import { apiPost, expect, serverHtml, serverInfo, test, toasts, uniqueSuffix } from "./support/fixtures";
import { chooseRadio, openSecretEdit } from "./support/ui";

test("a stored secret is created, its value stays out of the page until revealed, then hides again", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const suffix = uniqueSuffix();
  const secretPath = `e2e.stored${suffix}.apiKey`;
  const value = `sk_live_e2e_${suffix}_${"x".repeat(12)}`;

  await page.clock.install();
  await page.goto("/secrets");
  await page.getByRole("link", { name: "New secret" }).first().click();
  await page.getByLabel("Secret path").fill(secretPath);
  await expect(page.getByRole("radio", { name: /Stored in Provenance/ })).toBeChecked();
  await page.getByLabel("Value").fill(value);
  await page.getByLabel("Description").fill("Stripe live key (e2e)");
  await page.getByRole("button", { name: "Create secret" }).click();

  await expect(page.getByRole("heading", { name: secretPath })).toBeVisible();
  await expect(toasts(page)).toContainText(`Secret ${secretPath} created.`);

  // How a program reads it: the path, the variable run sets, the server's address, no value or token.
  const { baseUrl } = serverInfo();
  const cli = page.getByTestId("snippet-cli");
  await expect(cli).toContainText(`export PROVENANCE_URL=${baseUrl}`);
  await expect(cli).toContainText("export PROVENANCE_TOKEN=<your token>");
  await expect(cli).toContainText(`provenance get ${secretPath}`);
  await expect(cli).toContainText(`provenance run --path ${secretPath} -- <your command>`);
  await expect(cli).toContainText(`$E2E_STORED${suffix.toUpperCase()}_API_KEY`);
  await expect(page.getByTestId("snippet-typescript")).toContainText(`const value = await secrets.get("${secretPath}");`);
  await expect(page.getByTestId("snippet-http")).toContainText(`${baseUrl}/api/secrets/resolve?path=${secretPath}`);

  // Not in the HTML the server sends, nor in the live page, before an explicit reveal.
  expect(await serverHtml(page)).not.toContain(value);
  expect(await page.content()).not.toContain(value);

  await page.getByRole("button", { name: "Reveal value" }).click();
  await expect(page.getByTestId("secret-value")).toHaveText(value);
  await page.getByRole("button", { name: "Copy value" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);

  // Hidden again after about 20 seconds.
  await expect(page.getByText(/Hides in \d+ s/)).toBeVisible();
  await page.clock.runFor(21_000);
  await expect(page.getByTestId("secret-value")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reveal value" })).toBeVisible();
  expect(await page.content()).not.toContain(value);

  // Editing without a new value keeps the stored one.
  await openSecretEdit(page);
  await page.getByLabel("Description").fill("Stripe live key (edited)");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved ${secretPath}.`);
  await page.getByRole("button", { name: "Reveal value" }).click();
  await expect(page.getByTestId("secret-value")).toHaveText(value);

  // The commands copy as shown.
  await cli.getByRole("button", { name: "Copy commands" }).click();
  await expect(cli.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`provenance get ${secretPath}\n`);

  // The reveal was a read, and the audit log says so.
  await page.goto(`/audit?target=${secretPath}`);
  await expect(page.getByTestId("audit-event").filter({ hasText: "Read secret value" })).toHaveCount(2);
});

test("an external secret: the provider type narrows the connections, the path field explains itself", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const vault = await apiPost<{ id: string; name: string }>(api, "/api/secret-providers", {
    name: `Vault for secrets ${suffix}`,
    type: "vault",
    config: { vaultUrl: "https://vault.example.com", token: "hvs.e2e" },
  });
  const aws = await apiPost<{ id: string; name: string }>(api, "/api/secret-providers", {
    name: `AWS for secrets ${suffix}`,
    type: "aws-sm",
    config: { region: "eu-west-1" },
  });

  await page.goto("/secrets/new");
  const secretPath = `e2e.external${suffix}.dbPassword`;
  await page.getByLabel("Secret path").fill(secretPath);
  await chooseRadio(page, /HashiCorp Vault/);

  const connection = page.getByRole("combobox", { name: "Connection", exact: true });
  await expect(connection.locator("option", { hasText: vault.name })).toHaveCount(1);
  await expect(connection.locator("option", { hasText: aws.name })).toHaveCount(0);
  await expect(page.locator("#providerPath-hint")).toContainText("secret/my-app/api-key");
  await expect(page.locator("#jsonKey-hint")).toContainText("name the one to return");

  // Switching type offers that type's connections instead.
  await chooseRadio(page, /AWS Secrets Manager/);
  await expect(connection.locator("option", { hasText: aws.name })).toHaveCount(1);
  await expect(connection.locator("option", { hasText: vault.name })).toHaveCount(0);
  await expect(page.locator("#providerPath-hint")).toContainText("ARN");
  await chooseRadio(page, /HashiCorp Vault/);

  await connection.selectOption({ label: vault.name });
  await page.getByLabel("Path in HashiCorp Vault").fill("not a path");
  await page.getByRole("button", { name: "Create secret" }).click();
  await expect(page.locator("#providerPath-error")).toHaveText("Must be a KV path with a mount and a secret, e.g. secret/my-app/api-key");

  await page.getByLabel("Path in HashiCorp Vault").fill("secret/db/primary");
  await page.getByLabel("JSON key").fill("password");
  await page.getByRole("button", { name: "Create secret" }).click();
  await expect(page.getByRole("heading", { name: secretPath })).toBeVisible();
  await expect(page.getByRole("link", { name: vault.name })).toBeVisible();
  await expect(page.getByText("secret/db/primary")).toBeVisible();

  // The list filters by path prefix and by source, through the URL.
  await page.goto("/secrets");
  await page.getByLabel("Path prefix").fill(`e2e.external${suffix}`);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`prefix=e2e.external${suffix}`));
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2);
  await page.getByLabel("Source").selectOption("aws-sm");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("heading", { name: "No secrets match these filters" })).toBeVisible();
});

test("the list pages by 50: Next and Previous keep the filter, and the addresses can be bookmarked", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const prefix = `e2e.pages${suffix}`;
  const leaves = Array.from({ length: 53 }, (_, i) => `s${String(i).padStart(2, "0")}`);
  for (const leaf of leaves) await apiPost(api, "/api/secrets", { secretPath: `${prefix}.${leaf}`, value: `v-${leaf}` });
  const rows = page.getByRole("table").locator("tbody tr");
  const pages = page.getByRole("navigation", { name: "Pages" });

  await page.goto(`/secrets?prefix=${prefix}`);
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(`${prefix}.s00`);
  await expect(rows.last()).toContainText(`${prefix}.s49`);
  await expect(page.getByText("50 secrets on this page")).toBeVisible();
  await expect(pages.getByRole("link", { name: "← Previous" })).toHaveCount(0);

  await pages.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(new RegExp(`prefix=${prefix}.*cursor=`));
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText(`${prefix}.s50`);
  await expect(pages).toContainText("end of the list");
  await expect(pages.getByRole("link", { name: "Next →" })).toHaveCount(0);
  const second = page.url();

  await pages.getByRole("link", { name: "← Previous" }).click();
  await expect(page).toHaveURL(new RegExp(`prefix=${prefix}.*before=`));
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(`${prefix}.s00`);
  await expect(page.getByLabel("Path prefix")).toHaveValue(prefix);

  // A page's address is the page: opened afresh, it shows the same secrets.
  await page.goto(second);
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText(`${prefix}.s50`);

  // A damaged page address falls back to the first page and says so.
  await page.goto(`/secrets?prefix=${prefix}&cursor=not-a-cursor`);
  await expect(page.getByText("That page link is out of date or damaged; showing the first page.")).toBeVisible();
  await expect(rows).toHaveCount(50);
});
