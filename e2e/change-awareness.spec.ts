import { mkdirSync } from "node:fs";
import path from "node:path";
import { apiPost, expect, serverHtml, test, uniqueSuffix } from "./support/fixtures";
import { ARTIFACTS_DIR } from "./support/paths";

/**
 * The secret page's version timeline and the connection page's usage panel, rendered by the
 * server from the same lib code as GET /api/secrets/:id/versions and …/usage. Screenshots go to
 * e2e/artifacts/ (gitignored).
 */
test("a stored secret's versions show who read each, never a value", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const secretPath = `e2e.lineage${suffix}.key`;
  const [first, second] = [`first-${suffix}-value`, `second-${suffix}-value`];
  const secret = await apiPost<{ id: string }>(api, "/api/secrets", { secretPath, value: first });
  const tokens = await Promise.all(
    ["a", "b", "c"].map((n) => apiPost<{ token: string }>(api, "/api/tokens", { name: `e2e-lineage-${suffix}-${n}`, role: "editor" })),
  );
  const resolveAs = async (token: string) => {
    const response = await api.get(`/api/secrets/resolve?path=${secretPath}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status()).toBe(200);
  };
  await resolveAs(tokens[0]!.token);
  await resolveAs(tokens[1]!.token);
  const edited = await api.patch(`/api/secrets/${secret.id}`, { data: { value: second } });
  expect(edited.status()).toBe(200);
  await resolveAs(tokens[2]!.token);

  await page.goto(`/secrets/${secret.id}`);
  const entries = page.getByTestId("version-entry");
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText("Current");
  await expect(entries.nth(0).getByTestId("version-readers")).toContainText("1 reader");
  await expect(entries.nth(1).getByTestId("version-readers")).toContainText("2 readers");
  // The old version was read moments ago: not yet safe to revoke.
  await expect(page.getByTestId("safe-to-revoke")).toHaveCount(0);
  const html = await serverHtml(page);
  expect(html).not.toContain(first);
  expect(html).not.toContain(second);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.getByTestId("versions-timeline").screenshot({ path: path.join(ARTIFACTS_DIR, "versions-timeline.png") });
});

test("a connection's page shows its usage for the last 7 days with a bar per day", async ({ page, api }) => {
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `e2e usage ${uniqueSuffix()}`,
    type: "vault",
    config: { vaultUrl: "https://vault.usage.invalid", token: "hvs.e2eusage" },
  });
  // A test against a host that does not exist: calls that fail, counted as errors.
  await api.post(`/api/secret-providers/${connection.id}/test`, { data: {} });
  const usage = await (await api.get(`/api/secret-providers/${connection.id}/usage?window=7d`)).json();

  await page.goto(`/settings/secret-providers/${connection.id}`);
  const numbers = page.getByTestId("usage-numbers");
  await expect(numbers).toContainText(`Calls${usage.calls}`);
  await expect(numbers).toContainText(`Errors${usage.errors}`);
  await expect(numbers).toContainText("Estimated cost$0");
  expect(usage.calls).toBeGreaterThan(0);
  await expect(page.getByTestId("usage-chart").locator("g")).toHaveCount(8);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page
    .getByTestId("usage-numbers")
    .locator("xpath=ancestor::section")
    .screenshot({ path: path.join(ARTIFACTS_DIR, "usage-panel.png") });
});
