import path from "node:path";
import { measurePageWeights } from "../scripts/page-weight";
import { ADMIN } from "./support/accounts";
import { expect, test } from "./support/fixtures";
import { ADMIN_STATE, ROOT } from "./support/paths";

/**
 * The sign-in page ships no framework (pages/login.tsx turns Next's runtime off): its one script,
 * public/sign-in.js, does what the form needs. These walk every branch of that script, check that
 * what the page loads is what scripts/page-weight.ts measures, and that without JavaScript the
 * form gives nothing away.
 */
test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the page loads only the scripts its weight counts, each with this response's nonce", async ({ page }) => {
    const response = await page.goto("/login");
    const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"] ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const scripts = await page
      .locator("script")
      .evaluateAll((tags) => tags.map((tag) => ({ src: tag.getAttribute("src"), nonce: (tag as HTMLScriptElement).nonce })));
    const measured = measurePageWeights(path.join(ROOT, ".next")).pages.find((p) => p.route === "/login");
    expect(scripts.map((s) => s.src)).toEqual(measured?.files);
    expect(scripts.map((s) => s.nonce)).toEqual(scripts.map(() => nonce));
  });

  test("the form checks its fields, shows the pending state, refuses a wrong password and signs in", async ({ page }) => {
    await page.goto("/login");
    const email = page.getByLabel("Email");
    const password = page.getByLabel("Password");
    const submit = page.getByRole("button", { name: "Sign in" });
    await expect(email).toBeFocused();

    // Both empty: both messages, on the fields, and the first bad field gets the focus.
    await submit.click();
    await expect(page.locator("#email-error")).toHaveText("Enter your email");
    await expect(page.locator("#password-error")).toHaveText("Enter your password");
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveAttribute("aria-describedby", "password-error");
    await expect(email).toBeFocused();

    // Not an email; the password's error goes once it is filled in.
    await email.fill("not-an-email");
    await password.fill("something");
    await submit.click();
    await expect(page.locator("#email-error")).toHaveText("Enter an email address");
    await expect(page.locator("#password-error")).toHaveText("");
    await expect(password).not.toHaveAttribute("aria-invalid");
    await expect(password).not.toHaveAttribute("aria-describedby");

    // A wrong password: "Signing in…" while the server answers, then the refusal, focus on the password.
    await email.fill(ADMIN.email);
    await password.fill("not the password at all");
    let answer = () => {};
    const held = new Promise<void>((resolve) => (answer = resolve));
    await page.route(
      "**/api/auth/callback/credentials",
      async (route) => {
        await held;
        await route.continue();
      },
      { times: 1 },
    );
    await submit.click();
    const pending = page.getByRole("button", { name: "Signing in…" });
    await expect(pending).toBeDisabled();
    await expect(pending).toHaveAttribute("aria-busy", "true");
    answer();
    await expect(page.locator("[data-banner=error]")).toHaveText("That email and password do not match an active account.");
    await expect(page.locator("#email-error")).toHaveText("");
    await expect(email).not.toHaveAttribute("aria-invalid");
    await expect(password).toBeFocused();
    await expect(submit).toBeEnabled();

    await password.fill(ADMIN.password);
    await submit.click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
  });

  test("after first-run setup the notice shows until an error replaces it, in the one live region", async ({ page }) => {
    await page.goto("/login?setup=done");
    const notice = page.getByText("Your admin account is ready. Sign in with it to continue.");
    await expect(notice).toBeVisible();
    await expect(page.locator("[aria-live=polite]:has([data-banner])")).toHaveCount(1);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("That email and password do not match an active account.")).toBeVisible();
    await expect(notice).toHaveCount(0);
    await expect(page.locator("[aria-live=polite]:has([data-banner])")).toHaveCount(1);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("the form posts back to the page, never into a URL, and signs nobody in", async ({ page }) => {
      // The page says why nothing happens (read from the HTML: Chromium here keeps <noscript> unrendered).
      expect(await (await page.request.get("/login")).text()).toMatch(/<noscript>.*Signing in needs JavaScript/);
      await page.goto("/login");
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      const sent = page.waitForRequest((r) => r.isNavigationRequest() && r.method() === "POST");
      await page.getByRole("button", { name: "Sign in" }).click();
      expect(new URL((await sent).url()).pathname).toBe("/login");
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
      expect(page.url()).not.toContain(encodeURIComponent(ADMIN.password));
      expect(new URL(page.url()).search).toBe("");
      expect((await page.context().cookies()).map((c) => c.name)).not.toContain("next-auth.session-token");
    });
  });
});

test.describe("signed in", () => {
  test.use({ storageState: ADMIN_STATE });

  test("the sign-in page sends a signed-in visitor to the dashboard", async ({ page }) => {
    const response = await page.request.get("/login", { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(response.headers()["location"]).toBe("/");
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  });
});
