import { apiPost, expect, serverHtml, test, toasts, uniqueSuffix } from "./support/fixtures";

test("copy path and copy value from the list: the value goes to the clipboard only, and the read is audited", async ({
  page,
  context,
  api,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const suffix = uniqueSuffix();
  const secretPath = `e2e.copy${suffix}.apiKey`;
  const value = `copy-value-${suffix}-${"y".repeat(10)}`;
  await apiPost(api, "/api/secrets", { secretPath, value });

  await page.goto(`/secrets?prefix=e2e.copy${suffix}`);
  await page.getByRole("button", { name: `Copy path ${secretPath}` }).click();
  await expect(toasts(page)).toContainText(`Copied the path ${secretPath}.`);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secretPath);

  await page.getByRole("button", { name: `Copy value of ${secretPath}` }).click();
  await expect(toasts(page)).toContainText(`Copied the value of ${secretPath}.`);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
  // Never rendered: not in what the server sent, nor in the live page after the copy.
  expect(await serverHtml(page)).not.toContain(value);
  expect(await page.content()).not.toContain(value);

  await page.goto(`/audit?target=${secretPath}`);
  await expect(page.getByTestId("audit-event").filter({ hasText: "Read secret value" })).toHaveCount(1);
});

test("folders by prefix: counts, breadcrumb, ?prefix= in the URL, and the flat list", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const root = `e2efold${suffix}`;
  for (const leaf of ["a.x", "a.y", "a.deeper.z", "b.z", "top"])
    await apiPost(api, "/api/secrets", { secretPath: `${root}.${leaf}`, value: `v-${leaf}` });
  const rows = page.getByRole("table").locator("tbody tr");
  const crumbs = page.getByRole("navigation", { name: "Folder path" });

  await page.goto(`/secrets?prefix=${root}`);
  await expect(page.getByRole("link", { name: /^a 3 secrets$/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /^b 1 secret$/ })).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${root}.top`);
  await expect(page.getByTestId("folder-counts")).toHaveText("5 secrets under this prefix, 1 at this level");

  await page.getByRole("link", { name: /^a 3 secrets$/ }).click();
  await expect(page).toHaveURL(new RegExp(`prefix=${root}\\.a$`));
  await expect(page.getByRole("link", { name: /^deeper 1 secret$/ })).toBeVisible();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(`${root}.a.x`);
  await expect(rows.nth(1)).toContainText(`${root}.a.y`);
  await expect(crumbs.getByText("a", { exact: true })).toHaveAttribute("aria-current", "page");

  await crumbs.getByRole("link", { name: root }).click();
  await expect(page).toHaveURL(new RegExp(`prefix=${root}$`));
  await expect(rows).toHaveCount(1);

  await page.getByRole("link", { name: "One list" }).click();
  await expect(page).toHaveURL(/view=list/);
  await expect(rows).toHaveCount(5);

  await page.goto("/secrets");
  await expect(page.getByRole("link", { name: new RegExp(`^${root} 5 secrets$`) })).toBeVisible();
});

test("a .env file into a prefix: previewed with paths and sizes only, then imported by provenance import's rules", async ({
  page,
  api,
}) => {
  const suffix = uniqueSuffix();
  const prefix = `e2eimp${suffix}`;
  await apiPost(api, "/api/secrets", { secretPath: `${prefix}.EXISTING`, value: "kept-before" });
  const values = { one: `imported-one-${suffix}`, two: `imported-two-${suffix}` };
  const file = {
    name: "legacy.env",
    mimeType: "text/plain",
    buffer: Buffer.from(`# legacy app\nexport NEW_ONE=${values.one}\nEXISTING='${values.two}'\n`),
  };

  await page.goto(`/secrets?prefix=${prefix}`);
  await page.getByRole("link", { name: "Import .env" }).click();
  await expect(page.getByRole("heading", { name: "Import a .env file" })).toBeVisible();
  await expect(page.getByLabel("Prefix")).toHaveValue(prefix);
  await page.getByLabel(".env file").setInputFiles(file);

  // Stop (the default): a path exists, so nothing would be imported and there is no Import button.
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByTestId("import-preview");
  await expect(preview.locator("tbody tr")).toHaveCount(2);
  await expect(preview.locator("tbody tr").nth(0)).toContainText(`${prefix}.NEW_ONE`);
  await expect(preview.locator("tbody tr").nth(0)).toContainText(`${Buffer.byteLength(values.one)} B`);
  await expect(preview.locator("tbody tr").nth(0)).toContainText("New");
  await expect(preview.locator("tbody tr").nth(1)).toContainText("Exists: stops the import");
  await expect(page.getByRole("button", { name: /^Import \d/ })).toHaveCount(0);
  const html = await page.content();
  expect(html).not.toContain(values.one);
  expect(html).not.toContain(values.two);

  await page.getByRole("radio", { name: /Skip/ }).check();
  await expect(preview).toHaveCount(0); // a change makes the preview stale
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(preview.locator("tbody tr").nth(1)).toContainText("Exists: skipped");
  await page.getByRole("button", { name: "Import 1 secret" }).click();
  await expect(toasts(page)).toContainText(`Imported into ${prefix}: 1 created, 0 replaced, 1 skipped, 0 failed.`);
  expect(await page.content()).not.toContain(values.one);

  const resolve = async (path: string) => (await (await api.get(`/api/secrets/resolve?path=${path}`)).json()) as { value: string };
  expect((await resolve(`${prefix}.NEW_ONE`)).value).toBe(values.one);
  expect((await resolve(`${prefix}.EXISTING`)).value).toBe("kept-before");

  await page.getByRole("radio", { name: /Replace/ }).check();
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(preview.locator("tbody tr").filter({ hasText: "Exists: replaced" })).toHaveCount(2);
  await page.getByRole("button", { name: "Import 2 secrets" }).click();
  await expect(toasts(page)).toContainText(`Imported into ${prefix}: 0 created, 2 replaced, 0 skipped, 0 failed.`);
  expect((await resolve(`${prefix}.EXISTING`)).value).toBe(values.two);

  // A bad file is refused by line, without its values.
  await page.getByRole("link", { name: `Open ${prefix}` }).click();
  await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(2);
  await page.goto(`/secrets/import?prefix=${prefix}`);
  await page.getByLabel("Or paste its contents").fill(`GOOD=1\nbad.name=hidden-${suffix}\n`);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator("#env-text-error")).toContainText("line 2");
  expect(await page.locator("#env-text-error").textContent()).not.toContain(`hidden-${suffix}`);

  await page.goto(`/audit?target=${prefix}`);
  await expect(page.getByTestId("audit-event").filter({ hasText: "Imported a .env file" })).toHaveCount(2);
});
