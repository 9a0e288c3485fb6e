import { startVaultFake, type VaultFake } from "../tests/support/fakes/vault";
import { apiPost, expect, serverHtml, test, toasts, uniqueSuffix } from "./support/fixtures";
import { chooseRadio } from "./support/ui";

const MASK = "••••••••";
const FIRST = "hvs.e2eFirstVaultToken000000000001";
const SECOND = "hvs.e2eSecondVaultToken00000000002";

let vault: VaultFake;

test.beforeAll(async () => {
  // Vault's real HTTP API on 127.0.0.1; it records every request, X-Vault-Token included.
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [FIRST]: [""], [SECOND]: [""] } });
  vault.putSecret("secret/e2e/db", { password: "pw-from-vault", user: "app" });
});

test.afterAll(async () => {
  await vault?.close();
});

/** The token Vault received with the latest read of the e2e secret. */
function lastTokenSeen(): string | undefined {
  const reads = vault.requests.filter((r) => r.path.startsWith("/v1/secret/data/e2e/db"));
  return reads.at(-1)?.headers["x-vault-token"] as string | undefined;
}

test("editing a connection keeps a masked credential, and replaces it when retyped", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const name = `Vault masked ${suffix}`;

  await page.goto("/settings/secret-providers/new");
  await page.getByLabel("Connection name").fill(name);
  await chooseRadio(page, /HashiCorp Vault/);
  await page.getByLabel("Vault URL").fill(vault.url);
  await page.getByLabel("Vault Token").fill(FIRST);
  await page.getByRole("button", { name: "Create connection" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const connectionId = page.url().split("/").at(-1)!;

  const secretPath = `e2e.masked${suffix}.password`;
  await apiPost(api, "/api/secrets", {
    secretPath,
    provider: "vault",
    providerPath: "secret/e2e/db",
    secretProviderId: connectionId,
    providerConfig: { jsonKey: "password", cacheTtlSeconds: 0 },
  });
  const resolve = async () => {
    const response = await api.get(`/api/secrets/resolve?path=${secretPath}`);
    expect(response.status()).toBe(200);
    return ((await response.json()) as { value: string }).value;
  };
  expect(await resolve()).toBe("pw-from-vault");
  expect(lastTokenSeen()).toBe(FIRST);

  // The edit form: the stored token reads as the mask, the type is shown and cannot change.
  const token = page.getByLabel("Vault Token");
  await expect(token).toHaveValue(MASK);
  await expect(token).toHaveAttribute("type", "password");
  await expect(page.getByTestId("connection-type")).toContainText("HashiCorp Vault");
  await expect(page.getByRole("radio")).toHaveCount(0);
  expect(await serverHtml(page)).not.toContain(FIRST);

  // Saved with the mask left as is: the stored token is kept.
  await page.getByLabel("Description").fill("Edited, token untouched");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  await expect(token).toHaveValue(MASK);
  expect(await resolve()).toBe("pw-from-vault");
  expect(lastTokenSeen()).toBe(FIRST);

  // Cleared and retyped: the new token replaces it.
  await token.fill("");
  await token.fill(SECOND);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toasts(page)).toContainText(`Saved “${name}”`);
  await expect(token).toHaveValue(MASK);
  expect(await resolve()).toBe("pw-from-vault");
  expect(lastTokenSeen()).toBe(SECOND);

  // Clearing a required credential is refused on its field.
  await token.fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#config-token-error")).toHaveText("Vault Token is required");

  // The audit log names what each save changed: the description, then the token (never its value).
  await page.goto(`/audit?action=secret_provider.update&target=${encodeURIComponent(name)}`);
  const events = page.getByTestId("audit-event");
  await expect(events).toHaveCount(2);
  await expect(events.nth(0)).toContainText("changed: config.token");
  await expect(events.nth(1)).toContainText("changed: description");
  await expect(events.nth(1)).not.toContainText("config.token");
  expect(await page.content()).not.toContain(SECOND);
});

test("testing a connection shows latency, and version + fingerprint for a path, or the upstream error", async ({ page, api }) => {
  const suffix = uniqueSuffix();
  const connection = await apiPost<{ id: string }>(api, "/api/secret-providers", {
    name: `Vault test ${suffix}`,
    type: "vault",
    config: { vaultUrl: vault.url, token: FIRST },
  });
  await page.goto(`/settings/secret-providers/${connection.id}`);
  const result = page.getByTestId("test-result");

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toHaveAttribute("data-ok", "true");
  await expect(result).toContainText(/Connected in \d+ ms/);

  await page.getByLabel("Secret path to read").fill("secret/e2e/db");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toContainText(/Connected in \d+ ms/);
  await expect(result).toContainText("Version");
  await expect(result).toContainText("1");
  await expect(result).toContainText("Fingerprint");
  await expect(result).not.toContainText("pw-from-vault");

  await page.getByLabel("Secret path to read").fill("secret/e2e/missing");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(result).toHaveAttribute("data-ok", "false");
  await expect(result).toContainText("The connection test failed");
  await expect(result).toContainText(/HashiCorp Vault.*(not found|secret\/e2e\/missing)/i);

  // The last result is remembered on the list.
  await page.goto("/settings/secret-providers");
  await expect(page.getByRole("row", { name: new RegExp(`Vault test ${suffix}`) })).toContainText("Failed");
});
