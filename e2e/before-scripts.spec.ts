import { ADMIN } from "./support/accounts";
import { expect, serverInfo, test, uniqueSuffix } from "./support/fixtures";
import { signInAs } from "./support/ui";

// Each page as it is before its scripts have run (a slow network), or for good without them.
test.describe("before the page's scripts have run", () => {
  test.use({ javaScriptEnabled: false });

  // The field typed into, and the one Enter is pressed in (a textarea takes Enter as a new line).
  const FORMS = [
    { path: "/account", label: "Current password", enterIn: "Current password" },
    { path: "/secrets/new", label: "Value", enterIn: "Secret path" },
    { path: "/settings/users", label: "First password", enterIn: "First password" },
    { path: "/settings/tokens", label: "Name", enterIn: "Name" },
  ];

  for (const { path, label, enterIn } of FORMS) {
    test(`a form sent from ${path} keeps what was typed out of the URL`, async ({ page }) => {
      const typed = `typed-before-scripts-${uniqueSuffix()}`;
      await page.goto(path);
      await page.getByRole("textbox", { name: label, exact: true }).fill(typed);
      const sent = page.waitForRequest((request) => request.isNavigationRequest());
      await page.getByRole("textbox", { name: enterIn, exact: true }).press("Enter");
      const request = await sent;

      // Posted back to the same page, which answers with the page again and reads nothing.
      expect(request.method()).toBe("POST");
      expect(new URL(request.url()).pathname).toBe(path);
      expect(request.url()).not.toContain(typed);
      await page.waitForLoadState();
      expect(new URL(page.url()).search).toBe("");
      await expect(page.getByRole("textbox", { name: label, exact: true })).toHaveValue("");
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
    await page.goto("/secrets");
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
