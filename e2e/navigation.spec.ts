import { expect, test } from "./support/fixtures";

test("a dashboard link marks itself pending and dims the page until the next page is there", async ({ page }) => {
  await page.goto("/settings/tokens");
  // Hold the next page's server answer (the App Router's request for it) until the test lets it go.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === "/audit",
    async (route) => {
      if (route.request().headers()["rsc"] === "1") await held;
      await route.continue();
    },
  );

  const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" });
  await link.click();
  await expect(link).toHaveAttribute("data-pending", "true");
  await expect(page.locator("main")).toHaveCSS("opacity", "0.6");
  await expect(page).toHaveURL(/\/settings\/tokens$/);

  release();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.locator("a[data-pending]")).toHaveCount(0);
  await expect(page.locator("main")).toHaveCSS("opacity", "1");
});

test("a link to a page without React is loaded whole, never asked of the App Router first", async ({ page }) => {
  await page.goto("/audit");
  const asked: string[] = [];
  page.on("request", (request) => {
    if (request.headers()["rsc"] === "1") asked.push(new URL(request.url()).pathname);
  });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Secrets" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Secrets" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Secret providers" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Secret providers" })).toBeVisible();
  // And back into the App Router: a full load too, since these pages have no router.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  expect(asked).toEqual([]);
});
