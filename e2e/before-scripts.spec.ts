import { ADMIN } from "./support/accounts";
import { expect, serverInfo, test, uniqueSuffix } from "./support/fixtures";
import { holdScripts, signInAs } from "./support/ui";

// Each page as it is before its scripts have run (a slow network), or for good without them.
test.describe("before the page's scripts have run", () => {
  test.use({ javaScriptEnabled: false });

  // A field of each script-sent form.
  const FORMS = [
    { path: "/account", label: "Current password" },
    { path: "/secrets/new", label: "Value" },
    { path: "/settings/users", label: "First password" },
    { path: "/settings/tokens", label: "Name" },
  ];

  for (const { path, label } of FORMS) {
    test(`the form on ${path} takes nothing until its scripts have run, and could only post back`, async ({ page }) => {
      await page.goto(path);
      const field = page.getByRole("textbox", { name: label, exact: true });
      // Held by components/hydration-gate.tsx: nothing can be typed, so nothing can be sent.
      await expect(field).toBeDisabled();
      await expect(page.locator("main button[type=submit]").first()).toBeDisabled();
      // And were it sent, it would go back to its own page, never into a URL (components/scripted-form.tsx).
      const form = field.locator("xpath=ancestor::form");
      await expect(form).toHaveAttribute("method", "post");
      await expect(form).not.toHaveAttribute("action", /./);
    });
  }

  test("Sign out signs out: the session ends, not only the cookie", async ({ browser }) => {
    const { baseUrl } = serverInfo();
    // A session of its own: ending the suite's admin session would sign the other tests out.
    const signedIn = await signInAs(browser, ADMIN.email, ADMIN.password);
    const session = await signedIn.context().storageState();
    await signedIn.context().close();

    const withoutScripts = await browser.newContext({ baseURL: baseUrl, storageState: session, javaScriptEnabled: false });
    const page = await withoutScripts.newPage();
    await page.goto("/audit");
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await withoutScripts.close();

    // The cookie as it was before signing out no longer opens anything.
    const replayed = await browser.newContext({ baseURL: baseUrl, storageState: session, javaScriptEnabled: true });
    const again = await replayed.newPage();
    await again.goto("/");
    await expect(again).toHaveURL(/\/login$/);
    await replayed.close();
  });
});

test("a page's controls wait for its scripts: disabled while they load, working once they have run", async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto("/secrets/new", { waitUntil: "commit" });
  const secretPath = page.getByLabel("Secret path");
  await expect(secretPath).toBeDisabled();
  await expect(page.getByRole("button", { name: "Create secret" })).toBeDisabled();
  // Links work at once: they need no script.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toBeEnabled();

  release();
  await expect(secretPath).toBeEnabled();
  await secretPath.fill("before.scripts.typed");
  await page.getByRole("button", { name: "Create secret" }).click();
  // The form's own check answers (no value yet), not a reload: its handler is attached.
  await expect(page.getByRole("textbox", { name: "Value", exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(secretPath).toHaveValue("before.scripts.typed");
  await expect(page).toHaveURL(/\/secrets\/new$/);
});

test("a .env file chosen while the import page's scripts load is the one previewed once they have run", async ({ page }) => {
  const release = await holdScripts(page);
  const prefix = `early${uniqueSuffix().replace(/-/g, "")}`;
  await page.goto(`/secrets/import?prefix=${prefix}`, { waitUntil: "commit" });
  // A file input takes a file even while disabled (automation does this; a drop could too).
  await page.getByLabel(".env file").setInputFiles({ name: "early.env", mimeType: "text/plain", buffer: Buffer.from("EARLY_ONE=x\n") });
  release();
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("import-preview").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("import-preview")).toContainText(`${prefix}.EARLY_ONE`);
});
