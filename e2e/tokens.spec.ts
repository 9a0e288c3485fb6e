import { apiPost, expect, serverInfo, test, toasts, uniqueSuffix } from "./support/fixtures";
import { dialog } from "./support/ui";

test("a token created in the dashboard is shown once, works against the API within its scope, and stops when revoked", async ({
  page,
  context,
  api,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const suffix = uniqueSuffix();
  const inScope = `e2etok${suffix}.apiKey`;
  const outOfScope = `e2eother${suffix}.apiKey`;
  await apiPost(api, "/api/secrets", { secretPath: inScope, value: `in-scope-${suffix}` });
  await apiPost(api, "/api/secrets", { secretPath: outOfScope, value: `out-of-scope-${suffix}` });

  const name = `ci-deploy-${suffix}`;
  await page.goto("/settings/tokens");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("editor");
  await page.getByLabel("Path scope").fill(`e2etok${suffix}.*`);
  await page.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByTestId("new-token");
  await expect(shown).toContainText("Copy this token now.");
  await expect(shown).toContainText("It is shown only once");
  await expect(toasts(page)).toContainText(`Token “${name}” created.`);
  const token = (await page.getByTestId("token-value").textContent())!.trim();
  expect(token).toMatch(/^pvn_/);
  await shown.getByRole("button", { name: "Copy token" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  // How to use it: run with the token's own scope, the token itself only in its one place above.
  const run = shown.getByTestId("snippet-new-token-run");
  await expect(run).toContainText(`export PROVENANCE_URL=${serverInfo().baseUrl}`);
  await expect(run).toContainText(`provenance run --prefix e2etok${suffix} -- <your command>`);
  expect(await run.textContent()).not.toContain(token);
  await expect(page.getByTestId("snippet-token-run")).toContainText("provenance run --prefix stripe -- <your command>");

  // A program uses it, with nothing but fetch.
  const { baseUrl } = serverInfo();
  const get = (path: string, bearer = token) =>
    fetch(`${baseUrl}/api/secrets/resolve?path=${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  const ok = await get(inScope);
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as { value: string }).value).toBe(`in-scope-${suffix}`);
  expect((await get(outOfScope)).status).toBe(403);

  // Once dismissed, the token is gone from the page for good.
  await page.getByRole("button", { name: "Done, I have copied it" }).click();
  await expect(page.getByTestId("token-value")).toHaveCount(0);
  await page.reload();
  expect(await page.content()).not.toContain(token);
  const row = page.locator(`[data-testid="token-row"][data-token-name="${name}"]`);
  await expect(row).toContainText("Active");
  await expect(row).toContainText(`e2etok${suffix}.*`);
  await expect(row).toContainText("last used");

  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  await dialog(page, `Revoke “${name}”?`).getByRole("button", { name: "Revoke token" }).click();
  await expect(toasts(page)).toContainText(`Token “${name}” revoked.`);
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  expect((await get(inScope)).status).toBe(401);
});
