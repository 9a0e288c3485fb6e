import { readFileSync, writeFileSync } from "node:fs";
import { expect, serverInfo, test } from "./support/fixtures";
import { ADMIN } from "./support/accounts";
import { ADMIN_STATE, SEED_TOKEN } from "./support/paths";

/** The one-time setup code the server printed to its log on its first start. */
function setupCodeFromLog(): string {
  const log = readFileSync(serverInfo().logFile, "utf8");
  const match = /one-time setup code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(log);
  if (!match) throw new Error(`No setup code in the server log:\n${log}`);
  return match[1]!;
}

test("first run: the setup code from the server log creates the first admin", async ({ page }) => {
  // Nobody exists yet: every way in leads to /setup.
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Provenance" })).toBeVisible();

  // On a phone, the command-line hint wraps between words, never inside a flag and its value.
  await page.setViewportSize({ width: 390, height: 844 });
  const flag = page.getByText("--role admin", { exact: true });
  const lineHeight = await flag.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  expect((await flag.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
  await page.setViewportSize({ width: 1280, height: 800 });

  // A wrong code is refused on its field, and the form keeps what was typed.
  await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC");
  await page.getByLabel("Your email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.locator("#code-error")).toHaveText("Wrong setup code");
  await expect(page.getByLabel("Your email")).toHaveValue(ADMIN.email);

  // The right code creates the admin and leads to sign-in.
  await page.getByLabel("Setup code").fill(setupCodeFromLog());
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/login\?setup=done$/);
  await expect(page.getByText("Your admin account is ready")).toBeVisible();
  // The first admin chose that password a moment ago: nobody "gave" it to them.
  await expect(page.getByText("the email and password you just chose")).toBeVisible();
  await expect(page.getByText("your admin gave you")).toHaveCount(0);

  // A mistyped password: the error replaces the welcome, the two never show together.
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That email and password do not match an active account.")).toBeVisible();
  await expect(page.getByText("Your admin account is ready")).toHaveCount(0);
  await expect(page.locator("[data-banner]")).toHaveCount(1);

  // /setup is closed for good.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("banner").getByText(ADMIN.email)).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });

  // The wrong setup code was audited (anonymous, and without the code typed).
  await page.goto("/audit?action=auth.setup");
  const refused = page.getByTestId("audit-event");
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText("Setup code refused");
  await expect(refused).toContainText("wrong setup code");
  expect(await page.content()).not.toContain("AAAA-BBBB-CCCC");

  // A fresh install: the lists say what to do.
  await page.goto("/settings/secret-providers");
  await expect(page.getByRole("heading", { name: "No connections yet" })).toBeVisible();
  await expect(page.getByText(/click \+ New Connection, pick the provider type/)).toBeVisible();
  await page.goto("/secrets");
  await expect(page.getByRole("heading", { name: "No secrets yet" })).toBeVisible();

  // An admin token for the other tests to seed their data with (the session cookie made it).
  const response = await page.request.post("/api/tokens", { data: { name: "e2e-seed", role: "admin" } });
  expect(response.status()).toBe(201);
  writeFileSync(SEED_TOKEN, JSON.stringify({ token: ((await response.json()) as { token: string }).token }));
});
