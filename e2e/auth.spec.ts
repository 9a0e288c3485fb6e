import { expect, test } from "./support/fixtures";
import { ADMIN } from "./support/accounts";

test.use({ storageState: { cookies: [], origins: [] } });

test("sign-in refuses a wrong password with a plain message, then signs in and out", async ({ page }) => {
  await page.goto("/secrets");
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That email and password do not match an active account.")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Password")).toBeFocused();

  // Empty fields are caught before anything is sent, on the fields themselves.
  await page.getByLabel("Email").fill("");
  await page.getByLabel("Password").fill("");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#email-error")).toHaveText("Enter your email");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-describedby", "email-error");

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  // Sign-out lives in the header, and lands on this server's own /login: NEXTAUTH_URL is unset,
  // and the server listens on a free port, not next-auth's fallback of localhost:3000.
  const origin = new URL(page.url()).origin;
  expect(new URL(origin).port).not.toBe("3000");
  const landing = page.waitForRequest((r) => r.isNavigationRequest() && new URL(r.url()).pathname === "/login");
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  expect(new URL((await landing).url()).origin).toBe(origin);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});

test("after too many failures the sign-in page says to wait, instead of blaming the password", async ({ page }) => {
  // An account of its own: the lock is per account and address, and other tests sign in from here too.
  const email = `locked-${Date.now()}@example.test`;
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  const attempts = 10; // PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS's default
  for (let n = 0; n < attempts; n++) {
    await page.getByLabel("Password").fill(`wrong-${n}`);
    const answered = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await answered).status()).toBe(401);
    await expect(page.getByText("That email and password do not match an active account.")).toBeVisible();
  }
  await page.getByLabel("Password").fill("one more try");
  const limited = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
  await page.getByRole("button", { name: "Sign in" }).click();
  // The answer's url (next-auth's client reads it) is on the address the browser used, not the
  // address the server binds (0.0.0.0) nor next-auth's fallback port.
  const answer = await limited;
  expect(answer.status()).toBe(429);
  expect(((await answer.json()) as { url: string }).url).toBe(`${new URL(page.url()).origin}/login?error=rate_limited`);
  await expect(page.getByText("Too many failed sign-in attempts. Wait a few minutes, then try again.")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});
