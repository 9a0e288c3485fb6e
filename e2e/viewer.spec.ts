import { apiPost, expect, serverHtml, test, toasts, uniqueSuffix } from "./support/fixtures";
import { dialog, signInAs } from "./support/ui";

test("a viewer, added on the Users page, sees metadata read-only and never a value", async ({ page, browser, api }) => {
  const suffix = uniqueSuffix();
  const viewer = { email: `viewer-${suffix}@provenance.test`, password: `viewer password ${suffix}` };
  const value = `viewer-must-not-see-${suffix}`;
  const secret = await apiPost<{ id: string }>(api, "/api/secrets", {
    secretPath: `e2eviewer${suffix}.token`,
    value,
    description: "For the viewer test",
  });
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Viewer sees ${suffix}`,
    type: "vault",
    config: { vaultUrl: "https://vault.example.com", token: `hvs.viewer${suffix}` },
  });

  // The admin adds the viewer.
  await page.goto("/settings/users");
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(viewer.email);
  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("viewer");
  await page.getByLabel("First password").fill(viewer.password);
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(toasts(page)).toContainText(`${viewer.email} can now sign in as a viewer.`);
  await expect(page.locator(`[data-testid="user-row"][data-email="${viewer.email}"]`)).toBeVisible();

  const as = await signInAs(browser, viewer.email, viewer.password);

  // Filtered: other tests may have filled the first page (50 a page) before this one runs.
  await as.goto(`/secrets?prefix=e2eviewer${suffix}`);
  await expect(as.getByRole("link", { name: `e2eviewer${suffix}.token` })).toBeVisible();
  await expect(as.getByRole("link", { name: /New secret/ })).toHaveCount(0);

  await as.goto(`/secrets/${secret.id}`);
  await expect(as.getByTestId("value-hidden-for-viewer")).toBeVisible();
  // A viewer cannot resolve, so is not shown how to (an editor is: secrets.spec.ts).
  await expect(as.getByRole("heading", { name: "Use it from a program" })).toHaveCount(0);
  // The settings as a summary, with no Edit (the only button is Sign out, below).
  await expect(as.getByTestId("secret-settings")).toContainText("For the viewer test");
  await expect(as.getByRole("heading", { name: "Settings" })).toBeVisible();
  expect(await serverHtml(as)).not.toContain("provenance run");
  await expect(as.getByRole("button")).toHaveText(["Sign out"]);
  expect(await serverHtml(as)).not.toContain(value);
  expect(await as.content()).not.toContain(value);

  await as.goto("/settings/secret-providers");
  await expect(as.getByRole("link", { name: `Viewer sees ${suffix}` })).toBeVisible();
  await expect(as.getByRole("link", { name: /New Connection/ })).toHaveCount(0);
  await as.goto(`/settings/secret-providers/${connection.id}`);
  await expect(as.getByRole("heading", { name: "Configuration" })).toBeVisible();
  await expect(as.getByRole("textbox")).toHaveCount(0);
  await expect(as.getByRole("button")).toHaveText(["Sign out"]);
  expect(await serverHtml(as)).not.toContain(`hvs.viewer${suffix}`);

  for (const path of ["/settings/tokens", "/settings/users", "/settings/secret-providers/new"]) {
    await as.goto(path);
    await expect(as.getByTestId("admin-only")).toContainText("needs the admin role; you are signed in as a viewer");
  }

  // The viewer's own API calls are refused the values too.
  expect((await as.request.get(`/api/secrets/resolve?path=e2eviewer${suffix}.token`)).status()).toBe(403);

  // Disabled by the admin: the next page they open sends them to sign in.
  await page.reload();
  await page.getByRole("button", { name: `Disable ${viewer.email}` }).click();
  await dialog(page, `Disable ${viewer.email}?`).getByRole("button", { name: "Disable user" }).click();
  await expect(toasts(page)).toContainText(`${viewer.email} is disabled`);
  await as.goto("/secrets");
  await expect(as).toHaveURL(/\/login$/);
  await as.context().close();
});
