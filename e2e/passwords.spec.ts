import { expect, test, toasts, uniqueSuffix } from "./support/fixtures";
import { dialog, signInAs } from "./support/ui";

test("a user changes their own password on Your account; an admin resets it on Users", async ({ page, browser }) => {
  const suffix = uniqueSuffix();
  const person = { email: `pw-${suffix}@provenance.test`, password: `first password ${suffix}` };

  await page.goto("/settings/users");
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(person.email);
  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("editor");
  await page.getByLabel("First password").fill(person.password);
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(toasts(page)).toContainText(`${person.email} can now sign in as an editor.`);

  const here = await signInAs(browser, person.email, person.password);
  const elsewhere = await signInAs(browser, person.email, person.password);

  await here.getByRole("link", { name: "Your account" }).click();
  await expect(here.getByRole("heading", { name: "Your account" })).toBeVisible();
  const form = here.getByRole("form", { name: "Change password" });

  // Checked in the browser first: the repeat must match.
  await form.getByLabel("Current password").fill(person.password);
  await form.locator("#new-password").fill(`second password ${suffix}`);
  await form.getByLabel("Repeat the new password").fill("something else");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(here.locator("#repeat-password-error")).toHaveText("Does not match the new password");

  // Then by the server: a wrong current password lands on its field, in an aria-live region.
  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("Repeat the new password").fill(`second password ${suffix}`);
  await form.getByRole("button", { name: "Change password" }).click();
  const currentError = here.locator("#current-password-error");
  await expect(currentError).toHaveText("Not your current password");
  await expect(currentError).toHaveAttribute("aria-live", "polite");

  await form.getByLabel("Current password").fill(person.password);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(toasts(here)).toContainText("Your password is changed");

  // This session stays; the other one is signed out.
  await here.goto("/secrets");
  await expect(here.getByRole("heading", { name: "Secrets", exact: true })).toBeVisible();
  await elsewhere.goto("/secrets");
  await expect(elsewhere).toHaveURL(/\/login$/);

  // The admin resets it: every session of that user ends, the new password signs in.
  await page.reload();
  await page.getByRole("button", { name: `Reset password of ${person.email}` }).click();
  const reset = dialog(page, `Reset the password of ${person.email}?`);
  await reset.locator("input[type=password]").fill("short");
  await reset.getByRole("button", { name: "Set new password" }).click();
  await expect(reset.getByText("Password must be at least 8 characters")).toBeVisible();
  await reset.locator("input[type=password]").fill(`reset password ${suffix}`);
  await reset.getByRole("button", { name: "Set new password" }).click();
  await expect(toasts(page)).toContainText(`${person.email} has a new password and was signed out everywhere.`);
  await here.goto("/secrets");
  await expect(here).toHaveURL(/\/login$/);
  await (await signInAs(browser, person.email, `reset password ${suffix}`)).context().close();

  await here.context().close();
  await elsewhere.context().close();
});
