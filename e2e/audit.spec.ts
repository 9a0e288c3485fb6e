import { expect, test, uniqueSuffix } from "./support/fixtures";

test("the audit log filters by actor, action, target and time, pages through results and reads in words", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  // 55 reads of paths that do not exist: 55 failed "secret.resolve" events by the seed token
  // (one at a time: a batch is audited as one "secret.resolve_batch" event).
  const paths = Array.from({ length: 55 }, (_, i) => `e2eaudit${suffix}.p${String(i).padStart(2, "0")}`);
  for (const path of paths) {
    const response = await api.get(`/api/secrets/resolve?path=${path}`);
    expect(response.status()).toBe(404);
  }

  await page.goto("/audit");
  await page.getByLabel("Target").fill(`e2eaudit${suffix}`);
  await page.getByLabel("Actor").fill("e2e-seed");
  await page.getByLabel("Action").selectOption({ label: "Read secret value" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=secret.resolve/);

  const events = page.getByTestId("audit-event");
  await expect(events).toHaveCount(50);
  await expect(page.getByTestId("audit-range")).toHaveText("1–50 of 55 · page 1 of 2");
  const first = events.first();
  await expect(first).toContainText("Failed to read secret value");
  await expect(first).toContainText("by e2e-seed (API token)");
  await expect(first).toContainText("code: not_found");
  await expect(first.getByText("Failed", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Older →" }).click();
  await expect(events).toHaveCount(5);
  await expect(page.getByTestId("audit-range")).toHaveText("51–55 of 55 · page 2 of 2");
  await page.getByRole("link", { name: "← Newer" }).click();
  await expect(events).toHaveCount(50);

  // A time range after today holds nothing.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("From (UTC)").fill(tomorrow);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("heading", { name: "No events match these filters" })).toBeVisible();

  // Sign-ins are there too, in words (the first admin's, from the first-run test).
  await page.goto("/audit?action=auth.sign_in&outcome=success");
  await expect(events.first()).toContainText("Signed in");
});
